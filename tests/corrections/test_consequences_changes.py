"""An editor's edit of a consequence record, made in the admin, keeps its history, survives
a data load, and is listed on /changes/ like every legal edit (without naming the editor)."""
from __future__ import annotations

import datetime as dt

import pytest

from drugatlas.atlas.models import LawStatus
from drugatlas.atlas import loading as load

pytestmark = pytest.mark.django_db



def alabama_tanf() -> LawStatus:
    return LawStatus.objects.as_of(dt.date(2026, 12, 1)).get(
        jurisdiction__abbr="AL", topic="tanf_drug_felony_ban")


def edit_in_admin(editor_client, law: LawStatus, **changes):
    data = {"jurisdiction": law.jurisdiction_id, "topic": law.topic, "status": law.status,
            "valid_from": law.valid_from or "", "valid_to": law.valid_to or "",
            "statute": law.statute, "citations": law.citations, "confidence": law.confidence,
            "note": law.note, "source": law.source_id or "", "change_reason": "", **changes}
    return editor_client.post(f"/admin/atlas/lawstatus/{law.pk}/change/", data)


def test_an_edit_in_the_admin_is_listed_on_changes_and_survives_a_load(client, editor_client,
                                                                       editor):
    law = alabama_tanf()
    response = edit_in_admin(editor_client, law, status="modified_ban", confidence="high",
                             citations="https://example.org/alabama-tanf-rule",
                             change_reason="Found the state's TANF rule")
    assert response.status_code == 302, response.content[:2000]
    law.refresh_from_db()
    assert (law.status, law.origin) == ("modified_ban", LawStatus.EDITOR)
    assert law.history.first().history_change_reason == "Found the state's TANF rule"

    html = client.get("/changes/").content.decode()
    assert "Alabama: Cash assistance (TANF) after a drug felony" in html
    assert "Found the state&#x27;s TANF rule" in html and "changed:" in html
    assert editor.username not in html

    load.load_bundle(force=True)
    assert alabama_tanf().status == "modified_ban"


def test_the_admin_refuses_a_status_outside_the_questions_vocabulary(editor_client):
    law = alabama_tanf()
    response = edit_in_admin(editor_client, law, status="yes",
                             citations="https://example.org/x")
    assert response.status_code == 200  # the form again, with the error
    assert "no_ban, modified_ban, full_ban, unknown" in response.content.decode()
    law.refresh_from_db()
    assert law.status == "unknown"


def test_changes_page_in_spanish_names_the_question(client, editor_client):
    edit_in_admin(editor_client, alabama_tanf(), status="full_ban",
                  citations="https://example.org/alabama-tanf-rule")
    html = client.get("/es/changes/").content.decode()
    assert "Alabama: Asistencia en efectivo (TANF) tras un delito grave de drogas" in html
