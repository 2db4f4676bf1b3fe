"""Share cards, icons, downloads, embeds and oEmbed, through the real views on the real bundle."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import struct
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.conf import settings

import htmlpage
from drugatlas import clock
from drugatlas.atlas.models import Bill

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield



def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", body[16:24])


def meta(html: str, prop: str) -> str:
    found = htmlpage.first(html, f'meta[property="{prop}"], meta[name="{prop}"]')
    assert found, f"no {prop} tag"
    return found["content"]


def local(url: str) -> str:
    assert url.startswith(settings.SITE_URL), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def a_bill() -> Bill:
    return Bill.objects.order_by("pk").first()


def test_favicon_and_touch_icon(client, atlas_db):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert body_of(icon)[:4] == b"\0\0\1\0"  # an ICO header
    touch = client.get("/apple-touch-icon.png")
    assert png_size(body_of(touch)) == (180, 180)
    html = client.get("/about/").content.decode()
    assert 'rel="icon" href="/favicon.ico"' in html
    assert 'rel="apple-touch-icon" href="/apple-touch-icon.png"' in html


@pytest.mark.parametrize("page", ["/", "/states/tx/", "bill", "/legislation/", "/about/",
                                  "/sources/", "/reinvest/"])
def test_every_public_page_has_a_share_card_whose_image_is_a_1200x630_png(client, atlas_db,
                                                                          page):
    if page == "bill":
        page = a_bill().get_absolute_url()
    html = client.get(page).content.decode()
    assert meta(html, "og:title") and meta(html, "og:description")
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "og:url").startswith(settings.SITE_URL)
    image = meta(html, "og:image")
    assert meta(html, "twitter:image") == image
    response = client.get(local(image))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert png_size(response.content) == (1200, 630)
    assert "Set-Cookie" not in response


def test_each_card_shows_what_its_page_shows(client, atlas_db):
    home = client.get("/?layer=arrests&year=2022").content.decode()
    assert local(meta(home, "og:image")) == "/?layer=arrests&year=2022&format=png"
    assert local(meta(home, "og:url")) == "/?layer=arrests&year=2022"
    svg = client.get("/?layer=arrests&year=2022&format=svg").content.decode()
    assert "Drug arrests per 100,000 residents covered" in svg and "2022" in svg
    assert "Legend" in svg and "Under 250" in svg and "Source: " in svg and "2026-12-05" in svg

    state = client.get("/states/tx/").content.decode()
    assert local(meta(state, "og:image")) == "/states/tx/card.png"
    card = client.get("/states/tx/card.svg").content.decode()
    assert "Texas" in card and "Drug possession:" in card and "91,160 drug arrests" in card

    bill = a_bill()
    page = client.get(bill.get_absolute_url()).content.decode()
    assert local(meta(page, "og:image")) == f"/legislation/{bill.key}/card.png"
    card = client.get(f"/legislation/{bill.key}/card.svg").content.decode()
    assert bill.number in card and "Status" in card


def test_cards_are_cached_until_the_data_change(client, atlas_db):
    from drugatlas.atlas.cache import bump_data_version
    from drugatlas.share import views

    first = client.get("/states/tx/card.svg").content
    calls = []
    original = views.figures.state_card
    views.figures.state_card = lambda *a, **k: calls.append(1) or original(*a, **k)
    try:
        assert client.get("/states/tx/card.svg").content == first
        assert calls == []
        bump_data_version()
        client.get("/states/tx/card.svg")
        assert calls == [1]
    finally:
        views.figures.state_card = original


def table_rows(html: str) -> list[list[str]]:
    """The home page's table as a reader sees it: state, value, year/in force."""
    return [[cell.get_text().strip() for cell in tr.select("th, td")]
            for tr in htmlpage.select(html, "#map-table tr[data-fips]")]


@pytest.mark.parametrize("view", ["layer=possession", "layer=overdose&year=2019",
                                  "layer=arrests&year=2022"])
def test_csv_and_json_are_exactly_the_views_table(client, atlas_db, view):
    table = table_rows(client.get(f"/?{view}").content.decode())
    response = client.get(f"/?{view}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["state", "value", "year", "status", "statute", "grade", "max_penalty",
                       "statute_url", "source", "notes"]
    assert len(rows) == 52  # 50 states and DC, every one even with no data
    by_state = {r[0]: r for r in rows[1:]}
    for name, text, period, *_rest in table:
        row = by_state[name]
        assert row[2] == period
        if "possession" in view:
            assert row[1] == text
        elif text not in ("No data", ""):
            # The table shows the value rounded to the measure's precision; the file keeps it.
            assert abs(float(row[1]) - float(text.replace(",", ""))) <= 0.5
    if "possession" in view:  # the statute first, as on the page
        alabama = dict(zip(rows[0], by_state["Alabama"]))
        assert alabama["statute"].startswith("Ala. Code") and alabama["statute_url"]
        assert alabama["source"].split()[0] == alabama["statute_url"]
    data = json.loads(client.get(f"/?{view}&format=json").content)
    assert [r["state"] for r in data["rows"]] == [r[0] for r in rows[1:]]
    assert data["columns"] == rows[0]


