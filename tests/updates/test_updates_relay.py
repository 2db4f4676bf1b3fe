"""Through a real SMTP relay (aiosmtpd, smtp_relay.py): what a 550, a 451, a hung relay and an
accepted message do to the outbox, the suppression list and the headers people receive."""
from __future__ import annotations

import re
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from smtp_relay import Relay
from updates_helpers import add_event, digests, make_bill, press, signup_data, token_of

from drugatlas.updates import digest, leases, outbox, suppression, tokens
from drugatlas.updates.models import OutboxMessage, Subscriber, Suppression

SITE = "https://atlas.example.org"


@pytest.fixture
def relay(settings):
    relay = Relay().accept()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", relay.port
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield relay
    relay.stop()


def confirm_link(received) -> str:
    text = received.message.get_payload(0).get_payload(decode=True).decode()
    return re.search(re.escape(SITE) + r"(/updates/confirm/[^/\s]+/)", text).group(1)


def join(client, relay, address, **choices):
    client.post("/updates/", signup_data(email=address, **choices))
    press(client, "confirm", token_of(confirm_link(relay.to(address)[-1])))
    return Subscriber.objects.get(email_key=address)


def test_a_550_at_send_time_suppresses_and_nothing_more_goes_to_that_address(client, states, relay):
    ana = join(client, relay, "ana@example.org", states=["TX"])
    join(client, relay, "bob@example.org", states=["TX"])
    relay.refuse.add("ana@example.org")  # her mailbox is gone
    add_event(make_bill("TX"))
    result = digest.run()
    assert (result.sent, result.bounced) == (1, 1)
    ana.refresh_from_db()
    assert ana.status == Subscriber.SUPPRESSED and suppression.is_suppressed("ANA@example.org")
    row = digests().get(subscriber=ana)
    assert row.cancelled and "550 5.1.1" in row.last_error and row.text_body == ""
    # the next change: a digest for Bob only; Ana's address never sees the relay again
    relay.refuse.clear()
    add_event(make_bill("TX", "tx-hb-2", "HB 2"))
    assert digest.run().sent == 1
    assert [m.rcpt_tos for m in relay.messages[-1:]] == [["bob@example.org"]]
    assert len(relay.to("ana@example.org")) == 1  # her confirmation, long ago
    # only a new sign-up with her address writes to her again: asking her to confirm afresh
    client.post("/updates/", signup_data(email="ana@example.org"))
    assert Subscriber.objects.get(pk=ana.pk).status == Subscriber.PENDING
    assert confirm_link(relay.to("ana@example.org")[-1])


def test_a_550_to_a_confirmation_suppresses_too(client, states, relay):
    relay.refuse.add("nobody@example.org")
    assert client.post("/updates/", signup_data(email="nobody@example.org")).status_code == 303
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.SUPPRESSED
    assert OutboxMessage.objects.get().cancelled
    assert Suppression.objects.get().reason == Suppression.HARD_BOUNCE


def test_an_owner_who_signs_up_and_confirms_afresh_is_mailed_again(client, states, relay):
    ana = join(client, relay, "ana@example.org", states=["TX"])
    suppression.suppress(ana.email, Suppression.COMPLAINT)
    add_event(make_bill("TX"))
    assert digest.run().sent == 0
    client.post("/updates/", signup_data(email="ana@example.org", states=["TX"]))
    assert len(relay.to("ana@example.org")) == 2  # the fresh sign-up's confirmation goes
    press(client, "confirm", token_of(confirm_link(relay.to("ana@example.org")[-1])))
    assert not suppression.is_suppressed("ana@example.org")
    add_event(make_bill("TX", "tx-hb-3", "HB 3"))
    assert digest.run().sent == 1


