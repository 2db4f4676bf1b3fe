"""No research remark reaches a reader (issue 9): every bill page, the legislation list,
every state page, in English and Spanish, their JSON twins, the bills' share cards and the
API's bills and laws answers are searched for the words of the research process. The
remarks stay in the bundle's ``research_note`` for editors."""
from __future__ import annotations

import re

import pytest
from django.conf import settings

import htmlpage
from drugatlas.atlas.models import Bill, Jurisdiction

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (settings.BUNDLE_DIR / "bills.csv").exists(),
                                 reason="no data bundle")]

# How a value was found, guessed or checked: never a reader's text.
RESEARCH_MARKERS = re.compile("|".join((
    r"Not researched", r"No investigado", r"Research file", r"retrieved (?:excerpts|pages|text"
    r"|summary|reports)", r"in (?:the )?retrieved", r"not seen", r"not confirmed",
    r"\binferred\b", r"check OLIS", r"Open States lists", r"stored congress\.gov",
    r"stored [\w.,\s]{0,40} pages", r"research pass", r"third pass", r"firm pages?",
    r"Pass \d+:", r"Statute text seen", r"Super Lawyers", r"looks unreliable",
    r"apparently", r"none found", r"formal title", r"short description", r"legiplex shows",
    r"not restated", r"number not found")), re.IGNORECASE)


def remarks(text: str) -> list[str]:
    return sorted({m.group(0) for m in RESEARCH_MARKERS.finditer(text)})


def pages() -> list[str]:
    """Every public page and answer that shows bills or laws, both languages."""
    keys = list(Bill.objects.values_list("key", flat=True))
    states = [j.abbr.lower() for j in Jurisdiction.objects.filter(kind=Jurisdiction.STATE)]
    assert len(keys) >= 50 and len(states) == 51
    html = ["/legislation/", *(f"/legislation/{k}/" for k in keys),
            *(f"/states/{s}/" for s in states)]
    paths = [*html, *(f"/es{p}" for p in html), *(f"{p}?format=json" for p in html)]
    paths += [f"/legislation/{k}/card.svg" for k in keys]
    return paths + ["/api/v1/bills", "/api/v1/laws", "/api/v1/laws?history=1"]


def served_text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    body = response.content.decode()
    return htmlpage.text(body) if response["Content-Type"].startswith("text/html") else body


def test_no_public_page_or_answer_shows_a_research_remark(client, atlas_db):
    found = {}
    for path in pages():
        hits = remarks(served_text(client, path))
        if hits:
            found[path] = hits
    assert not found, f"{len(found)} pages with research remarks: {found}"


def test_the_remarks_stay_for_editors(atlas_db):
    # Maryland HB 1057: the sponsor's unconfirmed first name is an editor's note, not a page's.
    bill = Bill.objects.get(key="md-2024-hb1057")
    assert bill.sponsors == "Del. Ruth"
    assert "first name not confirmed" in bill.research_note
    proposal = Bill.objects.get(key="us-2023-dpra-announced")
    assert proposal.number == "" and "none found" in proposal.research_note


def test_a_bill_without_a_number_is_named_by_its_title(client, atlas_db):
    proposal = Bill.objects.get(key="us-2023-dpra-announced")
    doc = htmlpage.parse(client.get("/legislation/"))
    assert proposal.title in [htmlpage.text(a) for a in doc.select(f'a[href="{proposal.get_absolute_url()}"]')]
    page = htmlpage.text(client.get(proposal.get_absolute_url()).content.decode())
    assert "Proposal, never introduced" in page and "Sponsors" in page
