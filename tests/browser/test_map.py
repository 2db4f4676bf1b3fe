"""The home map in Debian's Chromium: without JavaScript, layer and year switching, keyboard,
the state panel, URL sync and Back, no third-party requests, and axe-core. Screenshots are
saved under tests/artifacts/."""
from __future__ import annotations

import json
import re
import urllib.request

import pytest
from browser_helpers import new_page, run_axe, screenshot

from drugatlas import formatting

pytestmark = pytest.mark.browser

STATE = ".choropleth.states a"


def focused_abbr(page) -> str | None:
    return page.evaluate("document.activeElement?.dataset?.abbr || null")


def test_map_renders_with_javascript_off(site_server, browser):
    page = new_page(browser, javascript=False)
    page.goto(site_server + "/?layer=possession&as_of=2022-01-01")
    assert page.locator(STATE).count() == 51
    oregon = page.locator(f'{STATE}[data-abbr="OR"]')
    assert oregon.get_attribute("aria-label").startswith("Oregon: Not criminalized")
    assert oregon.locator("path").bounding_box()["width"] > 50  # drawn, at a readable size
    assert "Not criminalized" in page.locator('#map-table tr[data-abbr="OR"]').inner_text()
    assert page.locator("#legend li").count() >= 2
    screenshot(page, "map-no-js", full_page=True)
    # Links and the form work without a script: a layer link loads its own URL.
    page.click('.layers a[data-layer="overdose"]')
    assert "layer=overdose" in page.url
    assert page.locator(STATE).count() == 51
    page.context.close()


def test_layer_and_year_change_without_reload_and_back_works(site_server, browser):
    page = new_page(browser)
    page.goto(site_server + "/?layer=possession&as_of=2022-01-01")
    page.evaluate("window.__sameDocument = true")
    page.click('.layers a[data-layer="overdose"]')
    page.wait_for_url(re.compile(r"layer=overdose"))
    heading = page.locator("#map-heading")
    assert "Overdose" in heading.inner_text()
    years = page.locator("#year option").all_inner_texts()
    assert len(years) >= 2
    first_title = heading.inner_text()
    page.select_option("#year", years[0])
    page.wait_for_url(re.compile(rf"year={years[0]}"))
    assert years[0] in heading.inner_text() and heading.inner_text() != first_title
    screenshot(page, "map-overdose-first-year")

    page.go_back()
    page.wait_for_url(re.compile(r"layer=overdose$"))
    # The URL changes at once; the view follows when its fetch is done.
    page.wait_for_function("t => document.getElementById('map-heading').textContent === t",
                           arg=first_title)
    page.go_back()
    page.wait_for_url(re.compile(r"layer=possession&as_of=2022-01-01"))
    page.wait_for_function("document.getElementById('map-heading').textContent.includes('2022-01-01')")
    assert page.locator('#map-table tr[data-abbr="OR"]').inner_text().count("Not criminalized")
    # Still the same document: nothing reloaded.
    assert page.evaluate("window.__sameDocument") is True
    assert page.errors == []
    page.context.close()


def test_as_of_date_switch_shows_oregons_changes(site_server, browser):
    page = new_page(browser)
    page.goto(site_server + "/?layer=possession&as_of=2022-01-01")
    page.fill("#as_of", "2025-01-01")
    page.wait_for_url(re.compile(r"as_of=2025-01-01"))
    page.wait_for_function("document.getElementById('map-heading').textContent.includes('2025-01-01')")
    assert "Misdemeanor" in page.locator('#map-table tr[data-abbr="OR"]').inner_text()
    page.context.close()


