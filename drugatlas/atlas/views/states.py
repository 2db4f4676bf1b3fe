"""State pages: `/states/<abbr>/` in HTML (printable one-pager), `?format=json` (the whole
profile) and `?format=csv` (every trend figure, one row per measure and year): drugatlas/twins.py.

The page body is cached under the data version and the language; the frame around it
(header, sign-up form with its CSRF token) is rendered per request.
"""
from __future__ import annotations

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from drugatlas import clock, twins
from drugatlas.atlas.http_cache import public_page
from drugatlas.atlas import cache, profile
from drugatlas.atlas.models import Jurisdiction
from drugatlas.atlas.places import find_state
from drugatlas.corrections.links import report_url
from drugatlas.maps import charts
from drugatlas.share import panel as share_panel


def find_place(abbr: str) -> Jurisdiction | None:
    """A state, DC, or the nation ("us"): the national page has the same sections."""
    if abbr.lower() == "us":
        return Jurisdiction.objects.filter(fips=profile.NATION_FIPS).first()
    return find_state(abbr)


def not_found(request, abbr: str):
    states = Jurisdiction.objects.filter(kind=Jurisdiction.STATE).order_by("name")
    return render(request, "atlas/not_found.html", {"asked": abbr[:20], "states": states},
                  status=404)


@require_GET
@public_page("format")
def state_page(request, abbr: str):
    place = find_place(abbr)
    if place is None:
        return not_found(request, abbr)
    return twins.serve(request, lambda: _html(request, place), lambda: state_twin(place))


def _html(request, place: Jurisdiction):
    body = cache.remember(lambda: render_to_string("atlas/_state_body.html",
                                                   state_context(place)), "page", "state", place.abbr)
    return render(request, "atlas/state.html", {"place": place, "body": mark_safe(body),
                                                "place_in_text": profile.in_text(place),
                                                "page_path": place.get_absolute_url()})


TREND_COLUMNS = ("measure", "year", "value", "flags", "sources")


def state_twin(place: Jurisdiction) -> twins.Twin:
    """The profile whole as JSON; its trend figures as the CSV table."""
    data = cached_profile(place)
    rows = [(slug, year, value, data["trend_flags"].get(slug, {}).get(year, []),
             data["trend_sources"].get(slug, []))
            for slug, series in data["trends"].items() for year, value in series.items()]
    return twins.Twin(data, TREND_COLUMNS, rows, filename=f"{place.abbr.lower()}-trends")


def cached_profile(place: Jurisdiction) -> dict:
    return cache.remember(lambda: profile.build(place), "profile", place.abbr)


def state_context(place: Jurisdiction) -> dict:
    data = cached_profile(place)
    page = place.get_absolute_url()
    for statement in [*data["statements"], *data["race"]]:
        first = statement["figures"][0]
        statement["report"] = report_url(page, f"{first['label']}, {place.name}, {first['period']}")
    for row in data["comparison"]:
        row["report"] = report_url(page, f"{row['label']}, {place.name} vs U.S., "
                                         f"{row['state_year']}")
    for topic in data["laws"]:
        topic["report"] = report_url(page, f"{topic['label']} law history, {place.name}")
    for bill in data["bills"]:
        bill["report"] = report_url(page, f"Bill {bill['number'] or bill['title']}, {place.name}")
    trend_charts = build_charts(place, data) + race_charts(place, data)
    for chart in trend_charts:
        chart["report"] = report_url(page, f"{chart['title']} (chart)")
        chart["share"] = share_panel.for_chart(place, chart["slug"])
    return {"place": place, "data": data, "page_path": page,
            "is_nation": place.fips == profile.NATION_FIPS, "place_in_text": profile.in_text(place),
            "comparison_years_differ": any(not r["same_year"] for r in data["comparison"]),
            "race_population": any(s["key"] == "race_population" for s in data["race"]),
            "charts": [c for c in trend_charts if not c["slug"].startswith("race")],
            "race_charts": [c for c in trend_charts if c["slug"].startswith("race")],
            "share": share_panel.for_state(place),
            "publishers": by_publisher(data["sources"]),
            "today": clock.today(),
            "in_force": [(t["label"], i) for t in data["laws"] for i in t["intervals"]
                         if i["in_force"] and t["topic"] in ("possession", "paraphernalia")]}


