"""Editors: counts by state and topic, a staff-only CSV export, erasing a subscriber."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from updates_helpers import join, signup_data

from drugatlas.updates.models import FollowedState, SentAlert, Subscriber


@pytest.fixture
def people(client, states):
    join(client, "ana@example.org", states=["TX", "OH"], topics=["laws", "bills"])
    join(client, "ben@example.org", states=["TX"], topics=["data"], name="=HYPERLINK(\"x\")")
    client.post("/updates/", signup_data(email="pending@example.org", states=["TX", "CA"]))
    return Subscriber.objects.all()


def staff(*perms, superuser=False):
    User = get_user_model()
    user = User.objects.create_user(f"ed{User.objects.count()}", password="pw-long-enough-1",
                                    is_staff=True, is_superuser=superuser)
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return client


def test_counts_by_state_topic_and_status(people):
    page = staff("view_subscriber").get("/admin/updates/subscriber/counts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Confirmed: <strong>2</strong>" in html and "waiting for confirmation: 1" in html
    assert "<td>Texas (TX)</td><td>2</td><td>1</td>" in html
    assert "<td>Ohio (OH)</td><td>1</td><td>0</td>" in html
    assert "<td>California (CA)</td><td>0</td><td>1</td>" in html
    assert "<td>Laws</td><td>1</td>" in html and "<td>New data</td><td>1</td>" in html


def test_counts_need_staff(people, client):
    assert client.get("/admin/updates/subscriber/counts/").status_code == 302  # to the login
    assert staff().get("/admin/updates/subscriber/counts/").status_code == 403


def test_export_is_staff_only_with_its_own_permission(people, client):
    url = "/admin/updates/subscriber/export.csv"
    assert client.get(url).status_code == 302
    assert staff("view_subscriber").get(url).status_code == 403
    response = staff("view_subscriber", "export_subscribers").get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["email"] for r in rows] == ["ana@example.org", "ben@example.org"]  # confirmed only
    assert rows[0]["states"] == "OH TX" and rows[0]["topics"] == "laws bills"
    assert rows[1]["name"].startswith("'=")  # a formula stays text in a spreadsheet
    assert all(r["consent_version"] for r in rows)


def test_admin_erase_action_deletes_personal_data(people):
    editor = staff(superuser=True)
    ana = Subscriber.objects.get(email_key="ana@example.org")
    response = editor.post("/admin/updates/subscriber/", {
        "action": "erase_subscribers", "_selected_action": [ana.pk]}, follow=True)
    assert response.status_code == 200
    assert not Subscriber.objects.filter(email_key="ana@example.org").exists()
    assert not FollowedState.objects.filter(subscriber_id=ana.pk).exists()
    assert not SentAlert.objects.filter(subscriber_id=ana.pk).exists()
    # the admin's own delete leaves a log line: it must not name the person
    ben = Subscriber.objects.get(email_key="ben@example.org")
    editor.post(f"/admin/updates/subscriber/{ben.pk}/delete/", {"post": "yes"})
    assert not Subscriber.objects.filter(pk=ben.pk).exists()
    logged = " ".join(LogEntry.objects.values_list("object_repr", flat=True))
    assert "example.org" not in logged and "Subscriber #" in logged


def test_changelist_does_not_list_addresses(people):
    html = staff(superuser=True).get("/admin/updates/subscriber/").content.decode()
    assert "example.org" not in html
    assert "Counts by state and topic" in html and "Export confirmed (CSV)" in html


def test_prune_deletes_old_unconfirmed_signups(people):
    Subscriber.objects.filter(status=Subscriber.PENDING).update(
        created_at=timezone.now() - timedelta(days=31))
    call_command("updates", "prune", "--days", "30")
    assert not Subscriber.objects.filter(status=Subscriber.PENDING).exists()
    assert Subscriber.objects.confirmed().count() == 2


def test_counts_show_suppressed_addresses_by_reason_never_the_addresses(people):
    from drugatlas.updates import suppression
    from drugatlas.updates.models import Suppression

    suppression.suppress("ana@example.org", Suppression.HARD_BOUNCE)
    suppression.suppress("gone@example.org", Suppression.ERASED)
    html = staff("view_subscriber").get("/admin/updates/subscriber/counts/").content.decode()
    assert "<td>Hard bounce</td><td>1</td>" in html and "<td>Erased at the person&#x27;s request</td><td>1</td>" in html
    assert "stopped (bounced or complained): 1" in html
    assert "example.org" not in html


def test_prune_also_removes_their_confirmations_from_the_mail_files(states, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    Client().post("/updates/", signup_data(email="never.confirmed@example.org"))
    assert "never.confirmed@example.org" in "".join(p.read_text() for p in tmp_path.iterdir())
    Subscriber.objects.update(created_at=timezone.now() - timedelta(days=31))
    call_command("updates", "prune", "--days", "30")
    assert "never.confirmed" not in "".join(p.read_text() for p in tmp_path.iterdir())
