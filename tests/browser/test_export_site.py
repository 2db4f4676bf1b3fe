"""The static export served by nginx (deploy/nginx/drugatlas-export.conf as shipped) opens in
Chromium: the map with its layers and state panel, state pages, the language switch; and a
crawl of the export from a sub-path of a plain static host finds no broken link."""
from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from browser_helpers import PROJECT, new_page, screenshot

pytestmark = pytest.mark.browser

STATES = ("tx", "or")


def in_scope(url: str) -> bool:
    """A part of the site big enough to walk through, small enough to export in a test."""
    path, _, query = url.partition("?")
    bare = path[3:] if path.startswith("/es/") else path
    if bare == "/":
        return not query or re.fullmatch(r"layer=[a-z_]+", query) is not None
    if bare in ("/sources/", "/about/") or url.startswith("/static/"):
        return not query
    if any(bare == f"/states/{s}/" for s in STATES) or url in [f"/api/v1/states/{s}"
                                                               for s in STATES]:
        return not query
    return False


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory, django_db_setup, django_db_blocker, site_server):
    from drugatlas.atlas.export_site import Export

    folder = tmp_path_factory.mktemp("export")
    start = ["/", "/es/", *(f"/states/{s}/" for s in STATES), *(f"/es/states/{s}/" for s in STATES),
             *(f"/api/v1/states/{s}" for s in STATES)]
    with django_db_blocker.unblock():
        # The export renders in this process over the test database, which a transactional
        # test run earlier may have emptied: load the committed bundle again where it is gone
        # (a no-op when it is still loaded).
        from drugatlas.atlas import loading as bundle_load

        bundle_load.load_bundle(quiet=True)
        summary = Export(folder, site_server, scope=in_scope, start=start).run()
    assert not summary["failed"] and summary["pages"] > 10
    return folder


@pytest.fixture(scope="module")
def nginx(export_dir, tmp_path_factory, site_server):
    """The shipped export config at the root, and a plain static host serving the same folder
    under /mirror/atlas/ (no fallback to the app: a broken link is a 404)."""
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed")
    tmp = tmp_path_factory.mktemp("nginx")
    port, mirror = _free_port(), _free_port()
    app_port = urlsplit(site_server).port
    shipped = (PROJECT / "deploy/nginx/drugatlas-export.conf").read_text()
    shipped = (shipped.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
               .replace("listen 8080;", f"listen 127.0.0.1:{port};")
               .replace("/srv/drugatlas/export", str(export_dir)))
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(f"""{user}
worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types; default_type application/octet-stream; access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/f;
  uwsgi_temp_path {tmp}/u; scgi_temp_path {tmp}/s;
{shipped}
  server {{ listen 127.0.0.1:{mirror}; location /mirror/atlas/ {{ alias {export_dir}/; }} }}
}}
""")
    process = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            urllib.request.urlopen(base + "/").read()
            break
        except OSError:
            time.sleep(0.2)
    yield base, f"http://127.0.0.1:{mirror}/mirror/atlas/"
    process.terminate()
    process.wait(10)


def test_export_map_layers_panel_and_language_switch(nginx, browser):
    base, _mirror = nginx
    page = new_page(browser)
    page.goto(base + "/")
    assert page.locator(".choropleth.states a").count() == 51
    assert page.evaluate("document.documentElement.lang") == "en"
    # A layer link opens the exported file of that layer.
    page.click('.layers a[data-layer="overdose"]')
    page.wait_for_url(re.compile(r"/q/layer/overdose/index\.html$"))
    assert "Overdose" in page.locator("#map-heading").inner_text()
    assert page.locator(".choropleth.states a").count() == 51
    # The state panel reads the exported state summary.
    page.click('.choropleth.states a[data-abbr="TX"]')
    page.wait_for_function("document.querySelector('#state-panel h3') !== null")
    assert "Texas" in page.locator("#state-panel").inner_text()
    screenshot(page, "export-map-panel")
    # The state page, then the same page in Spanish and back.
    page.goto(base + "/states/tx/index.html")
    assert "Texas" in page.locator("h1").inner_text()
    page.click('a[hreflang="es"]')
    page.wait_for_url(re.compile(r"/es/states/tx/index\.html$"))
    assert page.evaluate("document.documentElement.lang") == "es"
    assert "Historia legal" in page.content()
    page.click('a[hreflang="en"]')
    page.wait_for_url(re.compile(r"/states/tx/index\.html$"))
    assert page.evaluate("document.documentElement.lang") == "en"
    # Forms post to the live app, whose origin the export was made with.
    action = page.locator(".updates-signup form").get_attribute("action")
    assert action.startswith("http://127.0.0.1:") and action.endswith("/updates/")
    assert not page.errors
    page.context.close()


def test_query_links_and_forms_reach_the_app_through_the_shipped_config(nginx):
    base, _mirror = nginx
    with urllib.request.urlopen(base + "/?layer=overdose&year=2018") as response:
        assert "2018" in response.read().decode()  # answered by the app, not the default map
    with urllib.request.urlopen(base + "/states/tx/index.html") as response:
        assert response.headers["Cache-Control"].startswith("public")
        assert "Set-Cookie" not in response.headers


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_crawl_of_the_export_from_a_sub_path_finds_no_broken_link(nginx):
    _base, mirror = nginx
    queue, seen, broken = [mirror + "index.html"], set(), []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url) as response:
                body = response.read()
                kind = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            broken.append((url, e.code))
            continue
        if "text/html" not in kind:
            continue
        parser = _Links()
        parser.feed(body.decode())
        for link in parser.links:
            absolute = urljoin(url, link).split("#")[0]
            if absolute.startswith(mirror):  # links inside the export
                queue.append(absolute)
    assert not broken, broken[:10]
    assert len(seen) > 20