def _series(data: dict, slug: str) -> dict[int, float | None]:
    return {int(y): v for y, v in data["trends"].get(slug, {}).items()}


def _missing_notes(data: dict, slug: str) -> dict[int, str]:
    """Why a value is missing and which source says so, for the data table."""
    return {int(y): words for y, words in data["missing"].get(slug, {}).items()}


def _line(data: dict, label: str, slug: str, flag: str = "", flag_note: str = "",
          split: bool = False) -> charts.Series:
    """`split`: a part of a total (possession, sale), whose "partial" years (the parts add up to
    under 90% of the total) say so in the table, so "10 possession arrests" is not quoted."""
    notes = _missing_notes(data, slug)
    if split:
        for year in _flagged(data, slug, "partial"):
            notes.setdefault(year, _("only part of the arrests broken down"))
    return charts.Series(label, _series(data, slug),
                         _flagged(data, slug, flag) if flag else frozenset(), flag_note,
                         notes, measure=slug,
                         basis={int(y): b for y, b in data["trend_basis"].get(slug, {}).items()})


def _flagged(data: dict, slug: str, *flags: str) -> frozenset[int]:
    return frozenset(int(y) for y, fl in data["trend_flags"].get(slug, {}).items()
                     if set(flags) & set(fl))


def _marks(data: dict, topics: tuple[str, ...]) -> list[charts.LawMark]:
    return [charts.LawMark(d, label, when)
            for d, label, when in profile.law_marks(data["laws"], topics)]


