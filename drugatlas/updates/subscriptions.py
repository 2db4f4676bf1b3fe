"""What happens to a subscriber: sign up, confirm, change preferences, leave, be erased."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from .forms import CONSENT_VERSION
from .models import Digest, Subscriber

SEND_CONFIRMATION, SEND_ALREADY_SUBSCRIBED = "confirm", "already"


def _apply_choices(subscriber: Subscriber, data: dict) -> None:
    subscriber.name = data.get("name", "")
    subscriber.zip_code = data.get("zip_code", "")
    subscriber.language = data["language"]
    subscriber.set_topics(data["topics"])


def subscribe(data: dict) -> tuple[Subscriber, str]:
    """Record a sign-up; say which email to send. One row per address, however many race.

    The insert comes first and the unique constraint on the compared address decides: a
    concurrent or repeated sign-up gets an IntegrityError and falls through to the update.
    """
    now = timezone.now()
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
        subscriber.consent_version, subscriber.consented_at = CONSENT_VERSION, now
        subscriber.save()
        subscriber.set_states(data["states"])
    return subscriber, SEND_CONFIRMATION


def confirm(subscriber: Subscriber) -> bool:
    """Confirm the address; False if it already was (confirming twice changes nothing)."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.CONFIRMED:
            return False
        now = timezone.now()
        subscriber.status = Subscriber.CONFIRMED
        subscriber.confirmed_at = subscriber.following_since = now
        subscriber.unsubscribed_at = None
        subscriber.save()
    # The first subscriber ever: record what is already in the data as known, so a later
    # data load that rebuilds rows is not mistaken for news.
    from .changes import ensure_baseline
    ensure_baseline()
    return True


def update_preferences(subscriber: Subscriber, data: dict) -> None:
    with transaction.atomic():
        _apply_choices(subscriber, data)
        subscriber.save()
        subscriber.set_states(data["states"])


def unsubscribe(subscriber: Subscriber) -> bool:
    """Stop all email; False if already unsubscribed. Unsent digests are cancelled."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.UNSUBSCRIBED:
            return False
        subscriber.status = Subscriber.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save()
        Digest.objects.filter(subscriber=subscriber, sent_at__isnull=True).update(
            cancelled=True, text_body="", html_body="")
    return True


def erase(subscriber: Subscriber) -> None:
    """Delete the person and everything about them (states, digests, sent-alert records)."""
    subscriber.delete()
