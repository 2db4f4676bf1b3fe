"""One lookup per fact (drugatlas/atlas/queries.py): the state page, its JSON twin and the API's
state profile say the same latest figure; county pages and the API read the same stored county
rate (made by the pipeline); each county layer is declared once in the one layer registry."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from drugatlas import formatting
from drugatlas.atlas import queries
from drugatlas.atlas.models import Observation
from drugatlas.maps import layers

pytestmark = pytest.mark.django_db

# Figures each statement quotes as its measure's latest value, on the state page and in the API.
LATEST_FIGURES = {"arrests": ("drug_arrests",),
                  "overdose_final": ("overdose_death_rate_age_adjusted",)}
STATES = ("TX", "OR", "CA", "NY")


class Statements(HTMLParser):
    """The text of each `<li id="fact-…">` statement's first paragraph."""

    def __init__(self):
        super().__init__()
        self.texts: dict[str, str] = {}
        self._fact, self._depth, self._parts = None, 0, []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs).get("id") or ""
        if tag == "li" and found.startswith("fact-"):
            self._fact, self._parts = found[5:], []
        elif tag == "p" and self._fact and self._fact not in self.texts:
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "p" and self._depth:
            self._depth -= 1
            self.texts[self._fact] = " ".join("".join(self._parts).split())
        elif tag == "li":
            self._fact = None

    def handle_data(self, data):
        if self._depth:
            self._parts.append(data)


class CountyRows(HTMLParser):
    """One county's yearly table: the cells after each row's year."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None and dict(attrs).get("scope") != "col":
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row:
            self.rows[self._row[0]] = self._row[1:]
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.mark.parametrize("abbr", STATES)
def test_state_page_its_json_twin_and_the_api_agree_on_each_latest_figure(client, abbr):
    twin = client.get(f"/states/{abbr.lower()}/?format=json").json()
    api = client.get(f"/api/v1/states/{abbr}").json()
    parser = Statements()
    parser.feed(client.get(f"/states/{abbr.lower()}/").content.decode())
    statements = {s["key"]: s for s in twin["statements"]}
    compared = 0
    for key, measures in LATEST_FIGURES.items():
        if key not in statements:
            assert not any(m in api["latest"] for m in measures), (abbr, key)
            continue
        figures = {f["measure"]: f for f in statements[key]["figures"]}
        for measure in measures:
            latest, figure = api["latest"][measure], figures[measure]
            assert (figure["period"], figure["value"]) == (latest["period"], latest["value"])
            assert figure["source"]["id"] == latest["source"]
            words = parser.texts[key]
            assert formatting.figure(latest["value"], measure) in words, (words, latest)
            assert latest["period"][:4] in words
            compared += 1
    assert compared, f"no figure compared for {abbr}"


def test_the_api_serves_every_law_the_page_lists_as_in_force(client):
    twin = client.get("/states/or/?format=json").json()
    api = client.get("/api/v1/states/OR").json()
    in_force = {(t["topic"], i["status"]) for t in twin["laws"] for i in t["intervals"]
                if i["in_force"]}
    assert in_force
    assert in_force <= {(law["topic"], law["status"]) for law in api["laws_in_force"]}


def test_county_table_county_page_and_api_agree_on_the_crude_rate(client):
    """The rate is made once, by the pipeline (drug_arrest_rate_county_crude), and read as
    stored: the county table, one county's page and the API give the same figure, with the
    count and the population the API serves beside it."""
    page = client.get("/states/tx/counties/?layer=arrests&year=2012&format=json").json()
    counties = {c["fips"]: c for c in page["counties"]}
    assert len(counties) == 254
    api = {}
    for measure in (queries.COUNTY_ARREST_RATE, "drug_arrests", "population"):
        rows = client.get(f"/api/v1/observations?measure={measure}&kind=county&start=2012"
                          "&end=2012&limit=10000").json()["rows"]
        api[measure] = {r["fips"]: r for r in rows if r["fips"] in counties}
    stored = dict(Observation.objects.filter(
        measure_id=queries.COUNTY_ARREST_RATE, period="2012", jurisdiction__parent__abbr="TX")
        .values_list("jurisdiction_id", "value"))
    with_rate = 0
    for fips, c in counties.items():
        rate = api[queries.COUNTY_ARREST_RATE].get(fips)
        assert c["value"] == (rate["value"] if rate else None) == stored.get(fips), fips
        assert (c["arrests"], c["population"]) == tuple(
            api[m][fips]["value"] if fips in api[m] else None
            for m in ("drug_arrests", "population"))
        if rate:
            assert rate["source"] == api["drug_arrests"][fips]["source"]  # the count's source
            assert c["flags"] == rate["flags"]
        with_rate += c["value"] is not None
    assert with_rate > 200
    harris = counties["48201"]
    parser = CountyRows()
    parser.feed(client.get("/states/tx/counties/48201/").content.decode())
    # Year | range | arrests | population | rate | notes
    assert parser.rows["2012"][3] == harris["label"] == formatting.figure(
        stored["48201"], queries.COUNTY_ARREST_RATE) != "no data"
    one = client.get("/states/tx/counties/48201/?format=json").json()["years"]
    assert next(r for r in one if r["year"] == 2012)["arrest_rate"] == stored["48201"]


def test_the_one_registry_lists_each_county_layer_once():
    county = [layer.slug for layer in layers.REGISTRY if layer.geography == layers.COUNTY]
    assert sorted(county) == sorted(set(county)) == ["arrests", "overdose"]
    assert list(layers.COUNTY_LAYERS) == county
    assert all(layer.geography == layers.STATE for layer in layers.LAYERS.values())
    assert {layer.geography for layer in layers.REGISTRY} == {layers.STATE, layers.COUNTY}
