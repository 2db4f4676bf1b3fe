"""The phone layout at 390×844: no page type is wider than the screen, in English and Spanish;
the home map is in the first screen; axe-core finds nothing on the pages this layout changed."""
from __future__ import annotations

import re

import pytest
from browser_helpers import new_page, run_axe, screenshot

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844

PAGES = ["/", "/?layer=arrests", "/states/tx/", "/states/or/counties/", "/legislation/", "bill",
         "/reinvest/?state=TX", "/reinvest/assumptions/", "/sources/", "/about/",
         "/api/v1/docs/", "/changes/", "/corrections/new/", "/updates/",
         "/embed/map/?layer=possession", "/embed/states/tx/",
         "/embed/states/tx/charts/arrests/", "/states/zz/"]


def phone(browser, site_server, language: str):
    return new_page(browser, width=WIDTH, height=HEIGHT)


def localized(path: str, language: str) -> str:
    """Spanish pages live under /es/; the API has one URL for both languages."""
    return path if language == "en" or path.startswith("/api/") else "/es" + path


def first_bill(page, site_server, language: str) -> str:
    page.goto(site_server + localized("/legislation/", language))
    href = page.locator("table.bills a[href*='/legislation/']").first.get_attribute("href")
    assert re.fullmatch(r"(/es)?/legislation/[\w-]+/", href)
    return href


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_page_is_wider_than_a_phone(site_server, browser, language):
    page = phone(browser, site_server, language)
    too_wide = {}
    for path in PAGES:
        path = (first_bill(page, site_server, language) if path == "bill"
                else localized(path, language))
        page.goto(site_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide[path] = width
            screenshot(page, f"phone-too-wide-{language}-{path.strip('/').replace('/', '-')}")
    assert too_wide == {}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_home_map_is_in_the_first_screen(site_server, browser, language):
    page = phone(browser, site_server, language)
    page.goto(site_server + localized("/", language))
    assert page.locator("html").get_attribute("lang") == language
    box = page.locator("figure.map svg").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, box
    assert box["width"] <= WIDTH
    # The headline figures follow the map.
    cards = page.locator(".headlines").bounding_box()
    assert cards["y"] > box["y"] + box["height"]
    # Each group of layers is one row.
    for group in page.locator(".layers ul").all():
        assert group.bounding_box()["height"] < 60
    screenshot(page, f"phone-home-{language}")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_county_map_starts_in_the_first_screen(site_server, browser, language):
    page = phone(browser, site_server, language)
    page.goto(site_server + localized("/states/or/counties/", language))
    if page.locator("#county-map").count() == 0:
        pytest.skip("no county data in this database")
    box = page.locator("#county-map").bounding_box()
    assert box["y"] + box["height"] <= HEIGHT and box["width"] <= WIDTH, box  # all of it
    method = page.locator(".counties-page > .method").bounding_box()
    assert method["y"] > box["y"] + box["height"]
    page.context.close()


def test_wide_tables_scroll_in_their_box_with_a_hint(site_server, browser):
    page = phone(browser, site_server, "en")
    page.goto(site_server + "/")
    assert page.locator(".scroll-hint").first.is_visible()
    scroller = page.locator(".table-scroll").first
    assert scroller.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    page.goto(site_server + "/states/tx/")
    for chart in page.locator("svg.chart:visible").all():  # the narrow drawings here
        assert chart.bounding_box()["width"] <= WIDTH
    # Legislation: the filters sit behind a button, the first bill is on the first screen.
    page.goto(site_server + "/legislation/")
    assert page.locator("details.filters-panel").get_attribute("open") is None
    assert page.locator("table.bills tbody tr").first.bounding_box()["y"] < HEIGHT
    wide = new_page(browser, width=1366, height=900)
    wide.goto(site_server + "/legislation/")
    assert wide.locator("details.filters-panel").get_attribute("open") is not None
    wide.context.close()


@pytest.mark.parametrize("path", ["/", "/states/tx/", "/legislation/", "/api/v1/docs/"])
def test_changed_pages_pass_axe_on_a_phone(site_server, browser, path):
    page = phone(browser, site_server, "en")
    page.goto(site_server + path)
    violations = run_axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


@pytest.mark.parametrize("width", [WIDTH, 1366])
def test_legend_counts_never_wrap(site_server, browser, width):
    page = new_page(browser, width=width, height=HEIGHT)
    for layer in ("arrests", "good_samaritan", "decriminalization"):
        page.goto(f"{site_server}/?layer={layer}")
        counts = page.locator(".legend .count")
        assert counts.count() >= 2
        lines = counts.evaluate_all("els => els.map(e => e.getClientRects().length)")
        assert set(lines) == {1}, (layer, lines)
