"""No reader sees "unknown" as a value: a date with no dated source says, in plain words, that
the law of that date is not in this atlas ("Law before 2017 not in this atlas"), the same on
the map's legend, table and tooltips, the state panel's data, the state page's law history,
the about page and the API's label (whose class field keeps the machine value "unknown")."""
from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings

import htmlpage
from drugatlas.atlas.models import Jurisdiction, LawStatus

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (settings.BUNDLE_DIR / "laws.csv").exists(),
                                 reason="no data bundle")]

# "unknown" as a word a reader sees (class names and data-key attributes are not seen).
SHOWN_UNKNOWN = re.compile(r"\b(unknown|desconocid[oa]s?)\b", re.I)
LAW_LAYERS = ("possession", "paraphernalia", "good_samaritan", "adult_use_marijuana")
AS_OF = ("1990-01-01", "2005-06-30", "2016-01-01", "2025-01-01")


def seen_text(html: str) -> str:
    """What a reader sees or hears: text, titles, aria-labels; not classes or data keys."""
    doc = htmlpage.parse(html)
    spoken = [node.get(name) for name in ("aria-label", "title", "alt")
              for node in doc.select(f"[{name}]")]
    return " ".join([htmlpage.text(doc), *spoken])


def row_of(html: str, abbr: str) -> str:
    return htmlpage.text(htmlpage.parse(html), f'#map-table tr[data-abbr="{abbr}"]')


def assert_no_unknown(where: str, html: str) -> None:
    found = SHOWN_UNKNOWN.findall(seen_text(html))
    assert not found, f"{where}: {found}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_map_never_says_unknown(client, atlas_db, language):
    prefix = "/es" if language == "es" else ""
    for layer in LAW_LAYERS:
        for as_of in AS_OF:
            response = client.get(f"{prefix}/?layer={layer}&as_of={as_of}")
            assert response.status_code == 200
            assert_no_unknown(f"{layer} as of {as_of} ({language})", response.content.decode())


def test_a_date_before_the_first_dated_source_says_which_years_are_missing(client, atlas_db):
    oregon = LawStatus.objects.get(jurisdiction__abbr="OR", topic="possession", status="unknown")
    first = oregon.next_text()
    assert first and len(first) in (4, 7, 10)
    html = client.get("/?layer=possession&as_of=1990-01-01").content.decode()
    words = f"Law before {first} not in this atlas"
    assert words in row_of(html, "OR")
    doc = htmlpage.parse(html)
    assert "Not in this atlas for this date" in htmlpage.text(doc, "#legend")
    # The tooltip of the state's shape says the same words.
    assert any(t.startswith(f"Oregon: {words}") for t in htmlpage.texts(doc, "svg title"))
    page = client.get("/states/or/").content.decode()
    assert words in unescape(page)
    about = client.get("/about/").content.decode()
    assert words in unescape(about)
    (law,) = client.get("/api/v1/laws", {"topic": "possession", "as_of": "1990-01-01",
                                         "jurisdiction": "OR"}).json()["laws"]
    assert law["status"] == "unknown" and law["status_label"] == words


def test_the_same_in_spanish(client, atlas_db):
    oregon = LawStatus.objects.get(jurisdiction__abbr="OR", topic="possession", status="unknown")
    words = f"La ley antes de {oregon.next_text()} no está en este atlas"
    html = client.get("/es/?layer=possession&as_of=1990-01-01").content.decode()
    assert words in unescape(html) and "No está en este atlas para esta fecha" in html
    assert words in unescape(client.get("/es/states/or/").content.decode())


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_state_page_says_unknown(client, atlas_db, language):
    prefix = "/es" if language == "es" else ""
    for place in Jurisdiction.objects.filter(kind=Jurisdiction.STATE).order_by("abbr"):
        response = client.get(f"{prefix}/states/{place.abbr.lower()}/")
        assert response.status_code == 200
        assert_no_unknown(f"{place.abbr} ({language})", response.content.decode())
    assert_no_unknown("the nation", client.get(f"{prefix}/states/us/").content.decode())
