"""County pages: `/states/<abbr>/counties/?layer=overdose|arrests&year=YYYY`.

Two layers, each honest about what it is:
- overdose: NCHS model-based age-adjusted county death rates, published only as ranges
  (1999-2016); we show the range, never a made-up point value.
- arrests: county drug arrests (FBI UCR county files via ICPSR, which impute for agencies that
  did not report) per 100,000 residents of the same county and year: a crude rate, made by
  the pipeline (`drug_arrest_rate_county_crude`, pipeline/derive.py) and read as stored, the
  same figure the API serves. The count and the population are shown beside it.

The layers are declared in drugatlas.maps.layers (one registry for states and counties); the
values come from drugatlas.atlas.queries.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from drugatlas import formatting
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from drugatlas import measures as measure_list
from drugatlas import params, twins
from drugatlas.atlas.http_cache import public_page
from drugatlas.atlas import cache, queries
from drugatlas.atlas.models import Jurisdiction
from drugatlas.atlas.profile import flag_words, n
from drugatlas.maps import classify, layers, svg
from drugatlas.params import BadRequest
from drugatlas.atlas.views.states import find_state, not_found
from drugatlas.corrections.links import report_url

BIN_MEASURE = layers.COUNTY_BIN_MEASURE

# The county layers come from the one layer registry (drugatlas.maps.layers).
COUNTY_LAYERS = layers.COUNTY_LAYERS
LAYERS = tuple(COUNTY_LAYERS)
SORTS = ("name", "value")

# The page's query parameters (drugatlas/params.py); the years a layer has are checked below.
PARAMS = (
    params.choice("layer", "County layer", LAYERS, default="overdose", blank=True,
                  message=gettext_lazy("Unknown layer “%(value)s”. Choose layer=overdose or "
                                       "layer=arrests.")),
    params.text("year", "Year", blank=True),
    params.choice("sort", "Table order", SORTS, default="name", blank=True,
                  message=gettext_lazy("Unknown sort “%(value)s”. Choose sort=name or "
                                       "sort=value.")),
    params.text("format", "json or csv: the page's data (drugatlas/twins.py)", blank=True),
)


def bin_label(lower: float | None) -> str:
    """The published range a bin's lower bound stands for (bins are 2 wide: <2, 2-3.9, … 30+)."""
    if lower is None:
        return _("no data")
    if lower < 2:
        return _("under 2")
    if lower >= 30:
        return _("30 or more")
    return f"{formatting.number_up_to(lower, 1)}–{formatting.number_up_to(lower + 1.9, 1)}"


@dataclass
class Row:
    fips: str
    name: str
    value: float | None  # the rate (or a bin's lower bound); None = no data
    label: str  # what the reader sees: a range or a rate
    flags: list[str]
    source: str = ""
    arrests: float | None = None
    population: float | None = None
    notes: list[str] = field(default_factory=list)  # the flags in words


def years_for(state: Jurisdiction, layer: str) -> list[int]:
    """Years with data for a layer, computed once per data release (every request asks)."""
    def compute():
        if layer == "overdose":
            return queries.county_years(state, BIN_MEASURE)
        return queries.county_arrest_years(state)  # years with a stored crude rate
    return cache.remember(compute, "county-years", state.abbr, layer, per_language=False)


def build_rows(state: Jurisdiction, layer: str, year: int) -> list[Row]:
    if layer == "overdose":
        rows = []
        for c in queries.county_table(state, (BIN_MEASURE,), str(year)):
            obs = c.values.get(BIN_MEASURE)
            value = obs.value if obs else None
            rows.append(Row(c.fips, c.name, value, bin_label(value),
                            obs.flag_list() if obs else [], obs.source_id if obs else ""))
        return rows
    rows = []
    for c in queries.county_table(state, COUNTY_LAYERS["arrests"].measures, str(year)):
        r = c.values.get(queries.COUNTY_ARREST_RATE)
        a, p = c.values.get(queries.COUNTY_ARRESTS), c.values.get(queries.COUNTY_POPULATION)
        rate = r.value if r else None
        # The rate carries the count's flags; where there is no rate, the count says why.
        flags = r.flag_list() if r else a.flag_list() if a else ["not_published"]
        source = r.source_id if r else a.source_id if a else ""
        rows.append(Row(c.fips, c.name, rate, n(rate, 1) if rate is not None else _("no data"),
                        flags, source, a.value if a else None, p.value if p else None))
    return rows


