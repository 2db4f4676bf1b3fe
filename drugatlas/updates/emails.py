"""Every email we send: in the subscriber's language, with one-click unsubscribe (RFC 8058).

Each message carries a visible unsubscribe link and a preferences link, and the headers
    List-Unsubscribe: <https://…/updates/unsubscribe/TOKEN/>[, <mailto:…>]
    List-Unsubscribe-Post: List-Unsubscribe=One-Click
whose URL accepts a POST with no CSRF token (the signed token is the authority).
Mail goes through Django's configured backend (file in development, SMTP from the environment).
"""
from __future__ import annotations

import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from . import links, ratelimit
from .models import Subscriber

log = logging.getLogger(__name__)


def _mail_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def list_headers(subscriber: Subscriber) -> dict[str, str]:
    targets = [f"<{links.unsubscribe_url(subscriber)}>"]
    mailto = getattr(settings, "UPDATES_UNSUBSCRIBE_MAILTO", "")
    if mailto:
        targets.append(f"<mailto:{mailto}?subject=unsubscribe>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Drug Policy Atlas updates <updates.{_mail_domain()}>",
    }


def render(subscriber: Subscriber, template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) rendered in the subscriber's language."""
    with translation.override(subscriber.language):
        full = {
            "subscriber": subscriber,
            "unsubscribe_url": links.unsubscribe_url(subscriber),
            "preferences_url": links.preferences_url(subscriber),
            "site_url": settings.SITE_URL,
            **context,
        }
        subject = " ".join(render_to_string(f"updates/email/{template}_subject.txt", full).split())
        text = render_to_string(f"updates/email/{template}.txt", full)
        html = render_to_string(f"updates/email/{template}.html", full)
    return subject, text, html


def build(subscriber: Subscriber, subject: str, text: str, html: str,
          extra_headers: dict | None = None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email], headers={**list_headers(subscriber), **(extra_headers or {})})
    message.attach_alternative(html, "text/html")
    return message


def send_signup_email(subscriber: Subscriber, which: str) -> bool:
    """The confirmation email, or "you are already subscribed"; False if held back or failed.

    Limited per address, so nobody can flood an inbox through our form. The caller shows
    the same page either way.
    """
    if not (ratelimit.hit("email_address", subscriber.email_key)
            and ratelimit.hit("email_address_day", subscriber.email_key)):
        log.info("updates: sign-up email to subscriber %s held back by the rate limit", subscriber.pk)
        return False
    if which == "already":
        parts = render(subscriber, "already_subscribed", {})
    else:
        parts = render(subscriber, "confirm", {
            "confirm_url": links.confirm_url(subscriber),
            "confirm_days": int(getattr(settings, "UPDATES_CONFIRM_DAYS", 7)),
        })
    try:
        build(subscriber, *parts).send()
    except Exception as exc:  # the visitor sees the same page; the operator sees the class
        log.warning("updates: sign-up email to subscriber %s failed: %s", subscriber.pk,
                    type(exc).__name__)
        return False
    return True


def digest_message_id(digest) -> str:
    # Stable per digest: if a crash ever makes us send one twice, mail clients can fold them.
    return f"<drugatlas-digest-{digest.pk}@{_mail_domain()}>"

