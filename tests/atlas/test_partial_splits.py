"""A possession or sale count that covers only part of its total says so in the state page's
data table (Alabama 1994: 10 possession arrests of 11,871 drug arrests, flagged partial)."""
from __future__ import annotations

import pytest
from django.conf import settings

import htmlpage

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (settings.BUNDLE_DIR / "laws.csv").exists(),
                                 reason="no data bundle")]


def row(client, path: str, figure: str, year: str) -> list[str]:
    doc = htmlpage.parse(client.get(path))
    table = htmlpage.one(doc, f"#figure-{figure}")
    rows = [r for r in table.select("tbody tr") if htmlpage.text(r, "th") == year]
    assert rows, year
    return htmlpage.texts(rows[0], "td")


def test_a_partial_split_is_not_shown_as_a_plain_count(client, atlas_db):
    total, possession, sale = row(client, "/states/al/", "arrests", "1994")
    assert total.startswith("11,871")
    assert possession.startswith("10 ") and "only part of the arrests broken down" in possession
    assert "only part of the arrests broken down" in sale
    # A full split says nothing more.
    assert "broken down" not in row(client, "/states/wv/", "arrests", "2005")[1]


def test_the_same_in_spanish(client, atlas_db):
    possession = row(client, "/es/states/al/", "arrests", "1994")[1]
    assert "solo una parte de los arrestos desglosada" in possession


def test_the_comparison_table_says_percent_and_names_each_publisher_once(client, atlas_db):
    doc = htmlpage.parse(client.get("/states/or/"))
    state, nation = htmlpage.texts(doc, '.compare tr[data-measure="arrest_coverage_share"] td')[:2]
    assert state.split()[0].endswith("%") and nation.split()[0].endswith("%")
    publishers = htmlpage.texts(doc, ".compare p.meta a")
    assert len(publishers) == len(set(publishers))
