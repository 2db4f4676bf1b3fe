"""Editors in the admin: least privilege, a citation on every save, history kept and visible,
origin marked, and the data version bumped so the site changes at once."""
from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from drugatlas.atlas import cache
from drugatlas.atlas.models import Bill, LawStatus, Source
from drugatlas.legislation.editors import EDITOR_PERMISSIONS, sync_editor_group

pytestmark = pytest.mark.django_db


def test_editor_group_has_exactly_the_listed_permissions():
    # The migration runs this; running it again resets the group to exactly the list.
    group = sync_editor_group()
    assert Group.objects.filter(name="editor").count() == 1
    granted = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
    expected = {(app, f"{action}_{model}") for (app, model), actions in EDITOR_PERMISSIONS.items()
                for action in actions}
    assert granted == expected
    codenames = {c for _, c in granted}
    assert not any(c.startswith("delete_") for c in codenames)
    assert not any(c.endswith(("_user", "_group", "_permission")) for c in codenames)
    assert {"change_lawstatus", "add_bill", "change_billevent", "add_source", "change_measure",
            "change_correction"} <= codenames


def test_editor_cannot_manage_users_or_delete_sources(editor_client, places):
    source = Source.objects.create(id="test-source", publisher="P", title="T",
                                   url="https://example.org", file="x.csv")
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    assert editor_client.get(f"/admin/atlas/source/{source.pk}/delete/").status_code == 403
    assert editor_client.get(f"/admin/atlas/source/{source.pk}/change/").status_code == 200
    # Places are there to be picked, not changed.
    response = editor_client.get("/admin/atlas/jurisdiction/41/change/")
    assert response.status_code == 200 and b'name="_save"' not in response.content


def test_law_save_needs_a_citation_url(editor_client, law, admin_forms):
    url = f"/admin/atlas/lawstatus/{law.pk}/change/"
    for bad in ("", "   ", "see the statute", "ftp://example.org/law", "javascript:alert(1)",
                "https://example.org/ok ; https://example.org/two"):
        data = {**admin_forms.form_data(law), "citations": bad, "status": "misdemeanor"}
        response = editor_client.post(url, data)
        assert response.status_code == 200, bad  # the form again, with the error
        assert b"citation" in response.content.lower() and b"errorlist" in response.content
    law.refresh_from_db()
    assert law.status == "not_criminalized" and law.origin == LawStatus.BUNDLE


def test_editor_law_change_is_marked_kept_in_history_and_bumps_the_version(
        editor_client, editor, law, admin_forms, django_capture_on_commit_callbacks):
    before = cache.data_version()
    data = {**admin_forms.form_data(law), "status": "misdemeanor",
            "citations": "https://example.org/hb4002\r\nhttps://example.org/statute",
            "change_reason": "HB 4002 re-criminalized possession"}
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/atlas/lawstatus/{law.pk}/change/", data)
    assert response.status_code == 302
    law.refresh_from_db()
    assert law.status == "misdemeanor" and law.origin == LawStatus.EDITOR
    assert law.citation_list() == ["https://example.org/hb4002", "https://example.org/statute"]
    assert cache.data_version() != before
    latest = law.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason == "HB 4002 re-criminalized possession"
    assert latest.prev_record.status == "not_criminalized"
    history = editor_client.get(f"/admin/atlas/lawstatus/{law.pk}/history/")
    assert history.status_code == 200
    assert b"HB 4002 re-criminalized possession" in history.content


def test_editor_adds_a_law_with_a_citation(editor_client, places):
    data = {"jurisdiction": "50", "topic": "paraphernalia", "status": "misdemeanor",
            "valid_from": "2031-07-01", "valid_to": "", "statute": "", "note": "",
            "citations": "https://legislature.vermont.gov/statutes", "confidence": "medium",
            "source": "", "change_reason": ""}
    response = editor_client.post("/admin/atlas/lawstatus/add/", data)
    assert response.status_code == 302
    law = LawStatus.objects.get(jurisdiction_id="50", topic="paraphernalia",
                              valid_from="2031-07-01")
    assert law.origin == LawStatus.EDITOR


