"""Fixed-window rate limits kept in the shared Django cache.

Identifiers (IP addresses, email addresses) are hashed with the secret key before they become
cache keys, so the cache never holds personal data in the clear.
"""
from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {
    # bucket: (allowed hits, window in seconds)
    "signup_ip": (20, 3600),        # sign-up form posts from one IP address
    "email_address": (3, 3600),     # confirmation / notice emails to one address
    "email_address_day": (6, 86400),
}


def _limit(bucket: str) -> tuple[int, int]:
    return getattr(settings, "UPDATES_RATE_LIMITS", {}).get(bucket, DEFAULTS[bucket])


def _digest(identifier: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), identifier.encode(), hashlib.sha256).hexdigest()[:32]


def hit(bucket: str, identifier: str) -> bool:
    """Count one hit; True while the identifier stays within its bucket's limit."""
    allowed, window = _limit(bucket)
    key = f"drugatlas:updates:rl:{bucket}:{_digest(identifier)}:{int(time.time() // window)}"
    cache.add(key, 0, window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 60)
        count = 1
    return count <= allowed


def client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client says. Behind a proxy,
    # have the proxy set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or "unknown"
