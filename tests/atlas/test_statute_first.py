"""Statute-first legal data on the real bundle: every possession and paraphernalia class in
force cites its statute on the map table, the state pages and the API; no research note is
shown anywhere (all 51 state pages, every bill page, the API's laws and bills); Oregon before
HB 2355 is a felony; dates known to the year or month are written so."""
from __future__ import annotations

import json

import pytest
from django.conf import settings

import htmlpage
from drugatlas.atlas.models import Bill, Jurisdiction, LawStatus

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (settings.BUNDLE_DIR / "laws.csv").exists(),
                                 reason="no data bundle")]

# Words of the research process that must never reach a reader.
RESEARCH_NOTES = ("Not researched", "retrieved excerpts", "Research file", "No investigado")
TOPICS = ("possession", "paraphernalia")


def text_of(html: str) -> str:
    return htmlpage.text(html)


def row(html, abbr: str):
    return htmlpage.one(html, f'table tr[data-fips][data-abbr="{abbr}"]')


def row_of(html, abbr: str) -> str:
    return htmlpage.text(row(html, abbr))


def states() -> list[Jurisdiction]:
    found = list(Jurisdiction.objects.filter(kind=Jurisdiction.STATE).order_by("abbr"))
    assert len(found) == 51
    return found


def no_research_notes(where: str, text: str) -> None:
    for words in RESEARCH_NOTES:
        assert words not in text, f"{where}: {words!r}"


def test_map_table_cites_the_statute_of_every_state(client, atlas_db):
    for topic in TOPICS:
        doc = htmlpage.parse(client.get(f"/?layer={topic}"))
        for place in states():
            law = LawStatus.objects.filter(jurisdiction=place, topic=topic,
                                           valid_to__isnull=True).get()
            assert law.statute and law.statute in row_of(doc, place.abbr), (topic, place.abbr)
            last_cell = row(doc, place.abbr).select("td")[-1]
            primary = last_cell.select_one("a[href]")
            if law.statute_url:  # the statute page is the first source, labelled as such
                assert primary["href"] == law.statute_url, (topic, place.abbr)
                assert "statute text" in htmlpage.text(last_cell)
            assert not primary or "worldpopulationreview" not in primary["href"], place.abbr
        # The map's tooltip (each state's label) names the statute too.
        oregon = htmlpage.attr(doc, 'svg.choropleth a[href="/states/or/"]', "aria-label")
        assert "ORS" in oregon


def test_every_state_page_shows_statutes_and_no_research_notes(client, atlas_db):
    for place in states():
        for language in ("en", "es"):
            prefix = "/es" if language == "es" else ""
            html = client.get(f"{prefix}/states/{place.abbr.lower()}/").content.decode()
            text = text_of(html)
            no_research_notes(f"/states/{place.abbr.lower()}/ ({language})", text)
            assert "Confidence: unknown" not in text and "Citations: none" not in text
            assert "Confianza: desconocida" not in text
        glance = text[text.index("De un vistazo"):] if "De un vistazo" in text else text
        for topic in TOPICS:
            law = LawStatus.objects.filter(jurisdiction=place, topic=topic,
                                           valid_to__isnull=True).get()
            assert law.statute in glance, (place.abbr, topic)


def test_the_api_serves_the_statute_of_every_class_in_force(client, atlas_db):
    data = client.get("/api/v1/laws").json()
    served = [law for law in data["laws"] if law["topic"] in TOPICS]
    assert len(served) == 102
    for law in served:
        assert law["statute"] and law["grade"], law
        if law.get("statute_url"):
            assert law["citations"][0] == law["statute_url"]
            assert law["statute_url"] not in law["secondary_citations"]
        assert "worldpopulationreview" not in law["citations"][0], law
    history = client.get("/api/v1/laws", {"history": "1"}).content.decode()
    no_research_notes("/api/v1/laws?history=1", history)
    spanish = text_of(client.get("/es/states/or/").content.decode())
    assert "Ley: ORS" in spanish and "Pena máxima:" in spanish and "Texto de la ley" in spanish
    profile = client.get("/api/v1/states/OR").json()
    assert {law["topic"]: bool(law.get("statute")) for law in profile["laws_in_force"]
            if law["topic"] in TOPICS} == {"possession": True, "paraphernalia": True}


