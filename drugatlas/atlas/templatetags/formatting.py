"""Template filters that write numbers and dates through drugatlas.formatting.

Django's own (`floatformat`, `date`, `intcomma`) round and punctuate in their own ways, so the
templates use these instead (tests/test_formatting_lint.py checks).
"""
from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from drugatlas import formatting

register = template.Library()


@register.filter
def number(value, decimals=0):
    """{{ n|number }} -> "17,278"; {{ n|number:1 }} -> "17,278.5"; None -> ""."""
    return formatting.number(value, int(decimals))


@register.filter
def figure(value, measure):
    """{{ value|figure:"drug_arrest_rate" }}: at the measure's declared precision."""
    return formatting.figure(value, measure)


@register.filter
def date_text(value, precision=formatting.DAY):
    """{{ d|date_text }} -> "2021-07-15"; {{ d|date_text:"year" }} -> "2021". A datetime is
    shown by its date (UTC, the site's time zone)."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.timezone.utc).date() if value.tzinfo else value.date()
    return formatting.date_text(value, precision)


@register.filter
def datetime_text(value):
    """{{ t|datetime_text }} -> "2026-12-05 14:05" (UTC)."""
    if value is None:
        return ""
    if value.tzinfo:
        value = value.astimezone(dt.timezone.utc)
    return f"{formatting.date_text(value.date())} {formatting.time_text(value)}"


@register.filter
def iso(value):
    """The machine form for a <time datetime="…"> attribute (ISO 8601)."""
    return value.isoformat() if value else ""


_ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


@register.filter
def whole_dates(value):
    """The text, escaped, with each ISO date kept on one line: browsers break after a hyphen,
    and a heading read "as of 2026-" / "12-05" on a phone."""
    return mark_safe(_ISO_DATE.sub(lambda m: f'<span class="date">{m[0]}</span>',
                                   conditional_escape(value)))
