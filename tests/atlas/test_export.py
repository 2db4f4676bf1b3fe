"""`export-site`: files for every exported URL, relative links that resolve inside the export,
forms and live-only links to FORMS_ORIGIN, incremental runs."""
from __future__ import annotations

import json
import re
import struct
from urllib.parse import unquote, urlsplit

import pytest

import htmlpage
from drugatlas.atlas import cache
from drugatlas.atlas.export_site import Export, target

pytestmark = pytest.mark.django_db
ORIGIN = "https://forms.example.org"
SCOPE = {"/", "/es/", "/states/tx/", "/es/states/tx/", "/sources/", "/es/sources/",
         "/?layer=overdose&year=2018", "/api/v1/measures", "/api/v1/states/tx",
         "/api/v1/observations?format=csv&measure=population", "/data/datapackage.json",
         "/api/v1/docs/"}


def test_urls_map_to_files():
    assert target("/").file == "index.html"
    assert target("/es/states/tx/").file == "es/states/tx/index.html"
    assert target("/?year=2018&layer=overdose").file == "q/layer/overdose/year/2018/index.html"
    assert target("/?year=2018&layer=overdose").url == "/?layer=overdose&year=2018"
    assert target("/api/v1/measures").file == "api/v1/measures.json"
    assert target("/api/v1/observations?measure=population&format=csv").file == \
        "api/v1/observations/q/format/csv/measure/population.csv"
    assert target("/data/observations.csv").file == "data/observations.csv"
    # Not exported: forms, sort orders, unknown parameters, other sites, the API in Spanish.
    for url in ("/updates/", "/corrections/new/?page=/", "/?layer=overdose&sort=-value",
                "/states/tx/?utm=1", "https://elsewhere.example/", "/es/api/v1/measures",
                "/?layer=<script>"):
        assert target(url) is None, url


def links(html: str) -> list[tuple[str, str]]:
    return [(a, u.replace("&amp;", "&")) for a, u in
            re.findall(r'\b(href|src|action)="([^"]*)"', html)]


def test_export_links_resolve_and_forms_post_to_the_live_app(tmp_path):
    export = Export(tmp_path, ORIGIN, scope=lambda url: url in SCOPE)
    summary = export.run()
    assert not summary["failed"] and summary["pages"] == len(SCOPE)
    for name in ("index.html", "es/states/tx/index.html", "api/v1/states/tx.json",
                 "api/v1/observations/q/format/csv/measure/population.csv", "sitemap.xml",
                 "q/layer/overdose/year/2018/index.html"):
        assert (tmp_path / name).is_file(), name
    html_files = [p for p in tmp_path.rglob("*.html") if "static" not in p.parts]
    assert html_files
    for page in html_files:
        html = page.read_text()
        for attr, url in links(html):
            parts = urlsplit(url)
            if parts.scheme or url.startswith("#") or not parts.path:
                if attr == "action":
                    assert url.startswith(ORIGIN + "/"), (page, url)
                continue
            assert not url.startswith("/"), (page, url)  # relative: works from a sub-path
            resolved = (page.parent / unquote(parts.path)).resolve()
            assert resolved.is_file(), (page, url)
    spanish = (tmp_path / "es/states/tx/index.html").read_text()
    assert 'action="https://forms.example.org/es/updates/"' in spanish
    assert 'hreflang="en" href="../../../states/tx/index.html"' in spanish
    home = (tmp_path / "index.html").read_text()
    assert 'data-api="api/v1/states/" data-api-suffix=".json"' in home
    assert "Set-Cookie" not in home and "csrfmiddlewaretoken" not in home
    sitemap = (tmp_path / "sitemap.xml").read_text()
    assert "/es/states/tx/</loc>" in sitemap and "measures" not in sitemap

    # Incremental: nothing rendered again while data and code are the same...
    again = Export(tmp_path, ORIGIN, scope=lambda url: url in SCOPE).run()
    assert again["reused"] == len(SCOPE) and again["written"] == 0
    # ...and after a data change, pages are rendered again but rewritten only if they differ.
    cache.bump_data_version()
    third = Export(tmp_path, ORIGIN, scope=lambda url: url in SCOPE).run()
    assert third["reused"] == 0 and third["written"] == 0 and third["unchanged"] == len(SCOPE)



def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def share_images(html: str) -> list[str]:
    return htmlpage.attrs(html, 'meta[property="og:image"], meta[name="twitter:image"]', "content")


def test_share_cards_are_exported_beside_the_pages(tmp_path):
    from drugatlas.legislation.records import Bill

    bill_page = f"/legislation/{Bill.objects.order_by('pk').first().key}/"
    pages = {"/", "/es/", "/?layer=overdose&year=2018", "/states/tx/", "/es/states/tx/",
             "/sources/", bill_page}

    def scope(url):  # the pages and the pictures they name
        return url in pages or url.endswith("card.png") or "format=png" in url

    summary = Export(tmp_path, ORIGIN, scope=scope, start=sorted(pages)).run()
    assert not summary["failed"], summary["failed"]
    assert target("/?layer=overdose&year=2018&format=png").file == \
        "q/layer/overdose/year/2018/map.png"
    assert target("/es/states/tx/card.png").file == "es/states/tx/card.png"
    assert target("/?layer=overdose&format=csv") is None  # downloads stay live
    checked = 0
    for page in (tmp_path / "index.html", tmp_path / "es/index.html",
                 tmp_path / "q/layer/overdose/year/2018/index.html",
                 tmp_path / "states/tx/index.html", tmp_path / "es/states/tx/index.html",
                 tmp_path / "sources/index.html"):
        images = share_images(page.read_text())
        assert len(images) == 2, page
        for url in images:
            assert not urlsplit(url).scheme and not url.startswith("/"), (page, url)
            file = (page.parent / url).resolve()
            assert file.is_file() and file.is_relative_to(tmp_path.resolve()), (page, url)
            assert png_size(file.read_bytes()) == (1200, 630), (page, url)
            checked += 1
    assert checked == 12
    assert (tmp_path / "states/tx/card.png").is_file()
    assert (tmp_path / "es/states/tx/card.png").read_bytes() != \
        (tmp_path / "states/tx/card.png").read_bytes()  # the Spanish card is in Spanish
    assert (tmp_path / "q/layer/overdose/year/2018/map.png").is_file()
    images = share_images((tmp_path / bill_page.strip("/") / "index.html").read_text())
    assert images == ["card.png", "card.png"]
    assert png_size((tmp_path / bill_page.strip("/") / "card.png").read_bytes()) == (1200, 630)

    # Pictures follow the data release, not the day: a run on a later day draws none again.
    manifest = json.loads((tmp_path / ".export-manifest.json").read_text())
    image_urls = [u for u, e in manifest.items() if e["file"].endswith(".png")]
    assert image_urls and all(manifest[u]["version"] == cache.version() for u in image_urls)

    # With the export's own address, the share-card URLs are absolute under it.
    absolute = tmp_path / "absolute"
    Export(absolute, ORIGIN, scope=scope, start=["/states/tx/"],
           base_url="https://cdn.example.org/atlas/").run()
    assert share_images((absolute / "states/tx/index.html").read_text()) == \
        ["https://cdn.example.org/atlas/states/tx/card.png"] * 2