def build_charts(place: Jurisdiction, data: dict) -> list[dict]:
    """The arrest and overdose trend charts, each with its data table and caveats."""
    name = place.name
    arrest_marks = _marks(data, profile.ARREST_CHART_TOPICS)
    overdose_marks = _marks(data, profile.OVERDOSE_CHART_TOPICS)
    out = []

    arrests = charts.line_chart(
        "chart-arrests", _("Drug arrests reported in %(state)s") % {"state": profile.in_text(place)},
        _("Arrests"),
        [_line(data, _("All drug arrests"), "drug_arrests", "low_coverage", _("low coverage")),
         _line(data, _("Possession"), "drug_arrests_possession", "low_coverage",
               _("low coverage"), split=True),
         _line(data, _("Sale and manufacturing"), "drug_arrests_sale", "low_coverage",
               _("low coverage"), split=True)],
        arrest_marks)
    out.append(_chart_dict(arrests, "arrests", data, (
        "drug_arrests", "drug_arrests_possession", "drug_arrests_sale"), [
        _("Counts are arrests reported by the agencies that sent data; compare the coverage "
          "below before comparing years."),
        _("Possession and sale are split only in the FBI county files processed by ICPSR "
          "(to 2016), which include estimates for agencies that did not report."),
    ]))

    # ICPSR's state sums for years Table 69 covers: their own chart, never Table 69's line.
    sums = charts.line_chart(
        "chart-arrests-icpsr", _("%(state)s: drug arrests, ICPSR county-level sums (imputed)")
        % {"state": name}, _("Arrests"),
        [_line(data, _("All drug arrests"), "drug_arrests_icpsr_sum", "low_coverage",
               _("low coverage")),
         _line(data, _("Possession"), "drug_arrests_possession_icpsr_sum", "low_coverage",
               _("low coverage"), split=True),
         _line(data, _("Sale and manufacturing"), "drug_arrests_sale_icpsr_sum", "low_coverage",
               _("low coverage"), split=True)])
    out.append(_chart_dict(sums, "arrests-icpsr", data, profile.ICPSR_SUM_MEASURES, [
        _("For 2008, 2010 and 2012 the possession/sale split exists only in the FBI county "
          "files processed by ICPSR. These sums include ICPSR's estimates for agencies that did "
          "not report and leave out state police, so they are not the same count as the FBI "
          "Table 69 figures in the chart above: compare them only with each other.")]))

    coverage = charts.bar_chart(
        "chart-coverage", _("%(state)s: share of residents covered by reporting agencies") % {
            "state": name}, _("Percent"), _series(data, "arrest_coverage_share"),
        _flagged(data, "arrest_coverage_share", "low_coverage"), _("under half covered"),
        (50, _("half the residents")), arrest_marks, value_label=_("Covered, %"),
        measure="arrest_coverage_share")
    out.append(_chart_dict(coverage, "coverage", data, ("arrest_coverage_share",), [
        _("Population covered by the reporting agencies (FBI estimate) divided by the Census "
          "population of the same year; it can exceed 100% where the two estimates differ.")]))

    rates = charts.line_chart(
        "chart-overdose-rate", _("Overdose deaths per 100,000 residents of %(state)s") % {
            "state": profile.in_text(place)}, _("Deaths per 100,000"),
        [_line(data, _("Age-adjusted rate"), "overdose_death_rate_age_adjusted", "provisional",
               _("provisional")),
         _line(data, _("Crude rate (provisional)"), "overdose_death_rate_crude")],
        overdose_marks, decimals=1)
    out.append(_chart_dict(rates, "overdose-rate", data, (
        "overdose_death_rate_age_adjusted", "overdose_death_rate_crude"), [
        _("Age-adjusted rates (final NCHS data; provisional only where no final rate exists) "
          "and crude provisional rates (deaths in the state, per 100,000 residents) are "
          "computed differently: do not read one line as a continuation of the other.")]))

    # Short labels: they sit at the line ends; the caption says what each class covers.
    classes = [(_("All, final"), "overdose_deaths"),
               (_("All, provisional"), "overdose_deaths_12mo_provisional"),
               (_("Fentanyl & synthetics"), "overdose_deaths_12mo_synthetic_opioids"),
               (_("Heroin"), "overdose_deaths_12mo_heroin"),
               (_("Rx opioids"), "overdose_deaths_12mo_natural_semisynthetic_opioids"),
               (_("Cocaine"), "overdose_deaths_12mo_cocaine"),
               (_("Meth & stimulants"), "overdose_deaths_12mo_psychostimulants")]
    deaths = charts.line_chart(
        "chart-overdose-deaths", _("%(state)s: overdose deaths by drug involved")
        % {"state": name}, _("Deaths"),
        [_line(data, label, slug) for label, slug in classes], overdose_marks)
    out.append(_chart_dict(deaths, "overdose-deaths", data, [s for _l, s in classes], [
        _("Final counts (NCHS), by state of residence; provisional counts for the 12 "
          "months ending in December (CDC VSRR), as reported, by state where the death "
          "occurred. Drug classes: synthetic opioids other than methadone "
          "(mostly fentanyl), heroin, natural and semi-synthetic (prescription) opioids, "
          "cocaine, psychostimulants (mostly methamphetamine). A death involving several drugs "
          "counts in each class, so classes do not add up to the total. Counts of 1–9 are "
          "suppressed by CDC and shown as no data.")]))
    return [c for c in out if not c["chart"].empty]


