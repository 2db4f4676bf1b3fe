"""Map page weight: HTML (with its inline SVG) + CSS + JS, compressed, against the 60 KB budget,
and a check that the page asks no third party for anything.

Runs the site in-process over the configured database (`make bench` loads the bundle first),
takes each map layer's page as the server sends it with `Accept-Encoding: gzip`, and adds
every same-origin stylesheet and script it loads, gzipped at level 9 as WhiteNoise serves them.
Prints a table and merges a "page_size" section into bench/results.json.
"""
from __future__ import annotations

import gzip
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drugatlas.settings")
# Static files are read from the source folders; names need no collectstatic manifest.
os.environ.setdefault("DRUGATLAS_PLAIN_STATIC", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402

from common import save, table  # noqa: E402
from drugatlas.maps.layers import LAYERS  # noqa: E402

BUDGET_BYTES = 60 * 1024
RESOURCE_TAGS = {"link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src",
                 "video": "src", "audio": "src", "embed": "src", "object": "data"}


class Resources(HTMLParser):
    """URLs the browser would fetch while loading the page (not links a person may follow)."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = RESOURCE_TAGS.get(tag)
        if not name or not attrs.get(name):
            return
        if tag == "link" and not {"stylesheet", "preload", "modulepreload", "icon"} & set(
                (attrs.get("rel") or "").split()):
            return
        self.urls.append((tag, attrs[name]))


def third_party(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or url.startswith("//")


def static_bytes(url: str) -> bytes:
    path = urlsplit(url).path
    if not path.startswith(settings.STATIC_URL):
        raise SystemExit(f"{url}: a same-origin resource outside {settings.STATIC_URL}")
    found = finders.find(path[len(settings.STATIC_URL):])
    if not found:
        raise SystemExit(f"{url}: no such static file")
    return Path(found).read_bytes()


def measure(client: Client, url: str) -> dict:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    html_gz = len(response.content)
    html = gzip.decompress(response.content).decode() if response.get(
        "Content-Encoding") == "gzip" else response.content.decode()
    parser = Resources()
    parser.feed(html)
    outside = [u for _, u in parser.urls if third_party(u)]
    assets = {}
    for tag, u in parser.urls:
        if third_party(u):
            continue
        # The favicon and touch icon are answered by a view, not a static file.
        body = static_bytes(u) if urlsplit(u).path.startswith(settings.STATIC_URL) else \
            b"".join(client.get(u, HTTP_HOST="127.0.0.1"))
        outside += [m for m in re.findall(rb"url\(\s*['\"]?([^'\")]+)", body)
                    if third_party(m.decode())] if u.endswith(".css") else []
        assets[u] = len(gzip.compress(body, 9))
    return {"url": url, "html_gzip": html_gz, "html_raw": len(html.encode()),
            "assets_gzip": assets, "total_gzip": html_gz + sum(assets.values()),
            "third_party_requests": [str(x) for x in outside]}


def main() -> int:
    client = Client()
    pages = [measure(client, "/")] + [measure(client, f"/?layer={slug}") for slug in LAYERS
                                      if slug != "possession"]
    worst = max(pages, key=lambda p: p["total_gzip"])
    rows = [[p["url"], f"{p['html_raw'] / 1024:.1f}", f"{p['html_gzip'] / 1024:.1f}",
             f"{sum(p['assets_gzip'].values()) / 1024:.1f}", f"{p['total_gzip'] / 1024:.1f}",
             len(p["third_party_requests"])] for p in pages]
    print(table(rows, ["page", "HTML KB", "HTML gz KB", "CSS+JS gz KB", "total gz KB",
                       "3rd-party"]))
    ok = worst["total_gzip"] <= BUDGET_BYTES and not any(p["third_party_requests"] for p in pages)
    print(f"\nheaviest map page: {worst['total_gzip'] / 1024:.1f} KB compressed "
          f"(budget {BUDGET_BYTES // 1024} KB) — {'within budget' if ok else 'OVER BUDGET'}")
    save("page_size", {"budget_bytes": BUDGET_BYTES, "heaviest_total_gzip": worst["total_gzip"],
                       "heaviest_url": worst["url"], "within_budget": ok, "pages": pages})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