def test_a_451_is_retried_and_counted_as_a_soft_bounce_when_given_up(client, states, relay, settings):
    settings.UPDATES_MAX_ATTEMPTS, settings.UPDATES_SOFT_BOUNCE_LIMIT = 2, 1
    ana = join(client, relay, "ana@example.org", states=["TX"])
    relay.defer.add("ana@example.org")
    add_event(make_bill("TX"))
    assert digest.run().failed == 1
    assert digests().get().last_error == "SMTPRecipientsRefused 451 4.2.1"
    assert not suppression.is_suppressed(ana.email)
    assert digest.run().failed == 1
    assert digest.run().cancelled == 1  # given up after two attempts: one soft bounce
    assert suppression.is_suppressed(ana.email)
    assert Suppression.objects.get().reason == Suppression.SOFT_BOUNCES


def test_with_a_hanging_relay_a_signup_answers_at_once_and_the_next_send_delivers(states, relay, settings):
    settings.EMAIL_TIMEOUT = timeout = 3
    relay.hang()
    client = Client()
    started = time.monotonic()
    response = client.post("/updates/", signup_data())  # the test client also runs close()
    assert response.status_code == 303
    first = time.monotonic() - started
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1 and message.claimed_until is None
    assert "SMTPServerDisconnected" in message.last_error
    assert first < timeout + 2  # one attempt, bounded by EMAIL_TIMEOUT (a busy machine adds some)
    # the relay is known to be down: the next sign-ups do not even try it
    started = time.monotonic()
    client.post("/updates/", signup_data(email="ben@example.org"))
    assert time.monotonic() - started < timeout / 2
    assert OutboxMessage.objects.get(subscriber__email_key="ben@example.org").attempts == 0
    # `updates send` while it still hangs: one bounded try, the rest wait untouched
    started = time.monotonic()
    result = digest.run()
    assert result.failed == 1 and result.waiting == 1 and time.monotonic() - started < timeout + 2
    assert OutboxMessage.objects.get(subscriber__email_key="ben@example.org").attempts == 0
    relay.accept()
    cache.delete(outbox.RELAY_DOWN_KEY)
    assert digest.run().sent == 2
    assert sorted(a for m in relay.messages for a in m.rcpt_tos) == ["ana@example.org", "ben@example.org"]
    # the same Message-ID on the retried confirmation as stored at the sign-up
    row = OutboxMessage.objects.get(subscriber__email_key="ana@example.org")
    assert relay.to("ana@example.org")[0].message["Message-ID"] == row.message_id


def test_send_holds_a_lease_so_overlapping_runs_do_nothing(client, states, relay, capsys):
    join(client, relay, "ana@example.org", states=["TX"])
    add_event(make_bill("TX"))
    with leases.hold(digest.SEND_LEASE, 60):
        call_command("updates", "send")
        assert "another `updates send` is running" in capsys.readouterr().out
        assert not digests().exists()
    call_command("updates", "send")
    assert "sent: 1" in capsys.readouterr().out


def test_a_lease_left_by_a_killed_run_expires(client, states, relay):
    from datetime import timedelta

    from drugatlas import clock

    lease = leases.hold(digest.SEND_LEASE, 60)
    lease.acquire()  # ... and the process dies without releasing it
    with pytest.raises(leases.Held):
        digest.run()
    with clock.frozen(clock.now() + timedelta(seconds=61)):
        digest.run()


@pytest.mark.django_db(transaction=True)
def test_a_second_run_during_a_slow_first_one_stops_at_once(states_committed, relay, settings):
    """Two real runs at once, on their own connections: the second one does not wait."""
    settings.EMAIL_TIMEOUT = 2
    client = Client()
    join(client, relay, "ana@example.org", states=["TX"])
    add_event(make_bill("TX"))
    relay.hang()
    results = {}

    def first():
        from django.db import connection

        try:
            results["first"] = digest.run()
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    with pytest.raises(leases.Held):
        digest.run()
    assert time.monotonic() - started < 1
    thread.join(30)
    assert results["first"].failed == 1


