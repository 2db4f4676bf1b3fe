"""What happens to a subscriber: sign up, confirm, change preferences, leave, be erased."""
from __future__ import annotations

import logging

from django.db import IntegrityError, transaction

from drugatlas import clock, ratelimit

from . import mailfiles, outbox, suppression
from .changes import ensure_baseline
from .forms import CONSENT_VERSION
from .models import OutboxMessage, Subscriber, Suppression, new_nonce

log = logging.getLogger(__name__)

SEND_CONFIRMATION, SEND_ALREADY_SUBSCRIBED = "confirm", "already"
# What a confirm link can meet.
CONFIRMED_NOW, ALREADY_CONFIRMED, SIGNUP_REPLACED = "confirmed", "already", "replaced"


def _apply_choices(subscriber: Subscriber, data: dict) -> None:
    subscriber.name = data.get("name", "")
    subscriber.zip_code = data.get("zip_code", "")
    subscriber.language = data["language"]
    subscriber.set_topics(data["topics"])


def subscribe(data: dict) -> tuple[Subscriber, str]:
    """Record a sign-up; say which email to send. One row per address, however many race.

    The insert comes first and the unique constraint on the compared address decides: a
    concurrent or repeated sign-up gets an IntegrityError and falls through to the update.
    Each sign-up gets a new nonce, so only its own confirmation link can confirm it.
    """
    now = clock.now()
    try:
        with transaction.atomic():
            subscriber = Subscriber(email=data["email"], email_key=data["email_key"],
                                    consent_version=CONSENT_VERSION, consented_at=now)
            _apply_choices(subscriber, data)
            subscriber.save()
            subscriber.set_states(data["states"])
        return subscriber, SEND_CONFIRMATION
    except IntegrityError:
        pass
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(email_key=data["email_key"])
        if subscriber.status == Subscriber.CONFIRMED:
            # Someone may be typing another person's address: change nothing without them.
            return subscriber, SEND_ALREADY_SUBSCRIBED
        _apply_choices(subscriber, data)
        subscriber.status = Subscriber.PENDING
        subscriber.signup_nonce = new_nonce()
        subscriber.consent_version, subscriber.consented_at = CONSENT_VERSION, now
        subscriber.save()
        subscriber.set_states(data["states"])
    return subscriber, SEND_CONFIRMATION


def queue_signup_email(subscriber: Subscriber, which: str) -> OutboxMessage | None:
    """Put the confirmation (or "already subscribed") in the outbox; None if held back.

    Limited per address, so nobody can flood an inbox through our form. The caller shows
    the same page either way, and never waits for the relay.
    """
    if not (ratelimit.hit("email_address", subscriber.email_key).allowed
            and ratelimit.hit("email_address_day", subscriber.email_key).allowed):
        log.info("updates: sign-up email to subscriber %s held back by the rate limit", subscriber.pk)
        return None
    if which == SEND_CONFIRMATION:
        # An older confirmation still waiting carries a link this sign-up has voided.
        OutboxMessage.objects.filter(subscriber=subscriber, kind=OutboxMessage.CONFIRM,
                                     sent_at__isnull=True, cancelled=False).update(cancelled=True)
    return outbox.enqueue(subscriber, which)


def confirm(subscriber: Subscriber, nonce: str | None = None) -> str:
    """Confirm the sign-up whose link carried `nonce` (None: the preferences page's "subscribe
    again", where a link from our email proves the mailbox).

    A confirm link from an earlier sign-up (the person unsubscribed since, or signed up
    again) confirms nothing: SIGNUP_REPLACED.
    """
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.CONFIRMED:
            return ALREADY_CONFIRMED
        if nonce is not None and (subscriber.status != Subscriber.PENDING
                                  or nonce != subscriber.signup_nonce):
            return SIGNUP_REPLACED
        now = clock.now()
        subscriber.status = Subscriber.CONFIRMED
        subscriber.confirmed_at = subscriber.following_since = now
        subscriber.unsubscribed_at = None
        subscriber.signup_nonce = new_nonce()  # this link has done its work
        subscriber.save()
        # The owner confirmed afresh: a bounce, complaint or erasure no longer holds.
        suppression.lift(subscriber.email)
    # The first subscriber ever: record what is already in the data as known, so a later
    # data load that rebuilds rows is not mistaken for news.
    ensure_baseline()
    return CONFIRMED_NOW


def update_preferences(subscriber: Subscriber, data: dict) -> None:
    with transaction.atomic():
        _apply_choices(subscriber, data)
        subscriber.save()
        subscriber.set_states(data["states"])


def _cancel_waiting(subscriber: Subscriber) -> None:
    OutboxMessage.objects.filter(subscriber=subscriber, sent_at__isnull=True).update(
        cancelled=True, text_body="", html_body="")


def unsubscribe(subscriber: Subscriber) -> bool:
    """Stop all email; False if already unsubscribed. Waiting messages are cancelled."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.UNSUBSCRIBED:
            return False
        subscriber.status = Subscriber.UNSUBSCRIBED
        subscriber.unsubscribed_at = clock.now()
        subscriber.signup_nonce = new_nonce()  # voids any confirm link still in the inbox
        subscriber.save()
        _cancel_waiting(subscriber)
    return True


def erase(subscriber: Subscriber) -> None:
    """Delete the person and everything about them, wherever this app wrote it.

    The row and what cascades from it (states, outbox messages, sent-alert records); the
    copies the file email backend wrote (development); and the address goes on the
    suppression list as a keyed hash, so a restored backup or a staging copy never mails it.
    """
    address = subscriber.email
    with transaction.atomic():
        suppression.suppress(address, Suppression.ERASED)
        subscriber.delete()
    mailfiles.scrub(address)
