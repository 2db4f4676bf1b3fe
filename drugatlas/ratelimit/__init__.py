"""Rate limits for the public forms: one module, one store that never forgets a counter early.

Fixed windows: a bucket allows `limit` hits per `window` seconds, counted from the epoch, so a
window's counter key names its window and ends with it. The store is Redis when REDIS_URL is
set (INCR and EXPIREAT in one MULTI/EXEC), else the database (one INSERT ... ON CONFLICT DO
UPDATE ... RETURNING). Both are atomic across processes, and neither is a cache that culls
entries when it fills: the page cache can be flooded without unblocking anyone.

Identifiers (addresses) are keyed-hashed before they are stored. Callers count a hit only
for a request that passed CSRF and form validation, so cross-site or malformed posts spend
nobody's allowance.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

DEFAULTS = {
    # bucket: (allowed hits, window in seconds)
    "corrections": (5, 3600),       # correction reports from one client address
    "signup_ip": (20, 3600),        # sign-ups from one client address
    "email_address": (3, 3600),     # confirmation / notice emails to one address
    "email_address_day": (6, 86400),
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    window: int
    retry_after: int  # seconds until the window ends


def limits(bucket: str) -> tuple[int, int]:
    return {**DEFAULTS, **getattr(settings, "RATE_LIMITS", {})}[bucket]


def _digest(identifier: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), identifier.encode(), hashlib.sha256).hexdigest()[:32]


def hit(bucket: str, identifier: str) -> Verdict:
    """Count one hit for `identifier` in `bucket`."""
    allowed, window = limits(bucket)
    now = time.time()
    index = int(now // window)
    ends = (index + 1) * window
    key = f"{bucket}:{_digest(identifier)}:{window}:{index}"
    count = _store().incr(key, ends)
    return Verdict(count <= allowed, allowed, window, max(1, math.ceil(ends - now)))


def clear() -> None:
    """Forget every counter (tests, or an operator lifting a block)."""
    _store().clear()


class _DatabaseStore:
    table = "ratelimit_counter"

    def incr(self, key: str, expires: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} (key, count, expires) VALUES (%s, 1, %s) "
                f"ON CONFLICT (key) DO UPDATE SET count = {self.table}.count + 1 RETURNING count",
                [key, expires])
            count = cursor.fetchone()[0]
            if random.random() < 0.01:  # expired windows only; a live counter is never dropped
                cursor.execute(f"DELETE FROM {self.table} WHERE expires < %s", [int(time.time())])
        return count

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")


class _RedisStore:
    prefix = "drugatlas:ratelimit:"

    def __init__(self, url: str):
        import redis

        self.redis = redis.Redis.from_url(url)

    def incr(self, key: str, expires: int) -> int:
        pipe = self.redis.pipeline(transaction=True)
        pipe.incr(self.prefix + key)
        pipe.expireat(self.prefix + key, expires + 1)
        return int(pipe.execute()[0])

    def clear(self) -> None:
        keys = list(self.redis.scan_iter(self.prefix + "*"))
        if keys:
            self.redis.delete(*keys)


_stores: dict[str, object] = {}


def _store():
    url = getattr(settings, "RATE_LIMIT_REDIS_URL", "")
    if not url:
        return _DatabaseStore()
    if url not in _stores:
        _stores[url] = _RedisStore(url)
    return _stores[url]


def wait_text(verdict: Verdict) -> str:
    """When to try again, for the 429 page: "in 12 minutes (after 14:05 UTC)"."""
    from django.utils.translation import gettext, ngettext

    from drugatlas import clock, formatting

    minutes = max(1, math.ceil(verdict.retry_after / 60))
    at = clock.now().astimezone(dt.timezone.utc) + dt.timedelta(seconds=verdict.retry_after)
    if minutes >= 120:
        return gettext("after %(time)s UTC on %(date)s") % {
            "time": formatting.time_text(at), "date": formatting.date_text(at.date())}
    return ngettext("in %(n)s minute (after %(time)s UTC)", "in %(n)s minutes (after %(time)s UTC)",
                    minutes) % {"n": formatting.number(minutes), "time": formatting.time_text(at)}


def refused(response, verdict: Verdict):
    """Mark a page answering a refused hit: 429 with Retry-After in seconds."""
    response.status_code = 429
    response["Retry-After"] = str(verdict.retry_after)
    return response
