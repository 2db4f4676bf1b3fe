"""`/sources/` (generated from the Source and Measure records) and `/about/`."""
from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from django.db.models import Count, F, Max, Min
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.http import require_GET

from drugatlas import laws_vocabulary as vocab
from drugatlas import twins
from drugatlas import measures as measure_list
from drugatlas.atlas.http_cache import public_page
from drugatlas.atlas import cache, releases
from drugatlas.maps import classify
from drugatlas.maps.consequences import count_bins
from drugatlas.maps.layers import COUNTY_LAYERS, LAYERS
from drugatlas.atlas.models import (Bill, CostAssumption, DataRelease, LawStatus, Measure,
                                    Observation, Source)

TOPIC_LABELS = {"population": _noop("Population"), "health": _noop("Overdose deaths"),
                "enforcement": _noop("Drug arrests"), "": _noop("Other")}


def _cached_body(name: str, template: str, build) -> str:
    return mark_safe(cache.remember(lambda: render_to_string(template, build()), "page", name))


@require_GET
@public_page("format")
def sources_page(request):
    return twins.serve(request, lambda: render(request, "atlas/sources.html", {
        "body": _cached_body("sources", "atlas/_sources_body.html", sources_context)}),
        sources_twin)


SOURCE_COLUMNS = ("id", "publisher", "title", "url", "file", "retrieved", "checked", "sha256",
                  "licence", "years", "observations", "laws", "bills", "costs", "measures",
                  "caveats")


def sources_twin() -> twins.Twin:
    """Every source with what it feeds: the list of the page, as data."""
    def build():
        return [{"id": r["source"].id, "publisher": r["source"].publisher,
                 "title": r["source"].title, "url": r["source"].url, "file": r["source"].file,
                 "retrieved": r.get("retrieved", ""), "checked": r.get("checked", ""),
                 "sha256": r["source"].sha256, "licence": r["source"].licence,
                 "years": r["years"], "observations": r["observations"], "laws": r["laws"],
                 "bills": r["bills"], "costs": r["costs"], "measures": r["measures"],
                 "caveats": r["source"].caveats}
                for p in sources_context()["publishers"] for r in p["sources"]]
    rows = cache.remember(build, "sources-twin")
    return twins.Twin({"sources": rows}, SOURCE_COLUMNS,
                      [[r[c] for c in SOURCE_COLUMNS] for r in rows], filename="sources")


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return ""
    a, b = first[:4], (last or first)[:4]
    return a if a == b else f"{a}–{b}"


def _retrievals() -> dict[str, dict]:
    """Per source, as the latest release records it: when its file was last retrieved and,
    where a later fetch found it unchanged, when the publisher last confirmed it."""
    release = DataRelease.objects.order_by("-loaded_at", "-id").only("sources").first()
    found = {}
    for item in release.sources if release else []:
        retrieved = (item.get("retrieved_at") or "")[:10] or item.get("retrieved", "")
        checked = (item.get("checked_at") or "")[:10]
        found[item["id"]] = {"retrieved": retrieved,
                             "checked": checked if checked > retrieved else ""}
    return found


def sources_context() -> dict:
    # One pass over the observations: per source and measure, the first and last period.
    spans: dict[str, dict] = {}
    feeds: dict[str, list[str]] = defaultdict(list)
    for row in (Observation.objects.values("source_id", "measure_id")
                .annotate(first=Min("period"), last=Max("period"), count=Count("pk"))
                .order_by("source_id", "measure_id")):
        feeds[row["source_id"]].append(row["measure_id"])
        span = spans.setdefault(row["source_id"], {"first": row["first"], "last": row["last"],
                                                   "count": 0})
        span["first"], span["last"] = min(span["first"], row["first"]), max(span["last"],
                                                                            row["last"])
        span["count"] += row["count"]
    laws = dict(LawStatus.objects.values_list("source_id").annotate(Count("pk")))
    bills = dict(Bill.objects.values_list("source_id").annotate(Count("pk")))
    costs = dict(CostAssumption.objects.values_list("source_id").annotate(Count("pk")))
    labels = {m.slug: m.label for m in Measure.objects.all()} or {
        m.slug: m.label for m in measure_list.MEASURES}

    retrievals = _retrievals()
    rows = []
    for s in Source.objects.all():
        span = spans.get(s.id, {})
        rows.append({
            "source": s, "years": _span(span.get("first"), span.get("last")),
            "newest": releases.period_text(span["last"]) if span.get("last") else "",
            **retrievals.get(s.id, {"retrieved": s.retrieved}),
            "observations": span.get("count", 0),
            "measures": [_(labels.get(slug, slug)) for slug in feeds.get(s.id, [])],
            "laws": laws.get(s.id, 0), "bills": bills.get(s.id, 0), "costs": costs.get(s.id, 0),
        })
    rows.sort(key=lambda r: (r["source"].publisher.lower(), r["source"].title.lower()))
    publishers = []
    for name, group in groupby(rows, key=lambda r: r["source"].publisher):
        group = list(group)
        found = [spans[r["source"].id] for r in group if r["source"].id in spans]
        first = min((f["first"] for f in found), default=None)
        last = max((f["last"] for f in found), default=None)
        publishers.append({"publisher": name, "sources": group, "years": _span(first, last),
                           "records": sum(r["observations"] + r["laws"] + r["bills"] + r["costs"]
                                          for r in group)})
    return {"publishers": publishers, "source_count": len(rows), "layers": layer_methods(),
            "measure_groups": measure_groups()}


