"""A visitor reports a problem with a bill; an editor accepts it in the admin; it shows on
/changes/. Real Chromium (Debian's) through Playwright, against Django's live server."""
from __future__ import annotations

import datetime as dt

import pytest
from browser_helpers import new_page
from django.contrib.auth import get_user_model
from django.db import connections

from drugatlas.atlas.models import Bill, Jurisdiction
from drugatlas.corrections.models import Correction
from drugatlas.legislation.editors import sync_editor_group

pytestmark = pytest.mark.browser


@pytest.fixture
def bill_and_editor(transactional_db):
    oregon, _ = Jurisdiction.objects.get_or_create(fips="41", defaults={
        "abbr": "OR", "name": "Oregon", "kind": "state"})
    bill = Bill.objects.create(key="test-browser-m110", jurisdiction=oregon,
                               number="Ballot Measure 110", session="2020",
                               title="Drug Addiction Treatment and Recovery Act",
                               status="repealed", status_date=dt.date(2024, 9, 1),
                               citations="https://example.org/m110")
    editor = get_user_model().objects.create_user("browser-editor", "be@example.org",
                                                  "a-long-editor-password", is_staff=True)
    editor.groups.add(sync_editor_group())
    return bill, editor


def test_visitor_reports_editor_accepts_and_it_shows_on_changes(bill_and_editor, live_server,
                                                                browser):
    try:
        _report_accept_and_publish(live_server, browser, *bill_and_editor)
    finally:
        # Under Playwright's sync API this code runs in its own context, so its ORM calls get a
        # connection of their own; close it, or PostgreSQL refuses to drop the test database.
        connections.close_all()


def _report_accept_and_publish(live_server, browser, bill, editor):
    from django.core.cache import cache

    cache.clear()  # no rate-limit counts left by other tests

    visitor = new_page(browser, javascript=False)  # the whole path works without scripts
    visitor.goto(f"{live_server.url}{bill.get_absolute_url()}")
    visitor.get_by_role("link", name="Report a problem with this bill").click()
    visitor.wait_for_url("**/corrections/new/**")
    assert visitor.get_by_label("Page").input_value() == "/legislation/test-browser-m110/"
    assert "Ballot Measure 110" in visitor.get_by_label("What it is about").input_value()
    visitor.get_by_label("What is wrong").fill("Repeal took effect 2024-09-01, not 2024-04-01.")
    visitor.get_by_label("Suggested correction").fill("Date the repeal 2024-09-01.")
    visitor.get_by_label("Source (web address)").fill("https://example.org/hb4002")
    visitor.get_by_label("Your email (optional)").fill("visitor@example.org")
    visitor.get_by_role("button", name="Send report").click()
    visitor.wait_for_url("**/corrections/thanks/")
    assert "your report was received" in visitor.content()
    correction = Correction.objects.get()
    assert correction.status == Correction.NEW

    admin = new_page(browser)
    admin.goto(f"{live_server.url}/admin/login/?next=/admin/corrections/correction/")
    admin.get_by_label("Username").fill(editor.username)
    admin.get_by_label("Password").fill("a-long-editor-password")
    admin.get_by_role("button", name="Log in").click()
    admin.wait_for_url("**/admin/corrections/correction/")
    admin.get_by_role("link", name="Ballot Measure 110").first.click()
    admin.wait_for_url(f"**/admin/corrections/correction/{correction.pk}/change/")
    admin.get_by_label("Status").select_option("accepted")
    admin.get_by_label("Public note").fill("Repeal date corrected to 2024-09-01.")
    admin.get_by_role("button", name="Save", exact=True).click()
    admin.wait_for_url("**/admin/corrections/correction/")
    correction.refresh_from_db()
    assert correction.status == Correction.ACCEPTED

    visitor.goto(f"{live_server.url}/changes/")
    entry = visitor.locator(f"#correction-{correction.pk}")
    text = entry.inner_text()
    assert "Repeal date corrected to 2024-09-01." in text
    assert correction.resolved_at.strftime("%Y-%m-%d") in text
    assert "visitor@example.org" not in visitor.content()
    entry.get_by_role("link", name="/legislation/test-browser-m110/").click()
    visitor.wait_for_url("**/legislation/test-browser-m110/")
    assert visitor.errors == [] and admin.errors == []
    visitor.context.close()
    admin.context.close()
