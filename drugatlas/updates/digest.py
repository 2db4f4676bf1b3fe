"""Digests: one email per confirmed subscriber with what changed in what they follow.

How a run neither loses nor repeats an alert (an outbox):

1. `changes.collect()` records new changes (idempotent: unique keys).
2. `compose()`: for each confirmed subscriber, ONE transaction locks the subscriber, picks the
   changes they follow that occurred since they started following and that no `SentAlert`
   row records yet, renders the email into a `Digest` row (the outbox), and writes one
   `SentAlert` per change (unique on subscriber + change). A crash before the commit leaves
   nothing; after it, the digest waits in the outbox. A concurrent run blocks on the lock
   (PostgreSQL) or the write lock (SQLite) and then finds nothing left to tell.
3. `deliver()`: each unsent digest is sent inside its own transaction that holds its row
   (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL) and marks it sent before committing.
   A crash before the commit rolls the mark back and the next run sends it again; so the
   only window for a duplicate is between the mail server accepting the message and our
   commit (milliseconds), and the stable Message-ID lets mail clients fold such a twin.
   Nothing is ever lost: a digest stays in the outbox until it is marked sent.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import changes, emails, labels
from .models import Change, Digest, SentAlert, Subscriber

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    collected: int = 0
    composed: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0


def pending_changes(subscriber: Subscriber):
    """The changes this subscriber follows that they have not been told about."""
    since = subscriber.following_since
    if not since or not subscriber.topics:
        return Change.objects.none()
    # National news counts from the day they started following; a state's news from the day
    # they added that state.
    places = Q(state="", occurred_at__gte=since)
    for followed in subscriber.followed_states.all():
        places |= Q(state=followed.abbr, occurred_at__gte=max(since, followed.created_at))
    return (Change.objects.filter(places, topic__in=subscriber.topics)
            .exclude(alerts__subscriber=subscriber)
            .order_by("state", "date", "occurred_at", "id"))


def _describe(change: Change) -> dict:
    if change.kind == Change.LAW:
        title = labels.law_topic(change.subject)
    elif change.kind == Change.RELEASE:
        title = _("New data release %(version)s") % {"version": change.subject}
    else:
        title = change.subject
    return {"change": change, "title": title, "status": labels.status(change.status),
            "url": settings.SITE_URL.rstrip("/") + change.url}


def render_digest(subscriber: Subscriber, items: list[Change]) -> tuple[str, str, str]:
    with translation.override(subscriber.language):
        groups = []
        for state, group in groupby(items, key=lambda c: c.state):
            group = list(group)
            groups.append({"state": state, "name": group[0].state_name or _("United States"),
                           "items": [_describe(c) for c in group]})
        places = [g["name"] for g in groups]
        shown = ", ".join(places[:3]) + ("…" if len(places) > 3 else "")
        subject = ngettext("%(count)d update: %(places)s", "%(count)d updates: %(places)s",
                           len(items)) % {"count": len(items), "places": shown}
    return emails.render(subscriber, "digest",
                         {"subject": subject, "groups": groups, "count": len(items)})


def compose_for(subscriber_pk: int) -> Digest | None:
    """Compose one subscriber's digest and record its alerts, atomically; None if no news."""
    with transaction.atomic():
        subscriber = (Subscriber.objects.select_for_update()
                      .filter(pk=subscriber_pk, status=Subscriber.CONFIRMED).first())
        if subscriber is None:
            return None
        items = list(pending_changes(subscriber))
        if not items:
            return None
        subject, text, html = render_digest(subscriber, items)
        digest = Digest.objects.create(subscriber=subscriber, subject=subject[:300],
                                       text_body=text, html_body=html)
        SentAlert.objects.bulk_create(
            [SentAlert(subscriber=subscriber, change=c, digest=digest) for c in items])
        subscriber.last_digest_at = timezone.now()
        subscriber.save(update_fields=["last_digest_at"])
    return digest


def compose() -> int:
    composed = 0
    for pk in Subscriber.objects.confirmed().values_list("pk", flat=True):
        try:
            if compose_for(pk):
                composed += 1
        except IntegrityError:
            # Another run recorded these alerts first; its digest will carry them.
            continue
    return composed


def _max_attempts() -> int:
    return int(getattr(settings, "UPDATES_MAX_ATTEMPTS", 5))


def deliver(result: RunResult | None = None) -> RunResult:
    result = result or RunResult()
    pending = list(Digest.objects.filter(sent_at__isnull=True, cancelled=False)
                   .values_list("pk", flat=True))
    if not pending:
        return result
    connection = get_connection()
    try:
        for pk in pending:
            _deliver_one(pk, connection, result)
    finally:
        connection.close()
    return result


def _deliver_one(pk: int, connection, result: RunResult) -> None:
    with transaction.atomic():
        digest = (Digest.objects.select_for_update(skip_locked=True, of=("self",))
                  .select_related("subscriber")
                  .filter(pk=pk, sent_at__isnull=True, cancelled=False).first())
        if digest is None:  # sent or being sent by another run
            return
        subscriber = digest.subscriber
        if subscriber.status != Subscriber.CONFIRMED or digest.attempts >= _max_attempts():
            digest.cancelled = True
            digest.text_body = digest.html_body = ""
            digest.save()
            result.cancelled += 1
            return
        message = emails.build(subscriber, digest.subject, digest.text_body, digest.html_body,
                               {"Message-ID": emails.digest_message_id(digest)})
        message.connection = connection
        digest.attempts += 1
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - any transport error: keep it for the next run
            digest.last_error = type(exc).__name__[:200]
            digest.save(update_fields=["attempts", "last_error"])
            log.warning("updates: digest %s not sent (%s); it stays in the outbox",
                        digest.pk, digest.last_error)
            result.failed += 1
            return
        # Sent: keep the record of it, not a copy of the personal email.
        digest.sent_at = timezone.now()
        digest.text_body = digest.html_body = ""
        digest.last_error = ""
        digest.save()
        result.sent += 1


def run(deliver_now: bool = True) -> RunResult:
    """`drugatlas updates send`: collect, compose, deliver."""
    result = RunResult()
    result.collected = changes.collect()
    result.composed = compose()
    if deliver_now:
        deliver(result)
    return result
