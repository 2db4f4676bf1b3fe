"""The outbox: every email waits in `OutboxMessage` until the relay accepts it.

- A sign-up writes its confirmation here and answers at once; the confirmation is then tried
  once *after* the answer has gone (`SendAfterResponse`), bounded by EMAIL_TIMEOUT, and
  otherwise waits for `drugatlas updates send`. One web worker at a time talks to the relay,
  and a relay that failed is left alone by sign-ups for UPDATES_RELAY_BACKOFF_SECONDS, so a
  hung relay cannot tie up the web workers (`try_now`).
- A sender *claims* a message (one conditional UPDATE) before sending it, outside any
  transaction: no database lock is held while the relay thinks, and a sign-up's attempt and
  an `updates send` run never send the same message. A claim lapses after CLAIM_SECONDS, so a
  sender killed mid-send delays its message, never loses it. A message is marked sent right
  after the relay accepts it; the only window for a duplicate is between the two, and the
  stored Message-ID lets mail clients fold such a twin.
- The relay's answer decides what follows: accepted -> sent (body cleared); a 5xx refusal of
  the recipient -> a hard bounce, the address is suppressed; a 4xx -> retried next run, and
  counted as a soft bounce when given up after UPDATES_MAX_ATTEMPTS; relay unreachable ->
  the run stops without spending anybody's attempts.
"""
from __future__ import annotations

import logging
import re
import smtplib
import socket
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponseRedirect

from drugatlas import clock

from . import emails, suppression
from .models import OutboxMessage, Subscriber, Suppression

log = logging.getLogger(__name__)

CLAIM_SECONDS = 300
RELAY_DOWN_KEY = "drugatlas:updates:relay-down"
SENDING_KEY = "drugatlas:updates:web-sender"
DRAIN_LIMIT = 20
SENT, FAILED, CANCELLED, BOUNCED = "sent", "failed", "cancelled", "bounced"
DEFERRED_BY_RECIPIENT = re.compile(r"^SMTP(Recipients|Data)\w* 4\d\d\b")


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    bounced: int = 0
    waiting: int = 0  # not tried: the relay could not be reached, or the lease was lost
    relay_error: str = ""

    def count(self, outcome: str | None) -> None:
        if outcome:
            setattr(self, outcome, getattr(self, outcome) + 1)


class RelayUnreachable(Exception):
    """The relay did not answer (refused, timed out, dropped the connection)."""


def enqueue(subscriber: Subscriber, kind: str, subject: str = "", text: str = "",
            html: str = "") -> OutboxMessage:
    return OutboxMessage.objects.create(subscriber=subscriber, kind=kind,
                                        message_id=emails.new_message_id(),
                                        subject=subject[:300], text_body=text, html_body=html)


def _max_attempts() -> int:
    return int(getattr(settings, "UPDATES_MAX_ATTEMPTS", 5))


def _claim(pk: int) -> bool:
    now = clock.now()
    return bool(OutboxMessage.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        pk=pk, sent_at__isnull=True, cancelled=False,
    ).update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS)))


def _cancel(row: OutboxMessage) -> str:
    row.cancelled, row.text_body, row.html_body, row.claimed_until = True, "", "", None
    row.save(update_fields=["cancelled", "text_body", "html_body", "claimed_until"])
    return CANCELLED


def _may_send(row: OutboxMessage) -> bool:
    subscriber = row.subscriber
    if row.kind == OutboxMessage.CONFIRM:
        # A fresh sign-up is its owner asking: it goes even to a suppressed address, which
        # the confirmation then lifts.
        return subscriber.status == Subscriber.PENDING
    return (subscriber.status == Subscriber.CONFIRMED
            and not suppression.is_suppressed(subscriber.email))


