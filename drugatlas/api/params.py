"""Query-parameter parsing for the API: every bad value becomes a 400 that says what is wrong."""
from __future__ import annotations

import datetime as dt

from django.db.models import Q

from drugatlas import formatting, measures
from drugatlas.atlas.models import Jurisdiction, LawStatus


class BadRequest(ValueError):
    """A client error; the message is shown to the client as is."""


def _absent(value: str | None, name: str) -> bool:
    """True when the parameter was not given; `?name=` (given, empty) is an error, since
    quietly reading it as "not given" answers a different question than the one asked."""
    if value == "":
        raise BadRequest(f"{name} is empty; give a value or leave the parameter out")
    return value is None


def measure(value: str | None, required: bool = True) -> str | None:
    if _absent(value, "measure"):
        if required:
            raise BadRequest("measure is required, e.g. ?measure=drug_arrests; see /api/v1/measures")
        return None
    if value not in measures.BY_SLUG:
        raise BadRequest(f"unknown measure {value!r}; see /api/v1/measures for the list")
    return value


def jurisdictions(value: str | None, name: str = "jurisdiction") -> list[Jurisdiction] | None:
    """Comma-separated USPS codes ("WV"), "US", or FIPS codes ("54", "54047"), in one query."""
    if _absent(value, name):
        return None
    codes = [c.strip() for c in value.split(",") if c.strip()]
    if not codes:
        return None
    fips = {c for c in codes if c.isdigit() and len(c) <= 5}
    abbrs = {c.upper() for c in codes if not c.isdigit() and len(c) <= 5}
    by_code = {}
    for place in Jurisdiction.objects.filter(
            Q(fips__in=fips) | (Q(abbr__in=abbrs) & ~Q(kind=Jurisdiction.COUNTY))):
        if place.fips in fips:
            by_code[place.fips] = place
        if place.abbr in abbrs and place.kind != Jurisdiction.COUNTY:
            by_code[place.abbr] = place
    found = []
    for code in codes:
        if len(code) > 5:
            raise BadRequest(f"unknown jurisdiction {code[:20]!r}")
        place = by_code.get(code if code.isdigit() else code.upper())
        if place is None:
            raise BadRequest(f"unknown jurisdiction {code!r}; use a USPS code (WV), US, or a FIPS code")
        found.append(place)
    return found


def year(value: str | None, name: str) -> int | None:
    if _absent(value, name):
        return None
    if not (len(value) == 4 and value.isdigit()):
        raise BadRequest(f"{name} must be a four-digit year, got {value[:20]!r}")
    return int(value)


def year_range(start: str | None, end: str | None) -> tuple[int | None, int | None]:
    lo, hi = year(start, "start"), year(end, "end")
    if lo is not None and hi is not None and lo > hi:
        raise BadRequest(f"start ({lo}) is after end ({hi})")
    return lo, hi


def date(value: str | None, name: str = "as_of") -> dt.date | None:
    """Exactly YYYY-MM-DD (docs/api.md): not 20220101, not 2022-W01-1."""
    if _absent(value, name):
        return None
    try:
        return formatting.strict_date(value)
    except ValueError:
        raise BadRequest(f"{name} must be a date as YYYY-MM-DD, got {value[:20]!r}") from None


def topic(value: str | None, required: bool = False) -> str | None:
    topics = [t for t, _ in LawStatus.TOPICS]
    if _absent(value, "topic"):
        if required:
            raise BadRequest("topic is required; one of " + ", ".join(topics))
        return None
    if value not in topics:
        raise BadRequest(f"unknown topic {value[:40]!r}; one of " + ", ".join(topics))
    return value


def choice(value: str | None, name: str, options) -> str | None:
    if _absent(value, name):
        return None
    if value not in options:
        raise BadRequest(f"unknown {name} {value[:40]!r}; one of " + ", ".join(options))
    return value


def output_format(value: str | None) -> str:
    return choice(value, "format", ("json", "csv")) or "json"
