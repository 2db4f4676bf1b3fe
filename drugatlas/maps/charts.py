"""Server-rendered, accessible SVG charts: yearly line and bar charts with law changes marked.

Each chart is plain SVG markup with a <title> and <desc> (named by aria-labelledby), labelled
axes, and a `Table` twin holding the same numbers for screen readers, print and copying.
Series differ by colour (Okabe-Ito, colour-blind-safe) *and* dash pattern, and are labelled
at their line ends, so no meaning rests on colour alone. Flagged values (provisional, low
coverage) are drawn hollow. Missing values break the line: no data is never drawn as zero.

Each chart is drawn twice: wide (720 units, labels at the line ends) and narrow (`narrow_svg`,
360 units, for phones: fewer year labels with the last year always labelled, series named in a
key under the plot), so text stays at its size instead of shrinking with the drawing. Pages
put the narrow one first and CSS shows one of the two by the width the chart has (a container
query in pages.css): no script needed.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from html import escape

from django.utils.translation import gettext

from drugatlas import formatting

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4", "3 6")
INK, MUTED, GRID, MARK = "#1a1a1a", "#555", "#ddd", "#6b2c91"


@dataclass(frozen=True)
class Series:
    """One line: a value per year (None = no data), with some years flagged."""

    label: str
    values: dict[int, float | None]
    flagged: frozenset[int] = frozenset()  # drawn hollow and footnoted in the table
    flag_note: str = ""  # what a hollow point means, e.g. "provisional"
    notes: dict[int, str] = field(default_factory=dict)  # said in the table, e.g. "suppressed"
    measure: str = ""  # the measure slug, named on the table's column for readers and tests
    basis: dict[int, str] = field(default_factory=dict)  # year -> how the value was counted

    def same_basis(self, year: int) -> list[tuple[int, float]]:
        """The values counted on the same basis as `year`'s, for comparisons ("highest")."""
        mine = self.basis.get(year, "")
        return [(y, v) for y, v in sorted(self.values.items())
                if v is not None and self.basis.get(y, "") == mine]


@dataclass(frozen=True)
class LawMark:
    """A law change drawn as a vertical line at its effective date.

    `when` says the date as precisely as it is known ("2014" where only the year is); the
    line is drawn at `date`, its first possible day.
    """

    date: dt.date
    label: str
    when: str = ""

    @property
    def shown_date(self) -> str:
        return self.when or formatting.date_text(self.date)


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    measures: tuple[str, ...] = ()  # per header: the measure slug of its column ("" if none)

    @property
    def columns(self) -> list[tuple[str, str]]:
        return list(zip(self.headers, self.measures or ("",) * len(self.headers)))


@dataclass(frozen=True)
class Chart:
    svg: str
    table: Table
    marks: tuple[LawMark, ...] = ()  # the marks that fell inside the chart's years
    notes: tuple[str, ...] = field(default_factory=tuple)
    narrow_svg: str = ""  # the same chart drawn for a phone's width (see the module's doc)

    @property
    def empty(self) -> bool:
        return not self.table.rows


def fmt(value: float | None, decimals: int = 0) -> str:
    """A number as formatting.number writes it (rounded half away from zero, grouped);
    None is "no data", never 0."""
    if value is None:
        return gettext("no data")
    return formatting.number(value, decimals)


