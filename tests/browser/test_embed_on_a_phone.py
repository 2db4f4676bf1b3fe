"""The map embed on a phone, as a reader sees it inside an article on another origin: at
390×844, in both languages, the map's 5 px callout boxes give way to the small states as
links under the map (24 px targets or more, WCAG 2.5.8), which open the state page in a new
top-level context, without JavaScript; nothing is wider than the frame; axe-core finds
nothing inside the frame. In a wide frame the callout boxes stay and the list is hidden, and
a state's shape opens its page outside the frame. The source line and link back stay in view
whatever the frame's height."""
from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from browser_helpers import AXE, new_page, screenshot

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844
PREFIX = {"en": "", "es": "/es"}
SMALL_STATES = ["VT", "NH", "MA", "RI", "CT", "NJ", "DE", "MD", "DC"]


@pytest.fixture(scope="module")
def article(site_server):
    """An article on another origin (another port) framing the map embed as the share panel's
    iframe code does (800 wide, at most the column's width): `{article}?path=/embed/map/…`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?path=", 1)[1] if "?path=" in self.path else "/embed/map/"
            body = ('<!doctype html><html lang="en"><meta name="viewport" '
                    'content="width=device-width, initial-scale=1"><title>An article</title>'
                    '<h1>An article</h1><p>Text before the map.</p>'
                    f'<iframe name="embed" src="{site_server}{path}" title="Drug Policy Atlas" '
                    'width="800" height="900" style="border:0;max-width:100%"></iframe>')
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("localhost", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_address[1]}/"
    server.shutdown()


def _frame(page, article: str, path: str):
    page.goto(f"{article}?path={path}", wait_until="load")
    frame = page.frame(name="embed")
    assert frame is not None and "/embed/map/" in frame.url
    return frame


@pytest.mark.parametrize("language", ["en", "es"])
def test_map_embed_lists_the_small_states_as_links_on_a_phone(site_server, browser, article,
                                                               language):
    page = new_page(browser, javascript=False, width=WIDTH, height=HEIGHT)
    frame = _frame(page, article, f"{PREFIX[language]}/embed/map/?layer=arrests")
    # The frame fits the phone and nothing inside is wider than the frame.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert frame.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert frame.locator(".choropleth .places rect").first.is_hidden()  # the 5 px boxes
    links = frame.locator(".small-states a")
    assert links.count() == 9
    names = [links.nth(i).evaluate("a => [...a.childNodes].filter(n => n.nodeType === 3)"
                                   ".map(n => n.textContent).join('').trim()") for i in range(9)]
    assert names == SMALL_STATES
    frame_box = page.locator("iframe").bounding_box()
    for i in range(9):
        box = links.nth(i).bounding_box()  # in the phone's coordinates
        assert box["width"] >= 24 and box["height"] >= 24, box
        assert frame_box["x"] <= box["x"] and box["x"] + box["width"] <= frame_box["x"] + frame_box["width"]
    # Named in full for screen readers, in the page's language.
    vermont = frame.get_by_role("link", name=re.compile(r"^VT\s?: Vermont: "))
    assert vermont.count() == 1
    assert frame.locator("html").get_attribute("lang") == language
    # Right under the map, before the legend.
    nav, legend = frame.locator(".small-states"), frame.locator(".embed-legend")
    assert nav.bounding_box()["y"] < legend.bounding_box()["y"]
    screenshot(page, f"embed-map-phone-{language}", full_page=True)
    # A tap opens the state page outside the frame (a new top-level context), no script needed.
    with page.context.expect_page() as opened:
        frame.locator('.small-states a[data-abbr="RI"]').click()
    state_page = opened.value
    state_page.wait_for_load_state()
    assert state_page.url.startswith(site_server)
    assert state_page.url.endswith(f"{PREFIX[language]}/states/ri/")
    assert page.frame(name="embed").url == frame.url  # the article keeps its map
    page.context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_map_embed_on_a_phone_has_no_accessibility_violations(site_server, browser, article,
                                                              language):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` at the project root")
    page = new_page(browser, width=WIDTH, height=HEIGHT)
    frame = _frame(page, article, f"{PREFIX[language]}/embed/map/?layer=arrests")
    frame.add_script_tag(content=AXE.read_text())
    result = frame.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = result["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    page.context.close()


def test_map_embed_in_a_wide_frame_keeps_the_callout_boxes(site_server, browser, article):
    page = new_page(browser, javascript=False, width=1280, height=1000)
    frame = _frame(page, article, "/embed/map/?layer=arrests")
    assert frame.locator(".choropleth .places rect").first.is_visible()
    assert frame.locator(".small-states").is_hidden()
    # A state's shape opens its page outside the frame too (SVG links ignore <base target>).
    with page.context.expect_page() as opened:
        frame.locator('.choropleth a[data-abbr="TN"]').click()
    opened.value.wait_for_load_state()
    assert opened.value.url.endswith("/states/tn/")
    assert page.frame(name="embed").url == frame.url
    page.context.close()


# The iframe sizes the share panel gives (share/panel.py EMBED_SIZE), and a phone column.
FRAMES = {"/embed/map/?layer=possession": 620, "/embed/states/tx/": 520,
          "/embed/states/tx/charts/arrests/": 520}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", FRAMES)
def test_the_source_line_and_link_back_stay_in_the_frame(site_server, browser, path, language):
    """Whatever the frame's height, the source and the link back are in view (they stay at the
    frame's foot while the rest scrolls); at the panel's size nothing needs scrolling."""
    for width in (800, 360):
        page = new_page(browser, javascript=False, width=width, height=FRAMES[path])
        page.goto(f"{site_server}{PREFIX[language]}{path}")
        source = page.locator(".embed-source")
        box = source.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= FRAMES[path], (width, box)
        assert source.locator("a").is_visible()
        if width == 800:
            assert page.evaluate("document.documentElement.scrollHeight") <= FRAMES[path]
        page.context.close()