def test_bill_pages_and_the_bills_api_show_no_research_notes(client, atlas_db):
    keys = list(Bill.objects.values_list("key", flat=True))
    assert len(keys) >= 50
    for key in keys:
        for language in ("en", "es"):
            prefix = "/es" if language == "es" else ""
            html = client.get(f"{prefix}/legislation/{key}/")
            assert html.status_code == 200, key
            text = text_of(html.content.decode())
            no_research_notes(f"/legislation/{key}/", text)
            assert "Date unknown" not in text and "Fecha desconocida" not in text
    no_research_notes("/api/v1/bills", client.get("/api/v1/bills").content.decode())
    # The old permalink of the New York bill leads to its re-researched record.
    old = client.get("/legislation/ny-2025-s3600-a4929/")
    assert old.status_code == 301 and old["Location"] == "/legislation/ny-2025-s3600/"
    ny = text_of(client.get("/legislation/ny-2025-s3600/").content.decode())
    assert "2025–2026 regular session" in ny and "Sponsors" in ny


def test_oregon_possession_in_2016_is_a_felony_cited(client, atlas_db):
    html = client.get("/?layer=possession&as_of=2016-01-01").content.decode()
    row = row_of(html, "OR")
    # 2011 is when a source first shows the felony, not when it began.
    assert "Felony" in row and "start date not recorded; confirmed as of 2011" in row and "ORS 475.752(3)" in row
    assert "https://legiscan.com/OR/text/HB2674/2011" in htmlpage.attrs(html, 'table tr[data-abbr="OR"] a', "href")
    data = client.get("/api/v1/laws", {"topic": "possession", "as_of": "2016-01-01",
                                       "jurisdiction": "OR"}).json()
    (law,) = data["laws"]
    assert (law["status"], law["valid_from"], law["valid_to"]) == ("felony", "2011", "2017-07")
    assert law["date_basis"] == "attested"
    assert law["statute"].startswith("ORS 475.752(3)") and law["citations"]
    # Before the first dated source the class is not known: never the later class copied back.
    (before,) = client.get("/api/v1/laws", {"topic": "possession", "as_of": "2010-06-30",
                                            "jurisdiction": "OR"}).json()["laws"]
    assert before["status"] == "unknown"


def test_dates_known_to_the_year_or_month_are_written_so(client, atlas_db):
    # Rhode Island's 2021 reform is known to the year; HB 2355 to the month (August 2017).
    text = text_of(client.get("/states/ri/").content.decode())
    assert "2021-01-01" not in text
    assert " 2021 – today" in f" {text}"
    oregon = text_of(client.get("/states/or/").content.decode())
    assert "2011 – 2017-07" in oregon and "2017-08 – 2021-01-31" in oregon
    assert "(start date not recorded; confirmed as of 2011)" in oregon
    assert "before our records – 2013 Not legal for adults" in oregon  # ends as 2014 begins
    html = client.get("/?layer=possession&as_of=2022-01-01").content.decode()
    assert "since 2021" in row_of(html, "RI") and "2021-01-01" not in row_of(html, "RI")
    api = client.get("/api/v1/laws", {"topic": "possession", "jurisdiction": "RI"}).json()
    assert [(law["valid_from"], law["valid_from_precision"]) for law in api["laws"]] == [
        ("2021", "year")]
    bill = json.loads(client.get("/api/v1/bills", {"jurisdiction": "MA"}).content)["bills"]
    assert any(e["date"] and len(e["date"]) == 4 for b in bill for e in b["events"])


def test_the_about_page_tells_oregons_history_as_precisely_as_known(client, atlas_db):
    text = text_of(client.get("/about/").content.decode())
    table = text[text.index("Oregon's possession law in our records"):]
    assert "before our records 2010 Law before 2011 not in this atlas" in table
    assert "2011 2017-07 Felony" in table and "2017-08 2021-01-31 Misdemeanor" in table
    assert "2011-01-01" not in table


def test_the_first_attested_date_is_not_marked_as_a_change(client, atlas_db):
    html = client.get("/?layer=possession").content.decode()
    changes = htmlpage.one(html, "p.changes")
    # Oregon's HB 4002 (2024-09-01) is a change; the research's "as of 2024" dates are not.
    assert "2024-09-01 (" in htmlpage.text(changes) and "2024-01-01" not in htmlpage.text(changes)
    assert not any(htmlpage.text(part).startswith("2024 (") for part in changes.find_all(True))
    oregon = client.get("/states/or/").content.decode()
    marks = str(htmlpage.one(oregon, "svg#chart-arrests"))  # its marks' titles and labels
    assert "2017-08: Drug possession: Misdemeanor" in marks
    assert "2011: Drug possession: Felony" not in marks
