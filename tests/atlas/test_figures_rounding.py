"""One rounding rule: every figure on the 51 state pages equals the API value rounded half away
from zero to the measure's precision (drugatlas/formatting.py).

The pages are read with an HTML parser; each figure is found by its place in the markup (the
statement it belongs to, the comparison row's measure, the data table column's measure) and
compared with /api/v1/observations for that measure, place and period.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from drugatlas import formatting, measures
from drugatlas.atlas.models import Jurisdiction
from drugatlas.atlas.profile import year_of

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (settings.BUNDLE_DIR / "datapackage.json").exists(),
                                 reason="the data bundle has not been built")]

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


class StatePage(HTMLParser):
    """Statement texts, comparison cells and data-table cells, each with its measure."""

    def __init__(self):
        super().__init__()
        self.statements: dict[str, str] = {}  # fact key -> text
        self.compare: dict[str, list[str]] = {}  # measure -> [state figure, nation figure]
        self.tables: list[tuple[list[str], list[list[str]]]] = []  # (column measures, rows)
        self._stack: list[tuple[str, dict]] = []
        self._fact = None
        self._text: list[str] = []
        self._row_measure = None
        self._strong: list[str] | None = None
        self._columns: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and (a.get("id") or "").startswith("fact-"):
            self._fact, self._text = a["id"][5:], []
        elif tag == "p" and self._fact and set((a.get("class") or "").split()) & {"caveat",
                                                                                "meta"}:
            self._stack.append(("caveat", a))
        elif tag == "tr" and a.get("data-measure"):
            self._row_measure = a["data-measure"]
            self.compare[self._row_measure] = []
        elif tag == "strong" and self._row_measure:
            self._strong = []
        elif tag == "table":
            self._columns = []
            self.tables.append((self._columns, []))
        elif tag == "th" and a.get("scope") == "col" and self._columns is not None:
            self._columns.append(a.get("data-measure", ""))
        elif tag == "tr" and self._columns is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None and a.get("scope") != "col":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "li" and self._fact:
            self.statements[self._fact] = " ".join("".join(self._text).split())
            self._fact = None
        elif tag == "p" and self._stack and self._stack[-1][0] == "caveat":
            self._stack.pop()
        elif tag == "strong" and self._strong is not None:
            self.compare[self._row_measure].append("".join(self._strong).strip())
            self._strong = None
        elif tag == "tr" and self._row_measure:
            self._row_measure = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[-1][1].append(self._row)
            self._row = None
        elif tag == "table":
            self._columns = None

    def handle_data(self, data):
        if self._fact and not self._stack:
            self._text.append(data)
        if self._strong is not None:
            self._strong.append(data)
        if self._cell is not None:
            self._cell.append(data)


def api_values(client, slug: str, abbr: str) -> dict:
    """The API's values by period ("2023", "2025-02") and, for yearly periods, by year."""
    rows = client.get(f"/api/v1/observations?measure={slug}&jurisdiction={abbr}"
                      "&limit=10000").json()["rows"]
    values = {r["period"]: r["value"] for r in rows}
    values.update({year_of(r["period"]): r["value"] for r in rows
                   if year_of(r["period"]) is not None})
    return values


