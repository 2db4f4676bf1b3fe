"""The suppression list: addresses we never mail again, kept as a keyed hash.

The key is `UPDATES_SUPPRESSION_KEY` (else one derived from SECRET_KEY): the table holds no
address, so it can outlive an erasure, and nobody who reads it can test an address without
the key. An address is suppressed by a hard bounce (a webhook event, a returned DSN or a 5xx
at SMTP time), a complaint, a rejection by the email service, repeated soft bounces, or its
erasure. Only its owner lifts it: by signing up and confirming afresh (`lift`).
"""
from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.db import IntegrityError, transaction

from drugatlas import clock

from .addresses import normalize_email
from .models import OutboxMessage, Subscriber, Suppression

log = logging.getLogger(__name__)


def _key() -> bytes:
    configured = getattr(settings, "UPDATES_SUPPRESSION_KEY", "")
    if configured:
        return configured.encode()
    return hashlib.sha256(b"drugatlas.updates.suppression:" + settings.SECRET_KEY.encode()).digest()


def normalized(address: str) -> str:
    """The compared form of an address (as `email_key`); a best effort for odd ones."""
    try:
        return normalize_email(address)[1]
    except Exception:  # noqa: BLE001 - a provider may report an address we would refuse
        return (address or "").strip().lower()


def address_hash(address: str) -> str:
    return hmac.new(_key(), normalized(address).encode(), hashlib.sha256).hexdigest()


def _row(address: str) -> Suppression:
    digest = address_hash(address)
    try:
        with transaction.atomic():
            row, _created = Suppression.objects.select_for_update().get_or_create(
                address_hash=digest, defaults={"updated_at": clock.now()})
    except IntegrityError:  # created by a concurrent event
        row = Suppression.objects.select_for_update().get(address_hash=digest)
    return row


def is_suppressed(address: str) -> bool:
    return Suppression.objects.filter(address_hash=address_hash(address),
                                      suppressed_at__isnull=False).exists()


def suppress(address: str, reason: str) -> None:
    """Never mail this address again (until its owner confirms afresh); stop what waits."""
    with transaction.atomic():
        row = _row(address)
        if not row.suppressed_at:
            row.suppressed_at = clock.now()
            row.reason = reason
        elif reason == Suppression.COMPLAINT:
            row.reason = reason  # the strongest reason is the one editors should see
        row.updated_at = clock.now()
        row.save()
        _stop_subscriber(address, reason)


def record_soft_bounce(address: str) -> bool:
    """Count a soft bounce; True if that reached the limit and the address is now suppressed."""
    limit = int(getattr(settings, "UPDATES_SOFT_BOUNCE_LIMIT", 3))
    with transaction.atomic():
        row = _row(address)
        row.soft_bounces += 1
        row.updated_at = clock.now()
        reached = not row.suppressed_at and row.soft_bounces >= limit
        if reached:
            row.suppressed_at, row.reason = clock.now(), Suppression.SOFT_BOUNCES
        row.save()
        if reached:
            _stop_subscriber(address, Suppression.SOFT_BOUNCES)
    return reached


def record_delivery(address: str) -> None:
    """A delivery resets the soft-bounce count: only consecutive soft bounces suppress."""
    Suppression.objects.filter(address_hash=address_hash(address), suppressed_at__isnull=True,
                               soft_bounces__gt=0).update(soft_bounces=0, updated_at=clock.now())


def lift(address: str) -> None:
    """The owner signed up and confirmed afresh: mail may go to this address again."""
    Suppression.objects.filter(address_hash=address_hash(address)).delete()


def _stop_subscriber(address: str, reason: str) -> None:
    subscriber = (Subscriber.objects.select_for_update()
                  .filter(email_key=normalized(address)).first())
    if subscriber is None:
        return
    if reason != Suppression.ERASED and subscriber.status != Subscriber.SUPPRESSED:
        subscriber.status = Subscriber.SUPPRESSED
        subscriber.save(update_fields=["status"])
    OutboxMessage.objects.filter(subscriber=subscriber, sent_at__isnull=True, cancelled=False).update(
        cancelled=True, text_body="", html_body="")
    log.info("updates: subscriber %s suppressed (%s)", subscriber.pk, reason)


def counts() -> dict[str, int]:
    """Suppressed addresses by reason, for editors (never the addresses)."""
    rows = (Suppression.objects.filter(suppressed_at__isnull=False)
            .values_list("reason").order_by("reason"))
    result: dict[str, int] = {}
    for (reason,) in rows:
        result[reason] = result.get(reason, 0) + 1
    return result
