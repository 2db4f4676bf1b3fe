"""Editors triage reports in the admin; accepted ones appear on /changes/ with their date,
beside data releases and editors' edits. No email is ever shown, and all text is escaped."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from drugatlas.atlas.models import Bill, DataRelease, Jurisdiction, LawStatus
from drugatlas.corrections.models import Correction

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
SQL = "'; DROP TABLE corrections_correction; --"


def report(**fields) -> Correction:
    values = {"page": "/states/or/", "subject": "Oregon arrests 2019", "problem": "Wrong year",
              "email": "private.reader@example.org"}
    values.update(fields)
    return Correction.objects.create(**values)


def test_status_changes_are_dated_and_kept_in_history():
    correction = report()
    assert correction.resolved_at is None
    correction.status = Correction.ACCEPTED
    correction.save()
    accepted_at = correction.resolved_at
    assert accepted_at is not None
    correction.editor_notes = "checked the statute"
    correction.save()
    assert correction.resolved_at == accepted_at  # a note does not move the decision date
    correction.status = Correction.NEEDS_INFORMATION
    correction.save()
    assert correction.resolved_at is None
    assert [h.status for h in correction.history.order_by("history_date")] == [
        "new", "accepted", "accepted", "needs_information"]


def test_editor_triages_in_the_admin(editor_client, editor):
    correction = report()
    listing = editor_client.get("/admin/corrections/correction/?status__exact=new")
    assert listing.status_code == 200 and b"Oregon arrests 2019" in listing.content
    page = editor_client.get(f"/admin/corrections/correction/{correction.pk}/change/")
    assert page.status_code == 200 and b"private.reader@example.org" in page.content
    response = editor_client.post(f"/admin/corrections/correction/{correction.pk}/change/", {
        "status": "accepted", "public_note": "Year fixed to 2019.",
        "editor_notes": "Confirmed in Table 69."})
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == Correction.ACCEPTED and correction.resolved_at
    assert correction.history.latest().history_user == editor
    # What the reader sent is not rewritten by triage.
    assert correction.problem == "Wrong year"


def test_triage_actions(editor_client):
    first, second = report(), report(subject="Second")
    response = editor_client.post("/admin/corrections/correction/", {
        "action": "mark_rejected", "_selected_action": [first.pk, second.pk]})
    assert response.status_code == 302
    assert set(Correction.objects.values_list("status", flat=True)) == {"rejected"}


def test_editors_cannot_add_or_delete_reports(editor_client):
    correction = report()
    assert editor_client.get("/admin/corrections/correction/add/").status_code == 403
    assert editor_client.get(
        f"/admin/corrections/correction/{correction.pk}/delete/").status_code == 403


def test_changes_lists_accepted_corrections_with_dates_and_releases(client):
    accepted = report(status=Correction.ACCEPTED, public_note="Fixed the year.")
    report(subject="Still new")
    report(subject="Turned down", status=Correction.REJECTED)
    report(subject="Asked for more", status=Correction.NEEDS_INFORMATION)
    DataRelease.objects.create(version="abc123def4567890", summary="51 places, 9 laws")
    html = client.get("/changes/").content.decode()
    assert "Oregon arrests 2019" in html and "Fixed the year." in html
    assert accepted.resolved_at.strftime("%Y-%m-%d") in html
    for hidden in ("Still new", "Turned down", "Asked for more"):
        assert hidden not in html
    assert "abc123def4567" in html and "51 places, 9 laws" in html
    data = client.get("/changes/", {"format": "json"}).json()
    assert [c["subject"] for c in data["corrections"]] == ["Oregon arrests 2019"]
    assert data["corrections"][0]["accepted"].startswith(str(timezone.now().year))
    assert any(r["version"] == "abc123def4567890" for r in data["releases"])


def test_email_addresses_are_never_public(client):
    report(status=Correction.ACCEPTED, email="private.reader@example.org",
           editor_notes="call private.reader@example.org")
    for response in (client.get("/changes/"), client.get("/changes/", {"format": "json"})):
        body = response.content.decode()
        assert "private.reader@example.org" not in body and "call " not in body


def test_script_and_sql_in_every_field_are_stored_as_text_and_escaped(client, editor_client):
    fields = {"page": "/states/or/?q=" + SCRIPT, "subject": SCRIPT + SQL, "problem": SCRIPT + SQL,
              "suggestion": SCRIPT + SQL, "source_url": "https://example.org/?q=%3Cscript%3E",
              "email": "a@example.org", "website": ""}
    response = client.post("/corrections/new/", fields)
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.subject == SCRIPT + SQL and correction.problem == SCRIPT + SQL
    correction.status, correction.public_note = Correction.ACCEPTED, SCRIPT + SQL
    correction.save()
    pages = [client.get("/changes/").content.decode(),
             editor_client.get(f"/admin/corrections/correction/{correction.pk}/change/").content.decode(),
             editor_client.get("/admin/corrections/correction/").content.decode()]
    for html in pages:
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "DROP TABLE corrections_correction" in pages[0]  # shown as text; the table is still there
    assert Correction.objects.count() == 1
    # The prefill path is escaped too.
    prefill = client.get("/corrections/new/", {"page": "/a/" + SCRIPT, "what": SCRIPT + SQL})
    assert SCRIPT not in prefill.content.decode()


def test_changes_lists_editors_edits_without_naming_them(client, editor_client, editor):
    place, _ = Jurisdiction.objects.get_or_create(fips="41", defaults={
        "abbr": "OR", "name": "Oregon", "kind": "state"})
    law = LawStatus.objects.create(jurisdiction=place, topic="possession", status="misdemeanor",
                                   valid_from=dt.date(2024, 9, 1),
                                   citations="https://example.org/hb4002")
    law.note, law.origin, law._change_reason = "HB 4002", LawStatus.EDITOR, "Added the act"
    law._history_user = editor
    law.save()
    bill = Bill.objects.create(key="test-changes-bill", jurisdiction=place, number="HB 1",
                               title="A bill", status="introduced",
                               citations="https://example.org/hb1")
    bill.status, bill.origin = "failed", LawStatus.EDITOR
    bill._history_user = editor
    bill.save()
    html = client.get("/changes/").content.decode()
    assert "Oregon: Drug possession" in html and "changed: note" in html and "Added the act" in html
    assert 'href="/legislation/test-changes-bill/"' in html and "changed: status" in html
    assert editor.username not in html and editor.email not in html


def test_changes_page_says_when_empty(client):
    html = client.get("/changes/").content.decode()
    assert "No corrections have been accepted yet." in html


def test_changes_survive_a_place_that_a_load_dropped(client, editor):
    place = Jurisdiction.objects.create(fips="98", abbr="", name="Gone", kind="state")
    law = LawStatus.objects.create(jurisdiction=place, topic="naloxone", status="yes",
                                   citations="https://example.org/n")
    law.origin, law.note, law._history_user = LawStatus.EDITOR, "edited", editor
    law.save()
    law.delete()
    place.delete()
    response = client.get("/changes/")
    assert response.status_code == 200
    assert "98: Naloxone access" in response.content.decode()
