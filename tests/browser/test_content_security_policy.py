"""The pages' own scripts and styles work under the site's Content-Security-Policy."""
from __future__ import annotations

import pytest
from browser_helpers import new_page

pytestmark = pytest.mark.browser
STATE = ".choropleth.states a"


def test_map_panel_works_under_the_policy(site_server, browser):
    page = new_page(browser, enforce_csp=True)
    page.goto(site_server + "/?layer=possession&as_of=2025-01-01")
    page.locator(f'{STATE}[data-abbr="OR"] path').click()
    page.locator('#state-panel a[href="/states/or/"]').wait_for()  # script and API call ran
    # the stylesheet applied: the honeypot field of the footer form is off screen
    box = page.locator(".signup-hp").bounding_box()
    assert box is None or box["x"] < -1000
    assert page.csp_violations == [] and page.errors == []
    page.context.close()


@pytest.mark.parametrize("path", ["/reinvest/", "/legislation/", "/corrections/new/", "/updates/",
                                  "/states/or/", "/admin/login/"])
def test_no_page_breaks_the_policy(site_server, browser, path):
    page = new_page(browser, enforce_csp=True)
    page.goto(site_server + path)
    page.wait_for_load_state("networkidle")
    assert page.csp_violations == [] and page.errors == []
    page.context.close()