def parse_query(request, state: Jurisdiction) -> tuple[str, int, str, list[int]]:
    """layer, year, sort and the layer's years; BadRequest with a message a person can act on."""
    q = params.parse(request.GET, PARAMS, ignore_unknown=True)
    layer, raw_year, sort = q["layer"], q["year"], q["sort"]
    years = years_for(state, layer)
    if raw_year is None:
        year = years[-1] if years else 0
    elif not raw_year.isdigit() or int(raw_year) not in years:
        span = ", ".join(map(str, years)) if years else _("none")
        raise BadRequest(_("No %(layer)s data for year “%(year)s” in %(state)s. Years with data: "
                           "%(years)s.") % {"layer": layer, "year": raw_year[:10],
                                            "state": state.name, "years": span})
    else:
        year = int(raw_year)
    return layer, year, sort, years


@require_GET
@public_page(*params.names(PARAMS))
def counties_page(request, abbr: str):
    state = find_state(abbr)
    if state is None:
        return not_found(request, abbr)
    try:
        layer, year, sort, years = parse_query(request, state)
    except BadRequest as e:
        message = str(e)
        return twins.error(request, message, lambda: render(
            request, "atlas/bad_request.html",
            {"message": message, "state": state,
             "retry": reverse("atlas:counties", args=[state.abbr.lower()])}, status=400))
    return twins.serve(request, lambda: _html(request, state, layer, year, sort, years),
                       lambda: counties_twin(state, layer, year, sort, years))


def _html(request, state: Jurisdiction, layer: str, year: int, sort: str, years: list[int]):
    body = cache.remember(lambda: render_to_string(
        "atlas/_counties_body.html", counties_context(state, layer, year, sort, years)),
        "page", "counties", state.abbr, layer, year, sort)
    return render(request, "atlas/counties.html", {"state": state, "body": mark_safe(body),
                                                   "layer": layer, "year": year})


COUNTY_COLUMNS = ("fips", "name", "value", "label", "flags", "arrests", "population", "source")


def counties_twin(state: Jurisdiction, layer: str, year: int, sort: str,
                  years: list[int]) -> twins.Twin:
    """The page's table: every county with its value, as JSON (with the sources) and CSV."""
    data = cache.remember(lambda: _json(counties_context(state, layer, year, sort, years)),
                          "counties-twin", state.abbr, layer, year, sort, get_language())
    return twins.Twin(data, COUNTY_COLUMNS,
                      [[c[k] for k in COUNTY_COLUMNS] for c in data["counties"]],
                      filename=f"{state.abbr.lower()}-counties-{layer}-{year}")


def counties_context(state: Jurisdiction, layer: str, year: int, sort: str,
                     years: list[int]) -> dict:
    rows = build_rows(state, layer, year) if years else []
    if sort == "value":
        rows.sort(key=lambda r: (r.value is None, -(r.value or 0), r.name))
    for r in rows:
        # Every overdose value is a range and every county arrest count includes estimates:
        # the page says so once above the table rather than on every row.
        r.notes = flag_words([f for f in r.flags if f not in ("binned", "imputed")])
    sources = queries.sources_by_id(r.source for r in rows if r.source)
    base = reverse("atlas:counties", args=[state.abbr.lower()])
    legend, breaks = county_legend(state, layer, rows)
    measure = BIN_MEASURE if layer == "overdose" else "drug_arrests"
    with_data = [r for r in rows if r.value is not None]
    return {
        "state": state, "layer": layer, "year": year, "years": years, "sort": sort,
        "rows": rows, "sources": sources, "base": base, "with_data": len(with_data),
        "measure": measure_list.get(measure),
        "layers": [{"slug": slug, "label": _layer_label(slug), "current": slug == layer}
                   for slug in LAYERS],
        "method": COUNTY_LAYERS[layer],
        "map_svg": county_map(state, layer, year, rows, legend, breaks) if rows else "",
        "legend": legend,
        "report": report_url(f"{base}?layer={layer}&year={year}",
                             f"{_layer_label(layer)}, {state.name} counties, {year}"),
    }


