"""Every email we send, as a well-run list sends it.

Headers: a random Message-ID on the From domain (made once per message and reused on
retries), `Auto-Submitted: auto-generated`, `Reply-To` from settings, and one-click
unsubscribe (RFC 8058):
    List-Unsubscribe: <https://…/updates/unsubscribe/TOKEN/>[, <mailto:…?subject=unsubscribe%20TOKEN>]
    List-Unsubscribe-Post: List-Unsubscribe=One-Click
The https URL accepts a POST with no CSRF token (the signed token is the authority); the
mailto names the subscriber by the same token, read by `drugatlas updates bounces`.
Footer: preferences and unsubscribe links, why the person gets the email (what they follow,
when and where they signed up), the postal address from settings, all in their language.
The envelope sender is `UPDATES_ENVELOPE_SENDER` when set (the From otherwise).
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from email.utils import parseaddr
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from drugatlas.formatting import date_text

from . import links, tokens
from .forms import state_choices
from .models import TOPICS, Subscriber

NAME_MAX_WORDS, NAME_MAX_LENGTH = 6, 50


def mail_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def new_message_id() -> str:
    # Random: reveals no count, never repeats on a restored or staging copy of the database.
    return f"<{secrets.token_hex(16)}@{mail_domain()}>"


def message_tag(message_id: str) -> str:
    """The random part of a Message-ID (what the envelope sender carries)."""
    return message_id.strip("<>").partition("@")[0]


def envelope_sender(message_id: str) -> str:
    configured = getattr(settings, "UPDATES_ENVELOPE_SENDER", "")
    return configured.replace("{id}", message_tag(message_id)) if configured else ""


def greeting_name(name: str) -> str:
    """The name to greet with, or "" when it is not plainly a name.

    Letters, spaces, apostrophes, hyphens and a full stop after an initial; at most six words.
    Anything else (a link, an address, a sentence) is dropped, so the sign-up form cannot
    carry someone's message into our email.
    """
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if not name or len(name) > NAME_MAX_LENGTH or len(name.split()) > NAME_MAX_WORDS:
        return ""
    if any(not (ch.isalpha() or ch in " '’-.") for ch in name):
        return ""
    if re.search(r"\.(?! |$)", name):  # "evil.example": a full stop inside a word
        return ""
    return name


def unsubscribe_mailto(subscriber: Subscriber) -> str:
    mailto = getattr(settings, "UPDATES_UNSUBSCRIBE_MAILTO", "")
    if not mailto:
        return ""
    token = tokens.make_token(subscriber, tokens.MANAGE)
    return f"mailto:{mailto}?subject={quote('unsubscribe ' + token, safe=':')}"


def list_headers(subscriber: Subscriber) -> dict[str, str]:
    targets = [f"<{links.unsubscribe_url(subscriber)}>"]
    mailto = unsubscribe_mailto(subscriber)
    if mailto:
        targets.append(f"<{mailto}>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Drug Policy Atlas updates <updates.{mail_domain()}>",
    }


def why_context(subscriber: Subscriber) -> dict:
    """What the footer says about why this person gets our email (in their language)."""
    names = dict(TOPICS)
    state_names = dict(state_choices())
    return {
        "why_states": ", ".join(state_names.get(c, c) for c in subscriber.state_codes),
        "why_topics": ", ".join(str(names[t]) for t in subscriber.topics),
        "why_date": date_text(subscriber.consented_at.date()) if subscriber.consented_at else "",
        "why_site": urlsplit(settings.SITE_URL).netloc or settings.SITE_URL,
    }


def render(subscriber: Subscriber, template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) rendered in the subscriber's language."""
    with translation.override(subscriber.language):
        full = {
            "subscriber": subscriber,
            "greeting_name": greeting_name(subscriber.name),
            "unsubscribe_url": links.unsubscribe_url(subscriber),
            "preferences_url": links.preferences_url(subscriber),
            "site_url": settings.SITE_URL,
            "postal_address": getattr(settings, "UPDATES_POSTAL_ADDRESS", ""),
            "kind": template,
            **why_context(subscriber),
            **context,
        }
        subject = " ".join(render_to_string(f"updates/email/{template}_subject.txt", full).split())
        text = render_to_string(f"updates/email/{template}.txt", full)
        html = render_to_string(f"updates/email/{template}.html", full)
    return subject, text, html


def render_notice(subscriber: Subscriber, kind: str) -> tuple[str, str, str]:
    """The confirmation email, or "you are already subscribed", rendered with fresh links."""
    if kind == "already":
        return render(subscriber, "already_subscribed", {})
    return render(subscriber, "confirm", {
        "confirm_url": links.confirm_url(subscriber),
        "confirm_days": int(getattr(settings, "UPDATES_CONFIRM_DAYS", 7)),
    })


def build(subscriber: Subscriber, message_id: str, subject: str, text: str,
          html: str) -> EmailMultiAlternatives:
    headers = {**list_headers(subscriber), "Message-ID": message_id,
               "Auto-Submitted": "auto-generated"}
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email], reply_to=list(getattr(settings, "UPDATES_REPLY_TO", []) or []),
        headers=headers)
    envelope = envelope_sender(message_id)
    if envelope:
        # Django's SMTP backend and Anymail both take from_email as the envelope sender
        # when a From header is given.
        message.extra_headers["From"] = settings.DEFAULT_FROM_EMAIL
        message.from_email = envelope
    message.attach_alternative(html, "text/html")
    return message
