"""Sign up in a real browser, confirm from the email, get one digest, leave with one click.

Debian's Chromium through Playwright against Django's live server (same process, so the
emails are read from Django's locmem outbox). JavaScript is off: the forms must work without it.
"""
from __future__ import annotations

import os
import re
import sys
import uuid
from pathlib import Path

import pytest
from django.core import mail

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "updates"))
from updates_helpers import add_event, make_bill, make_states  # noqa: E402

from drugatlas.updates import digest  # noqa: E402
from drugatlas.updates.models import Subscriber  # noqa: E402

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, settings, transactional_db):
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"browser-updates-{uuid.uuid4().hex}"}}
    make_states()
    mail.outbox.clear()
    return live_server.url


def _link(message, kind: str) -> str:
    match = re.search(rf"https?://\S+/updates/{kind}/[^/\s]+/", message.body)
    assert match, f"no {kind} link in the email"
    return match.group(0)


def test_sign_up_confirm_receive_one_digest_unsubscribe(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    # "Follow Texas" from the state page lands here with Texas ticked; she adds Ohio.
    page.goto(f"{site}/updates/?states=TX")
    assert page.get_by_label("Texas", exact=True).is_checked()
    page.get_by_label("Ohio", exact=True).check()
    page.get_by_label("Email", exact=True).fill("reader@example.org")
    page.get_by_label(re.compile("^Email me about the states")).check()
    page.get_by_role("button", name="Sign up").click()
    assert page.get_by_role("heading", name="Check your inbox").is_visible()

    [confirmation] = mail.outbox
    assert confirmation.to == ["reader@example.org"]
    page.goto(_link(confirmation, "confirm"))
    page.get_by_role("button", name="Confirm my subscription").click()
    assert page.get_by_role("heading", name="Subscription confirmed").is_visible()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.CONFIRMED and subscriber.state_codes == ["OH", "TX"]

    add_event(make_bill("TX"), "Passed the Senate", status="advanced")
    add_event(make_bill("CA", "ca-ab-3", "AB 3"), "Introduced")  # not followed
    assert digest.run().sent == 1 and digest.run().sent == 0
    alert = mail.outbox[-1]
    assert "Passed the Senate" in alert.body and "AB 3" not in alert.body

    page.goto(_link(alert, "unsubscribe"))
    page.get_by_role("button", name="Unsubscribe from all updates").click()
    assert page.get_by_role("heading", name="You are unsubscribed").is_visible()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.UNSUBSCRIBED
    context.close()


def test_footer_form_signs_up_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/about/")  # any page: the sign-up form is in every footer
    footer = page.locator("footer .updates-signup")
    footer.get_by_label("Email", exact=True).fill("footer@example.org")
    states = footer.get_by_role("group", name="States to follow")
    states.get_by_label("New York", exact=True).check()
    states.get_by_label("West Virginia", exact=True).check()
    footer.get_by_label(re.compile("^Email me about the states")).check()
    footer.get_by_role("button", name="Sign up").click()
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    subscriber = Subscriber.objects.get()
    assert subscriber.state_codes == ["NY", "WV"] and subscriber.topics == ["laws", "bills", "data"]
    assert len(mail.outbox) == 1
    context.close()


def test_footer_state_list_narrows_as_one_types(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/about/")
    footer = page.locator("footer .updates-signup")
    states = footer.locator("#signup-states-list li")
    total = states.count()
    assert total > 2
    footer.get_by_label("West Virginia", exact=True).check()
    footer.get_by_label("Find a state").fill("new")
    visible = [t.strip() for t in states.filter(visible=True).all_inner_texts()]
    assert "New York" in visible and "West Virginia" in visible  # ticked ones stay in view
    assert len(visible) < total
    footer.get_by_label("Find a state").fill("")
    assert states.filter(visible=True).count() == total
    page.close()