def _layer_label(layer: str) -> str:
    return str(COUNTY_LAYERS[layer].title)


# Class breaks for the overdose ranges sit on published range boundaries (ranges are 2 wide
# from 2 to 30), so every county falls wholly in one class; fixed, so a colour means the same
# rate in every state and year.
OVERDOSE_BREAKS = (4.0, 8.0, 14.0, 20.0, 30.0)


def county_legend(state: Jurisdiction, layer: str,
                  rows: list[Row]) -> tuple[classify.Legend, list[float]]:
    if layer == "overdose":
        breaks = list(OVERDOSE_BREAKS)
        title = _("Deaths per 100,000 (age-adjusted, model-based)")
    else:
        # Breaks from every year of the state's county rates: a colour means the same rate
        # whichever year is shown.
        breaks = cache.remember(lambda: classify.nice_breaks(
            queries.county_arrest_rates(state)), "county-breaks", state.abbr, per_language=False)
        title = _("Drug arrests per 100,000 residents (crude)")
    bins = classify.sequential_bins(breaks, "orange_red" if layer == "overdose" else "yellow_green_blue")
    return classify.legend(title, bins, [classify.bin_key(r.value, breaks) for r in rows]), breaks


def county_map(state: Jurisdiction, layer: str, year: int, rows: list[Row],
               legend: classify.Legend, breaks: list[float]) -> str:
    """The state's counties as an inline SVG choropleth (drawn by drugatlas.maps.svg)."""
    unit = _("per 100,000")
    areas = []
    for r in rows:
        if r.value is None:
            continue  # drawn with the no-data pattern by the map writer
        key = classify.bin_key(r.value, breaks)
        label = f"{r.name}: {r.label} {unit} ({year})"
        if layer == "arrests":
            label = f"{r.name}: {r.label} {unit}, crude ({year})"
        areas.append(svg.Area(fips=r.fips, fill=legend.bin(key).fill, label=label,
                              href=reverse("atlas:county", args=[state.abbr.lower(), r.fips]),
                              data={"value": r.label}))
    title = f"{_layer_label(layer)}, {state.name}, {year}"
    description = _("%(n)s of %(total)s counties have data; the table below lists every county.") % {
        "n": len(areas), "total": len(rows)}
    try:
        return svg.render_choropleth(areas, title=title, description=description,
                                     state=state.fips, element_id="county-map",
                                     no_data_label=_("No data"))
    except ValueError:  # no geometry for this state: the table still says everything
        return ""


def _json(context: dict) -> dict:
    return {
        "state": {"fips": context["state"].fips, "abbr": context["state"].abbr,
                  "name": context["state"].name},
        "layer": context["layer"], "year": context["year"], "years": context["years"],
        "measure": context["measure"].slug,
        "rate": "binned age-adjusted range" if context["layer"] == "overdose" else "crude",
        "counties": [{"fips": r.fips, "name": r.name, "value": r.value, "label": r.label,
                      "flags": r.flags, "arrests": r.arrests, "population": r.population,
                      "source": r.source or None} for r in context["rows"]],
        "sources": [{"id": s.id, "publisher": s.publisher, "title": s.title, "url": s.url,
                     "licence": s.licence} for s in context["sources"]],
    }