def measure_groups() -> list[dict]:
    """Every measure with its unit, definition and caveats, grouped by topic."""
    rows = list(Measure.objects.select_related("default_source")) or list(measure_list.MEASURES)
    groups: dict[str, list] = defaultdict(list)
    for m in rows:
        groups[m.topic or ""].append(m)
    order = ["enforcement", "health", "population", ""]
    return [{"topic": t, "label": _(TOPIC_LABELS.get(t, t.capitalize())), "measures": groups[t]}
            for t in sorted(groups, key=lambda t: order.index(t) if t in order else 9)]


# What a rate layer's figure counts and divides by, in words (law layers list their classes).
RATE_METHODS = {
    "arrests": {
        "counts": "drug_arrests",
        "divides_by": _noop("The population of the reporting agencies' jurisdictions, as the FBI "
                            "estimates it, not the whole state: a rate per 100,000 residents "
                            "covered."),
    },
    "overdose": {
        "counts": "overdose_deaths",
        "divides_by": _noop("Residents of the state. Age-adjusted rates weight age groups to the "
                            "2000 U.S. standard population; crude rates divide by the Census "
                            "population of the same year."),
    },
    "race_ratio": {
        "counts": "marijuana_possession_arrest_rate_black",
        "divides_by": _noop("The white residents' rate of the same state and year (each rate "
                            "is arrests of the group per 100,000 residents of the group)."),
    },
}


def layer_methods() -> list[dict]:
    """How each map layer is made: what counts, and what a rate divides by.

    The home map's layers come from drugatlas.maps.layers, their measures from
    drugatlas.measures; the county layers from the same registry.
    """
    out = []
    for layer in LAYERS.values():
        entry = {"layer": layer.slug, "label": str(layer.title), "method": str(layer.method),
                 "measures": [measure_list.get(m) for m in layer.measures], "classes": []}
        if layer.slug == "consequences":
            entry["classes"] = [str(b.label) for b in count_bins()
                                if b.key not in (classify.UNKNOWN, classify.NO_DATA)]
            entry["counts"] = _("Each state's consequence records and possession class on the "
                                "date shown; each part cites its sources (see its own layer).")
        elif layer.is_law:
            entry["classes"] = [_(status.label) for status in vocab.legend(layer.topic)]
            entry["counts"] = _("Each state's status on the date shown, from our dated legal "
                                "records; every status carries citations and a confidence.")
        else:
            method = RATE_METHODS.get(layer.slug, {})
            entry["counts"] = measure_list.get(method.get("counts", layer.measures[0])).description
            entry["divides_by"] = _(method.get("divides_by", ""))
        out.append(entry)
    for slug, layer in COUNTY_LAYERS.items():
        out.append({"layer": f"county-{slug}", "label": str(layer.title),
                    "counts": str(layer.counts), "divides_by": str(layer.divides_by),
                    "method": str(layer.method),
                    "measures": [measure_list.get(m) for m in layer.measures],
                    "classes": []})
    return out


@require_GET
@public_page()
def about_page(request):
    body = _cached_body("about", "atlas/_about_body.html", about_context)
    return render(request, "atlas/about.html", {"body": body})


def about_context() -> dict:
    """Oregon's possession history from the legal records, to sit beside the narrative."""
    oregon = (LawStatus.objects.filter(jurisdiction__abbr="OR", topic="possession")
              .order_by(F("valid_from").asc(nulls_first=True)))
    # Dates as precisely as they are known ("2011", "2017-08"), as on the state page.
    timeline = [{"from": law.from_text(), "to": law.to_text(), "known": law.status != "unknown",
                 "status": law.status_text(), "note": law.note,
                 "citations": law.citation_list()} for law in oregon]
    return {"oregon": timeline}
