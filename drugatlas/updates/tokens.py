"""Signed links for emails: confirm, unsubscribe, manage preferences.

A token is `django.core.signing.dumps` of the subscriber's random key, with a salt per purpose
(a confirm token cannot unsubscribe, and the reverse) and a timestamp checked with `max_age`.
It names no address and no row id. Erasing a subscriber voids every token they were sent.
A confirm token also carries the sign-up's nonce: it confirms that sign-up and no later one,
and nothing once the person has unsubscribed (subscriptions.confirm).
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing

CONFIRM, MANAGE = "confirm", "manage"
MAX_TOKEN_LENGTH = 200


def max_age(purpose: str) -> timedelta:
    if purpose == CONFIRM:
        return timedelta(days=getattr(settings, "UPDATES_CONFIRM_DAYS", 7))
    # Unsubscribe links sit in old emails: they must keep working for a long time.
    return timedelta(days=getattr(settings, "UPDATES_MANAGE_DAYS", 730))


class BadToken(Exception):
    """Tampered, malformed, or for another purpose."""


class ExpiredToken(BadToken):
    pass


def make_token(subscriber, purpose: str) -> str:
    data = {"k": subscriber.key}
    if purpose == CONFIRM:
        data["n"] = subscriber.signup_nonce
    return signing.dumps(data, salt=f"drugatlas.updates.{purpose}", compress=False)


def read_token(token: str, purpose: str) -> str:
    """The subscriber key inside a valid token; BadToken or ExpiredToken otherwise."""
    return read(token, purpose)[0]


def read(token: str, purpose: str) -> tuple[str, str | None]:
    """(subscriber key, sign-up nonce or None) of a valid token; BadToken or ExpiredToken."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadToken()
    try:
        data = signing.loads(token, salt=f"drugatlas.updates.{purpose}", max_age=max_age(purpose))
    except signing.SignatureExpired as exc:
        raise ExpiredToken() from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadToken() from exc
    key = data.get("k") if isinstance(data, dict) else None
    if not isinstance(key, str) or not key:
        raise BadToken()
    nonce = data.get("n")
    if purpose == CONFIRM and not (isinstance(nonce, str) and nonce):
        raise BadToken()
    return key, nonce if purpose == CONFIRM else None
