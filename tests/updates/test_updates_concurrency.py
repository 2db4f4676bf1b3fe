"""Races, with real threads and a database connection each (committed transactions).

On PostgreSQL these are true races between connections. SQLite's in-memory test database
cannot take concurrent writers from several connections, so there the sign-ups run in turn,
which still goes through the same insert-then-IntegrityError path for every repeat.
"""
from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from updates_helpers import add_event, confirm_from, join, make_bill, signup_data

from drugatlas.updates import digest, leases
from drugatlas.updates.models import FollowedState, OutboxMessage, SentAlert, Subscriber

ON_POSTGRES = connection.vendor == "postgresql"
SPELLINGS = ["ana@example.org", "ANA@Example.org", "  ana@EXAMPLE.ORG ", "Ana@example.org"]


@pytest.fixture
def no_limits(settings):
    settings.RATE_LIMITS = {"signup_ip": (1000, 3600), "email_address": (1000, 3600),
                                    "email_address_day": (1000, 86400)}


def run_together(count: int, work) -> list:
    """Start `count` threads at the same instant; each closes its own connection."""
    barrier = threading.Barrier(count) if ON_POSTGRES else None
    lock = None if ON_POSTGRES else threading.Lock()
    results, errors = [None] * count, []

    def worker(i):
        try:
            if barrier:
                barrier.wait(timeout=30)
                results[i] = work(i)
            else:
                with lock:
                    results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def test_50_concurrent_signups_of_one_address_make_one_subscriber(states_committed, no_limits):
    def sign_up(i):
        return Client().post("/updates/", signup_data(email=SPELLINGS[i % len(SPELLINGS)])).status_code

    statuses = run_together(50, sign_up)
    assert statuses == [303] * 50
    assert Subscriber.objects.count() == 1
    subscriber = Subscriber.objects.get()
    assert subscriber.email_key == "ana@example.org" and subscriber.status == Subscriber.PENDING
    assert FollowedState.objects.count() == 2
    # Each sign-up voids the confirmations still waiting (their links could no longer
    # confirm), so fewer than 50 may go; none is left behind, and the last one works.
    sent = OutboxMessage.objects.filter(sent_at__isnull=False)
    assert 1 <= len(mail.outbox) == sent.count() <= 50
    assert not OutboxMessage.objects.filter(sent_at__isnull=True, cancelled=False).exists()
    assert all("/updates/confirm/" in m.body for m in mail.outbox)
    assert confirm_from(Client(), mail.outbox[-1]).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.CONFIRMED


def test_50_concurrent_signups_from_one_address_against_a_limit_of_20(states_committed, settings):
    settings.RATE_LIMITS = {"signup_ip": (20, 3600)}

    def sign_up(i):
        return Client().post("/updates/", signup_data(email=f"p{i}@example.org")).status_code

    statuses = run_together(50, sign_up)
    assert statuses.count(303) == 20 and statuses.count(429) == 30
    assert Subscriber.objects.count() == 20


def test_two_digest_runs_at_once_send_each_alert_once(states_committed, no_limits):
    client = Client()
    people = [join(client, f"p{i}@example.org", states=["TX"]) for i in range(8)]
    add_event(make_bill("TX"))
    add_event(make_bill("TX", "tx-sb-9", "SB 9"))

    def send(i):
        try:
            return digest.run()
        except leases.Held:  # the other run holds the send lease: this one does nothing
            return None

    results = run_together(2, send)
    assert any(results)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert SentAlert.objects.count() == 16
