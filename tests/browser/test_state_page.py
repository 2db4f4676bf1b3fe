"""State, county, sources and about pages in Debian's Chromium: complete without JavaScript,
keyboard reachable, a one-page printout, readable on a phone, and axe-core clean of serious
and critical violations. Works on the real bundle or the sample rows the server loads instead.
Screenshots and PDFs are saved under tests/artifacts/ (look at them)."""
from __future__ import annotations

import re

import pytest
from browser_helpers import ARTIFACTS, new_page, run_axe, screenshot

pytestmark = pytest.mark.browser


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def test_state_page_is_complete_without_javascript(site_server, browser):
    page = new_page(browser, javascript=False)
    response = page.goto(site_server + "/states/OR/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Oregon"
    timeline = page.locator(".laws .topic-possession .timeline")
    text = timeline.inner_text()
    assert "2021-02-01 – 2024-08-31" in text and "Not criminalized" in text
    assert "2024-09-01 – today" in text and "Misdemeanor" in text
    assert timeline.locator("li.in-force").count() == 1
    follow = page.get_by_role("link", name="Follow Oregon", exact=True)
    assert follow.get_attribute("href") == "/updates/?states=OR"
    assert page.locator('a[href^="/corrections/new/?page=%2Fstates%2For%2F"]').count() >= 2
    assert not page.errors
    screenshot(page, "state-oregon", full_page=True)
    page.context.close()


def test_charts_are_images_with_names_and_a_data_table(site_server, browser):
    page = new_page(browser, javascript=False)
    page.goto(site_server + "/states/wv/")
    chart = page.get_by_role("img", name=re.compile(r"^Overdose deaths per 100,000 residents "
                                                    r"of West Virginia"))
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 400
    figure = page.locator("#figure-overdose-rate")
    table = figure.locator("details table")
    assert not table.is_visible()
    figure.locator("details.data-table summary").click()  # <details> opens without a script
    assert table.is_visible()
    assert re.search(r"2017\s+57\.8", table.inner_text())
    screenshot(page, "state-west-virginia-chart")
    page.context.close()


def test_keyboard_reaches_every_control_in_order(site_server, browser):
    page = new_page(browser)
    page.goto(site_server + "/states/wv/")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "(() => { const e = document.activeElement;"
            " return (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 60); })()"))
    assert reached[0] == "Skip to content"
    assert "Follow West Virginia" in reached
    assert "Data table" in reached
    # Each chart's scroll box takes focus, so a keyboard can scroll a wide chart on a phone.
    assert any(r.startswith("Overdose deaths per 100,000 residents") for r in reached), "; ".join(reached)
    page.context.close()


@pytest.mark.parametrize("abbr", ["or", "wv", "wa"])
def test_printout_is_one_page(site_server, browser, abbr):
    page = new_page(browser)
    page.goto(site_server + f"/states/{abbr}/")
    page.emulate_media(media="print")
    for paper in ("Letter", "A4"):
        data = page.pdf(format=paper, print_background=True)
        (ARTIFACTS / f"state-{abbr}-{paper.lower()}.pdf").write_bytes(data)
        assert pdf_pages(data) == 1, f"/states/{abbr}/ prints on {pdf_pages(data)} {paper} pages"
    # The printout drops the screen-only parts and keeps the figures.
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".report").first.is_hidden()
    assert page.locator(".page-foot .sources-line").is_visible()
    page.context.close()


@pytest.mark.parametrize("path", ["/states/wv/", "/states/or/", "/states/wa/",
                                  "/states/tx/counties/?layer=arrests", "/sources/", "/about/"])
def test_phone_width_has_no_sideways_page_scroll(site_server, browser, path):
    page = new_page(browser, width=390, height=844)
    page.goto(site_server + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if path == "/states/wv/":
        # The chart shows its narrow drawing at the width it has, with nothing to scroll.
        box = page.locator("#figure-overdose-rate .chart-scroll")
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
        shown = page.locator("#figure-overdose-rate svg.chart:visible")
        assert shown.get_attribute("id") == "chart-overdose-rate-narrow"
        assert shown.bounding_box()["width"] <= 390
        screenshot(page, "state-west-virginia-phone")
    page.context.close()


def test_county_page_without_javascript(site_server, browser):
    page = new_page(browser, javascript=False)
    response = page.goto(site_server + "/states/wv/counties/?layer=overdose")
    assert response.status == 200
    counties = page.locator("svg.choropleth.counties a")
    if page.locator("table.county-table").count():  # the real bundle has county data
        assert counties.count() == 55
        mcdowell = page.locator('svg.choropleth.counties a[href="/states/wv/counties/54047/"]')
        assert mcdowell.get_attribute("aria-label").startswith("McDowell County: 30 or more")
        page.select_option("#county-year", "2010")
        page.click("button[type=submit]")
        assert "year=2010" in page.url
        assert page.locator(".counties-page").get_attribute("data-year") == "2010"
    else:
        assert "No county data" in page.locator(".counties-page").inner_text()
    screenshot(page, "counties-west-virginia", full_page=True)
    bad = page.goto(site_server + "/states/wv/counties/?layer=nope")
    assert bad.status == 400
    assert "Unknown layer" in page.locator("[role=alert]").inner_text()
    page.context.close()


@pytest.mark.parametrize("path", ["/states/or/", "/states/wv/", "/states/us/", "/states/wv/counties/",
                                  "/sources/", "/about/"])
def test_axe_finds_no_serious_or_critical_violations(site_server, browser, path):
    page = new_page(browser)
    page.goto(site_server + path)
    page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
    violations = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not violations, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                            for v in violations]
    if path in ("/sources/", "/about/"):
        screenshot(page, "page" + path.strip("/").replace("/", "-"))
    page.context.close()


def test_county_map_shows_a_tooltip_on_hover_and_keyboard_focus(site_server, browser):
    page = new_page(browser)
    page.goto(site_server + "/states/wv/counties/?layer=overdose")
    counties = page.locator("svg.choropleth.counties a")
    if not counties.count():
        pytest.skip("no county data in this server")
    tip = page.locator(".county-map .tooltip")
    counties.nth(3).hover()
    assert tip.is_visible()
    assert tip.inner_text() == counties.nth(3).get_attribute("aria-label")
    page.mouse.move(0, 0)
    counties.first.focus()  # a county is a link: Tab reaches it
    assert tip.is_visible() and tip.inner_text() == counties.first.get_attribute("aria-label")
    counties.first.press("Enter")
    page.wait_for_url(re.compile(r"/states/wv/counties/54\d{3}/$"))
    assert page.locator("table.county-table").is_visible()
    assert page.errors == []
    page.context.close()