def year_position(date: dt.date) -> float:
    """A date as a fractional year, so 2021-02-01 falls just after the start of 2021."""
    start = dt.date(date.year, 1, 1)
    days = (dt.date(date.year + 1, 1, 1) - start).days
    return date.year + (date - start).days / days


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top` (steps of 1, 2, 2.5 or 5 times a power of 10)."""
    raw = top / (count - 1)
    if raw <= 1e-9:  # zero, or too small to tick: a unit scale reads fine
        return [0.0, 1.0]
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _text_width(text: str, size: int = 12) -> float:
    """About how wide a label of digits and separators is at `size` px (system sans-serif)."""
    return sum((0.3 if c in ",. " else 0.58) * size for c in text)


class _Frame:
    """Plot area geometry: maps years and values to SVG coordinates."""

    def __init__(self, years: list[int], y_top: float, width: int, height: int,
                 left: int = 64, right: int = 175, top: int = 16, bottom: int = 44,
                 narrow: bool = False):
        self.narrow = narrow
        self.small_text = 11 if narrow else 9  # "n/a" stubs; law-mark numbers one more
        self.width, self.height = width, height
        self.left, self.right, self.top, self.bottom = left, width - right, top, height - bottom
        # Each year spans [year, year + 1); a yearly value sits in the middle of its year.
        self.x0, self.x1 = min(years), max(years) + 1
        self.y_top = y_top

    def fit_ticks(self, ticks: list[float], decimals: int) -> None:
        """Take the value scale, and widen the left margin so the longest tick label
        ("1,500,000") fits beside the rotated axis title instead of running off the edge."""
        self.y_top = ticks[-1]
        widest = max(_text_width(fmt(t, decimals if t % 1 else 0)) for t in ticks)
        self.left = max(self.left, math.ceil(widest) + 6 + 24)  # gap to the axis, title's room

    def x(self, position: float) -> float:
        return self.left + (position - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def year_x(self, year: int) -> float:
        return self.x(year + 0.5)

    def y(self, value: float) -> float:
        return self.bottom - value / self.y_top * (self.bottom - self.top)

    def covers(self, date: dt.date) -> bool:
        return self.x0 <= year_position(date) <= self.x1


def _with_recent_marks(years: list[int], marks) -> list[int]:
    """The chart's years, stretched to show law changes up to two years after the last value,
    so a recent change is seen against the data that precede it."""
    last = max(years)
    later = [m.date.year for m in marks if last < m.date.year <= last + 2]
    return sorted(set(years) | set(range(last + 1, max(later) + 1))) if later else years


def _year_labels(years: list[int], most: int = 10) -> list[int]:
    span = max(years) - min(years) + 1
    step = next(s for s in (1, 2, 5, 10, 20, 50) if span / s <= most)
    return [y for y in range(min(years), max(years) + 1) if y % step == 0 or span <= most]


def _narrow_year_labels(frame: "_Frame", years: list[int], data_years: list[int]) -> list[int]:
    """At most five year labels, the last data year always among them; a stepped label too
    close to it (under 40 units) gives way."""
    last = max(data_years)
    labels = [y for y in _year_labels(years, 5) if abs(frame.year_x(y) - frame.year_x(last)) >= 40]
    return sorted(labels + [last])


# Narrow drawing: 360 units wide (about a phone's width, so 12-unit text reads at 12 px), the
# series named in a key of KEY_ROW units per series under the plot.
NARROW_WIDTH, KEY_ROW = 360, 18


def _open_svg(prefix: str, title: str, desc: str, width: int, height: int,
              kind: str = "chart") -> list[str]:
    return [
        f'<svg class="{kind}" id="{prefix}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
    ]


def _axes(frame: _Frame, years: list[int], ticks: list[float], y_label: str,
          decimals: int, data_years: list[int] | None = None) -> list[str]:
    out = ['<g class="axis" aria-hidden="true">']
    for t in ticks:
        y = frame.y(t)
        out.append(f'<line x1="{frame.left}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{GRID}"/>')
        out.append(f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                   f'fill="{MUTED}">{escape(fmt(t, decimals if t % 1 else 0))}</text>')
    out.append(f'<line x1="{frame.left}" x2="{frame.right}" y1="{frame.bottom}" '
               f'y2="{frame.bottom}" stroke="{INK}"/>')
    labels = (_narrow_year_labels(frame, years, data_years or years) if frame.narrow
              else _year_labels(years))
    for year in labels:
        x = frame.year_x(year)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.bottom}" '
                   f'y2="{frame.bottom + 4}" stroke="{INK}"/>')
        out.append(f'<text x="{x:.1f}" y="{frame.bottom + 16}" text-anchor="middle" '
                   f'fill="{MUTED}">{year}</text>')
    if not frame.narrow:  # the narrow drawing's year labels speak for themselves
        year_word = escape(gettext("Year"))
        out.append(f'<text x="{frame.left}" y="{frame.height - 6}" fill="{MUTED}">'
                   f'{year_word}</text>')
    out.append(f'<text transform="translate(14 {(frame.top + frame.bottom) / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle" fill="{MUTED}">{escape(y_label)}</text>')
    out.append('</g>')
    return out


def _law_marks(frame: _Frame, marks: list[LawMark]) -> tuple[list[str], tuple[LawMark, ...]]:
    """Law changes inside the chart's years as dashed vertical lines, each labelled with a
    number that the caption's list explains (rotated text would collide when changes are close).
    Changes on the same date share a line; labels of nearby lines are staggered."""
    inside = tuple(sorted((m for m in marks if frame.covers(m.date)),
                          key=lambda m: (m.date, m.label)))
    by_date: dict[dt.date, list[int]] = {}
    for number, mark in enumerate(inside, start=1):
        by_date.setdefault(mark.date, []).append(number)
    out, last_x, row = [], None, 0
    for date, numbers in by_date.items():
        x = frame.x(year_position(date))
        row = (row + 1) % 3 if last_x is not None and x - last_x < 22 else 0
        last_x = x
        label = ",".join(map(str, numbers))
        text = "; ".join(f"{n}. {inside[n - 1].shown_date}: {inside[n - 1].label}"
                         for n in numbers)
        y = frame.top + 8 + row * 16
        width = 8 + (8 if frame.narrow else 7) * len(label)
        out.append(f'<g class="law-mark"><title>{escape(text)}</title>'
                   f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top}" y2="{frame.bottom}" '
                   f'stroke="{MARK}" stroke-width="1.5" stroke-dasharray="4 3"/>'
                   f'<rect x="{x - width / 2:.1f}" y="{y - 7}" width="{width}" height="14" rx="7" '
                   f'fill="{MARK}"/>'
                   f'<text x="{x:.1f}" y="{y + 4}" text-anchor="middle" fill="#fff" '
                   f'font-size="{frame.small_text + 1}" font-weight="700">{escape(label)}</text></g>')
    return out, inside


def _short(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _spread(positions: list[float], gap: float = 14) -> list[float]:
    """Nudge end labels apart vertically so they do not overlap."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = list(positions)
    for prev, cur in zip(order, order[1:]):
        placed[cur] = max(placed[cur], placed[prev] + gap)
    return placed


def _table(caption: str, first: str, series: list[Series], years: list[int],
           decimals: int) -> Table:
    rows = []
    for year in years:
        cells = []
        for s in series:
            value = s.values.get(year)
            cell = fmt(value, decimals) if year in s.values else "—"
            if year in s.flagged and s.flag_note and value is not None:
                cell += f" ({s.flag_note})"
            if s.notes.get(year):
                cell += f" ({s.notes[year]})"
            cells.append(cell)
        if any(c != "—" for c in cells):
            rows.append((str(year), *cells))
    return Table(caption, (first, *(s.label for s in series)), tuple(rows),
                 ("", *(s.measure for s in series)))


def line_chart(prefix: str, title: str, y_label: str, series: list[Series],
               marks: list[LawMark] = (), decimals: int = 0, width: int = 720,
               height: int = 300) -> Chart:
    """A line per series over years, with law changes as labelled vertical lines.

    A series with no values at all is left off the drawing but kept in the table, which says
    why each value is missing.
    """
    tabled = [s for s in series if s.values]
    series = [s for s in tabled if any(v is not None for v in s.values.values())]
    years = sorted({y for s in series for y in s.values})
    if not years:
        return Chart("", Table(title, (gettext("Year"),), ()))
    table_years = sorted({y for s in tabled for y in s.values})
    svg, inside = _draw_lines(prefix, title, y_label, series, years, marks, decimals,
                              _Frame(_with_recent_marks(years, marks), 1, width, height))
    key = KEY_ROW * len(series)
    narrow, _ = _draw_lines(f"{prefix}-narrow", title, y_label, series, years, marks, decimals,
                            _Frame(_with_recent_marks(years, marks), 1, NARROW_WIDTH, 232 + key,
                                   right=14, bottom=36 + key, narrow=True))
    notes = tuple(gettext("Hollow points: %(note)s.") % {"note": s.flag_note}
                  for s in series if s.flagged and s.flag_note) + basis_notes(series)
    table = _table(title, gettext("Year"), tabled, table_years, decimals)
    return Chart(svg, table, inside, tuple(dict.fromkeys(notes)), narrow)


def _draw_lines(prefix: str, title: str, y_label: str, series: list[Series], years: list[int],
                marks, decimals: int, frame: _Frame) -> tuple[str, tuple[LawMark, ...]]:
    values = [v for s in series for v in s.values.values() if v is not None]
    ticks = nice_ticks(max(values))
    frame.fit_ticks(ticks, decimals)
    width, height = frame.width, frame.height
    kind = "chart chart-narrow" if frame.narrow else "chart"
    out = _open_svg(prefix, title, _describe(title, series, years, marks, frame, decimals),
                    width, height, kind)
    out += _axes(frame, _with_recent_marks(years, marks), ticks, y_label, decimals, years)
    mark_svg, inside = _law_marks(frame, list(marks))
    out += mark_svg

    ends = []
    for i, s in enumerate(series):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        out.append(f'<g class="series" data-series="{escape(s.label)}">')
        for segment in _segments(s, years):
            if len(segment) > 1:
                points = " ".join(f"{frame.year_x(y):.1f},{frame.y(v):.1f}" for y, v in segment)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                           f'stroke-width="2.2"{dash_attr}/>')
        for year in sorted(s.values):
            v = s.values[year]
            if v is None:
                continue
            hollow = year in s.flagged
            fill = "#fff" if hollow else colour
            note = f" ({s.flag_note})" if hollow and s.flag_note else ""
            # Hover tooltips in the wide drawing only: a phone has no hover, and its data
            # table holds the same numbers (the narrow drawing stays light).
            tip = ("" if frame.narrow else f'<title>{escape(s.label)}, {year}: '
                   f'{escape(fmt(v, decimals))}{escape(note)}</title>')
            out.append(f'<circle cx="{frame.year_x(year):.1f}" cy="{frame.y(v):.1f}" r="3.2" '
                       f'fill="{fill}" stroke="{colour}" stroke-width="1.5">{tip}</circle>')
        out.append('</g>')
        last = max(y for y, v in s.values.items() if v is not None)
        ends.append((frame.y(s.values[last]), frame.year_x(last), s.label, colour, dash))

    if frame.narrow:  # a key under the plot: a line sample and the series' name
        for i, (_, _, label, colour, dash) in enumerate(ends):
            y = frame.bottom + 34 + KEY_ROW * i
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<g class="series-key" aria-hidden="true">'
                       f'<line x1="{frame.left - 40}" x2="{frame.left - 14}" y1="{y - 4}" '
                       f'y2="{y - 4}" stroke="{colour}" stroke-width="2.2"{dash_attr}/>'
                       f'<text x="{frame.left - 8}" y="{y}" fill="{INK}">'
                       f'{escape(_short(label, 40))}</text></g>')
    else:
        placed = _spread([e[0] for e in ends])
        for (_, x, label, colour, _dash), y in zip(ends, placed):
            out.append(f'<text x="{x + 8:.1f}" y="{y + 4:.1f}" fill="{colour}" '
                       f'font-weight="600" aria-hidden="true">{escape(_short(label, 24))}</text>')
    out.append('</svg>')
    return "\n".join(out), inside


def bar_chart(prefix: str, title: str, y_label: str, values: dict[int, float | None],
              flagged: frozenset[int] = frozenset(), flag_note: str = "",
              reference: tuple[float, str] | None = None, marks: list[LawMark] = (),
              decimals: int = 0, width: int = 720, height: int = 200,
              value_label: str = "Value", measure: str = "") -> Chart:
    """A bar per year; years with no data get a "no data" stub, never a zero-height bar."""
    years = sorted(values)
    if not years:
        return Chart("", Table(title, (gettext("Year"),), ()))
    series = Series(value_label, values, flagged, flag_note, measure=measure)
    drawn = _with_recent_marks(years, marks)
    svg, inside = _draw_bars(prefix, title, y_label, series, reference, marks, decimals,
                             _Frame(drawn, 1, width, height))
    narrow, _ = _draw_bars(f"{prefix}-narrow", title, y_label, series, reference, marks,
                           decimals, _Frame(drawn, 1, NARROW_WIDTH, 200, right=14, bottom=36,
                                            narrow=True))
    notes = ((gettext("Hatched bars: %(note)s.") % {"note": flag_note},)
             if flagged and flag_note else ())
    table = _table(title, gettext("Year"), [series], years, decimals)
    return Chart(svg, table, inside, notes, narrow)


def _draw_bars(prefix: str, title: str, y_label: str, series: Series, reference, marks,
               decimals: int, frame: _Frame) -> tuple[str, tuple[LawMark, ...]]:
    values, flagged, flag_note = series.values, series.flagged, series.flag_note
    years = sorted(values)
    top = max([v for v in values.values() if v is not None] + [reference[0] if reference else 0])
    ticks = nice_ticks(top)
    frame.fit_ticks(ticks, decimals)
    kind = "chart chart-narrow" if frame.narrow else "chart"
    out = _open_svg(prefix, title, _describe(title, [series], years, marks, frame, decimals),
                    frame.width, frame.height, kind)
    out.append('<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
               'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
               '<line x1="0" y1="0" x2="0" y2="6" stroke="%s" stroke-width="3"/></pattern></defs>'
               % (prefix, PALETTE[0]))
    out += _axes(frame, _with_recent_marks(years, marks), ticks, y_label, decimals, years)
    slot = (frame.right - frame.left) / (frame.x1 - frame.x0)
    bar = max(2.0, slot * 0.7)
    for year in years:
        v = values[year]
        x = frame.year_x(year) - bar / 2
        if v is None:
            stub, missing = escape(gettext("n/a")), escape(gettext("no data"))
            out.append(f'<text x="{frame.year_x(year):.1f}" y="{frame.bottom - 4}" '
                       f'font-size="{frame.small_text}" '
                       f'text-anchor="middle" fill="{MUTED}">{stub}<title>{year}: {missing}</title>'
                       '</text>')
            continue
        hollow = year in flagged
        fill = f"url(#{prefix}-hatch)" if hollow else PALETTE[0]
        note = f" ({flag_note})" if hollow and flag_note else ""
        out.append(f'<rect x="{x:.1f}" y="{frame.y(v):.1f}" width="{bar:.1f}" '
                   f'height="{frame.bottom - frame.y(v):.1f}" fill="{fill}" stroke="{PALETTE[0]}">'
                   + ("" if frame.narrow else
                      f'<title>{year}: {escape(fmt(v, decimals))}{escape(note)}</title>')
                   + '</rect>')
    if reference:
        y = frame.y(reference[0])
        # Wide: named beyond the plot's right end; narrow: inside it, above the line.
        label_at = (f'x="{frame.right}" y="{y - 5:.1f}" text-anchor="end" stroke="#fff" '
                    'stroke-width="3" paint-order="stroke"' if frame.narrow
                    else f'x="{frame.right + 6}" y="{y + 4:.1f}"')
        out.append(f'<line x1="{frame.left}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{INK}" stroke-dasharray="5 3"/>'
                   f'<text {label_at} fill="{INK}">{escape(_short(reference[1], 24))}</text>')
    mark_svg, inside = _law_marks(frame, list(marks))
    out += mark_svg
    out.append('</svg>')
    return "\n".join(out), inside


def year_spans(years: list[int]) -> str:
    """[2008, 2009, 2010, 2012] -> "2008–2010, 2012"."""
    spans, start = [], None
    for i, y in enumerate(sorted(years)):
        if start is None:
            start = y
        if i + 1 == len(years) or sorted(years)[i + 1] != y + 1:
            spans.append(str(start) if start == y else f"{start}–{y}")
            start = None
    return ", ".join(spans)


def basis_notes(series: list[Series]) -> tuple[str, ...]:
    """Where a line changes basis, which years are counted how (the line breaks there)."""
    notes = []
    for s in series:
        years: dict[str, list[int]] = {}
        for y, v in sorted(s.values.items()):
            if v is not None and s.basis.get(y):
                years.setdefault(s.basis[y], []).append(y)
        if len(years) > 1:
            notes.append(gettext("%(series)s: the line breaks where the basis changes: "
                                 "%(bases)s.") % {"series": s.label, "bases": "; ".join(
                f"{year_spans(ys)}, {basis}" for basis, ys in years.items())})
    return tuple(notes)


def _segments(series: Series, years: list[int]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive years with values; a missing year, a gap or a change of basis
    (how the values were counted) breaks the line, so a new basis never reads as a trend."""
    runs, run, previous = [], [], None
    for year in years:
        v = series.values.get(year)
        if v is None or (previous is not None and year != previous + 1) or (
                previous is not None and series.basis.get(year, "") != series.basis.get(
                    previous, "")):
            if run:
                runs.append(run)
            run = []
        if v is not None:
            run.append((year, v))
            previous = year
        else:
            previous = None
    if run:
        runs.append(run)
    return runs


def _describe(title: str, series: list[Series], years: list[int], marks, frame: _Frame,
              decimals: int) -> str:
    """A one-paragraph text version of the chart for screen readers."""
    parts = [gettext("%(title)s, %(first)s to %(last)s.") % {
        "title": title, "first": years[0], "last": years[-1]}]
    for s in series:
        known = [(y, v) for y, v in sorted(s.values.items()) if v is not None]
        if not known:
            continue
        # Compared only with values of the latest value's basis: another basis is not a trend.
        same = s.same_basis(known[-1][0])
        first, last = same[0], same[-1]
        if len(same) == 1:
            parts.append(gettext("%(series)s: %(last)s in %(last_year)s.") % {
                "series": s.label, "last": fmt(last[1], decimals), "last_year": last[0]})
        else:
            peak = max(same, key=lambda p: p[1])
            parts.append(gettext("%(series)s: %(first)s in %(first_year)s, %(last)s in "
                                 "%(last_year)s, highest %(peak)s in %(peak_year)s.") % {
                "series": s.label, "first": fmt(first[1], decimals), "first_year": first[0],
                "last": fmt(last[1], decimals), "last_year": last[0],
                "peak": fmt(peak[1], decimals), "peak_year": peak[0]})
        if len(same) < len(known):
            parts.append(gettext("Other years of %(series)s were counted another way, so the "
                                 "line breaks and they are not compared.") % {"series": s.label})
    inside = [m for m in marks if frame.covers(m.date)]
    if inside:
        parts.append(gettext("Law changes marked:") + " " + "; ".join(
            f"{m.shown_date} {m.label}" for m in sorted(inside, key=lambda m: m.date)) + ".")
    return " ".join(parts)
