"""The consequences of a conviction on the state page, the home page's national counts, the
API and the downloads (loaded bundle), in English and Spanish."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

import htmlpage
from drugatlas import clock
from drugatlas.atlas import consequences

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 5)
QUESTIONS = consequences.QUESTIONS


def get(client, url, **headers):
    with clock.frozen(DAY):
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return response


def section(html: str) -> str:
    start = html.index('id="after-conviction"')
    return html[start:html.index("</section>", start)]


def item(html: str, topic: str) -> str:
    start = html.index(f'id="consequence-{topic}"')
    return html[start:html.index("</li>", start)]


def test_alabama_page_has_a_cited_statement_for_each_known_question(client):
    html = section(get(client, "/states/al/").content.decode())
    assert "After a conviction" in html
    assert "possessing a small amount of a drug is a felony" in html
    license = item(html, "license_suspension_drug")
    assert "License suspended for drug offenses" in license
    assert "suspends the person&#x27;s driver&#x27;s license" in license
    assert 'href="https://www.prisonpolicy.org/driving/"' in license
    assert "(start date not recorded; confirmed as of 2021-10)" in license and "Confidence: medium" in license
    for topic in ("snap_drug_felony_ban", "license_suspension_drug", "felony_voting",
                  "possession_record_relief"):
        part = item(html, topic)
        assert "Source:" in part and re.search(r"(since|confirmed as of) 20\d\d", part), topic
    relief = item(html, "possession_record_relief")
    assert "can be cleared only in limited cases" in relief  # how a record can be cleared


def test_alabama_unknown_question_says_no_source_found_in_plain_words(client):
    html = section(get(client, "/states/al/").content.decode())
    tanf = item(html, "tanf_drug_felony_ban")
    assert "No source found" in tanf and "We found no source for Alabama" in tanf
    assert "No ban" not in tanf and "Confidence" not in tanf
    text = htmlpage.text(html)  # what a reader sees, not the CSS classes
    assert not re.search(r"\bunknown\b|not researched", text, re.I)
    assert "food assistance (SNAP), the driver&#x27;s license, the vote" in html
    assert "We found no source yet on cash assistance (TANF)" in html


def test_research_notes_never_reach_the_page(client):
    html = get(client, "/states/al/").content.decode()
    assert "Moral Turpitude" not in html and "placeholder" not in html
    # Nor the generic law history: the questions have their own section.
    laws = html[html.index('id="laws-h"'):]
    assert "Food assistance (SNAP)" not in laws[:laws.index("</section>")]


def test_state_json_carries_the_section(client):
    data = get(client, "/states/al/?format=json").json()
    section = data["after_conviction"]
    assert [q["topic"] for q in section["questions"]] == list(QUESTIONS)
    license = next(q for q in section["questions"] if q["topic"] == "license_suspension_drug")
    assert (license["status"], license["known"], license["year"]) == ("yes", True, 2021)
    assert section["count"] == 3 and section["possession_status"] == "felony"


def test_spanish_state_page(client):
    html = section(get(client, "/es/states/al/").content.decode())
    assert "Después de una condena" in html
    assert "Licencia suspendida por delitos de drogas" in html
    assert "suspende la licencia de conducir" in html and "fecha de inicio no registrada; confirmada a 2021-10" in html
    assert "No se encontró fuente" in html
    assert "After a conviction" not in html and "No source found" not in html


def test_home_page_national_counts(client):
    html = get(client, "/").content.decode()
    counts = htmlpage.one(html, "#consequence-counts")

    def topic_row(topic: str) -> str:
        return htmlpage.text(counts, f'tr[data-topic="{topic}"]')

    snap = topic_row("snap_drug_felony_ban")
    assert "Lifetime ban (federal default): 1" in snap
    assert "No ban (the state opted out): 12" in snap
    assert "No source found: 23" in snap
    assert "License suspended for drug offenses: 4" in topic_row("license_suspension_drug")
    assert "a part has no source found" in topic_row("consequences")


def test_national_counts_add_up_to_every_state():
    with clock.frozen(DAY):
        counts = consequences.national_counts(DAY)
    for q in counts["questions"]:
        assert sum(a["count"] for a in q["answers"]) == 51, q["topic"]
    assert sum(c["states"] for c in counts["combined"]) == 51


def test_spanish_national_counts(client):
    html = get(client, "/es/").content.decode()
    assert "Después de una condena: lo que quitan los estados" in html


@pytest.mark.parametrize("topic", QUESTIONS)
def test_api_serves_each_topic_with_sources_and_confidence(client, topic):
    data = get(client, f"/api/v1/laws?topic={topic}&as_of={DAY}").json()
    assert data["topic"] == topic and len(data["laws"]) == 51
    known = [law for law in data["laws"] if law["status"] != "unknown"]
    assert known and all(law["citations"] and law["confidence"] in ("high", "medium", "low")
                         and law["source"] == "collateral-consequences" for law in known)
    unknown = [law for law in data["laws"] if law["status"] == "unknown"]
    assert all(law["confidence"] == "unknown" for law in unknown)


def test_api_alabama_license_and_its_history(client):
    data = get(client, "/api/v1/laws?topic=license_suspension_drug&jurisdiction=AL&history=1").json()
    assert [(law["status"], law["valid_from"]) for law in data["laws"]] == [
        ("unknown", None), ("yes", "2021-10")]
    assert "https://www.prisonpolicy.org/driving/" in data["laws"][1]["citations"]


def test_openapi_lists_the_topics(client):
    spec = get(client, "/api/v1/openapi.json").json()
    text = json.dumps(spec)
    assert all(topic in text for topic in QUESTIONS)


def test_downloads_include_the_records(client):
    def download(name):
        return b"".join(client.get(f"/data/{name}").streaming_content).decode()

    laws = download("laws.csv")
    assert all(f",{topic}," in laws for topic in QUESTIONS)
    assert "collateral-consequences" in download("sources.csv")
    assert "snap_drug_felony_ban" in download("datapackage.json")
