"""The "Consequences of a conviction" map layers, on the loaded bundle: unknown is drawn and
listed as unknown (never as "no ban"), and the combined layer counts the parts beside the
possession class."""
from __future__ import annotations

import datetime as dt

import pytest

import htmlpage
from drugatlas import clock
from drugatlas.atlas import consequences
from drugatlas.atlas.models import LawStatus
from drugatlas.maps import classify, layers

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 5)
QUESTIONS = consequences.QUESTIONS


def row_of(html: str, abbr: str) -> str:
    """A state's table row: its text and its links' addresses."""
    row = htmlpage.one(html, f'table tr[data-fips][data-abbr="{abbr}"]')
    return " ".join([htmlpage.text(row), *htmlpage.attrs(row, "a", "href")])


def area_of(html: str, abbr: str):
    return htmlpage.one(html, f'svg.choropleth a[href="/states/{abbr.lower()}/"][data-abbr="{abbr}"]')


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_each_question_is_a_layer_in_its_own_group(client):
    html = get(client, f"/?layer=snap_drug_felony_ban&as_of={DAY}")
    start = html.index('class="layers"')
    nav = html[start:html.index("</nav>", start)]
    assert "Consequences of a conviction" in nav
    for slug in ("consequences", *QUESTIONS):
        assert f'data-layer="{slug}"' in nav
        assert layers.LAYERS[slug].is_law


def test_unknown_snap_is_drawn_and_listed_as_no_source_found_not_as_no_ban():
    data = layers.build("snap_drug_felony_ban", as_of=DAY)
    idaho = next(r for r in data.rows if r.abbr == "ID")
    assert (idaho.key, idaho.text, idaho.rank) == (classify.UNKNOWN, "No source found", None)
    assert "unknown" not in " ".join(idaho.notes)  # no "confidence: unknown" shown to readers
    assert data.legend.bin(classify.UNKNOWN).fill == "pattern:unknown"
    assert data.legend.counts[classify.UNKNOWN] == 23
    assert data.legend.counts["no_ban"] == 12
    assert data.legend.counts["full_ban"] == 1  # South Carolina


def test_unknown_row_on_the_page_table_tooltip_and_legend(client):
    html = get(client, f"/?layer=snap_drug_felony_ban&as_of={DAY}")
    row = row_of(html, "ID")
    assert "No source found" in row and "No ban" not in row
    area = area_of(html, "ID")
    assert area["data-value"] == "No source found"
    assert area["fill"] == "url(#map-unknown)"
    unknown = htmlpage.one(html, '#legend li[data-key="unknown"]')
    assert "No source found" in htmlpage.text(unknown)


def test_a_known_value_cites_its_source_and_year(client):
    html = get(client, f"/?layer=license_suspension_drug&as_of={DAY}")
    row = row_of(html, "AL")
    assert "License suspended for drug offenses" in row
    assert "start date not recorded; confirmed as of 2021-10" in row
    assert "prisonpolicy.org" in row
    assert htmlpage.select(html, '#legend li[data-key="yes"]')
    # The dates are when a source saw the rule, not changes of it: none is listed as one.
    assert "Changes on this layer" not in html


def test_before_the_sources_date_the_value_is_not_known():
    data = layers.build("license_suspension_drug", as_of=dt.date(2015, 1, 1))
    alabama = next(r for r in data.rows if r.abbr == "AL")
    assert alabama.key == classify.UNKNOWN


def test_combined_layer_counts_parts_beside_the_possession_class():
    data = layers.build("consequences", as_of=DAY)
    rows = {r.abbr: r for r in data.rows}
    al = rows["AL"]  # felony possession: SNAP modified ban, license, vote; TANF not found
    assert (al.key, al.text, al.hatched) == ("3", "at least 3 of 4", True)
    notes = "; ".join(al.notes)
    assert "possession: Felony" in notes
    assert "cash assistance (TANF): no source found" in notes
    assert "the driver's license: license suspended for drug offenses" in notes
    # Alaska: possession is a misdemeanor, so the felony rules do not apply to it.
    ak = rows["AK"]
    assert (ak.key, ak.text, ak.hatched) == ("0", "0 of 4", False)
    assert "food assistance (SNAP): does not apply (possession is not a felony)" in ak.notes
    assert sum(data.legend.counts.get(str(k), 0) for k in range(5)) == 51
    assert data.hatch_label


def test_combined_layer_never_counts_an_unknown_part_as_no(client):
    # An editor finds the source for Alabama's TANF rule: the count rises and is no longer
    # "at least".
    tanf = LawStatus.objects.as_of(DAY).get(jurisdiction__abbr="AL", topic="tanf_drug_felony_ban")
    tanf.status, tanf.confidence = "full_ban", "high"
    tanf.save()
    al = next(r for r in layers.build("consequences", as_of=DAY).rows if r.abbr == "AL")
    assert (al.key, al.text, al.hatched) == ("4", "4 of 4", False)


def test_combined_layer_page_says_what_hatching_means(client):
    with clock.frozen(DAY):
        html = get(client, "/?layer=consequences")
    assert "Hatched: at least this many; a part has no source found" in html
    assert "at least 3 of 4" in row_of(html, "AL")


def test_sources_page_describes_the_layers(client):
    html = get(client, "/sources/")
    assert "Consequences of a first possession conviction" in html
    assert "Driver&#x27;s license and drug convictions" in html


def test_spanish_map_layers(client):
    with clock.frozen(DAY):
        html = client.get("/es/?layer=consequences").content.decode()
    assert "Consecuencias de una condena" in html
    assert "al menos 3 de 4" in row_of(html, "AL")
    assert "posesión: Delito grave" in row_of(html, "AL")
    html = client.get(f"/es/?layer=snap_drug_felony_ban&as_of={DAY}").content.decode()
    assert "No se encontró fuente" in row_of(html, "ID")
