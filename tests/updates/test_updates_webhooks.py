"""Email services' tracking webhooks (django-anymail), fed payloads in each service's
documented format (payloads/*.json) through the real URL and view, authentication included."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.test import Client
from updates_helpers import add_event, join, make_bill

from drugatlas.updates import digest, outbox, suppression
from drugatlas.updates.models import OutboxMessage, Subscriber, Suppression

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "atlas-hooks:9f3c1d7e5b2a"
SIGNING_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"


@pytest.fixture
def services(settings):
    settings.UPDATES_WEBHOOK_PROVIDERS = ["postmark", "mailgun"]
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    return settings


def basic_auth(secret: str = SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def postmark(name: str, auth: dict | None = None):
    body = (PAYLOADS / f"postmark_{name}.json").read_text()
    return Client().post("/mail/webhooks/postmark/tracking/", body,
                         content_type="application/json", **(basic_auth() if auth is None else auth))


def mailgun(name: str, key: str = SIGNING_KEY):
    payload = json.loads((PAYLOADS / f"mailgun_{name}.json").read_text())
    signature = payload["signature"]
    signature["signature"] = hmac.new(key.encode(), (signature["timestamp"] + signature["token"]).encode(),
                                      hashlib.sha256).hexdigest()
    return Client().post("/mail/webhooks/mailgun/tracking/", json.dumps(payload),
                         content_type="application/json", **basic_auth())


@pytest.fixture
def ana(client, states):
    return join(client, "ana@example.org", states=["TX"])


def test_postmark_hard_bounce_suppresses_at_once_and_no_digest_follows(services, ana):
    assert postmark("hard_bounce").status_code == 200
    ana.refresh_from_db()
    assert ana.status == Subscriber.SUPPRESSED
    assert Suppression.objects.get().reason == Suppression.HARD_BOUNCE
    add_event(make_bill("TX"))
    assert digest.run().composed == 0


def test_postmark_spam_complaint_suppresses_and_cancels_what_waits(services, ana):
    waiting = outbox.enqueue(ana, OutboxMessage.DIGEST, "s", "t", "h")
    assert postmark("spam_complaint").status_code == 200
    assert Suppression.objects.get().reason == Suppression.COMPLAINT
    waiting.refresh_from_db()
    assert waiting.cancelled and waiting.text_body == ""


def test_soft_bounces_suppress_at_the_limit_and_a_delivery_resets_the_count(services, ana, settings):
    settings.UPDATES_SOFT_BOUNCE_LIMIT = 2
    assert postmark("soft_bounce").status_code == 200
    assert not suppression.is_suppressed(ana.email)
    assert postmark("delivery").status_code == 200  # delivered in between: the count restarts
    assert postmark("soft_bounce").status_code == 200
    assert not suppression.is_suppressed(ana.email)
    assert postmark("soft_bounce").status_code == 200
    assert suppression.is_suppressed(ana.email)
    assert Suppression.objects.get().reason == Suppression.SOFT_BOUNCES


def test_mailgun_permanent_failure_and_complaint(services, ana):
    assert mailgun("permanent_failure").status_code == 200
    assert Suppression.objects.get().reason == Suppression.HARD_BOUNCE
    assert mailgun("complained").status_code == 200
    assert Suppression.objects.get().reason == Suppression.COMPLAINT  # the stronger reason shows


def test_mailgun_giving_up_on_a_full_mailbox_is_a_soft_bounce(services, ana, settings):
    settings.UPDATES_SOFT_BOUNCE_LIMIT = 3
    assert mailgun("gave_up_mailbox_full").status_code == 200
    row = Suppression.objects.get()
    assert row.soft_bounces == 1 and row.suppressed_at is None


def test_unauthenticated_or_forged_events_change_nothing(services, ana):
    assert postmark("hard_bounce", auth={}).status_code in (400, 401, 403)
    assert postmark("hard_bounce", auth=basic_auth("atlas-hooks:wrong")).status_code in (400, 401, 403)
    assert mailgun("permanent_failure", key="key-not-ours").status_code in (400, 403)
    assert not Suppression.objects.exists()
    ana.refresh_from_db()
    assert ana.status == Subscriber.CONFIRMED


def test_a_service_not_configured_has_no_webhook(services, ana, settings):
    assert Client().post("/mail/webhooks/sendgrid/tracking/", "[]", content_type="application/json",
                         **basic_auth()).status_code == 404
    settings.ANYMAIL = {}  # named, but without its secret: switched off rather than open
    assert postmark("hard_bounce").status_code == 404
    assert not Suppression.objects.exists()


def test_an_event_for_an_address_we_do_not_hold_is_suppressed_by_hash_only(services, states):
    assert postmark("hard_bounce").status_code == 200
    row = Suppression.objects.get()
    assert "ana" not in row.address_hash and len(row.address_hash) == 64
    assert suppression.is_suppressed("Ana@Example.org")
