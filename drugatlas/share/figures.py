"""Standalone pictures of what a page shows, as SVG documents of 1200 x 630 (the share-card
size that Facebook, LinkedIn, Mastodon and X all accept):

- `map_figure(data)`: the home map view (layer and year or date) with title, legend, source
  line and date; it is both the home page's og:image and the map's SVG/PNG download.
- `state_card(place, profile)`: a state's laws in force and latest figures, the state marked on
  the U.S. map.
- `bill_card(bill)`: a bill's number, title, status and the stage it has reached.
- `chart_figure(title, chart_svg, sources)`: a state chart's download (SVG, PNG): title, the
  page's wide drawing, source line and date.

The maps inside are the very markup the pages draw (`maps.svg.render_choropleth`), with the
site stylesheet's few map rules copied in, since a standalone file has no stylesheet.
Text is escaped here; lines are wrapped by an estimate of glyph width (no font metrics in
Python), generous enough for DejaVu and Liberation Sans.
"""
from __future__ import annotations

import datetime as dt
import re
import textwrap
from html import escape

from django.conf import settings
from django.utils.translation import gettext as _

from drugatlas import clock, formatting
from drugatlas.legislation.records import STATUS_LABELS
from drugatlas.maps import classify, geometry, layers, svg

WIDTH, HEIGHT = 1200, 630
INK, MUTED, ACCENT = "#1a1a1a", "#4d4d4d", "#08519c"
FONT = "Liberation Sans, Arial, DejaVu Sans, sans-serif"
# The map rules of static/css/site.css, for a document read without the stylesheet.
MAP_STYLE = (".choropleth path{stroke:#6b6b6b;stroke-width:.6;stroke-linejoin:round}"
             ".choropleth path.outline{stroke:#1a1a1a;stroke-width:1.5}"
             ".choropleth .callout{stroke:#6b6b6b;stroke-width:.6}"
             ".choropleth text{font-size:11px;fill:#1a1a1a}")


def wrap(text: str, font_size: float, width: float) -> list[str]:
    """Lines of `text` that fit `width` pixels at `font_size` (average glyph ~0.55 em)."""
    chars = max(8, int(width / (font_size * 0.55)))
    return textwrap.wrap(text, chars) or [""]


def _text(x: float, y: float, text: str, size: float, *, weight: str = "normal",
          fill: str = INK, anchor: str = "start") -> str:
    return (f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}" fill="{fill}"'
            f' text-anchor="{anchor}">{escape(text)}</text>')


def _lines(x: float, y: float, lines: list[str], size: float, leading: float = 1.25,
           **kw) -> tuple[str, float]:
    """Several lines of text from baseline y; returns the markup and the next free baseline."""
    out = []
    for line in lines:
        out.append(_text(x, y, line, size, **kw))
        y += size * leading
    return "".join(out), y


def _document(body: str, title: str, height: float = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" role="img" '
            f'aria-label="{escape(title, quote=True)}">'
            f'<title>{escape(title)}</title><style>{MAP_STYLE}</style>'
            f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>{body}</svg>')


def _place_map(markup: str, x: float, y: float, width: float, height: float) -> str:
    """A rendered choropleth placed in a box of the picture (it keeps its aspect ratio)."""
    return markup.replace("<svg ", f'<svg x="{x}" y="{y}" width="{width}" height="{height}" ', 1)


def site_host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].rstrip("/")


def _footer(sources: list[str], when: dt.date, rule: float = 592) -> str:
    line = _("Source: %(sources)s") % {"sources": "; ".join(sources)} if sources else ""
    right = _("Drug Policy Atlas · %(site)s · %(date)s") % {
        "site": site_host(), "date": formatting.date_text(when)}
    src_lines = wrap(line, 15, 700) if line else [""]
    # A source line too long for the card ends with an ellipsis, not mid-phrase.
    src = src_lines[0] + ("…" if len(src_lines) > 1 else "")
    return (f'<line x1="40" y1="{rule}" x2="1160" y2="{rule}" stroke="#ccc"/>'
            + _text(40, rule + 23, src, 15, fill=MUTED)
            + _text(1160, rule + 23, right, 15, fill=MUTED, anchor="end"))


# --- The map view ---------------------------------------------------------------------------

def map_title(data: layers.MapData) -> str:
    """The legend's title already says the year or the date."""
    return str(data.legend.title)


def map_sources(data: layers.MapData) -> list[str]:
    seen: dict[str, None] = {}
    for row in data.rows:
        for s in row.sources:
            seen.setdefault(s.label, None)
    labels = list(seen)
    return labels[:3] + ([_("%(n)s more") % {"n": len(labels) - 3}] if len(labels) > 3 else [])


def map_areas(data: layers.MapData) -> list[svg.Area]:
    return [svg.Area(fips=r.fips, fill=data.legend.bin(r.key).fill,
                     label=f"{r.name}: {r.text}", hatched=r.hatched) for r in data.rows]


def _legend(data: layers.MapData, x: float, y: float, prefix: str) -> str:
    out = [_text(x, y, _("Legend"), 20, weight="bold")]
    y += 34
    entries = [(b.fill, str(b.label), n) for b, n in data.legend.entries()]
    if data.legend.low_coverage:
        entries.append(("pattern:lowcov", _("Hatched: agencies cover under half of residents"),
                        data.legend.low_coverage))
    for fill, label, count in entries:
        out.append(f'<rect x="{x}" y="{y - 17}" width="30" height="20" stroke="#6b6b6b" '
                   f'stroke-width=".6" fill="{classify.fill_attr(fill, prefix)}"/>')
        lines = wrap(label, 18, 250)
        # The count stays on the last line, never wrapped on its own.
        lines[-1] = f"{lines[-1]} ({count})"
        markup, y = _lines(x + 40, y, lines, 18)
        out.append(markup)
        y += 10
    return "".join(out)