def test_file_names_say_what_and_when(client, atlas_db):
    def name(url):
        disposition = client.get(url)["Content-Disposition"]
        return disposition.split('filename="', 1)[1].rstrip('"')

    assert name("/?layer=possession&format=csv") == "drug-possession-law_2026-12-05.csv"
    assert name("/?layer=possession&format=json") == "drug-possession-law_2026-12-05.json"
    assert name("/?layer=overdose&year=2019&format=png") == \
        "overdose-deaths-per-100000-2019_2026-12-05.png"
    assert name("/states/tx/charts/arrests.csv") == "tx-arrests_2026-12-05.csv"


def test_map_downloads_as_svg_and_png(client, atlas_db):
    svg = client.get("/?layer=possession&format=svg")
    assert svg["Content-Type"] == "image/svg+xml"
    text = svg.content.decode()
    assert text.startswith("<svg xmlns=") and "Felony" in text and "Source: " in text
    assert png_size(client.get("/?layer=possession&format=png").content) == (1200, 630)


def test_an_unknown_format_is_a_400_that_says_which_exist(client, atlas_db):
    response = client.get("/?layer=possession&format=xls")
    assert response.status_code == 400
    assert "csv, json, svg, png" in response.content.decode()


def test_each_state_chart_downloads_as_svg_png_and_csv(client, atlas_db):
    html = client.get("/states/tx/").content.decode()
    slugs = [f["id"].removeprefix("figure-") for f in htmlpage.select(html, 'figure[id^="figure-"]')]
    assert {"arrests", "overdose-rate"} <= set(slugs)
    for slug in slugs:
        assert f'href="/states/tx/charts/{slug}.csv"' in html
        svg = client.get(f"/states/tx/charts/{slug}.svg")
        assert svg.status_code == 200 and b"<svg" in svg.content
        # Like the map's picture: a title, the source line and the date around the drawing.
        text = svg.content.decode()
        assert "Texas" in text.split("</title>")[0] and "Source:" in text
        assert "2026-12-05" in text
        width, _h = png_size(client.get(f"/states/tx/charts/{slug}.png").content)
        assert width == 1200
        rows = list(csv.reader(io.StringIO(client.get(f"/states/tx/charts/{slug}.csv")
                                           .content.decode())))
        # (ICPSR's sums of Table 69 years: 2008, 2010 and 2012 only)
        assert rows[0][0] and len(rows) > (3 if slug == "arrests-icpsr" else 5)
    assert client.get("/states/tx/charts/nothing.svg").status_code == 404
    assert client.get("/states/tx/charts/arrests.gif").status_code == 404


def test_share_panels_give_link_iframe_and_downloads(client, atlas_db):
    html = unescape(client.get("/?layer=overdose&year=2019").content.decode())
    panel = html.split('id="share-map"', 1)[1].split("</details>", 1)[0]
    assert f'value="{settings.SITE_URL}/?layer=overdose&year=2019"' in panel
    # The iframe code is HTML (its & written &amp;), shown as text in a textarea.
    assert f'<iframe src="{settings.SITE_URL}/embed/map/?layer=overdose&year=2019"' in \
        unescape(panel)
    for fmt in ("csv", "json", "svg", "png"):
        assert f'href="/?layer=overdose&year=2019&format={fmt}"' in panel
    state = unescape(client.get("/states/tx/").content.decode())
    assert f'<iframe src="{settings.SITE_URL}/embed/states/tx/"' in state
    assert f'<iframe src="{settings.SITE_URL}/embed/states/tx/charts/arrests/"' in state


@pytest.mark.parametrize("url", ["/embed/map/?layer=arrests&year=2022", "/embed/states/tx/",
                                 "/embed/states/tx/charts/overdose-rate/"])
