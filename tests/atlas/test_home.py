"""The home map `/`: layers, years and dates, legend, table, sorting, 400s, caching.

Most tests create the rows they need (so they hold with or without the data bundle loaded);
the last ones check the real bundle where it exists."""
from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from map_sample import add_sample_rows

import htmlpage

from drugatlas.atlas.cache import bump_data_version
from drugatlas.atlas.models import Observation


@pytest.fixture
def sample(db):
    return add_sample_rows()


def row(html: str, abbr: str):
    return htmlpage.one(html, f'table tr[data-fips][data-abbr="{abbr}"]')


def row_of(html: str, abbr: str) -> str:
    """The text of a state's table row, as a reader sees it."""
    return htmlpage.text(row(html, abbr))


def row_links(html: str, abbr: str) -> list[str]:
    return htmlpage.attrs(row(html, abbr), "a", "href")


def state_link(html: str, abbr: str):
    return htmlpage.one(html, f'svg.choropleth a[href="/states/{abbr.lower()}/"][data-abbr="{abbr}"]')


def fills(link) -> list[str]:
    """The map link's fill (on the link itself) and its parts' fills."""
    return [link.get("fill"), *htmlpage.attrs(link, "[fill]", "fill")]


def cells(html: str, abbr: str) -> list[str]:
    return htmlpage.texts(row(html, abbr), "td")


def table_order(html: str) -> list[str]:
    return htmlpage.attrs(html, "table tr[data-fips]", "data-abbr")


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_default_page_is_the_possession_map_as_of_today(client, sample, set_clock):
    set_clock(dt.date(2026, 12, 5))
    html = get(client, "/")
    assert '<svg class="choropleth states"' in html
    assert html.count('<a href="/states/') >= 51 * 2  # each state on the map and in the table
    assert len(htmlpage.select(html, "table tr[data-fips]")) == 51
    assert "as of 2026-12-05" in html
    assert "Misdemeanor" in row_of(html, "OR")
    assert 'type="module"' in html


def test_oregon_possession_follows_the_as_of_date(client, sample):
    html = get(client, "/?layer=possession&as_of=2022-01-01")
    assert "Not criminalized" in row_of(html, "OR")
    assert "since 2021-02-01" in row_of(html, "OR")
    assert 'aria-label="Oregon: Not criminalized, since 2021-02-01"' in html
    html = get(client, "/?layer=possession&as_of=2025-01-01")
    assert "Misdemeanor" in row_of(html, "OR")
    assert "Felony" in row_of(get(client, "/?layer=possession&as_of=2020-06-30"), "OR")


def test_a_year_on_a_law_layer_means_the_end_of_that_year(client, sample):
    assert "Not criminalized" in row_of(get(client, "/?layer=possession&year=2022"), "OR")


def test_law_rows_carry_citations_and_low_confidence(client, sample):
    html = get(client, "/?layer=possession&as_of=2025-01-01")
    assert "https://law.example.org/or" in row_links(html, "OR")
    assert "confidence: low" in row_of(html, "ID")
    assert "Not in this atlas for this date" in row_of(html, "MT")


def test_states_without_a_law_record_say_no_data(client, sample):
    html = get(client, "/?layer=possession&as_of=2025-01-01")
    assert "No data" in row_of(html, "WY")
    assert "url(#map-nodata)" in fills(state_link(html, "WY"))
    # The legend counts classes, including the no-data ones.
    assert "Felony (1 state)" in htmlpage.texts(html, ".legend li")


def test_arrest_layer_hatches_low_coverage_and_never_shows_missing_as_zero(client, sample):
    html = get(client, "/?layer=arrests&year=2019")
    assert "581" in row_of(html, "MS")
    assert "agencies cover 96% of residents" in row_of(html, "MS")
    tx = row_of(html, "TX")
    assert "301" in cells(html, "TX") and "low coverage" in tx  # 300.5 rounded half away from zero
    assert state_link(html, "TX").select(".hatch")
    assert not state_link(html, "MS").select(".hatch")
    assert "agencies cover under half of residents" in html  # the legend says what hatching means
    ak = row_of(html, "AK")
    assert "No data" in ak and "no agency reported" in ak and "0" not in cells(html, "AK")
    assert "url(#map-nodata)" in fills(state_link(html, "AK"))
    assert "https://example.org/figures" in row_links(html, "MS")


def test_overdose_layer_says_age_adjusted_or_crude(client, sample):
    wv = row_of(get(client, "/?layer=overdose&year=2017"), "WV")
    assert "57.8" in wv and "age-adjusted" in wv
    html = get(client, "/?layer=overdose&year=2023")
    assert "80.1" in row_of(html, "WV") and "crude" in row_of(html, "WV")
    assert "provisional" in row_of(html, "WV")
    nh = row_of(html, "NH")
    assert "0.0" in cells(html, "NH") and "No data" not in nh  # zero is a value, not missing


def test_overdose_title_says_which_rate_the_year_has(client, sample):
    assert "Overdose deaths per 100,000, 2017 (age-adjusted)" in get(client, "/?layer=overdose&year=2017")
    assert "2023 (crude, provisional)" in get(client, "/?layer=overdose&year=2023")


