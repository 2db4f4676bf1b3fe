"""The project's clock: what "today" is for law layers ("as of today"), headlines and emails.

Everything that asks for the date or time asks here, so a test can set the clock
(`with clock.frozen(dt.date(2026, 12, 5)): ...`) and a page, the API and an email agree on
the day. Time is UTC, as the settings say.
"""
from __future__ import annotations

import contextlib
import datetime as dt

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, timezone-aware (UTC)."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    return now().date()


@contextlib.contextmanager
def frozen(at: dt.date | dt.datetime):
    """Set the clock for the duration of a block (tests); nests and restores."""
    global _frozen
    if not isinstance(at, dt.datetime):
        at = dt.datetime(at.year, at.month, at.day, 12, tzinfo=dt.timezone.utc)
    elif at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    previous, _frozen = _frozen, at
    try:
        yield at
    finally:
        _frozen = previous
