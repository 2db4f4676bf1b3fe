"""What an email service tells us through its tracking webhook (django-anymail's normalized
events), turned into suppression: a hard bounce, a complaint or a rejection suppresses the
address at once; soft bounces count towards UPDATES_SOFT_BOUNCE_LIMIT; a delivery resets
that count; an unsubscribe through the service unsubscribes.

Anymail calls a service's permanent and temporary failures alike "bounced" for some
services, so the service's own event says which it was (`_soft`).
"""
from __future__ import annotations

import logging
import re

from anymail.signals import EventType

from . import subscriptions, suppression
from .models import Subscriber, Suppression

log = logging.getLogger(__name__)

TEMPORARY_SMTP = re.compile(r"^\s*4\d\d\b|\b4\.\d{1,3}\.\d{1,3}\b")


def _soft(esp_name: str, event) -> bool:
    """Was this "bounced" event a temporary failure (the service gave up, or will retry)?"""
    esp = event.esp_event if isinstance(event.esp_event, dict) else {}
    if esp_name == "Postmark":
        return esp.get("Type") in ("SoftBounce", "Transient", "DnsError", "VirusNotification")
    if esp_name == "Amazon SES":
        return (esp.get("bounce") or {}).get("bounceType") != "Permanent"
    return bool(TEMPORARY_SMTP.search(event.mta_response or ""))


def handle(esp_name: str, event) -> str:
    """Act on one tracking event; what was done (for logs and tests)."""
    if not event.recipient:
        return "ignored"
    address = event.recipient
    kind = event.event_type
    if kind == EventType.BOUNCED:
        if _soft(esp_name, event):
            suppression.record_soft_bounce(address)
            return "soft bounce"
        suppression.suppress(address, Suppression.HARD_BOUNCE)
        return "hard bounce"
    if kind == EventType.COMPLAINED:
        suppression.suppress(address, Suppression.COMPLAINT)
        return "complaint"
    if kind == EventType.REJECTED:
        suppression.suppress(address, Suppression.REJECTED)
        return "rejected"
    if kind == EventType.UNSUBSCRIBED:
        subscriber = Subscriber.objects.filter(email_key=suppression.normalized(address)).first()
        if subscriber:
            subscriptions.unsubscribe(subscriber)
        return "unsubscribed"
    if kind == EventType.DELIVERED:
        suppression.record_delivery(address)
        return "delivered"
    return "ignored"  # queued, deferred (still trying), opened, clicked...


def on_tracking(sender, event, esp_name, **kwargs):
    outcome = handle(esp_name, event)
    if outcome != "ignored":
        log.info("updates: %s event from %s", outcome, esp_name)
