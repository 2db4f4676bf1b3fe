"""The consequences layers in Chromium: the state panel reads the combined count with its parts
and the questions with their years; axe finds nothing serious on the layer and the state page."""
from __future__ import annotations

import pytest
from browser_helpers import new_page, run_axe, screenshot

pytestmark = pytest.mark.browser

STATE = ".choropleth.states a"


def test_panel_shows_the_count_its_parts_and_the_years(site_server, browser):
    page = new_page(browser)
    page.goto(site_server + "/?layer=consequences")
    page.locator(f'{STATE}[data-abbr="AL"] path').click()
    panel = page.locator("#state-panel")
    panel.wait_for(state="visible")
    panel.locator('a[href="/states/al/"]').wait_for()
    text = panel.inner_text()
    assert "at least 3 of 4" in text
    assert "cash assistance (TANF): no source found" in text
    assert "License suspended for drug offenses (start date not recorded; confirmed as of 2021-10)" in text
    assert "unknown" not in text.lower().replace("no source found", "")
    screenshot(page, "map-consequences-panel")
    page.context.close()


def test_switching_to_a_question_layer_without_reload(site_server, browser):
    page = new_page(browser)
    page.goto(site_server + "/?layer=consequences")
    page.click('.layers a[data-layer="snap_drug_felony_ban"]')
    page.wait_for_url("**layer=snap_drug_felony_ban**")
    row = page.locator('#map-table tr[data-abbr="ID"]')
    assert "No source found" in row.inner_text()
    page.context.close()


@pytest.mark.parametrize("path", ["/?layer=consequences", "/?layer=felony_voting", "/states/al/"])
def test_axe_finds_no_serious_or_critical_violations(site_server, browser, path):
    page = new_page(browser)
    page.goto(site_server + path)
    violations = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                              for v in violations]
    page.context.close()
