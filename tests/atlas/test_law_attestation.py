"""A law without a start date is known only from the date its source attests it, on the real
bundle: unknown before that date, "start date not recorded; confirmed as of …" after it, on the
map, the state pages, the map's state panel and the API (docs/codebook.md, "Dating"). State
pages never say "in force" twice, and a class not in the atlas never gets an "in force" badge."""
from __future__ import annotations

import pytest
from django.conf import settings

import htmlpage
from drugatlas.atlas.models import Jurisdiction, LawStatus

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (settings.BUNDLE_DIR / "laws.csv").exists(),
                                 reason="no data bundle")]


def map_row(doc, abbr: str) -> str:
    return htmlpage.text(htmlpage.one(doc, f'table tr[data-fips][data-abbr="{abbr}"]'))


def states() -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(kind=Jurisdiction.STATE).order_by("abbr"))


@pytest.mark.parametrize("as_of", ["1995-01-01", "2010-01-01"])
def test_no_good_samaritan_law_is_shown_before_a_source_speaks_for_it(client, atlas_db, as_of):
    doc = htmlpage.parse(client.get(f"/?layer=good_samaritan&as_of={as_of}"))
    rows = htmlpage.texts(doc, "table tr[data-fips]")
    assert len(rows) == 51
    assert not [r for r in rows if "start not recorded" in r]
    # Texas (2021) and New Hampshire (2015): not in this atlas before the source's date.
    for abbr in ("TX", "NH"):
        assert "not in this atlas" in map_row(doc, abbr) and "In force" not in map_row(doc, abbr)
    if as_of == "1995-01-01":  # the first state law is of 2007
        assert not [r for r in rows if "In force" in r]


def test_an_attested_law_is_in_force_from_its_source_date_start_not_recorded(client, atlas_db):
    row = map_row(htmlpage.parse(client.get("/?layer=good_samaritan&as_of=2025-01-01")), "TX")
    assert "In force, start not recorded" in row
    assert "start date not recorded; confirmed as of 2024-02" in row
    # A law with a known year stays in its "since" class.
    assert "In force since 2012–2014" in map_row(
        htmlpage.parse(client.get("/?layer=good_samaritan&as_of=2025-01-01")), "CO")


def test_the_api_reads_undated_laws_the_same_way(client, atlas_db):
    def laws(topic, as_of, abbr):
        return client.get("/api/v1/laws", {"topic": topic, "as_of": as_of,
                                           "jurisdiction": abbr}).json()["laws"]

    (before,) = laws("good_samaritan", "2010-01-01", "TX")
    assert before["status"] == "unknown"
    (after,) = laws("good_samaritan", "2025-01-01", "TX")
    assert (after["status"], after["valid_from"], after["date_basis"]) == ("yes", "2024-02",
                                                                         "attested")
    # Naloxone cells carry no date of their own: the file's research day is the date.
    (naloxone,) = laws("naloxone", "2020-01-01", "TX")
    assert naloxone["status"] == "unknown"


def test_no_law_of_any_topic_is_undated_and_in_force(atlas_db):
    """Only a status meaning "no such law" (and unknown) may lack a start date, and only a
    bounded "class before a dated change" otherwise: an open-ended law always has a date."""
    from drugatlas.laws_vocabulary import LAW_TOPICS, UNKNOWN

    absent = {"no", "none", "not_legal"}
    undated = LawStatus.objects.filter(valid_from__isnull=True, valid_to__isnull=True)
    leaks = [(law.jurisdiction_id, law.topic, law.status) for law in undated
             if law.status != UNKNOWN and law.status not in absent and law.topic in LAW_TOPICS]
    assert leaks == []


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_state_pages_never_say_in_force_twice(client, atlas_db, prefix):
    for place in states():
        doc = htmlpage.parse(client.get(f"{prefix}/states/{place.abbr.lower()}/"))
        text = htmlpage.text(doc)
        for doubled in ("in force in force", "Not in this atlas for this date in force",
                        "vigente vigente", "en vigor en vigor"):
            assert doubled not in text, (place.abbr, doubled)
        for item in htmlpage.select(doc, "section.laws ol.timeline li"):
            if htmlpage.select(item, "strong.status-unknown"):
                assert not htmlpage.select(item, ".badge"), (place.abbr, htmlpage.text(item))
        if prefix:
            continue
        for badge in htmlpage.texts(doc, "section.laws .badge"):
            assert badge == "current", place.abbr


def test_an_attested_year_is_not_worded_as_a_start(client, atlas_db):
    doc = htmlpage.parse(client.get("/states/or/"))
    voting = htmlpage.text(htmlpage.one(doc, "#consequence-felony_voting .meta"))
    assert "(start date not recorded; confirmed as of 2026-01)" in voting
    assert "at least since" not in htmlpage.text(doc)
    # At a glance: West Virginia's misdemeanor is confirmed as of 2023, not "from 2023".
    glance = htmlpage.texts(htmlpage.parse(client.get("/states/wv/")), "section.glance li")
    possession = next(t for t in glance if t.startswith("Drug possession"))
    assert "class confirmed as of 2023; earlier years not in this atlas" in possession
    assert "known from" not in possession
    spanish = htmlpage.texts(htmlpage.parse(client.get("/es/states/wv/")), "section.glance li")
    assert any("clase confirmada a" in t for t in spanish)


def test_the_state_panel_words_attested_dates_as_confirmations(client, atlas_db):
    labels = htmlpage.json_script(htmlpage.parse(client.get("/")), "atlas-labels")
    assert labels["words"]["attested"] == "start date not recorded; confirmed as of %(date)s"
    es = htmlpage.json_script(htmlpage.parse(client.get("/es/")), "atlas-labels")
    assert "%(date)s" in es["words"]["attested"] and "confirm" in es["words"]["attested"]