def _refusal(exc: Exception) -> tuple[int, str] | None:
    """(SMTP code, enhanced status) when the relay refused this recipient or message."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, text = next(iter(exc.recipients.values()))
    elif isinstance(exc, smtplib.SMTPDataError):
        code, text = exc.smtp_code, exc.smtp_error
    else:
        return None
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    enhanced = text.split(" ", 1)[0] if text[:2] in ("4.", "5.") else ""
    return int(code), enhanced


def _recipient_rejected_by_service(exc: Exception) -> bool:
    from anymail.exceptions import AnymailRecipientsRefused

    return isinstance(exc, AnymailRecipientsRefused)


def _relay_problem(exc: Exception) -> bool:
    """Network, TLS, login or sender trouble: nothing to do with this recipient.

    (smtplib's errors are OSErrors too; the recipient refusals were sorted out before.)"""
    return isinstance(exc, (OSError, socket.timeout))


def _failed(row: OutboxMessage, exc: Exception) -> str:
    refusal = _refusal(exc)
    address = row.subscriber.email
    if refusal and 500 <= refusal[0] < 600 and not refusal[1].startswith("5.7."):
        # Refused for good (user unknown, mailbox disabled, ...): a hard bounce. A 5.7.x is
        # about our message or our sender (policy), not the address: that one is retried.
        row.last_error = f"{type(exc).__name__} {refusal[0]} {refusal[1]}".strip()[:200]
        row.save(update_fields=["attempts", "last_error"])
        suppression.suppress(address, Suppression.HARD_BOUNCE)
        log.warning("updates: message %s refused for good (%s); address suppressed",
                    row.pk, row.last_error)
        return BOUNCED
    if _recipient_rejected_by_service(exc):
        row.last_error = type(exc).__name__
        row.save(update_fields=["attempts", "last_error"])
        suppression.suppress(address, Suppression.REJECTED)
        return BOUNCED
    detail = f" {refusal[0]} {refusal[1]}".rstrip() if refusal else ""
    row.last_error = f"{type(exc).__name__}{detail}"[:200]
    row.claimed_until = None
    row.save(update_fields=["attempts", "last_error", "claimed_until"])
    log.warning("updates: message %s not sent (%s); it stays in the outbox", row.pk, row.last_error)
    if refusal is None and _relay_problem(exc):
        cache.set(RELAY_DOWN_KEY, 1, int(getattr(settings, "UPDATES_RELAY_BACKOFF_SECONDS", 60)))
        raise RelayUnreachable(row.last_error) from exc
    return FAILED


def deliver_one(pk: int, connection=None) -> str | None:
    """Send one message if nobody else is; its outcome, None if another sender has it."""
    if not _claim(pk):
        return None
    row = OutboxMessage.objects.select_related("subscriber").filter(pk=pk).first()
    if row is None:  # erased meanwhile
        return None
    if not _may_send(row):
        return _cancel(row)
    if row.attempts >= _max_attempts():
        if DEFERRED_BY_RECIPIENT.search(row.last_error):  # the recipient's server kept deferring
            suppression.record_soft_bounce(row.subscriber.email)
        return _cancel(row)
    if row.kind == OutboxMessage.DIGEST:
        parts = (row.subject, row.text_body, row.html_body)
    else:
        parts = emails.render_notice(row.subscriber, row.kind)
    message = emails.build(row.subscriber, row.message_id, *parts)
    message.connection = connection
    row.attempts += 1
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any transport error is judged by _failed
        return _failed(row, exc)
    status = getattr(message, "anymail_status", None)
    row.provider_message_id = str(getattr(status, "message_id", "") or "")[:200]
    row.sent_at, row.claimed_until = clock.now(), None
    row.text_body = row.html_body = ""  # keep the record, not a copy of the personal email
    row.last_error = ""
    row.save()
    return SENT


def deliver(result: DeliveryResult | None = None, lease=None) -> DeliveryResult:
    """Send everything waiting, confirmations first, over one connection."""
    result = result or DeliveryResult()
    pending = list(OutboxMessage.objects.filter(sent_at__isnull=True, cancelled=False)
                   .annotate(first=Case(When(kind=OutboxMessage.CONFIRM, then=Value(0)),
                                        default=Value(1), output_field=IntegerField()))
                   .order_by("first", "created_at", "id").values_list("pk", flat=True))
    if not pending:
        return result
    connection = get_connection()
    try:
        for done, pk in enumerate(pending):
            if lease is not None and not lease.renew():
                result.waiting += len(pending) - done
                break
            try:
                outcome = deliver_one(pk, connection)
                result.count(outcome or "waiting")  # None: another sender holds it
            except RelayUnreachable as exc:
                result.failed += 1
                result.waiting += len(pending) - done - 1
                result.relay_error = str(exc)
                break
        else:
            cache.delete(RELAY_DOWN_KEY)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - a dead connection may fail to close politely
            pass
    return result


def relay_backing_off() -> bool:
    return bool(cache.get(RELAY_DOWN_KEY))


def _untried_notices(limit: int) -> list[int]:
    return list(OutboxMessage.objects.filter(
        kind__in=(OutboxMessage.CONFIRM, OutboxMessage.ALREADY), sent_at__isnull=True,
        cancelled=False, attempts=0).order_by("created_at", "id").values_list("pk", flat=True)[:limit])


def try_now(pk: int) -> None:
    """One attempt at a sign-up's email, after its answer has gone.

    One web worker at a time talks to the relay (a cache key): a relay that starts hanging
    ties up one worker, not all of them. A sign-up that finds the key taken leaves its email
    to that worker, which sends the notices waiting untried before it lets go; while the
    relay is known to be down, nobody tries and `updates send` delivers them later.
    """
    timeout = int(float(getattr(settings, "EMAIL_TIMEOUT", None) or 10) * 4) + 5
    todo = [pk]
    while todo and not relay_backing_off() and cache.add(SENDING_KEY, 1, timeout):
        try:
            for message_pk in todo:
                deliver_one(message_pk)
        except RelayUnreachable:
            return
        except Exception as exc:  # noqa: BLE001 - the answer is already sent; the outbox keeps it
            log.warning("updates: immediate attempt failed (%s)", type(exc).__name__)
            return
        finally:
            cache.delete(SENDING_KEY)
        # Sign-ups that found the key taken while we were sending left theirs to us.
        todo = _untried_notices(DRAIN_LIMIT)


class SendAfterResponse(HttpResponseRedirect):
    """A redirect that, once the server has sent it, tries to send one outbox message.

    The WSGI server calls close() after the last byte of the answer: the person's browser has
    its page, and only this worker spends (at most) EMAIL_TIMEOUT on the relay.
    """

    def __init__(self, url: str, message_pk: int | None, **kwargs):
        super().__init__(url, **kwargs)
        self.message_pk = message_pk

    def close(self):
        super().close()
        if self.message_pk is not None:
            pk, self.message_pk = self.message_pk, None
            try_now(pk)