def test_headers_of_a_digest_as_received(client, states, relay, settings):
    settings.UPDATES_REPLY_TO = ["editors@atlas.example.org"]
    settings.UPDATES_POSTAL_ADDRESS = "Drug Policy Atlas, 123 Main St, Austin, TX 78701"
    settings.UPDATES_UNSUBSCRIBE_MAILTO = "leave@atlas.example.org"
    settings.UPDATES_ENVELOPE_SENDER = "bounces+{id}@atlas.example.org"
    ana = join(client, relay, "ana@example.org", states=["TX", "OH"], topics=["bills"])
    add_event(make_bill("TX"))
    digest.run()
    received = relay.to("ana@example.org")[-1]
    message = received.message
    row = digests().get()
    assert message["Message-ID"] == row.message_id
    assert re.fullmatch(r"<[0-9a-f]{32}@atlas\.example\.org>", row.message_id)
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Reply-To"] == "editors@atlas.example.org"
    assert message["From"] == "Drug Policy Atlas <updates@atlas.example.org>"
    assert received.mail_from == f"bounces+{emails_tag(row.message_id)}@atlas.example.org"
    unsubscribe = " ".join(message["List-Unsubscribe"].split())
    assert unsubscribe.startswith(f"<{SITE}/updates/unsubscribe/")
    mailto = re.search(r"<mailto:leave@atlas\.example\.org\?subject=unsubscribe%20([^>]+)>", unsubscribe)
    assert mailto and tokens.read_token(mailto.group(1), tokens.MANAGE) == ana.key
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_payload(0).get_payload(decode=True).decode()
    html = message.get_payload(1).get_payload(decode=True).decode()
    signed_up = ana.consented_at.date().isoformat()
    why = (f"You get this email because you signed up at atlas.example.org on {signed_up} "
           "to follow Ohio, Texas (Bills).")
    assert why in " ".join(text.split()) and why in " ".join(html.split())
    assert "123 Main St, Austin, TX 78701" in text and "123 Main St, Austin, TX 78701" in html


def test_the_why_line_in_spanish(client, states, relay):
    join(client, relay, "ana@example.org", states=[], topics=["laws", "data"], language="es")
    from drugatlas.atlas.models import DataRelease

    DataRelease.objects.create(version="abc123def4567890", summary="Datos nuevos")
    digest.run()
    text = relay.to("ana@example.org")[-1].message.get_payload(0).get_payload(decode=True).decode()
    assert "Recibes este correo porque te suscribiste en atlas.example.org el" in " ".join(text.split())
    assert "noticias nacionales (Leyes, Datos nuevos)" in " ".join(text.split())


def test_a_retried_digest_keeps_its_message_id(client, states, relay):
    join(client, relay, "ana@example.org", states=["TX"])
    relay.defer.add("ana@example.org")
    add_event(make_bill("TX"))
    digest.run()
    stored = digests().get().message_id
    relay.defer.clear()
    digest.run()
    assert relay.to("ana@example.org")[-1].message["Message-ID"] == stored


def emails_tag(message_id: str) -> str:
    return message_id.strip("<>").split("@")[0]


def test_one_web_worker_at_a_time_talks_to_the_relay_and_sends_what_others_left(states, relay):
    """A sign-up that finds another worker sending leaves its email to it: the holder sends
    the untried notices before letting go, so nothing waits for cron while the relay works."""
    client = Client()
    cache.add(outbox.SENDING_KEY, 1, 60)  # another worker is talking to the relay
    client.post("/updates/", signup_data(email="first@example.org"))
    assert OutboxMessage.objects.get().attempts == 0 and not relay.messages
    cache.delete(outbox.SENDING_KEY)  # that worker is done: the next sign-up sends both
    client.post("/updates/", signup_data(email="second@example.org"))
    assert sorted(a for m in relay.messages for a in m.rcpt_tos) == ["first@example.org",
                                                                      "second@example.org"]
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
