"""At 390×844, in both languages: state charts are drawn for the width they have (text at
about 11 px or more, the last year and the series names inside the drawing), and the map's
small north-eastern states and DC are readable links with targets of 24 px or more (WCAG
2.5.8), with and without JavaScript; axe-core finds nothing on these pages."""
from __future__ import annotations

import re

import pytest
from browser_helpers import new_page, run_axe, screenshot

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844
PREFIX = {"en": "", "es": "/es"}

# Per visible chart: its scale, the smallest text in CSS px, the text boxes outside the
# drawing or the screen, the year labels, and the series' names in the key.
CHART_FACTS = """() => [...document.querySelectorAll('svg.chart')]
  .filter(svg => getComputedStyle(svg).display !== 'none')
  .map(svg => {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll('text')];
    const outside = texts.filter(t => {
      const r = t.getBoundingClientRect();
      return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
        || r.bottom > box.bottom + 1 || r.left < 0 || r.right > innerWidth;
    }).map(t => t.textContent);
    const figure = svg.closest('figure');
    const rows = [...figure.querySelectorAll('details table tbody th')].map(th => th.textContent);
    return {id: svg.id, width: box.width, scale,
            smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
            outside, years: texts.map(t => t.textContent).filter(s => /^\\d{4}$/.test(s)),
            lastYear: rows[rows.length - 1],
            key: [...svg.querySelectorAll('.series-key text')].map(t => t.textContent),
            series: [...svg.querySelectorAll('g.series')].map(g => g.dataset.series)};
  })"""


@pytest.mark.parametrize("language", ["en", "es"])
def test_state_charts_redraw_for_a_phone(site_server, browser, language):
    page = new_page(browser, width=WIDTH, height=HEIGHT)
    page.goto(f"{site_server}{PREFIX[language]}/states/tx/")
    charts = page.evaluate(CHART_FACTS)
    assert charts, "no chart shown"
    for chart in charts:
        assert chart["id"].endswith("-narrow"), chart["id"]  # the drawing made for this width
        assert chart["width"] <= WIDTH
        assert chart["smallest"] >= 10.5, chart
        assert chart["outside"] == [], chart
        assert chart["lastYear"] in chart["years"], chart  # the last year is labelled
        if chart["series"]:  # line charts name every series in the key, inside the drawing
            assert [s[:20] for s in chart["key"]] == [s[:20] for s in chart["series"]], chart
    page.locator("#figure-arrests").scroll_into_view_if_needed()
    screenshot(page, f"phone-state-charts-{language}")
    # No sideways scrolling inside the chart boxes either.
    assert page.evaluate("""() => [...document.querySelectorAll('.chart-figure .chart-scroll')]
        .every(e => e.scrollWidth <= e.clientWidth)""")
    # A wide screen keeps the wide drawing, labels at the line ends.
    wide = new_page(browser, width=1366, height=900)
    wide.goto(f"{site_server}{PREFIX[language]}/states/tx/")
    shown = wide.evaluate(CHART_FACTS)
    assert shown and all(not c["id"].endswith("-narrow") and c["outside"] == [] for c in shown)
    wide.context.close()
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("language", ["en", "es"])
def test_small_states_are_readable_targets_on_a_phone(site_server, browser, language, javascript):
    page = new_page(browser, width=WIDTH, height=HEIGHT, javascript=javascript)
    page.goto(f"{site_server}{PREFIX[language]}/?layer=arrests")
    links = page.locator(".small-states a")
    assert links.count() == 9
    assert page.locator(".choropleth .places rect").first.is_hidden()  # the 5 px boxes
    for i in range(links.count()):
        link = links.nth(i)
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
        assert 0 <= box["x"] and box["x"] + box["width"] <= WIDTH
        assert float(link.evaluate("a => getComputedStyle(a).fontSize")[:-2]) >= 14
    names = [links.nth(i).evaluate("a => [...a.childNodes].filter(n => n.nodeType === 3)"
                                   ".map(n => n.textContent).join('').trim()") for i in range(9)]
    assert names == ["VT", "NH", "MA", "RI", "CT", "NJ", "DE", "MD", "DC"]
    # The accessible name starts with what is shown and says the state and its figure.
    vermont = page.get_by_role("link", name=re.compile(r"^VT\s?: Vermont: "))
    assert vermont.count() == 1
    # Right under the map, in the first screen.
    assert page.locator(".small-states").bounding_box()["y"] + 40 < HEIGHT
    screenshot(page, f"phone-small-states-{language}-{'js' if javascript else 'nojs'}")
    page.locator('.small-states a[data-abbr="RI"]').click()
    if javascript:  # the same panel as the map's shape, and focus comes back on Escape
        panel = page.locator("#state-panel")
        panel.wait_for(state="visible")
        assert "Rhode Island" in panel.inner_text()
        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.dataset.abbr") == "RI"
    else:
        page.wait_for_url(f"**{PREFIX[language]}/states/ri/")
    page.context.close()


@pytest.mark.parametrize("path", ["/?layer=arrests", "/states/tx/", "/embed/states/tx/charts/arrests/"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_phone_pages_with_small_states_and_narrow_charts_pass_axe(site_server, browser, path,
                                                                  language):
    page = new_page(browser, width=WIDTH, height=HEIGHT)
    page.goto(f"{site_server}{PREFIX[language]}{path}")
    violations = run_axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    page.context.close()


def test_county_chart_redraws_for_a_phone(site_server, browser):
    page = new_page(browser, width=WIDTH, height=HEIGHT)
    page.goto(f"{site_server}/states/wv/counties/54039/")
    charts = page.evaluate(CHART_FACTS)
    if not charts:
        pytest.skip("no county data in this database")
    for chart in charts:
        assert chart["id"].endswith("-narrow") and chart["outside"] == [], chart
        assert chart["smallest"] >= 10.5, chart
    page.context.close()
