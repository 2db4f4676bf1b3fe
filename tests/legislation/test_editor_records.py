"""Editors' changes and the data bundle: no edit is lost across a reload, and export-laws puts
the edits into the bundle so a fresh database gets them too."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from drugatlas.atlas import loading as load
from drugatlas.atlas.bundle_rows import export_legal_records
from drugatlas.atlas.editor_owned import editor_owned_keys, editor_rows
from drugatlas.atlas.models import Bill, BillEvent, Jurisdiction, LawStatus, Source
from drugatlas.pipeline import bundle
from drugatlas.pipeline.editors import law_key, preserve_editor_changes
from drugatlas.sources.records import (BillEventRecord, BillRecord, LawInterval, Place,
                                       SourceInfo)

pytestmark = pytest.mark.django_db

# Test rows use the nation ("00"), which the research data gives no laws, and "test-" keys.
LAWS = [
    LawInterval("US", "possession", "misdemeanor", None, dt.date(2021, 1, 31),
                ("https://example.org/ors-475",), "high", "before the act", "Test Act 1",
                "test-laws"),
    LawInterval("US", "possession", "not_criminalized", dt.date(2021, 2, 1), dt.date(2024, 8, 31),
                ("https://example.org/m110", "https://example.org/m110-news"), "high",
                "Class E violation", "Test Act 2", "test-laws"),
    LawInterval("US", "paraphernalia", "misdemeanor", None, None, ("https://example.org/vt",),
                "medium", "", "", "test-laws"),
]
BILLS = [
    BillRecord("test-or-m110", "OR", "Ballot Measure 110", "2020", "Drug Addiction Treatment and "
               "Recovery Act", "repealed", dt.date(2024, 9, 1), "Decriminalized possession.",
               ("https://example.org/m110",), "", "high",
               (BillEventRecord(dt.date(2020, 11, 3), "Passed by voters", "enacted"),
                BillEventRecord(dt.date(2021, 2, 1), "Took effect", "in_effect"),
                BillEventRecord(dt.date(2024, 9, 1), "Repealed by HB 4002", "repealed",
                                "https://example.org/hb4002")), "test-laws"),
    BillRecord("test-vt-h422", "VT", "H.422", "2021-2022", "Regulated drugs", "introduced",
               dt.date(2021, 5, 26), "", ("https://example.org/h422",), "", "medium",
               (BillEventRecord(dt.date(2021, 5, 26), "Introduced", "introduced"),), "test-laws"),
]


def _places() -> list[Place]:
    wanted = {"00": ("US", "United States", "nation"), "41": ("OR", "Oregon", "state"),
              "50": ("VT", "Vermont", "state")}
    for fips, (abbr, name, kind) in wanted.items():
        Jurisdiction.objects.get_or_create(fips=fips, defaults={"abbr": abbr, "name": name,
                                                                "kind": kind})
    # Every place already in the database, so the load has no places to drop.
    return [Place(j.fips, j.name, j.kind, j.abbr) for j in Jurisdiction.objects.all()]


def _sources() -> list[SourceInfo]:
    Source.objects.get_or_create(id="test-laws", defaults={
        "publisher": "Test", "title": "Test legal research", "url": "https://example.org",
        "file": "state-laws/test.csv"})
    return [SourceInfo(s.id, s.publisher, s.title, s.url, s.file, s.licence, s.caveats,
                       s.retrieved, s.sha256) for s in Source.objects.all()]


def _create(laws: list[LawInterval], bills: list[BillRecord]) -> None:
    """The research rows as a load would have written them."""
    fips = {j.abbr: j.fips for j in Jurisdiction.objects.exclude(abbr="")}
    for law in laws:
        LawStatus.objects.create(
            jurisdiction_id=fips[law.abbr], topic=law.topic, status=law.status,
            valid_from=law.valid_from, valid_to=law.valid_to, statute=law.statute,
            citations="\n".join(law.citations), confidence=law.confidence, note=law.note,
            source_id=law.source)
    for record in bills:
        bill = Bill.objects.create(
            key=record.key, jurisdiction_id=fips[record.abbr], number=record.number,
            session=record.session, title=record.title, summary=record.summary,
            status=record.status, status_date=record.status_date,
            citations="\n".join(record.citations), confidence=record.confidence,
            note=record.note, source_id=record.source)
        for event in record.events:
            BillEvent.objects.create(bill=bill, date=event.date, action=event.action,
                                     status=event.status, url=event.url)


@pytest.fixture
def loaded_bundle(tmp_path):
    """A bundle of the database's places, sources and legal records plus a few test laws and
    bills (and no observations), with the test rows in the database as a load writes them:
    the state before any edit."""
    path = tmp_path / "bundle"
    bundle.write(path, bundle.render(_places(), _sources(), [], [], [], []))
    _create(LAWS, BILLS)
    export_legal_records(path)
    return path


def reload(path):
    """A whole `data load` of the bundle (slow with the real data: it replaces observations)."""
    return load.load_bundle(path, force=True)


def reload_legal(path) -> list[str]:
    """The load's own steps for laws, bills and events, without the other tables."""
    with transaction.atomic():
        return load._load_legal_records(path)


