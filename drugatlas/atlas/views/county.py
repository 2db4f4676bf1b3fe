"""One county: `/states/<abbr>/counties/<fips>/`, every year of its two county layers (the
overdose death rate range and the crude drug arrest rate with its count and population), as
a chart and a table. The county maps link each county here."""
from __future__ import annotations

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from drugatlas import twins
from drugatlas.atlas import cache, queries
from drugatlas.atlas.http_cache import public_page
from drugatlas.atlas.models import Jurisdiction
from drugatlas.atlas.profile import flag_words, n
from drugatlas.atlas.views.counties import BIN_MEASURE, bin_label
from drugatlas.atlas.views.states import find_state, not_found
from drugatlas.maps import charts


def county_series(county: Jurisdiction) -> list[dict]:
    """A row per year with any value: range, arrests, population, rate, notes."""
    rows = []
    series = queries.county_series(county, (BIN_MEASURE, queries.COUNTY_ARRESTS,
                                            queries.COUNTY_POPULATION,
                                            queries.COUNTY_ARREST_RATE))
    for year, values in sorted(series.items()):
        value = {slug: v.value for slug, v in values.items()}
        if value.get(BIN_MEASURE) is None and value.get(queries.COUNTY_ARRESTS) is None:
            continue  # a population alone says nothing about drugs
        arrests, people = value.get(queries.COUNTY_ARRESTS), value.get(queries.COUNTY_POPULATION)
        rate = value.get(queries.COUNTY_ARREST_RATE)  # as the pipeline stored it
        flags = {f for v in values.values() for f in v.flag_list()
                 if f not in ("binned", "imputed")}
        sources = {v.source_id for slug, v in values.items()
                   if v.source_id and slug != "population"}
        rows.append({"year": year, "range": bin_label(value.get(BIN_MEASURE)),
                     "arrests": n(arrests) if arrests is not None else _("no data"),
                     "population": n(people) if people is not None else _("no data"),
                     "rate_value": rate, "rate": n(rate, 1) if rate is not None else _("no data"),
                     "notes": "; ".join(flag_words(sorted(flags))), "sources": sources,
                     "values": {"range_low": value.get(BIN_MEASURE), "arrests": arrests,
                                "population": people, "rate": rate}})
    return rows


def county_context(state: Jurisdiction, county: Jurisdiction) -> dict:
    rows = county_series(county)
    chart = charts.line_chart(
        "chart-county-arrests",
        _("Drug arrests per 100,000 residents of %(county)s (crude)") % {"county": county.name},
        _("Arrests per 100,000"),
        [charts.Series(_("Arrest rate"), {r["year"]: r["rate_value"] for r in rows})],
        decimals=1)
    ids = set().union(*(r["sources"] for r in rows)) if rows else set()
    return {"state": state, "county": county, "rows": rows, "chart": chart,
            "chart_svg": mark_safe(chart.narrow_svg + chart.svg),  # narrow first: pages.css
            "sources": queries.sources_by_id(ids),
            "counties_url": reverse("atlas:counties", args=[state.abbr.lower()])}


@require_GET
@public_page("format")
def county_page(request, abbr: str, fips: str):
    state = find_state(abbr)
    if state is None:
        return not_found(request, abbr)
    county = Jurisdiction.objects.filter(fips=fips, parent=state,
                                         kind=Jurisdiction.COUNTY).first()
    if county is None:
        return not_found(request, f"{abbr}/{fips}")
    return twins.serve(request, lambda: _html(request, state, county),
                       lambda: county_twin(state, county))


YEAR_COLUMNS = ("year", "overdose_range", "overdose_range_low", "arrests", "population",
                "arrest_rate", "notes", "sources")


def county_twin(state: Jurisdiction, county: Jurisdiction) -> twins.Twin:
    """Every year of the county's two layers: the published range (and its lower bound), the
    arrest count, the population and the crude rate."""
    def build():
        rows = [{"year": r["year"], "overdose_range": r["range"] if r["values"]["range_low"]
                 is not None else None, "overdose_range_low": r["values"]["range_low"],
                 "arrests": r["values"]["arrests"], "population": r["values"]["population"],
                 "arrest_rate": r["values"]["rate"], "notes": r["notes"],
                 "sources": sorted(r["sources"])} for r in county_series(county)]
        return {"state": {"fips": state.fips, "abbr": state.abbr, "name": state.name},
                "county": {"fips": county.fips, "name": county.name},
                "rate": "crude arrests per 100,000 residents; overdose as published ranges",
                "years": rows}
    data = cache.remember(build, "county-twin", county.fips, get_language())
    return twins.Twin(data, YEAR_COLUMNS, [[r[c] for c in YEAR_COLUMNS] for r in data["years"]],
                      filename=f"{state.abbr.lower()}-county-{county.fips}")


def _html(request, state: Jurisdiction, county: Jurisdiction):
    body = cache.remember(lambda: render_to_string("atlas/_county_body.html",
                                                   county_context(state, county)),
                          "page", "county", county.fips)
    return render(request, "atlas/county.html", {"state": state, "county": county,
                                                 "body": mark_safe(body)})
