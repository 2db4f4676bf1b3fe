"""County pages: /states/<abbr>/counties/?layer=overdose|arrests&year=YYYY."""
from __future__ import annotations

from html import unescape

import pytest
from django.conf import settings

import htmlpage
import atlas_sample
import sample_places as places
from drugatlas.atlas.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(db):
    return atlas_sample.build()


def rows_of(html: str) -> dict[str, list[str]]:
    """County table rows by county name: the cells' text."""
    out = {}
    for row in htmlpage.select(html, 'table.county-table tr[id^="county-"]'):
        cells = htmlpage.texts(row, "th, td")
        out[cells[0]] = cells[1:]
    return out


def test_overdose_layer_shows_published_ranges_and_defaults_to_latest_year(client, sample):
    response = client.get("/states/zz/counties/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-layer="overdose" data-year="2016"' in html
    rows = rows_of(html)
    assert rows["North County"][0] == "30 or more"
    assert rows["South County"][0] == "under 2"  # a bin, not a zero
    assert rows["East County"][0] == "no data"
    assert "model-based" in html and "stops in 2016" in html


def test_overdose_earlier_year_and_bin_labels(client, sample):
    rows = rows_of(client.get("/states/zz/counties/?layer=overdose&year=2015").content.decode())
    assert rows["North County"][0] == "12–13.9"
    assert rows["South County"][0] == "no data"


def test_arrests_layer_shows_the_stored_crude_rate_beside_its_count_and_population(client,
                                                                                   sample):
    html = client.get("/states/zz/counties/?layer=arrests&year=2016").content.decode()
    rows = rows_of(html)
    # 250 arrests / 50,000 residents * 100,000 = 500.0
    assert rows["North County"][:3] == ["500.0", "250", "50,000"]
    assert rows["South County"][:3] == ["0.0", "0", "20,000"]  # zero is a value
    assert rows["East County"][:3] == ["no data", "no data", "10,000"]
    assert "crude" in html.lower()
    assert "impute" in html  # the ICPSR caveat


def test_the_rate_is_read_as_stored_never_made_in_the_view(client, sample):
    """The pipeline makes the rate (pipeline/derive.py); the pages only read it: a stored
    value the count and the population would not give is shown as stored, and a county with
    a count and a population but no stored rate has no rate."""
    north, south, _ = sample["counties"]
    places.obs(north, atlas_sample.COUNTY_RATE, "2016", 123.4, sample["sources"]["icpsr"],
               "imputed")
    Observation.objects.filter(jurisdiction=south, measure_id=atlas_sample.COUNTY_RATE).delete()
    rows = rows_of(client.get("/states/zz/counties/?layer=arrests&year=2016").content.decode())
    assert rows["North County"][:3] == ["123.4", "250", "50,000"]
    assert rows["South County"][:3] == ["no data", "0", "20,000"]
    page = client.get("/states/zz/counties/52001/")
    years = {cells[0]: cells[1:] for cells in (
        htmlpage.texts(row, "th, td") for row in htmlpage.select(page, "table.county-table tr"))}
    assert years["2016"][1:4] == ["250", "50,000", "123.4"]  # range | arrests | people | rate
    twin = client.get("/states/zz/counties/52001/?format=json").json()["years"]
    assert {r["year"]: r["arrest_rate"] for r in twin} == {2012: None, 2015: None, 2016: 123.4}


def test_arrest_years_are_the_years_with_a_stored_rate(client, sample):
    # 2012 has a county arrest count but no county population: the pipeline made no rate.
    response = client.get("/states/zz/counties/?layer=arrests&year=2012")
    assert response.status_code == 400
    assert "Years with data: 2016." in response.content.decode()


@pytest.mark.parametrize("query, message", [
    ("layer=deaths", "Unknown layer"),
    ("layer=overdose&year=1990", "No overdose data for year"),
    ("layer=overdose&year=abc", "No overdose data for year"),
    ("layer=arrests&sort=colour", "Unknown sort"),
])
def test_bad_layer_or_year_is_a_400_with_a_message(client, sample, query, message):
    response = client.get(f"/states/zz/counties/?{query}")
    assert response.status_code == 400
    assert message in unescape(response.content.decode())


def test_unknown_state_is_404(client, sample):
    assert client.get("/states/qq/counties/").status_code == 404


def test_sort_by_value_puts_no_data_last(client, sample):
    html = client.get("/states/zz/counties/?layer=arrests&year=2016&sort=value").content.decode()
    assert list(rows_of(html)) == ["North County", "South County", "East County"]
    assert 'aria-sort="descending"' in html


def test_json_twin(client, sample):
    data = client.get("/states/zz/counties/?layer=arrests&year=2016&format=json").json()
    assert data["rate"] == "crude"
    north = next(c for c in data["counties"] if c["name"] == "North County")
    assert north["value"] == 500.0 and north["arrests"] == 250 and north["population"] == 50000
    assert {s["id"] for s in data["sources"]} == {"test-icpsr"}


def test_a_state_without_geometry_still_gets_its_table(client, sample):
    html = client.get("/states/zz/counties/").content.decode()
    assert 'class="county-table"' in html
    assert "<svg class=\"choropleth" not in html  # Testland is not on the map


def test_report_a_problem_link(client, sample):
    html = unescape(client.get("/states/zz/counties/?layer=overdose&year=2016").content.decode())
    assert "/corrections/new/?page=%2Fstates%2Fzz%2Fcounties%2F%3Flayer%3Doverdose%26year%3D2016" in html


bundle = pytest.mark.skipif(not (settings.BUNDLE_DIR / "datapackage.json").exists(),
                            reason="the data bundle has not been built")


@bundle
def test_real_west_virginia_county_map(client):
    html = client.get("/states/wv/counties/?layer=overdose&year=2016").content.decode()
    assert '<svg class="choropleth counties" id="county-map"' in html
    assert len(htmlpage.select(html, 'a[href^="/states/wv/counties/54"]')) >= 50  # 55 counties
    assert rows_of(html)["McDowell County"][0] == "30 or more"


def test_each_county_has_a_page_with_its_series(client, atlas_db):
    html = client.get("/states/wv/counties/54047/").content.decode()
    assert "McDowell County, West Virginia" in html
    table = htmlpage.select(html, "table.county-table")[0]
    assert "30 or more" in htmlpage.text(table)  # the overdose range of some year
    years = htmlpage.texts(table, "th[scope=row]")
    assert any(len(y) == 4 and y.startswith("20") for y in years)
    assert '<svg class="chart"' in html and "Sources:" in html
    assert 'href="/states/wv/counties/"' in html
    assert client.get("/states/wv/counties/06037/").status_code == 404  # not a WV county
    assert client.get("/states/wv/counties/nope/").status_code == 404
