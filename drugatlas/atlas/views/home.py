"""The home map `/`: a choropleth of the states as inline SVG, its legend, the same data as a
table, and national headline figures. Each view has its own URL:

    /?layer=possession&as_of=2022-01-01&sort=-value
    /?layer=overdose&year=2017

Bad parameters answer 400 with a message. The map, legend and table are rendered once per
(layer, year or date, sort, language) and cached under a key that changes when data load; the
page around them (with its forms) is rendered per request.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from drugatlas import clock, formatting, params, twins
from drugatlas import laws_vocabulary as vocab
from drugatlas import measures as measure_list
from drugatlas.atlas.http_cache import public_page
from drugatlas.atlas import cache, queries
from drugatlas.atlas.models import Jurisdiction, LawStatus
from drugatlas.formatting import date_text
from drugatlas.maps import layers, svg
from drugatlas.params import BadRequest
from drugatlas.share import files as map_files
from drugatlas.share import panel as share_panel

SORTS = ("name", "-name", "value", "-value")
EARLIEST_AS_OF = dt.date(1970, 1, 1)

# The page's query parameters (drugatlas/params.py); `format` is checked by the download.
PARAMS = (
    params.choice("layer", "Map layer", layers.LAYERS, default=layers.DEFAULT_LAYER, blank=True,
                  message=gettext_lazy("There is no map layer “%(value)s”. Layers: %(choices)s.")),
    params.year("year", "Year of a data layer", blank=True,
                message=gettext_lazy("The year must be four digits, like 2022; got “%(value)s”.")),
    params.date("as_of", "Date of a law layer", blank=True,
                message=gettext_lazy("The date must be written YYYY-MM-DD, like 2022-01-01; got "
                                     "“%(value)s”.")),
    params.choice("sort", "Table order", SORTS, default="name", blank=True,
                  message=gettext_lazy("The table can be sorted by %(choices)s; got “%(value)s”.")),
    params.text("format", "The view as a file: csv, json, svg or png", blank=True),
)


@dataclass(frozen=True)
class Query:
    layer: str
    year: int | None
    as_of: dt.date | None
    sort: str

    def url(self, **changes) -> str:
        """This view's URL with some parameters changed (None drops one)."""
        values = {"layer": self.layer, "year": self.year, "as_of": self.as_of, "sort": self.sort}
        values.update(changes)
        parts = [f"layer={values['layer']}"]
        if values["year"] and not layers.LAYERS[values["layer"]].is_law:
            parts.append(f"year={values['year']}")
        if values["as_of"] and layers.LAYERS[values["layer"]].is_law:
            parts.append(f"as_of={values['as_of'].isoformat()}")
        if values["sort"] and values["sort"] != "name":
            parts.append(f"sort={values['sort']}")
        return reverse("atlas:home") + "?" + "&".join(parts)


def parse_query(query, today: dt.date | None = None) -> Query:
    today = today or clock.today()
    q = params.parse(query, PARAMS, ignore_unknown=True)
    slug, year, as_of, sort = q["layer"], q["year"], q["as_of"], q["sort"]
    layer = layers.LAYERS[slug]

    if layer.is_law:
        # A year on a law layer means the law as it stood at the end of that year.
        if as_of is None and year is not None:
            as_of = min(dt.date(year, 12, 31), today)
        as_of = as_of or today
        latest = today.replace(year=today.year + 2) if not (today.month == 2 and today.day == 29) \
            else today + dt.timedelta(days=730)
        if not EARLIEST_AS_OF <= as_of <= latest:
            raise BadRequest(_("Laws can be shown as of %(first)s to %(last)s; got %(date)s.")
                             % {"first": date_text(EARLIEST_AS_OF), "last": date_text(latest),
                                 "date": date_text(as_of)})
        return Query(slug, None, as_of, sort)

    available = layers.years(layer)
    if year is None:
        year = available[-1] if available else None
    elif year not in available:
        span = (f"{available[0]}–{available[-1]}" if available else _("none yet"))
        raise BadRequest(_("No data for %(year)s on the “%(layer)s” layer. Years with data: "
                           "%(years)s.") % {"year": year, "layer": layer.title, "years": span})
    return Query(slug, year, None, sort)