def m110_law():
    return LawStatus.objects.get(jurisdiction_id="00", topic="possession",
                                 valid_from=dt.date(2021, 2, 1))


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("root-editor", "r@example.org", "pw")
    client.force_login(user)
    return client


def edit_law_in_admin(client, law, admin_forms, **changes):
    data = {**admin_forms.form_data(law), **changes}
    response = client.post(f"/admin/atlas/lawstatus/{law.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    law.refresh_from_db()
    return law


def test_export_right_after_a_load_reproduces_the_bundle(loaded_bundle, tmp_path):
    reload_legal(loaded_bundle)
    copy = tmp_path / "copy"
    shutil.copytree(loaded_bundle, copy)
    assert export_legal_records(copy) == (LawStatus.objects.count() + Bill.objects.count()
                                          + BillEvent.objects.count())
    for name in ("laws.csv", "bills.csv", "bill_events.csv", "datapackage.json"):
        assert (copy / name).read_bytes() == (loaded_bundle / name).read_bytes(), name


def test_editor_law_edit_survives_a_reload(loaded_bundle, editor_client, admin_forms):
    law = edit_law_in_admin(editor_client, m110_law(), admin_forms, note="Checked by an editor",
                            citations="https://example.org/m110\nhttps://example.org/enrolled")
    report = reload(loaded_bundle)
    law = m110_law()
    assert law.note == "Checked by an editor" and law.origin == LawStatus.EDITOR
    assert law.citation_list() == ["https://example.org/m110", "https://example.org/enrolled"]
    assert report.kept_editor_changes  # the load says it kept an editor's version
    assert LawStatus.objects.filter(jurisdiction_id="00", topic="possession").count() == 2


def test_editor_bill_edit_and_added_event_survive_a_reload(loaded_bundle, editor_client,
                                                           admin_forms):
    bill = Bill.objects.get(key="test-vt-h422")
    data = {**admin_forms.form_data(bill), "status": "failed", "sponsors": "Rep. Test",
            **admin_forms.inline_events(bill, [{"date": "2022-05-12", "action": "Died at session end",
                                                "status": "failed", "url": ""}])}
    assert editor_client.post(f"/admin/atlas/bill/{bill.pk}/change/", data).status_code == 302
    reload_legal(loaded_bundle)
    bill = Bill.objects.get(key="test-vt-h422")
    assert (bill.status, bill.sponsors, bill.origin) == ("failed", "Rep. Test", LawStatus.EDITOR)
    assert list(bill.events.values_list("action", flat=True)) == ["Introduced", "Died at session end"]


def test_exported_edits_reach_a_fresh_database(loaded_bundle, editor_client, admin_forms):
    edit_law_in_admin(editor_client, m110_law(), admin_forms, note="Editor's note")
    bill = Bill.objects.get(key="test-or-m110")
    data = {**admin_forms.form_data(bill), "threshold": "1 g heroin, 2 g meth",
            **admin_forms.inline_events(bill)}
    assert editor_client.post(f"/admin/atlas/bill/{bill.pk}/change/", data).status_code == 302
    export_legal_records(loaded_bundle)
    # A new deployment: no legal rows yet, then a load of the exported bundle.
    BillEvent.objects.all().delete()
    Bill.objects.all().delete()
    LawStatus.objects.all().delete()
    reload_legal(loaded_bundle)
    law = m110_law()
    assert (law.note, law.origin) == ("Editor's note", LawStatus.EDITOR)
    bill = Bill.objects.get(key="test-or-m110")
    assert (bill.threshold, bill.origin) == ("1 g heroin, 2 g meth", LawStatus.EDITOR)
    assert bill.events.count() == 3


def test_export_updates_the_datapackage(loaded_bundle):
    law = m110_law()
    law.note, law.origin = "edited", LawStatus.EDITOR
    law.save()
    before = bundle.version(loaded_bundle)
    call_command("data", "export-laws", bundle=loaded_bundle, verbosity=0)
    package = json.loads((loaded_bundle / "datapackage.json").read_text())
    assert package["version"] != before
    for resource in package["resources"]:
        data = (loaded_bundle / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["bytes"] == len(data)
    rows = list(bundle.read_table(loaded_bundle, "laws"))
    edited = next(r for r in rows if r["valid_from"] == "2021-02-01" and r["jurisdiction"] == "00")
    assert (edited["note"], edited["origin"]) == ("edited", "editor")
    assert edited["citations"] == "https://example.org/m110\nhttps://example.org/m110-news"


# What the loader guarantees by passing the bundle through preserve_editor_changes().
def test_edit_made_after_an_export_survives_loading_that_export(loaded_bundle, editor_client,
                                                               admin_forms):
    edit_law_in_admin(editor_client, m110_law(), admin_forms, note="first edit")
    export_legal_records(loaded_bundle)
    edit_law_in_admin(editor_client, m110_law(), admin_forms, note="second edit")
    reload_legal(loaded_bundle)
    assert m110_law().note == "second edit"


def test_redated_law_is_not_duplicated_by_a_reload(loaded_bundle, editor_client, admin_forms):
    edit_law_in_admin(editor_client, m110_law(), admin_forms, valid_from="2021-02-02")
    reload_legal(loaded_bundle)
    assert LawStatus.objects.filter(jurisdiction_id="00", topic="possession").count() == 2


def test_owned_keys_cover_current_past_and_deleted_identities(loaded_bundle, editor_client,
                                                             superuser_client, admin_forms):
    law = edit_law_in_admin(editor_client, m110_law(), admin_forms, valid_from="2021-02-02")
    other = LawStatus.objects.get(jurisdiction_id="00", topic="paraphernalia")
    response = superuser_client.post(f"/admin/atlas/lawstatus/{other.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    bill = Bill.objects.get(key="test-vt-h422")
    assert superuser_client.post(f"/admin/atlas/bill/{bill.pk}/delete/",
                                 {"post": "yes"}).status_code == 302
    owned = editor_owned_keys()
    assert owned.owns_law("00", "possession", dt.date(2021, 2, 2))  # now
    assert owned.owns_law("00", "possession", "2021-02-01")  # before it was re-dated
    assert owned.owns_law("00", "paraphernalia", None)  # deleted by a person
    assert not owned.owns_law("00", "possession", None)  # research row, untouched
    assert owned.owns_bill("test-vt-h422") and not owned.owns_bill("test-or-m110")
    assert law.origin == LawStatus.EDITOR


def test_rows_deleted_by_a_load_are_not_owned(loaded_bundle):
    LawStatus.objects.filter(jurisdiction_id="00").delete()  # as a load does: no person
    assert not any(key[0] == "00" for key in editor_owned_keys().laws)


def test_preserve_editor_changes_drops_owned_rows_and_says_what_differs(loaded_bundle,
                                                                        editor_client, admin_forms):
    edit_law_in_admin(editor_client, m110_law(), admin_forms, status="both")
    bill = Bill.objects.get(key="test-vt-h422")
    data = {**admin_forms.form_data(bill), **admin_forms.inline_events(bill)}  # saved unchanged
    assert editor_client.post(f"/admin/atlas/bill/{bill.pk}/change/", data).status_code == 302
    laws = list(bundle.read_table(loaded_bundle, "laws"))
    bills = list(bundle.read_table(loaded_bundle, "bills"))
    events = list(bundle.read_table(loaded_bundle, "bill_events"))
    result = preserve_editor_changes(laws, bills, events, editor_owned_keys(), editor_rows())
    assert law_key("00", "possession", "2021-02-01") not in {
        law_key(r["jurisdiction"], r["topic"], r["valid_from"]) for r in result.laws}
    assert len(result.laws) == len(laws) - 1
    assert "test-vt-h422" not in {b["key"] for b in result.bills}
    assert "test-or-m110" in {b["key"] for b in result.bills}
    assert "test-vt-h422" not in {e["bill_key"] for e in result.events}
    assert "test-or-m110" in {e["bill_key"] for e in result.events}
    # The law differs from the bundle (status); the bill was saved unchanged, so no message.
    assert len(result.kept) == 1 and "status" in result.kept[0] and "00" in result.kept[0]


def test_hand_back_lets_the_next_load_replace_the_row(loaded_bundle, editor_client, admin_forms):
    law = edit_law_in_admin(editor_client, m110_law(), admin_forms, note="temporary")
    response = editor_client.post("/admin/atlas/lawstatus/", {
        "action": "hand_back_to_bundle", "_selected_action": [law.pk]})
    assert response.status_code == 302
    assert not editor_owned_keys().owns_law("00", "possession", "2021-02-01")
    reload_legal(loaded_bundle)
    law = m110_law()
    assert (law.note, law.origin) == ("Class E violation", LawStatus.BUNDLE)


def test_export_of_the_loaded_real_bundle_matches_it_byte_for_byte(tmp_path):
    """The export writes the bundle writer's format exactly, so unedited data gives no diff."""
    from django.conf import settings

    from drugatlas.atlas.models import DataRelease

    source = settings.BUNDLE_DIR
    if not (source / "datapackage.json").exists():
        pytest.skip("no committed bundle")
    latest = DataRelease.objects.order_by("-loaded_at", "-id").first()
    if latest is None or latest.version != bundle.version(source):
        pytest.skip("the committed bundle is not loaded in this test database")
    copy = tmp_path / "bundle"
    shutil.copytree(source, copy)
    export_legal_records(copy)
    for name in ("laws.csv", "bills.csv", "bill_events.csv", "datapackage.json"):
        assert (copy / name).read_bytes() == (source / name).read_bytes(), name
