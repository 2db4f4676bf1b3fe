"""The reinvestment section of a state page.

For the state-page view:

    from drugatlas.reinvest.summary import state_summary
    context["reinvest"] = state_summary(place.abbr)

and in its template:

    {% include "reinvest/_state_summary.html" with reinvest=reinvest %}

`state_summary(abbr) -> dict` runs the calculator with every default for that state and
returns plain, JSON-safe data (cached until the data change, per language):

    available     False when nothing can be calculated; then only state, url and reason are set
    state         {"abbr", "name"}
    url           the full calculator for the state: "/reinvest/?state=OR"
    dollars_year  the year all dollars are in (the latest CPI-U year shipped)
    arrests       {"method": "count" | "estimate" | "none", "year", "arrests", "sentences",
                   "notes", "sources"}: where the arrest figure comes from, in words
    per_arrest    "$2,839"            cost of one possession arrest, all stages
    annual_cost   "$57 million"       arrests x cost per arrest; annual_range "$50 million to
                                      $150 million" where the sources give a range
    savings       the same with 100% of possession arrests ended
    could_fund    [{"key", "label", "count", "unit_cost", "unit"}] for four services (each alone)
    caveat        one sentence: rough, gross costs avoided, not budget cash
"""
from __future__ import annotations

from drugatlas.atlas.cache import pages as django_cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from drugatlas.atlas import cache

from . import present
from .evaluate import evaluate

SUMMARY_SERVICES = ("treatment", "housing", "peer", "naloxone")


def state_summary(abbr: str) -> dict:
    key = cache.key("reinvest", "summary", abbr.upper()[:2], get_language())
    data = django_cache.get(key)
    if data is None:
        data = _build(abbr)
        django_cache.set(key, data)
    return data


def _build(abbr: str) -> dict:
    ev = evaluate({"state": abbr})
    out = {"available": False, "url": reverse("reinvest:calculator") + "?state=" + abbr.upper()[:2],
           "state": {"abbr": ev.place.abbr, "name": ev.place.name} if ev.place else None}
    if ev.result is None:
        out["reason"] = ev.error or " ".join(
            str(m) for messages in ev.form.errors.values() for m in messages)
        return out
    summary = present.summary_view(ev)
    out.update(
        available=True, dollars_year=ev.dollars_year, arrests=present.baseline_view(ev),
        per_arrest=summary["per_arrest"], annual_cost=summary["annual_cost"],
        annual_range=summary.get("annual_range", ""), savings=summary["savings"],
        savings_range=summary.get("savings_range", ""),
        could_fund=[{k: row[k] for k in ("key", "label", "count", "unit_cost", "unit")}
                    for row in present.funded_view(ev.result, ev.defaults)
                    if row["key"] in SUMMARY_SERVICES],
        caveat=_("Rough, order-of-magnitude estimates from cited average costs: gross costs "
                 "avoided, not cash in a budget."))
    return out