def test_decriminalization_layer_combines_laws_in_force_and_bills(client, sample):
    from drugatlas.atlas.models import Bill, BillEvent, LawStatus

    LawStatus.objects.filter(topic="decriminalization").delete()
    Bill.objects.all().delete()
    LawStatus.objects.create(jurisdiction_id="41", topic="decriminalization", status="enacted",
                             valid_from=dt.date(2020, 11, 3), valid_to=dt.date(2021, 1, 31),
                             citations="https://law.example.org/m110")
    LawStatus.objects.create(jurisdiction_id="41", topic="decriminalization", status="in_effect",
                             valid_from=dt.date(2021, 2, 1), valid_to=dt.date(2024, 8, 31),
                             citations="https://law.example.org/m110")
    m110 = Bill.objects.create(key="t-m110", jurisdiction_id="41", number="Measure 110",
                               title="M110", status="repealed", citations="https://e.org/m110")
    for date, status in (("2020-11-03", "enacted"), ("2021-02-01", "in_effect"),
                         ("2024-09-01", "repealed")):
        BillEvent.objects.create(bill=m110, date=dt.date.fromisoformat(date), status=status,
                                 action=status)
    vt = Bill.objects.create(key="t-vt", jurisdiction_id="50", number="H.422", title="VT",
                             status="introduced", citations="https://e.org/vt")
    BillEvent.objects.create(bill=vt, date=dt.date(2021, 5, 26), status="introduced", action="in")
    bump_data_version()
    html = get(client, "/?layer=decriminalization&as_of=2022-01-01")
    assert "In effect" in row_of(html, "OR") and "since 2021-02-01" in row_of(html, "OR")
    assert "Bill introduced" in row_of(html, "VT") and "H.422: introduced 2021-05-26" in row_of(html, "VT")
    assert "No decriminalization law" in row_of(html, "TX")
    html = get(client, "/?layer=decriminalization&as_of=2025-01-01")
    oregon = row_of(html, "OR")
    assert "No decriminalization law" in oregon and "Measure 110: repealed 2024-09-01" in oregon
    assert "No decriminalization law" in row_of(html, "VT")  # its bill is out of the window
    assert "Enacted, not yet in effect" in row_of(
        get(client, "/?layer=decriminalization&as_of=2020-12-01"), "OR")


def test_table_sorts_by_value_with_no_data_last(client, sample):
    html = get(client, "/?layer=arrests&year=2019&sort=-value")
    order = table_order(html)
    assert order[:2] == ["MS", "TX"] and order.index("AK") > 1
    html = get(client, "/?layer=arrests&year=2019&sort=value")
    order = table_order(html)
    assert order[:2] == ["TX", "MS"]
    assert 'aria-sort="ascending"' in html
    html = get(client, "/?layer=possession&as_of=2025-01-01&sort=-value")
    order = table_order(html)
    assert order[0] == "TX" and order.index("ID") < order.index("OR")
    assert get(client, "/?sort=-name").index('data-abbr="WY"') < get(client, "/").index('data-abbr="AL"') + 10**6


@pytest.mark.parametrize("query, message", [
    ("layer=nope", "no map layer"),
    ("layer=arrests&year=19x9", "four digits"),
    ("layer=arrests&year=1931", "No data for 1931"),
    ("as_of=2022-13-01", "YYYY-MM-DD"),
    ("as_of=1901-01-01", "as of 1970-01-01"),
    ("sort=size", "can be sorted"),
])
def test_bad_parameters_answer_400_with_a_message(client, sample, query, message):
    html = get(client, f"/?{query}", status=400)
    assert message in html
    assert 'role="alert"' in html


def test_the_map_view_is_cached_until_the_data_change(client, sample):
    url = "/?layer=overdose&year=2017"
    assert "57.8" in get(client, url)
    Observation.objects.filter(measure_id="overdose_death_rate_age_adjusted", period="2017",
                               jurisdiction_id="54").update(value=58.9)
    assert "57.8" in get(client, url)  # served from the cache
    bump_data_version()
    assert "58.9" in get(client, url)


def test_national_headlines_carry_sources(client, sample):
    html = get(client, "/")
    headlines = html[html.index('class="headlines"'):]
    # No final count in this sample: the provisional one leads, labelled as such.
    assert ("105,007</strong> drug overdose deaths in the 12 months ending December 2023 "
            "(provisional count)") in headlines
    assert "1,558,862" in headlines and "75%" in headlines
    assert 'href="https://example.org/figures"' in headlines


def test_no_third_party_requests(client, sample):
    html = get(client, "/")
    for tag in htmlpage.select(html, "script, link, img, iframe"):
        if set(tag.get("rel") or ()) & {"canonical", "alternate"}:
            continue  # names this page's address; loads nothing
        for name in ("src", "href", "srcset"):
            address = tag.get(name) or ""
            assert not address.startswith(("http:", "https:", "//")), tag


def test_every_state_on_the_map_is_named_for_assistive_technology(client, sample):
    html = get(client, "/?layer=arrests&year=2019")
    links = htmlpage.select(html, "svg.choropleth a")
    assert len(links) == 51
    assert all(a.get("aria-label") for a in links)
    assert "Mississippi: 581 (agencies cover 96% of residents), 2019" in [a["aria-label"] for a in links]


# --- The real data bundle -----------------------------------------------------------------

needs_bundle = pytest.mark.skipif(not (settings.BUNDLE_DIR / "datapackage.json").exists(),
                                  reason="the data bundle has not been built yet")


@needs_bundle
def test_real_oregon_possession_2022_and_2025(client, atlas_db):
    assert "Not criminalized" in row_of(get(client, "/?layer=possession&as_of=2022-01-01"), "OR")
    assert "Misdemeanor" in row_of(get(client, "/?layer=possession&as_of=2025-01-01"), "OR")


@needs_bundle
def test_real_west_virginia_2017_overdose_rate(client, atlas_db):
    wv = row_of(get(client, "/?layer=overdose&year=2017"), "WV")
    assert "57.8" in wv and "age-adjusted" in wv


@needs_bundle
def test_real_every_layer_renders(client, atlas_db):
    from drugatlas.maps.layers import LAYERS

    for slug in LAYERS:
        html = get(client, f"/?layer={slug}")
        assert len(htmlpage.select(html, "table tr[data-fips]")) == 51, slug
