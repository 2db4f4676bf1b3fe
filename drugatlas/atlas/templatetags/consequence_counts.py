"""`{% consequence_counts %}`: the national counts of the consequences of a conviction.

A small include any page can place (the home page does; a national page may): per question,
how many states give each answer, and states by how many of the four consequences a first
possession conviction carries. Cached under the data version, the day and the language.
"""
from __future__ import annotations

from django import template

from drugatlas import clock
from drugatlas.atlas import cache, consequences

register = template.Library()


@register.inclusion_tag("atlas/_consequence_counts.html")
def consequence_counts():
    today = clock.today()
    counts = cache.remember(lambda: consequences.national_counts(today), "consequence-counts",
                            today.isoformat())
    return {"counts": counts}