def test_law_status_must_be_in_the_topics_vocabulary(editor_client, law, admin_forms):
    data = {**admin_forms.form_data(law), "status": "decriminalized-ish"}
    response = editor_client.post(f"/admin/atlas/lawstatus/{law.pk}/change/", data)
    assert response.status_code == 200
    assert b"use one of: not_criminalized, misdemeanor, both, felony, unknown" in response.content


def test_interval_must_not_end_before_it_starts(editor_client, law, admin_forms):
    data = {**admin_forms.form_data(law), "valid_to": "2020-01-01"}
    response = editor_client.post(f"/admin/atlas/lawstatus/{law.pk}/change/", data)
    assert response.status_code == 200 and b"ends before it starts" in response.content


def test_bill_edit_with_a_new_event(editor_client, bills, admin_forms,
                                    django_capture_on_commit_callbacks):
    bill = bills["vermont"]
    before = cache.data_version()
    data = {**admin_forms.form_data(bill), "funding": "Cannabis tax revenue",
            **admin_forms.inline_events(bill, [{"date": "2023-05-01", "action": "Died in committee",
                                                "status": "failed", "url": "https://example.org/h1"}])}
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/atlas/bill/{bill.pk}/change/", data)
    assert response.status_code == 302, response.content[:3000]
    bill.refresh_from_db()
    assert bill.origin == LawStatus.EDITOR and bill.funding == "Cannabis tax revenue"
    assert list(bill.events.values_list("action", flat=True)) == ["Introduced", "Died in committee"]
    assert cache.data_version() != before
    assert bill.history.latest().history_user is not None
    assert bill.events.get(action="Died in committee").history.exists()


def test_bill_needs_a_citation_and_event_urls_must_be_web_addresses(editor_client, bills,
                                                                     admin_forms):
    bill = bills["vermont"]
    data = {**admin_forms.form_data(bill), "citations": "",
            **admin_forms.inline_events(bill)}
    response = editor_client.post(f"/admin/atlas/bill/{bill.pk}/change/", data)
    assert response.status_code == 200 and b"Add at least one citation" in response.content
    data = {**admin_forms.form_data(bill),
            **admin_forms.inline_events(bill, [{"date": "2023-05-02", "action": "x",
                                                "status": "failed", "url": "ftp://example.org/x"}])}
    response = editor_client.post(f"/admin/atlas/bill/{bill.pk}/change/", data)
    assert response.status_code == 200
    assert Bill.objects.get(pk=bill.pk).origin == LawStatus.BUNDLE


def test_bill_key_is_read_only_once_created(editor_client, bills):
    response = editor_client.get(f"/admin/atlas/bill/{bills['vermont'].pk}/change/")
    assert response.status_code == 200
    assert b'name="key"' not in response.content


def test_hand_back_to_the_research_data(editor_client, law):
    law.origin = LawStatus.EDITOR
    law.save()
    response = editor_client.post("/admin/atlas/lawstatus/", {
        "action": "hand_back_to_bundle", "_selected_action": [law.pk]})
    assert response.status_code == 302
    law.refresh_from_db()
    assert law.origin == LawStatus.BUNDLE


def test_saves_from_code_bump_the_version_after_commit(law, django_capture_on_commit_callbacks):
    before = cache.data_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        law.note = "changed"
        law.save()
    assert cache.data_version() == before  # not before the commit
    for callback in callbacks:
        callback()
    assert cache.data_version() != before


def test_editor_group_command_makes_a_user_an_editor(django_user_model):
    user = django_user_model.objects.create_user("new-editor", password="pw-new-editor")
    call_command("editor_group", add=["new-editor"], stdout=io.StringIO())
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("atlas.change_lawstatus") and not user.has_perm("atlas.delete_source")
    assert not user.has_perm("auth.change_user")
    with pytest.raises(CommandError, match="no user"):
        call_command("editor_group", add=["nobody"], stdout=io.StringIO())


@pytest.mark.parametrize("model", ["measure", "source", "bill", "lawstatus", "jurisdiction",
                                   "datarelease", "costassumption"])
def test_admin_pages_open_for_editors(editor_client, model):
    assert editor_client.get(f"/admin/atlas/{model}/").status_code in (200, 302)
