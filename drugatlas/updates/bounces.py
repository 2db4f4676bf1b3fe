"""Mail that comes back: bounces (RFC 3464 delivery status notifications), complaints
(RFC 5965 feedback reports) and unsubscribe requests sent to the List-Unsubscribe mailto.

`drugatlas updates bounces` feeds each returned message to `process()`. A report counts only
if it names one of our messages: by the envelope sender it came back to
(`bounces+<id>@…`, see UPDATES_ENVELOPE_SENDER) or by the random Message-ID in the returned
headers. Anyone can send us a forged bounce for somebody else's address; nobody else knows
the Message-ID we gave that person's email. An unsubscribe request carries the signed token
from the mailto in its subject.
"""
from __future__ import annotations

import email
import email.header
import email.policy
import logging
import re
from email.message import Message

from . import subscriptions, suppression, tokens
from .models import OutboxMessage, Subscriber, Suppression

log = logging.getLogger(__name__)

HARD, SOFT, COMPLAINT, DELIVERED, DELAYED, UNSUBSCRIBED = (
    "hard bounce", "soft bounce", "complaint", "delivered", "delayed", "unsubscribed")
UNMATCHED, NOT_UNDERSTOOD = "not one of ours", "not understood"
OUTCOMES = [HARD, SOFT, COMPLAINT, DELIVERED, DELAYED, UNSUBSCRIBED, UNMATCHED, NOT_UNDERSTOOD]

ENVELOPE_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To")
VERP_TAG = re.compile(r"\+([0-9a-f]{32})@", re.IGNORECASE)
UNSUBSCRIBE_SUBJECT = re.compile(r"\bunsubscribe\s+([A-Za-z0-9_\-:]{20,})")


def parse(data: bytes) -> Message:
    return email.message_from_bytes(data, policy=email.policy.compat32)


def _parts(message: Message, *types: str):
    for part in message.walk():
        if part.get_content_type() in types:
            yield part


def _returned_message_ids(message: Message) -> list[str]:
    ids = []
    for part in _parts(message, "message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
        payload = part.get_payload()
        if isinstance(payload, list):  # message/rfc822: the returned message itself
            inner = payload[0] if payload else None
        else:  # headers as text
            text = payload if isinstance(payload, str) else ""
            inner = email.message_from_string(text.split("\n\n", 1)[0] + "\n\n")
        if inner is not None and inner.get("Message-ID"):
            ids.append(inner["Message-ID"].strip())
    return ids


def _our_message(message: Message) -> OutboxMessage | None:
    for name in ENVELOPE_HEADERS:
        for value in message.get_all(name, []):
            match = VERP_TAG.search(str(value))
            if match:
                row = (OutboxMessage.objects.select_related("subscriber")
                       .filter(message_id__startswith=f"<{match.group(1).lower()}@").first())
                if row:
                    return row
    for message_id in _returned_message_ids(message):
        row = OutboxMessage.objects.select_related("subscriber").filter(message_id=message_id).first()
        if row:
            return row
    return None


def _status_blocks(message: Message) -> list[Message]:
    """The per-recipient blocks of a delivery-status part (the first block is per message)."""
    for part in _parts(message, "message/delivery-status", "message/global-delivery-status"):
        blocks = part.get_payload()
        if isinstance(blocks, list):
            return [b for b in blocks if b.get("Action") or b.get("Final-Recipient")]
    return []


def _address_of(field: str | None) -> str:
    # "rfc822; ana@example.org" -> "ana@example.org"
    return (field or "").split(";", 1)[-1].strip().strip("<>").lower()


def _delivery_outcome(message: Message, address: str) -> str | None:
    blocks = _status_blocks(message)
    mine = [b for b in blocks if address in (_address_of(b.get("Final-Recipient")),
                                             _address_of(b.get("Original-Recipient")))]
    # Forwarding can change the final recipient: one block is ours whatever it says.
    for block in mine or (blocks if len(blocks) == 1 else []):
        action = (block.get("Action") or "").strip().lower()
        status = (block.get("Status") or "").strip()
        if action == "failed":
            if status.startswith("5.") and not status.startswith("5.7."):
                return HARD
            return SOFT  # gave up for a passing reason, or for a policy of the receiver
        if action == "delayed":
            return DELAYED  # still trying: the final word comes later
        if action in ("delivered", "relayed", "expanded"):
            return DELIVERED
    return None


def _is_feedback_report(message: Message) -> bool:
    return (message.get_content_type() == "multipart/report"
            and (message.get_param("report-type") or "").lower() == "feedback-report")


def _unsubscribe_request(message: Message) -> str:
    subject = str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))
    match = UNSUBSCRIBE_SUBJECT.search(subject)
    if not match:
        return ""
    try:
        subscriber = Subscriber.objects.get(key=tokens.read_token(match.group(1), tokens.MANAGE))
    except (tokens.BadToken, Subscriber.DoesNotExist):
        return NOT_UNDERSTOOD
    subscriptions.unsubscribe(subscriber)
    log.info("updates: subscriber %s unsubscribed by mail", subscriber.pk)
    return UNSUBSCRIBED


def process(message: Message) -> str:
    """Act on one returned message; its outcome (one of OUTCOMES)."""
    unsubscribed = _unsubscribe_request(message)
    if unsubscribed:
        return unsubscribed
    is_report = message.get_content_type() == "multipart/report"
    if not is_report:
        return NOT_UNDERSTOOD
    row = _our_message(message)
    if row is None:
        return UNMATCHED
    address = row.subscriber.email
    if _is_feedback_report(message):
        suppression.suppress(address, Suppression.COMPLAINT)
        return COMPLAINT
    outcome = _delivery_outcome(message, address.lower())
    if outcome == HARD:
        suppression.suppress(address, Suppression.HARD_BOUNCE)
    elif outcome == SOFT:
        suppression.record_soft_bounce(address)
    elif outcome == DELIVERED:
        suppression.record_delivery(address)
    log.info("updates: returned mail for message %s: %s", row.pk, outcome or NOT_UNDERSTOOD)
    return outcome or NOT_UNDERSTOOD