def test_every_figure_on_the_51_state_pages_is_the_api_value_rounded_by_the_one_rule(client):
    states = list(Jurisdiction.objects.filter(kind=Jurisdiction.STATE).order_by("abbr"))
    assert len(states) == 51
    cache: dict[tuple[str, str], dict] = {}

    def api(slug, abbr):
        if (slug, abbr) not in cache:
            cache[(slug, abbr)] = api_values(client, slug, abbr)
        return cache[(slug, abbr)]

    checked = 0
    for place in states:
        abbr = place.abbr
        page = StatePage()
        page.feed(client.get(f"/states/{abbr.lower()}/").content.decode())
        profile = client.get(f"/states/{abbr.lower()}/?format=json").json()

        # Statements: every number in the sentence is a year or one of its figures, rounded.
        for statement in [*profile["statements"], *profile["race"]]:
            text = page.statements[statement["key"]]
            expected = {"100,000", "12"}
            for f in statement["figures"]:
                value = api(f["measure"], abbr)[f["period"]]
                expected.add(formatting.figure(value, f["measure"]))
                expected.update(f["period"].split("-"))
                expected.add(str(year_of(f["period"]) or ""))
            if statement["key"] == "overdose_latest" and len(statement["figures"]) == 2:
                latest, before = (api(f["measure"], abbr)[f["period"]]
                                  for f in statement["figures"])
                change = formatting.change_percent(before, latest)
                if change is not None:
                    expected.add(formatting.number(abs(change)))
            for token in NUMBER.findall(text):
                assert token in expected, (abbr, token, text)
                checked += 1

        # The comparison with the nation: the state's figure of the year shown.
        for row in profile["comparison"]:
            shown = page.compare[row["measure"]]
            value = api(row["measure"], abbr)[row["state_year"]]
            unit = "%" if measures.get(row["measure"]).unit == "percent" else ""
            assert shown[0] == formatting.figure(value, row["measure"]) + unit, (
                abbr, row["measure"])
            if row["nation_year"]:
                value = api(row["measure"], "US")[row["nation_year"]]
                assert shown[1] == formatting.figure(value, row["measure"]) + unit
            checked += 1

        # Chart data tables: each cell starts with the API value of its column's measure.
        for columns, rows in page.tables:
            if not any(columns):
                continue
            for row in rows:
                year = int(row[0])
                for slug, cell in zip(columns[1:], row[1:]):
                    if not slug or cell == "—":
                        continue
                    value = api(slug, abbr).get(year)
                    shown = cell.split(" (")[0]
                    if value is None:
                        assert not NUMBER.fullmatch(shown), (abbr, slug, year, cell)
                    else:
                        assert shown == formatting.figure(value, slug), (abbr, slug, year, cell)
                    checked += 1
    assert checked > 10_000


def test_west_virginia_and_texas_are_rounded_not_cut(client):
    page = StatePage()
    page.feed(client.get("/states/wv/").content.decode())
    assert "414 per 100,000" in page.statements["arrests"]
    tx = StatePage()
    tx.feed(client.get("/states/tx/").content.decode())
    assert "agencies covering 99% of the residents of Texas" in tx.statements["arrests"]
    home = client.get("/?layer=arrests&year=2024").content.decode()
    assert "99% of residents" in home


# --- No invented zeros, no invented reasons ---------------------------------------------------

def test_a_total_without_a_split_is_no_data_with_its_flag_in_the_api_and_on_the_page(client):
    for place in ("IL", "17031"):  # Illinois and Cook County, 2000
        rows = client.get(f"/api/v1/observations?measure=drug_arrests_possession"
                          f"&jurisdiction={place}&start=2000&end=2000").json()["rows"]
        assert [(r["value"], r["flags"]) for r in rows] == [(None, ["no_breakdown"])], place
    page = StatePage()
    page.feed(client.get("/states/il/").content.decode())
    columns, rows = next(t for t in page.tables if "drug_arrests_possession" in t[0])
    row = next(r for r in rows if r[0] == "2000")
    cell = row[columns.index("drug_arrests_possession")]
    assert cell.startswith("no data (the publisher gave a total but no possession/sale split; "
                           "source checked: U.S. Department of Justice, Federal Bureau of "
                           "Investigation"), cell
    assert row[columns.index("drug_arrests")] == "73,941 (low coverage)"