def test_embeds_are_framable_minimal_and_link_back(client, atlas_db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"].endswith("frame-ancestors *")
    assert "Set-Cookie" not in response
    html = response.content.decode()
    assert "<script" not in html and "site-header" not in html and "csrfmiddlewaretoken" not in html
    assert "Source:" in html and "See it on Drug Policy Atlas" in html
    assert any(h.startswith((settings.SITE_URL + "/?layer=", settings.SITE_URL + "/states/tx/"))
               for h in htmlpage.attrs(html, "a", "href"))
    assert "<svg" in html or "<dl" in html


def test_other_pages_refuse_framing(client, atlas_db):
    for url in ("/", "/states/tx/", "/?layer=possession&format=png"):
        assert client.get(url)["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


def test_embed_route_names_start_with_embed(client):
    from django.urls import resolve
    for path in ("/embed/map/", "/embed/states/tx/", "/embed/states/tx/charts/arrests/"):
        assert resolve(path).url_name.startswith("embed-")
        assert getattr(resolve(path).func, "embeddable", False)


def test_oembed_answers_for_map_state_and_embed_urls(client, atlas_db):
    for page, embed in ((f"{settings.SITE_URL}/?layer=overdose&year=2019",
                         "/embed/map/?layer=overdose&year=2019"),
                        (f"{settings.SITE_URL}/states/tx/", "/embed/states/tx/"),
                        ("/embed/states/tx/charts/arrests/", "/embed/states/tx/charts/arrests/")):
        data = client.get("/oembed/", {"url": page, "maxwidth": "600"}).json()
        assert data["type"] == "rich" and data["version"] == "1.0"
        assert data["width"] == 600
        assert f'src="{settings.SITE_URL}{embed}"'.replace("&", "&amp;") in data["html"]
    assert client.get("/oembed/", {"url": "https://example.org/states/tx/"}).status_code == 404
    assert client.get("/oembed/", {"url": "/about/"}).status_code == 404


def test_pictures_and_embeds_speak_spanish(client, atlas_db):
    svg = client.get("/es/?layer=possession&format=svg").content.decode()
    assert "Leyenda" in svg and "Fuente: " in svg
    html = client.get("/es/embed/states/tx/").content.decode()
    assert "Véalo en Drug Policy Atlas" in html
    page = client.get("/es/states/tx/").content.decode()
    assert "Compartir / insertar" in page
    assert local(meta(page, "og:image")) == "/es/states/tx/card.png"
    assert local(meta(page, "og:url")) == "/es/states/tx/"
    assert 'value="' + settings.SITE_URL + '/es/states/tx/"' in page
    home = client.get("/es/?layer=arrests&year=2022").content.decode()
    assert local(meta(home, "og:image")) == "/es/?layer=arrests&year=2022&format=png"
    assert meta(home, "og:locale") == "es_ES"


def test_downloads_are_public_and_cacheable_without_cookies(client, atlas_db):
    for url in ("/?layer=possession&format=csv", "/states/tx/card.png", "/embed/states/tx/",
                "/favicon.ico"):
        response = client.get(url)
        assert response.status_code == 200 and not response.cookies
        assert response["Cache-Control"].startswith("public"), url
    # The home page's answer is cached per format: the CSV never comes back as the page.
    assert client.get("/?layer=possession").content.startswith(b"<!doctype html>")
    assert client.get("/?layer=possession&format=csv").content.startswith(b"state,value")


def test_the_national_page_has_its_card_and_chart_files(client, atlas_db):
    """/states/us/ is a page like a state's: its card and chart files answer, as its links say."""
    page = client.get("/states/us/").content.decode()
    assert local(meta(page, "og:image")) == "/states/us/card.png"
    assert "How the United States criminalizes drugs" in meta(page, "og:description")
    response = client.get("/states/us/card.png")
    assert response.status_code == 200 and png_size(response.content) == (1200, 630)
    doc = htmlpage.parse(page)
    files = htmlpage.attrs(doc, "a[href*='/states/us/charts/']", "href")
    assert files
    for path in files:
        assert client.get(path).status_code == 200, path


def test_the_felony_headline_counts_the_states_where_possession_can_be_a_felony(client, atlas_db):
    text = htmlpage.text(htmlpage.parse(client.get("/").content))
    assert "more it can be, depending on the drug and the amount" in text


@pytest.mark.parametrize("path", ["/legislation/", "/sources/", "/about/", "/changes/",
                                  "/reinvest/", "/reinvest/?state=TX", "/reinvest/assumptions/",
                                  "/states/tx/counties/", "/es/legislation/"])
def test_every_page_shares_its_own_title(client, atlas_db, path):
    """A shared link names the page it points to, not only the site."""
    page = client.get(path).content.decode()
    title = htmlpage.text(htmlpage.parse(page), "head > title").split(" · ")[0]
    assert meta(page, "og:title") == title != "Drug Policy Atlas"
    image = client.get(local(meta(page, "og:image")))
    assert image.status_code == 200 and png_size(image.content) == (1200, 630)
