"""Embeds in a real browser: an /embed/ page renders inside an iframe on another origin (a
second local HTTP server), with JavaScript off, while a normal page refuses to be framed."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from browser_helpers import new_page, run_axe, screenshot

pytestmark = pytest.mark.browser
# Tests ask for site_server before browser, so Chromium (and its idle sockets) closes before
# gunicorn is stopped, as in the other browser tests.

EMBEDS = ("/embed/map/?layer=possession", "/embed/states/tx/",
          "/embed/states/tx/charts/overdose-rate/")


@pytest.fixture(scope="module")
def other_origin(site_server):
    """A page on another origin (another port) framing the embeds and a normal page."""
    frames = "".join(f'<iframe name="f{i}" src="{site_server}{path}" width="700" height="560">'
                     f'</iframe>' for i, path in enumerate(EMBEDS))
    frames += f'<iframe name="normal" src="{site_server}/states/tx/" width="700" height="300"></iframe>'
    body = f"<!doctype html><title>An article</title><h1>An article</h1>{frames}".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("localhost", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}/"
    server.shutdown()


def test_embeds_render_in_a_frame_on_another_origin_and_other_pages_refuse(site_server, browser,
                                                                           other_origin):
    page = new_page(browser, javascript=False, width=1280, height=2400)
    page.goto(other_origin, wait_until="load")
    for i, path in enumerate(EMBEDS):
        frame = page.frame(name=f"f{i}")
        assert frame is not None and path.split("?")[0] in frame.url
        assert frame.locator("h1").inner_text().strip()
        assert frame.locator("a", has_text="See it on Drug Policy Atlas").count() == 1
        assert frame.locator("svg, dl").count() >= 1
    # The map inside the frame is drawn at the frame's width, not wider.
    width = page.frame(name="f0").evaluate("document.documentElement.scrollWidth")
    assert width <= 700
    normal = page.frame(name="normal")
    # Chromium replaces a refused frame by an error page: none of the site's content shows.
    assert normal.locator("h1", has_text="Texas").count() == 0
    screenshot(page, "embed-on-another-origin", full_page=True)


@pytest.mark.parametrize("path", EMBEDS)
def test_embeds_have_no_accessibility_violations(site_server, browser, path):
    page = new_page(browser, width=700, height=600)
    page.goto(site_server + path)
    violations = run_axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