def test_coverage_zero_years_have_no_rate_whatever_the_source(client):
    rows = client.get("/api/v1/observations?measure=drug_arrest_rate&jurisdiction=DC"
                      "&start=2011&end=2016").json()["rows"]
    by_year = {r["period"]: r for r in rows}
    for year in ("2011", "2016"):  # Table 69 (Metro Transit Police) and ICPSR (coverage 0)
        assert by_year[year]["value"] is None and "no_coverage" in by_year[year]["flags"]
    counts = client.get("/api/v1/observations?measure=drug_arrests&jurisdiction=DC"
                        "&start=2016&end=2016").json()["rows"]
    assert counts[0]["value"] == 330 and "no_coverage" in counts[0]["flags"]
    html = client.get("/?layer=arrests&year=2016").content.decode()
    assert "48.4" not in html and ">48<" not in html


def test_missing_values_say_what_the_source_did_not_publish_and_name_it(client):
    for abbr, year in (("HI", "2011"), ("DC", "2010"), ("DC", "2012")):
        rows = client.get(f"/api/v1/observations?measure=drug_arrests&jurisdiction={abbr}"
                          f"&start={year}&end={year}").json()["rows"]
        assert rows[0]["value"] is None and rows[0]["flags"] == ["not_published"]
    text = client.get("/states/hi/").content.decode()
    assert "no agency reported" not in text
    assert ("not in the publisher&#x27;s table for this year; source checked: Federal Bureau "
            "of Investigation") in text
    # A "No data" row on the map names the source that was checked.
    page = client.get("/?layer=arrests&year=2011").content.decode()
    row = page[page.index('data-abbr="HI" class="nodata"><th'):]
    row = row[:row.index("</tr>")]
    assert "No data" in row and "<a href=" in row.split("<td>")[-1], row


# --- Series breaks ------------------------------------------------------------------------------

def test_each_value_carries_its_basis_and_the_national_series_breaks_in_2017(client):
    rows = client.get("/api/v1/observations?measure=drug_arrests&jurisdiction=US"
                      "&start=2016&end=2017").json()["rows"]
    basis = {r["period"]: r["basis"] for r in rows}
    assert basis == {"2016": "fbi-cde-arrests-national-drug", "2017": "fbi-cius-table69"}
    data = client.get("/states/nh/?format=json").json()
    words = data["trend_basis"]["drug_arrests"]
    assert words["2015"] == words["2017"] == "FBI Table 69, agencies that reported"
    assert words["2016"] == ("ICPSR county files plus statewide agencies, with estimates for "
                             "agencies that did not report")


def test_a_chart_breaks_where_the_basis_changes_and_highest_stays_within_one_basis(client):
    html = client.get("/states/nh/").content.decode()
    chart = html[html.index('id="chart-arrests"'):]
    chart = chart[:chart.index("</svg>")]
    desc = chart[chart.index("<desc"):chart.index("</desc>")]
    # New Hampshire: 7,371 (2015), 8,791 (2016, ICPSR), 7,656 (2017): 2016 is not "highest".
    assert "8,791" not in desc and "highest 7,656 in 2017" in desc, desc
    # The 2016 point stands alone: no line segment joins it to 2015 or 2017.
    series = chart[chart.index('data-series="All drug arrests"'):]
    series = series[:series.index("</g>")]
    point = series[:series.index("All drug arrests, 2016")].rsplit('<circle cx="', 1)[1]
    cx, cy = point.split('"')[0], point.split('cy="')[1].split('"')[0]
    for line in series.split("<polyline points=\"")[1:]:
        assert f"{cx},{cy}" not in line.split('"')[0]
    assert "the line breaks where the basis changes" in html


# --- Newest figures lead ------------------------------------------------------------------------