# --- The cached map view: controls, map, legend, table --------------------------------------

def sort_rows(rows: list[layers.Row], sort: str) -> list[layers.Row]:
    by_name = sorted(rows, key=lambda r: r.name)
    if sort.lstrip("-") == "name":
        return by_name[::-1] if sort.startswith("-") else by_name
    descending = sort.startswith("-")

    def measure(r: layers.Row):
        return r.value if r.value is not None else r.rank

    with_data = [r for r in by_name if measure(r) is not None]
    without = [r for r in by_name if measure(r) is None]
    with_data.sort(key=measure, reverse=descending)  # stable: ties stay alphabetical
    return with_data + without  # no data and unknown always last, whichever the direction


def _areas(data: layers.MapData, query: Query) -> list[svg.Area]:
    areas = []
    for row in data.rows:
        bin_ = data.legend.bin(row.key)
        detail = f"{row.text}" + (f" ({', '.join(row.notes)})" if row.notes else "")
        when = row.period if row.period and data.layer.is_law else data.when
        label = f"{row.name}: {detail}" + (f", {when}" if when else "")
        if row.statute:  # law layers: the statute that sets the class, with grade and penalty
            label += f". {row.statute_text}"
        areas.append(svg.Area(
            fips=row.fips, fill=bin_.fill, label=label, hatched=row.hatched,
            href=reverse("atlas:state", args=[row.abbr.lower()]),
            data={"abbr": row.abbr, "name": row.name, "value": row.text,
                  "note": ", ".join(row.notes), "when": when,
                  **({"statute": row.statute_text} if row.statute else {})}))
    return areas


def _law_changes(layer: layers.Layer) -> list[tuple[dt.date, str, str]]:
    """Recent dates on which some state's status on this topic changed, newest first.

    A change is a known class following another known class: the date from which a source
    first attests a class (after an unknown period) is not a change."""
    changes: dict[tuple[dt.date, str], list[str]] = {}
    previous: dict[str, str] = {}
    for valid_from, precision, abbr, status in (LawStatus.objects.filter(
            topic=layer.topic, jurisdiction__kind=Jurisdiction.STATE)
            .order_by("jurisdiction_id", F("valid_from").asc(nulls_first=True))
            .values_list("valid_from", "valid_from_precision", "jurisdiction__abbr", "status")):
        before = previous.get(abbr)
        previous[abbr] = status
        if valid_from and before != vocab.UNKNOWN and status != vocab.UNKNOWN:
            # Written as precisely as it is known: "2021", "2021-07" or a full date.
            changes.setdefault((valid_from, date_text(valid_from, precision or "day")),
                               []).append(abbr)
    recent = sorted(changes.items(), reverse=True)[:8]
    return [(d, text, ", ".join(sorted(abbrs))) for (d, text), abbrs in recent]