def race_charts(place: Jurisdiction, data: dict) -> list[dict]:
    """News21 rates by race and their ratio (states); arrest counts by race (CT, the nation)."""
    name = place.name
    out = []
    little = _("almost no arrests reported")
    rates = charts.line_chart(
        "chart-race-rates", _("%(state)s: marijuana possession arrests per 100,000 residents, "
                              "by race") % {"state": name}, _("Arrests per 100,000"),
        [_line(data, _("Black residents"), "marijuana_possession_arrest_rate_black",
               "little_reporting", little),
         _line(data, _("White residents"), "marijuana_possession_arrest_rate_white",
               "little_reporting", little)])
    out.append(_chart_dict(rates, "race-rates", data, profile.NEWS21_MEASURES[:2], [
        _("Arrests of each group per 100,000 residents of that group (News21 from FBI UCR and "
          "Census data, 1990–2013). Not adjusted for reporting coverage: a sudden drop is a "
          "reporting gap. UCR counts most Hispanic arrestees as white.")]))
    ratio = charts.line_chart(
        "chart-race-ratio", _("%(state)s: Black/white ratio of marijuana possession arrest "
                              "rates") % {"state": name}, _("Ratio"),
        [_line(data, _("Black/white ratio"), "marijuana_possession_black_white_ratio")],
        decimals=1)
    out.append(_chart_dict(ratio, "race-ratio", data, profile.NEWS21_MEASURES[2:], [
        _("Years with almost no reported arrests have no ratio.")]))
    labels = (("drug_arrests_black", _("Black")), ("drug_arrests_white", _("White")),
              ("drug_arrests_american_indian", _("American Indian or Alaska Native")),
              ("drug_arrests_asian", _("Asian")),
              ("drug_arrests_pacific_islander", _("Native Hawaiian or Pacific Islander")),
              ("drug_arrests_asian_pacific_islander", _("Asian or Pacific Islander (to 2012)")))
    counts = charts.line_chart(
        "chart-race-counts", _("%(state)s: drug arrests by race") % {"state": name},
        _("Arrests"), [_line(data, label, slug) for slug, label in labels])
    out.append(_chart_dict(counts, "race-counts", data, [s for s, _l in labels], [
        _("Arrests reported by the agencies that gave race data (FBI Crime in the United States, "
          "Table 43A, for the nation; the state police's UCR reports for Connecticut): not "
          "estimates, and coverage changes by year. No national table for 2016 or 2021.")]))
    # The nation: the Black share of drug arrests beside the non-Hispanic Black share of
    # residents, only for years with both (Table 43A from 2004, NCHS's populations to 2017).
    population = _series(data, "population_share_non_hispanic_black")
    total = _series(data, "drug_arrests_race_total")
    arrests = {y: b / total[y] * 100 for y, b in _series(data, "drug_arrests_black").items()
               if b is not None and total.get(y)}
    years = sorted(set(arrests) & {y for y, v in population.items() if v is not None})
    if years:
        span = range(years[0], years[-1] + 1)
        shares = charts.line_chart(
            "chart-race-population", _("%(state)s: Black share of drug arrests and of residents")
            % {"state": name}, _("Percent"),
            [charts.Series(_("Black share of drug arrests"), {y: arrests.get(y) for y in span},
                           notes=_missing_notes(data, "drug_arrests_black")),
             charts.Series(_("Non-Hispanic Black share of residents"),
                           {y: population.get(y) for y in span},
                           measure="population_share_non_hispanic_black")], decimals=1)
        shares_chart = _chart_dict(shares, "race-population", data, (
            "drug_arrests_black", "drug_arrests_race_total",
            "population_share_non_hispanic_black"), [
            _(profile.BLACK_POPULATION_NOTE) % {"first": years[0], "last": years[-1]} + "."])
        out.append(shares_chart)
    return [c for c in out if not c["chart"].empty]


def _chart_dict(chart: charts.Chart, slug: str, data: dict, measures, notes: list[str]) -> dict:
    ids = set()
    for m in measures:
        if data["trends"].get(m):
            ids |= _source_ids(data, m)
    return {"slug": slug, "title": chart.table.caption, "chart": chart,
            "svg": mark_safe(chart.svg), "narrow_svg": mark_safe(chart.narrow_svg),
            "notes": [*chart.notes, *notes],
            "sources": by_publisher([s for s in data["sources"] if s["id"] in ids])}


def by_publisher(sources: list[dict]) -> list[dict]:
    """One link per publisher: to the file itself when there is one, else to the publisher's
    list on /sources/ (the FBI publishes a table per year)."""
    groups: dict[str, list[dict]] = {}
    for s in sources:
        groups.setdefault(s["publisher"], []).append(s)
    return [{"publisher": publisher, "count": len(items),
             "titles": "; ".join(s["title"] for s in items),
             "href": reverse("atlas:sources") + (f"#source-{items[0]['id']}" if len(items) == 1
                                                 else f"#publisher-{slugify(publisher)}")}
            for publisher, items in groups.items()]


def _source_ids(data: dict, slug: str) -> set[str]:
    return set(data.get("trend_sources", {}).get(slug, []))