def test_keyboard_moves_between_states_and_opens_the_panel(site_server, browser):
    page = new_page(browser)
    page.goto(site_server + "/?layer=possession")
    # One tab stop for the whole map: Tab from the last layer control lands on one state.
    assert page.locator(f'{STATE}[tabindex="0"]').count() == 1
    page.locator(f'{STATE}[data-abbr="KS"]').focus()
    page.keyboard.press("ArrowRight")
    assert focused_abbr(page) == "MO"
    page.keyboard.press("ArrowLeft")
    assert focused_abbr(page) == "KS"
    page.keyboard.press("ArrowUp")
    assert focused_abbr(page) == "NE"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused_abbr(page) == "OK"
    tooltip = page.locator("#map-tooltip")
    assert tooltip.is_visible() and "Oklahoma" in tooltip.inner_text()
    assert page.locator(f'{STATE}[tabindex="0"]').get_attribute("data-abbr") == "OK"
    screenshot(page, "map-keyboard-focus")

    page.keyboard.press("Enter")
    panel = page.locator("#state-panel")
    panel.wait_for(state="visible")
    assert panel.locator("h2").inner_text() == "Oklahoma"
    assert focused_abbr(page) is None  # focus moved into the panel
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert focused_abbr(page) == "OK"  # and back to the state
    assert page.url.endswith("/?layer=possession")
    page.context.close()


def test_clicking_a_state_opens_its_panel_without_leaving_the_map(site_server, browser):
    page = new_page(browser)
    page.goto(site_server + "/?layer=possession&as_of=2025-01-01")
    page.locator(f'{STATE}[data-abbr="OR"] path').click()
    panel = page.locator("#state-panel")
    panel.wait_for(state="visible")
    assert panel.locator("h2").inner_text() == "Oregon"
    assert "Misdemeanor" in panel.inner_text()
    # The summary comes from the API, then the link to the full page is added.
    panel.locator('a[href="/states/or/"]').wait_for()
    assert "Loading" not in panel.inner_text()
    assert "could not be loaded" not in panel.inner_text()
    assert page.url.endswith("as_of=2025-01-01")
    screenshot(page, "map-state-panel")
    page.context.close()


def test_panel_figures_are_rounded_as_the_server_rounds_them(site_server, browser):
    # West Virginia 2024: 413.8 arrests per 100,000 covered, 98.9% covered in Texas: the
    # script writes them as formatting.py does (414, 99%), with the page's separators.
    page = new_page(browser)
    page.goto(site_server + "/?layer=arrests&year=2024")
    for abbr, expected in (("WV", "per 100,000 residents covered: 414 (2024"),
                           ("TX", "reporting agencies: 99% (2024")):
        page.locator(f'{STATE}[data-abbr="{abbr}"] path').click()
        panel = page.locator("#state-panel")
        panel.locator(f'a[href="/states/{abbr.lower()}/"]').wait_for()
        assert expected in panel.inner_text()
        page.keyboard.press("Escape")
    page.context.close()


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_panel_writes_thousands_as_the_page_does_in_each_language(site_server, browser, prefix):
    # Texas's drug arrests run to five digits: 17,278-style punctuation in English and in
    # Spanish (the page's conventions), never the browser's Spanish 17.278.
    with urllib.request.urlopen(site_server + "/api/v1/states/tx") as answer:
        arrests = json.load(answer)["latest"]["drug_arrests"]["value"]
    assert arrests >= 1000
    page = new_page(browser)
    page.goto(site_server + prefix + "/?layer=arrests&year=2024")
    page.locator(f'{STATE}[data-abbr="TX"] path').click()
    panel = page.locator("#state-panel")
    panel.locator("li").first.wait_for()
    assert f": {formatting.number(arrests)} (" in panel.inner_text()
    page.context.close()


def test_table_sorts_without_reload(site_server, browser):
    page = new_page(browser)
    page.goto(site_server + "/?layer=possession")
    page.click("#map-table thead th:nth-child(1) a")
    page.wait_for_url(re.compile(r"sort=-name"))
    first = page.locator("#map-table tbody tr").first.get_attribute("data-abbr")
    assert first == "WY"
    page.context.close()


def test_the_page_makes_no_third_party_requests(site_server, browser):
    page = new_page(browser)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_server + "/?layer=arrests")
    page.locator(f'{STATE}[data-abbr="TX"] path').click()
    page.locator("#state-panel a[href='/states/tx/']").wait_for()
    assert requested and all(url.startswith(site_server) for url in requested), requested
    page.context.close()


@pytest.mark.parametrize("path", ["/", "/?layer=arrests", "/?layer=overdose", "/states/or/",
                                  "/sources/"])
def test_axe_finds_no_serious_or_critical_violations(site_server, browser, path):
    page = new_page(browser)
    page.goto(site_server + path)
    violations = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                              for v in violations]
    page.context.close()