def map_view_context(query: Query) -> dict:
    data = layers.build(query.layer, year=query.year, as_of=query.as_of)
    layer = data.layer
    abbrs = {r.fips: r.abbr for r in data.rows}
    title = data.legend.title
    with_data = sum(r.has_data for r in data.rows)
    description = _("%(n)s of %(total)s states have data. The table below the map lists every "
                    "state.") % {"n": with_data, "total": len(data.rows)}
    sort_links = {}
    for column in ("name", "value"):
        current = query.sort.lstrip("-") == column
        descending = query.sort.startswith("-")
        next_sort = (column if descending else f"-{column}") if current else column
        sort_links[column] = {"url": query.url(sort=next_sort),
                              "aria": ("descending" if descending else "ascending")
                              if current else ""}
    areas = _areas(data, query)
    by_fips = {a.fips: a for a in areas}
    return {
        "query": query, "layer": layer, "data": data, "title": title,
        "rows": sort_rows(data.rows, query.sort),
        # The map's callout boxes again, as links big enough to read and tap on a phone.
        "small_states": [by_fips[f] for f in svg.CALLOUT_STATES if f in by_fips],
        "map_svg": svg.render_choropleth(areas, title=title,
                                         description=description, abbrs=abbrs,
                                         no_data_label=_("No data")),
        "legend_entries": data.legend.entries(),
        "low_coverage": data.legend.low_coverage,
        "hatch_label": data.hatch_label,
        "with_data": with_data,
        "layer_links": [{"slug": slug, "title": other.title,
                         # The year is kept where the other layer has it: no link to a 400.
                         "url": Query(slug, query.year if not other.is_law
                                      and query.year in layers.years(other) else None,
                                      query.as_of if other.is_law else None,
                                      query.sort).url(),
                         "current": slug == query.layer, "group": other.group}
                        for slug, other in layers.LAYERS.items()],
        "years": data.years,
        # A consequence's dates are when a source saw it, not changes: none are listed.
        "law_changes": [(text, abbrs, query.url(as_of=d)) for d, text, abbrs in _law_changes(layer)]
        if layer.is_law and layer.topic not in vocab.CONSEQUENCE_TOPICS else [],
        "sort_links": sort_links,
        "today": clock.today(),
        "share": share_panel.for_map(query),
    }


def _map_view_html(query: Query) -> str:
    return cache.remember(lambda: render_to_string("atlas/_map_view.html",
                                                   map_view_context(query)),
                          "home", query.layer, query.year, query.as_of, query.sort)


# --- National headline figures ------------------------------------------------------------

@dataclass(frozen=True)
class Headline:
    figure: str
    text: str
    source_url: str
    source_label: str
    beside: str = ""  # a newer provisional figure, labelled, shown after the final one
    beside_source_url: str = ""


def _latest(measure: str, fips: str = "00", december_only: bool = False,
            final_only: bool = False):
    return queries.latest_value(fips, measure, december_only=december_only,
                                final_only=final_only)


def month_text(period: str) -> str:
    """"2025-02" -> "February 2025" in the reader's language."""
    return formatting.month_text(dt.date(int(period[:4]), int(period[5:7]), 1))


def headlines() -> list[Headline]:
    """The newest final figure of each kind with its year, and beside the death count the
    newest provisional count, each labelled: no card mixes years without saying so."""
    found = []
    provisional = _latest("overdose_deaths_12mo_provisional")
    final = _latest("overdose_deaths", final_only=True)
    beside = ("", "")
    if provisional:
        beside = (_("Newest provisional count: %(n)s in the 12 months ending %(month)s") % {
            "n": formatting.figure(provisional.value, provisional.measure_id),
            "month": month_text(provisional.period)}, provisional.source.url)
    if final:
        found.append(Headline(formatting.figure(final.value, final.measure_id),
                              _("drug overdose deaths in %(year)s (final data)")
                              % {"year": final.period},
                              final.source.url, final.source.publisher, *beside))
    elif provisional:
        found.append(Headline(
            formatting.figure(provisional.value, provisional.measure_id),
            _("drug overdose deaths in the 12 months ending %(month)s (provisional count)")
            % {"month": month_text(provisional.period)},
            provisional.source.url, provisional.source.publisher))
    rate = _latest("overdose_death_rate_age_adjusted", final_only=True)
    if rate:
        found.append(Headline(formatting.figure(rate.value, rate.measure_id),
                              _("overdose deaths per 100,000 residents in %(year)s "
                                "(age-adjusted, final data)") % {"year": rate.period},
                              rate.source.url, rate.source.publisher))
    arrests = _latest("drug_arrests")
    if arrests:
        share = queries.value_at("00", "arrest_coverage_share", arrests.period)
        text = _("drug arrests reported by law enforcement in %(year)s") % {"year": arrests.period}
        if share and share.value is not None:
            text += " " + _("(agencies covering %(share)s%% of residents)") % {
                "share": formatting.figure(share.value, share.measure_id)}
        found.append(Headline(formatting.figure(arrests.value, arrests.measure_id), text,
                              arrests.source.url, arrests.source.publisher))
    today = clock.today()
    felony = layers.build("possession", as_of=today)
    count = felony.legend.counts.get("felony", 0)
    both = felony.legend.counts.get("both", 0)
    if any(r.has_data for r in felony.rows):
        text = _("states (counting DC) where possessing a small amount of a drug is a felony, as "
                 "of %(date)s") % {"date": formatting.date_text(today)}
        if both:  # "13 states" alone would be quoted as the whole count of felony states
            text += "; " + _("in %(n)s more it can be, depending on the drug and the amount") % {
                "n": both}
        found.append(Headline(
            _("%(n)s of %(total)s") % {"n": count, "total": len(felony.rows)}, text,
            Query("possession", None, None, "name").url(), _("state law research, cited state by state below")))
    return found


