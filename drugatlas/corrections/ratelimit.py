"""Per-IP rate limit on public form posts, kept in Django's shared cache.

A fixed window: the first post from an address opens a window (CORRECTIONS_RATE_WINDOW seconds,
default an hour), and at most CORRECTIONS_RATE_LIMIT posts (default 5) are accepted in it. The
address is kept only as a salted hash. With the file-based cache the count is approximate under
a burst of simultaneous posts, which is good enough to stop a flood.
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache



def rate_limit() -> int:
    return getattr(settings, "CORRECTIONS_RATE_LIMIT", 5)


def window_seconds() -> int:
    return getattr(settings, "CORRECTIONS_RATE_WINDOW", 3600)


def client_hash(request) -> str:
    """A salted hash of the sender's address: enough to count and to spot abuse, no more."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def _key(scope: str, request) -> str:
    return f"drugatlas:ratelimit:{scope}:{client_hash(request)}"


def over_limit(scope: str, request, limit: int | None = None) -> bool:
    """Count this post; True when the address has already used up its window."""
    limit = rate_limit() if limit is None else limit
    key = _key(scope, request)
    cache.add(key, 0, window_seconds())
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, window_seconds())
        count = 1
    return count > limit


def reset(scope: str, request) -> None:
    cache.delete(_key(scope, request))
