"""The ICPSR state sums of 2008, 2010 and 2012 on state pages, a series of their own beside
FBI Table 69's (WV 2010: 6,195 possession, 1,638 sale); the nation's non-Hispanic Black share
of residents beside the Black share of drug arrests (2014: 41,316,519 of 318,857,056)."""
from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings

import htmlpage

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (settings.BUNDLE_DIR / "laws.csv").exists(),
                                 reason="no data bundle")]


def figure(html: str, slug: str):
    return htmlpage.one(htmlpage.parse(html), f"#figure-{slug}")


def table_row(figure, year: int) -> list[str]:
    rows = [r for r in figure.select("tbody tr") if htmlpage.text(r, "th") == str(year)]
    assert rows, year
    return htmlpage.texts(rows[0], "td")


def test_west_virginia_shows_the_icpsr_sums_apart_from_table_69(client, atlas_db):
    html = client.get("/states/wv/").content.decode()
    sums = figure(html, "arrests-icpsr")
    assert "ICPSR county-level sums (imputed)" in htmlpage.text(sums)
    assert table_row(sums, 2010) == ["7,986", "6,195", "1,638"]
    assert table_row(sums, 2012) == ["9,006", "7,098", "1,625"]
    assert "compare them only with each other" in htmlpage.text(sums)
    # Table 69's chart keeps its own count for 2010, with no ICPSR split beside it.
    arrests = htmlpage.text(figure(html, "arrests"))
    assert "6,195" not in arrests and "7,986" not in arrests
    profile = client.get("/states/wv/", {"format": "json"}).json()
    assert profile["trends"]["drug_arrests_possession_icpsr_sum"]["2010"] == 6195
    assert set(profile["trend_basis"]["drug_arrests_icpsr_sum"].values()) == {
        "ICPSR county-level sums, with estimates for agencies that did not report"}


def test_the_api_serves_the_sums_with_their_basis(client, atlas_db):
    data = client.get("/api/v1/observations", {"measure": "drug_arrests_possession_icpsr_sum",
                                               "jurisdiction": "WV"}).json()
    rows = {r["period"]: r for r in data["rows"]}
    assert set(rows) == {"2008", "2010", "2012"}
    assert rows["2010"]["value"] == 6195 and rows["2010"]["basis"] == "icpsr-state-sums+imputed"
    assert "compare only with each other" in data["measure"]["caveats"]


def test_the_national_page_sets_the_black_share_of_residents_beside_arrests(client, atlas_db):
    html = client.get("/states/us/").content.decode()
    text = htmlpage.text(htmlpage.parse(html))
    assert "not in this atlas's data yet" not in text
    assert re.search(r"In 2017, Black people were \d\d\.\d% of the drug arrests with race "
                     r"recorded, and non-Hispanic Black residents 13\.\d% of the population of "
                     r"the United States\.", text)
    assert "slightly low comparison" in text and "White is not compared" in text
    shares = figure(html, "race-population")
    assert table_row(shares, 2014)[1] == "13.0"  # 41,316,519 / 318,857,056
    assert table_row(shares, 2004)[0] and table_row(shares, 2017)[0]
    assert "2003" not in htmlpage.texts(shares, "tbody th")
    data = client.get("/api/v1/observations", {"measure": "population_non_hispanic_black",
                                               "jurisdiction": "US"}).json()
    assert {r["period"]: r["value"] for r in data["rows"]}["2014"] == 41_316_519
    spanish = client.get("/es/states/us/").content.decode()
    assert "residentes negros no hispanos" in unescape(spanish)
