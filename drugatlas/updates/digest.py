"""Digests: one email per confirmed subscriber with what changed in what they follow.

How a run neither loses nor repeats an alert (an outbox):

1. `changes.collect()` records new changes (idempotent: unique keys).
2. `compose()`: for each confirmed subscriber, ONE transaction locks the subscriber, picks the
   changes they follow that occurred since they started following and that no `SentAlert`
   row records yet, renders the email into an `OutboxMessage` row, and writes one
   `SentAlert` per change (unique on subscriber + change). A crash before the commit leaves
   nothing; after it, the digest waits in the outbox. A concurrent run blocks on the lock
   (PostgreSQL) or the write lock (SQLite) and then finds nothing left to tell.
3. `outbox.deliver()` sends what waits (confirmations first), claiming each message so that
   nothing is sent twice, and judges the relay's answer (see outbox.py).
`run()` holds the "updates-send" lease for the whole run: a second run started meanwhile
(cron) stops at once instead of piling up behind a slow relay.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drugatlas import clock
from drugatlas.atlas import releases

from . import changes, emails, labels, leases, outbox, suppression
from .models import Change, OutboxMessage, SentAlert, Subscriber

log = logging.getLogger(__name__)


SEND_LEASE = "updates-send"


@dataclass
class RunResult(outbox.DeliveryResult):
    collected: int = 0
    composed: int = 0


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
    elif change.kind == Change.RELEASE and change.data.get("sources"):
        title = "; ".join(line["text"] for line in releases.source_lines(change.data["sources"]))
    elif change.kind == Change.RELEASE:
        title = _("New data release %(version)s") % {"version": change.subject}
    elif change.kind == Change.FIGURES:
        title = releases.figure_text(change.state_name, change.data)
    else:
        title = change.subject
    status = (labels.law_status(change.subject, change.status) if change.kind == Change.LAW
              else labels.status(change.status))
    return {"change": change, "title": title, "status": status,
            "date": changes.date_text(change, translation.get_language()),
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


def compose_for(subscriber_pk: int) -> OutboxMessage | None:
    """Compose one subscriber's digest and record its alerts, atomically; None if no news."""
    with transaction.atomic():
        subscriber = (Subscriber.objects.select_for_update()
                      .filter(pk=subscriber_pk, status=Subscriber.CONFIRMED).first())
        if subscriber is None or suppression.is_suppressed(subscriber.email):
            return None
        items = list(pending_changes(subscriber))
        if not items:
            return None
        subject, text, html = render_digest(subscriber, items)
        digest = outbox.enqueue(subscriber, OutboxMessage.DIGEST, subject, text, html)
        SentAlert.objects.bulk_create(
            [SentAlert(subscriber=subscriber, change=c, digest=digest) for c in items])
        subscriber.last_digest_at = clock.now()
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


def run(deliver_now: bool = True) -> RunResult:
    """`drugatlas updates send`: collect, compose, deliver; leases.Held if a run is going on."""
    result = RunResult()
    seconds = int(getattr(settings, "UPDATES_SEND_LOCK_SECONDS", 900))
    with leases.hold(SEND_LEASE, seconds) as lease:
        result.collected = changes.collect()
        result.composed = compose()
        if deliver_now:
            outbox.deliver(result, lease=lease)
    return result