def _headlines_html() -> str:
    return cache.remember(lambda: render_to_string("atlas/_headlines.html",
                                                   {"headlines": headlines()}),
                          "home-headlines", clock.today().isoformat())


PANEL_MEASURES = ("overdose_death_rate_age_adjusted", "overdose_death_rate_crude", "drug_arrests",
                  "drug_arrest_rate", "arrest_coverage_share")


def _labels() -> dict:
    """Words the page script needs for the state panel, in the page's language."""
    return {
        # Literal calls, so makemessages finds every word.
        "words": {"Source": _("Source"), "source": _("source"), "Close": _("Close"),
                  "Loading…": _("Loading…"), "since": _("since"), "citation": _("citation"),
                  "Laws in force today": _("Laws in force today"),
                  # A date a source shows the class on, not when it began (docs/codebook.md).
                  "attested": _(vocab.ATTESTED_LABEL),
                  "Latest figures": _("Latest figures"), "Map updated": _("Map updated"),
                  "statute text": _("statute text"), "Statute": _("Statute"),
                  "secondary sources": _("secondary sources"),
                  "The summary could not be loaded.": _("The summary could not be loaded."),
                  "Full state profile: law history, trends, bills":
                      _("Full state profile: law history, trends, bills")},
        "measures": {slug: _(measure_list.get(slug).label) for slug in PANEL_MEASURES},
        # The script writes figures as the server does: same precision, same punctuation.
        "decimals": {slug: measure_list.get(slug).precision for slug in PANEL_MEASURES},
        "conventions": formatting.conventions(),
        "topics": {slug: _(t.label) for slug, t in vocab.LAW_TOPICS.items()},
        "statuses": {slug: {s.value: _(s.label) for s in t.statuses}
                     for slug, t in vocab.LAW_TOPICS.items()},
        "consequences": list(vocab.CONSEQUENCE_TOPICS),
    }


@require_GET
@public_page(*params.names(PARAMS))
def home(request):
    """The map view, and as files (drugatlas/twins.py): its table as CSV and JSON, its picture
    as SVG and PNG (drugatlas/share/files.py)."""
    try:
        query = parse_query(request.GET)
    except BadRequest as e:
        message = str(e)
        return twins.error(request, message, lambda: render(
            request, "atlas/home_bad_request.html", {"message": message}, status=400))
    return twins.serve(request, lambda: _html(request, query),
                       lambda: map_files.map_twin(query, settings.SITE_URL + query.url(sort="name")),
                       extra=map_files.map_pictures(query))


def _html(request, query: Query):
    return render(request, "atlas/home.html", {
        "query": query,
        "layer": layers.LAYERS[query.layer],
        "map_view": mark_safe(_map_view_html(query)),
        "headlines": mark_safe(_headlines_html()),
        "labels": _labels(),
        **share_links(query),
    })


def share_links(query: Query) -> dict:
    """The view's own link and its picture (og:image), both under this page's language prefix."""
    view = query.url(sort="name")
    return {"share_url": view, "share_image": view + "&format=png"}