def map_figure(data: layers.MapData, when: dt.date | None = None) -> str:
    title = map_title(data)
    prefix = "fig"
    title_lines = wrap(title, 30, 1120)[:2]
    head, y = _lines(40, 52, title_lines, 30, weight="bold")
    chart = svg.render_choropleth(map_areas(data), title=title, element_id=prefix,
                                  abbrs={r.fips: r.abbr for r in data.rows},
                                  no_data_label=_("No data"))
    top = y - 12
    body = (head + _place_map(str(chart), 20, top, 820, min(560 - top, 513))
            + _legend(data, 860, top + 30, prefix)
            + _footer(map_sources(data), when or clock.today()))
    return _document(body, title)


# --- A state chart as a file ---------------------------------------------------------------

def chart_figure(title: str, chart_svg: str, sources: list[str],
                 when: dt.date | None = None) -> str:
    """A state chart's download: its title, the page's wide drawing, the source line and the
    date, 1200 wide (the height follows the drawing's proportions)."""
    head, y = _lines(40, 50, wrap(title, 28, 1120)[:2], 28, weight="bold")
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', chart_svg)
    width, height = (float(box[1]), float(box[2])) if box else (720.0, 300.0)
    top, drawn = y - 8, 1160 * height / width
    rule = top + drawn + 20
    body = (head + _place_map(chart_svg, 20, top, 1160, drawn)
            + _footer(sources, when or clock.today(), rule))
    return _document(body, title, int(rule + 38))


# --- A state's card ---------------------------------------------------------------------------

CARD_TOPICS = ("possession", "paraphernalia", "good_samaritan", "adult_use_marijuana")


def state_card(place, profile: dict, when: dt.date | None = None) -> str:
    title = place.name
    head = _text(40, 70, title, 48, weight="bold")
    head += _text(40, 106, _("Drug laws, arrests and overdose deaths"), 22, fill=MUTED)
    y = 160
    out = []
    laws = []
    for topic in profile["laws"]:
        if topic["topic"] in CARD_TOPICS:
            now = [i for i in topic["intervals"] if i["in_force"]]
            laws.append((f"{topic['label']}:", now[0]["status_label"] if now else _("No data")))
    # The values start after the longest label (Spanish labels are longer), and wrap before
    # the map at x = 720.
    value_x = 40 + max([290] + [len(label) * 21 * 0.5 + 14 for label, _status in laws])
    for label, status in laws:
        out.append(_text(40, y, label, 21, fill=MUTED))
        markup, y = _lines(value_x, y, wrap(status, 21, 700 - value_x)[:2], 21,
                             leading=1.2, weight="bold")
        out.append(markup)
        y += 32 - 21 * 1.2
    y += 14
    sources = []
    for statement in profile["statements"]:
        lines = wrap(statement["text"], 19, 660)[:3]
        if y + (len(lines) - 1) * 19 * 1.25 > 572:  # keep clear of the footer's rule at 592
            break
        markup, y = _lines(40, y, lines, 19)
        out.append(markup)
        y += 8
        sources += [s["publisher"] for s in statement["sources"] if s["publisher"] not in sources]
    areas = [svg.Area(fips=fips, fill=ACCENT if fips == place.fips else "#e8e8e8", label=name)
             for fips, name in _state_names().items()]
    us = svg.render_choropleth(areas, title=title, element_id="card")
    body = (head + "".join(out) + _place_map(str(us), 720, 150, 450, 282)
            + _footer(sources[:2], when or clock.today()))
    return _document(body, title)


def _state_names() -> dict[str, str]:
    return {fips: shape.name for fips, shape in geometry.states().items()}


# --- A bill's card ----------------------------------------------------------------------------

STAGES = ("introduced", "advanced", "enacted", "in_effect")


def bill_card(bill: dict, when: dt.date | None = None) -> str:
    title = " ".join(filter(None, (_(bill["jurisdiction_name"]), bill["number"])))
    head = _text(40, 72, title, 48, weight="bold")
    head += _text(40, 108, _("Session %(session)s") % {"session": bill["session"]}, 22,
                  fill=MUTED)
    lines, y = _lines(40, 160, wrap(bill["title"], 28, 1120)[:3], 28)
    status = _(bill["status_label"])
    dated = bill.get("status_date")
    if dated:  # a date, or already text as precisely as it is known ("2025-03")
        status += " · " + (dated if isinstance(dated, str) else formatting.date_text(dated))
    out = [head, lines, _text(40, y + 30, _("Status"), 22, fill=MUTED),
           _text(40, y + 72, status, 38, weight="bold", fill=ACCENT)]
    # The stages a bill goes through; the one reached is filled, a failed bill greys out.
    reached = STAGES.index(bill["status"]) if bill["status"] in STAGES else -1
    y0 = y + 130
    step = 1120 / len(STAGES)
    for i, stage in enumerate(STAGES):
        x = 40 + i * step
        done = i <= reached
        out.append(f'<rect x="{x}" y="{y0}" width="{step - 12}" height="44" rx="6" '
                   f'fill="{ACCENT if done else "#fff"}" stroke="{ACCENT}" stroke-width="2"/>')
        out.append(_text(x + (step - 12) / 2, y0 + 29, _(STATUS_LABELS[stage]), 20,
                         weight="bold", fill="#fff" if done else ACCENT, anchor="middle"))
    source = [bill["source"]["title"]] if bill.get("source") else []
    return _document("".join(out) + _footer(source, when or clock.today()), title)