def test_the_final_us_rate_for_2023_is_served_and_the_newest_final_figures_lead(client):
    rows = client.get("/api/v1/observations?measure=overdose_death_rate_age_adjusted"
                      "&jurisdiction=US&start=2023&end=2024").json()["rows"]
    assert {r["period"]: (r["value"], r["flags"]) for r in rows} == {
        "2023": (31.3, []), "2024": (23.1, [])}
    page = StatePage()
    page.feed(client.get("/states/wv/").content.decode())
    # West Virginia leads with its newest final rate (2023, as NCHS quoted it), not 2018.
    assert page.statements["overdose_final"].startswith(
        "In 2023, the age-adjusted overdose death rate of West Virginia was 81.9 per 100,000 "
        "(final data)."), page.statements["overdose_final"]
    assert "(provisional)" in page.statements["overdose_provisional"]
    tx = StatePage()
    tx.feed(client.get("/states/tx/").content.decode())
    assert tx.statements["overdose_final"].startswith("In 2022, ")


def test_home_cards_lead_with_the_newest_final_figures_and_the_provisional_count_beside(client):
    html = client.get("/").content.decode()
    cards = html[html.index('class="headlines"'):html.index("</section>",
                                                            html.index('class="headlines"'))]
    assert "79,384</strong> drug overdose deaths in 2024 (final data)" in cards
    assert "Newest provisional count: 76,298 in the 12 months ending February 2025" in cards
    assert ("23.1</strong> overdose deaths per 100,000 residents in 2024 (age-adjusted, final "
            "data)") in cards
    assert 'href="/states/us/"' in cards


# --- Race ---------------------------------------------------------------------------------------

def test_a_state_with_news21_data_has_a_race_section(client):
    html = client.get("/states/ny/").content.decode()
    page = StatePage()
    page.feed(html)
    assert 'id="race-h">Race</h2>' in html
    text = page.statements["race"]
    assert text.startswith("In 2013, Black residents of New York were arrested for marijuana "
                           "possession at "), text
    assert "Rates by race from News21 for 1990–2013" in html
    assert 'id="chart-race-ratio"' in html and 'id="chart-race-rates"' in html


def test_years_a_state_barely_reported_are_flagged_never_a_ratio_of_zero(client):
    rows = client.get("/api/v1/observations?measure=marijuana_possession_black_white_ratio"
                      "&jurisdiction=MT&start=1991&end=1999").json()["rows"]
    assert rows and all(r["value"] is None and r["flags"] == ["little_reporting"] for r in rows)
    rows = client.get("/api/v1/observations?measure=marijuana_possession_black_white_ratio"
                      "&kind=state&limit=10000").json()["rows"]
    assert not [r for r in rows if r["value"] == 0]
    al = client.get("/api/v1/observations?measure=marijuana_possession_black_white_ratio"
                    "&jurisdiction=AL&start=2011&end=2011").json()["rows"]
    assert al[0]["value"] is None and "little_reporting" in al[0]["flags"]
    html = client.get("/states/mt/").content.decode()
    assert "No ratio for 1991, 1992, 1993, 1997, 1998, 1999: the state reported almost no " \
        "arrests." in html
    layer = client.get("/?layer=race_ratio&year=2010").content.decode()
    assert "Black/white ratio of marijuana possession arrests, 2010" in layer


def test_connecticut_counts_by_race(client):
    page = StatePage()
    page.feed(client.get("/states/ct/").content.decode())
    assert page.statements["race_counts"].startswith("In "), page.statements
    assert "drug arrests of Black people" in page.statements["race_counts"]


def test_the_national_page_shows_the_table_43a_series_with_the_same_sections(client):
    response = client.get("/states/us/")
    assert response.status_code == 200
    html = response.content.decode()
    page = StatePage()
    page.feed(html)
    for heading in ("At a glance", "Trends, with law changes marked", "Race", "Law history"):
        assert f">{heading}</h2>" in html, heading
    text = page.statements["race_counts"]
    assert "the agencies that reported arrests by race to the FBI recorded" in text, text
    assert 'id="chart-race-counts"' in html
    columns, rows = next(t for t in page.tables if "drug_arrests_black" in t[0])
    years = {r[0] for r in rows}
    assert {"2004", "2015", "2024"} <= years and "2016" not in years
    assert client.get("/states/us/?format=json").json()["jurisdiction"]["abbr"] == "US"
