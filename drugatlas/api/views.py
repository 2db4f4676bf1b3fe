"""The public JSON/CSV API, v1. See openapi.py for the contract and docs/api.md."""
from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.db.models import F, Max, Min
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from drugatlas import clock
from drugatlas import measures as measure_list
from drugatlas import twins
from drugatlas.atlas import cache, loaded_release, profile, queries
from drugatlas.atlas.models import (Bill, DataRelease, Jurisdiction, LawStatus, Measure,
                                    Observation, Source)

from drugatlas.params import BadRequest, check_known, parse
from drugatlas.reinvest import present
from drugatlas.reinvest.evaluate import evaluate, form_errors

from drugatlas.pipeline import bundle
from drugatlas.pipeline.bundle import TABLES

from . import downloads, openapi, paging, params, stream


def _bundle_version() -> str:
    release = DataRelease.objects.order_by("-loaded_at", "-id").first()
    return release.version[:12] if release else ""


_json = twins.json_response  # the one encoder of every JSON answer


def api_view(view=None, *, params=()):
    """GET only; 400 with a message for bad or unknown parameters; cached until the data change,
    under the known parameters in a fixed order; CORS open."""
    if view is None:
        return lambda v: api_view(v, params=params)

    @require_GET
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            check_known(request.GET, params)
        except BadRequest as e:
            return twins.allow_any_origin(_json({"error": str(e)}, status=400))
        known = [(p, request.GET.getlist(p)) for p in sorted(params) if p in request.GET]

        def respond():
            try:
                return view(request, *args, **kwargs)
            except BadRequest as e:
                return _json({"error": str(e)}, status=400)
            except Http404 as e:
                return _json({"error": str(e) or "not found"}, status=404)
        response = cache.remember_response(respond, "api", view.__name__,
                                           sorted(kwargs.items()), known)
        return twins.allow_any_origin(response)

    wrapper.api_params = tuple(params)
    return wrapper


def _source_json(s: Source) -> dict:
    return {"id": s.id, "publisher": s.publisher, "title": s.title, "url": s.url,
            "file": s.file, "retrieved": s.retrieved, "sha256": s.sha256, "licence": s.licence,
            "caveats": s.caveats}


def _place_json(j: Jurisdiction) -> dict:
    return {"code": j.code, "fips": j.fips, "abbr": j.abbr, "name": j.name, "kind": j.kind,
            "parent": j.parent_id}


@api_view(params=params.names(params.JURISDICTIONS))
def jurisdictions(request):
    q = parse(request.GET, params.JURISDICTIONS)
    kind, state = q["kind"], q["state"]
    qs = Jurisdiction.objects.all()
    qs = qs.filter(kind=kind) if kind else qs.exclude(kind=Jurisdiction.COUNTY)
    if state:
        qs = qs.filter(parent__in=state)
    return _json({"jurisdictions": [_place_json(j) for j in qs]})


@api_view
def measures(request):
    spans = {m["measure_id"]: m for m in Observation.objects.values("measure_id").annotate(
        first=Min("period"), last=Max("period"))}
    sources = {}
    for measure_id, source_id in Observation.objects.values_list(
            "measure_id", "source_id").distinct().order_by("measure_id", "source_id"):
        sources.setdefault(measure_id, []).append(source_id)
    rows = []
    for m in Measure.objects.all():
        span = spans.get(m.slug, {})
        rows.append({"slug": m.slug, "label": m.label, "unit": m.unit,
                     "description": m.description, "caveats": m.caveats, "topic": m.topic,
                     "first_period": span.get("first"), "last_period": span.get("last"),
                     "sources": sources.get(m.slug, [])})
    return _json({"measures": rows})


STREAM_ABOVE = 5000  # rows
OBSERVATION_COLUMNS = ["measure", "jurisdiction", "fips", "name", "period", "value", "flags",
                       "source"]


@api_view(params=params.names(params.OBSERVATIONS))
def observations(request):
    q = parse(request.GET, params.OBSERVATIONS)
    slug, places, start, end, kind = q["measure"], q["jurisdiction"], q["start"], q["end"], q["kind"]
    if start is not None and end is not None and start > end:
        raise BadRequest(f"start ({start}) is after end ({end})")
    fmt = q["format"] or "json"
    # CSV without a limit is the whole selection, streamed (a whole measure is one download).
    page = paging.Page.of(q, None if fmt == "csv" else params.DEFAULT_LIMIT)
    qs = Observation.objects.filter(measure_id=slug)
    if places:
        qs = qs.filter(jurisdiction__in=places)
    if kind:
        qs = qs.filter(jurisdiction__kind=kind)
    if start is not None:
        qs = qs.filter(period__gte=str(start))
    if end is not None:
        qs = qs.filter(period__lt=str(end + 1))
    total = qs.count()
    rows = page.slice(qs.order_by("jurisdiction_id", "period").values_list(*stream.COLUMNS))
    if fmt == "csv":
        # Small answers are sent (and cached) whole; large ones stream (COPY on PostgreSQL).
        lines = stream.csv_lines(slug, OBSERVATION_COLUMNS, rows)
        content_type = "text/csv; charset=utf-8"
        response = (HttpResponse(b"".join(lines), content_type=content_type)
                    if total <= STREAM_ABOVE else StreamingHttpResponse(lines, content_type=content_type))
        response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
        return page.annotate(response, request, total)
    rows = list(rows)
    m = measure_list.get(slug)
    source_ids = sorted({r[6] for r in rows})
    return page.annotate(_json({
        "measure": {"slug": m.slug, "label": m.label, "unit": m.unit, "caveats": m.caveats},
        "data_version": _bundle_version(),
        "count": total, "limit": page.limit, "offset": page.offset,
        "rows": [{"jurisdiction": abbr or fips, "fips": fips, "name": name, "period": period,
                  "value": _number(value), "flags": [f for f in flags.split(",") if f],
                  "source": source, "basis": queries.basis_key(source, flags.split(","))}
                 for abbr, fips, name, period, value, flags, source in rows],
        "sources": {s.id: _source_json(s) for s in Source.objects.filter(id__in=source_ids)},
    }), request, total)


_number = stream.number


def _law_json(law: LawStatus) -> dict:
    """A legal record as the API serves it: the statute first, dates as precisely as known
    ("2021", "2021-07" or "2021-07-09"), and no empty fields of the statute's (left out)."""
    out = {"jurisdiction": law.jurisdiction.code, "topic": law.topic, "status": law.status,
           # The status in words ("Felony"; "Law before 2017 not in this atlas" where
           # status is the machine value "unknown").
           "status_label": law.status_text(),
           "valid_from": law.from_text() or None,
           "valid_from_precision": law.valid_from_precision if law.valid_from else None,
           "date_basis": law.date_basis if law.valid_from else None,
           "valid_to": law.to_text() or None,
           "valid_to_precision": law.valid_to_precision if law.valid_to else None}
    out.update({name: getattr(law, name) for name in ("statute", "grade", "max_penalty",
                                                       "statute_url") if getattr(law, name)})
    out.update({"citations": law.citation_list(),
                "secondary_citations": law.secondary_citations(),
                "confidence": law.confidence, "note": law.note, "source": law.source_id,
                "origin": law.origin})
    return out


@api_view(params=params.names(params.LAWS))
def laws(request):
    q = parse(request.GET, params.LAWS)
    page = paging.Page.of(q)
    topic, as_of, places = q["topic"], q["as_of"], q["jurisdiction"]
    qs = LawStatus.objects.select_related("jurisdiction")
    if topic:
        qs = qs.filter(topic=topic)
    if places:
        qs = qs.filter(jurisdiction__in=places)
    if as_of or q["history"] != "1":
        as_of = as_of or clock.today()
        qs = qs.as_of(as_of)
    # History in time order on every database: the interval with no start date comes first
    # (PostgreSQL would put it last).
    qs = qs.order_by("jurisdiction_id", "topic", F("valid_from").asc(nulls_first=True),
                     "id")
    total = qs.count()
    return page.annotate(_json({"as_of": as_of.isoformat() if as_of else None, "topic": topic,
                                "count": total, "limit": page.limit, "offset": page.offset,
                                "laws": [_law_json(law) for law in page.slice(qs)]}),
                         request, total)


BILL_FIELDS = ("official_url", "bill_type", "sponsors", "possession_change", "threshold",
               "penalty", "diversion", "funding", "other", "note")


def _bill_json(bill: Bill) -> dict:
    """A bill as the API serves it; a field with nothing known is left out."""
    out = {"id": bill.id, "key": bill.key, "jurisdiction": bill.jurisdiction.code,
           "number": bill.number, "session": bill.session, "title": bill.title,
           "summary": bill.summary, "status": bill.status,
           "status_date": bill.status_date_text() or None,
           "status_date_precision": bill.status_date_precision if bill.status_date else None,
           "citations": bill.citation_list(), "confidence": bill.confidence}
    out.update({name: getattr(bill, name) for name in BILL_FIELDS if getattr(bill, name)})
    out["events"] = [{"date": e.date_text() or None,
                      "precision": e.precision if e.date else None, "action": e.action,
                      "status": e.status, "url": e.url} for e in bill.events.all()]
    return out


@api_view(params=params.names(params.BILLS))
def bills(request):
    q = parse(request.GET, params.BILLS)
    page = paging.Page.of(q)
    places, status, since = q["jurisdiction"], q["status"], q["since"]
    qs = Bill.objects.select_related("jurisdiction").prefetch_related("events")
    if places:
        qs = qs.filter(jurisdiction__in=places)
    if status:
        qs = qs.filter(status=status)
    if since:
        qs = qs.filter(status_date__gte=since)
    total = qs.count()
    return page.annotate(_json({"count": total, "limit": page.limit, "offset": page.offset,
                                "bills": [_bill_json(b) for b in page.slice(qs)]}),
                         request, total)


@api_view
def sources(request):
    return _json({"sources": [_source_json(s) for s in Source.objects.all()]})


# The same figures the state page shows (drugatlas.atlas.profile).
PROFILE_MEASURES = profile.PROFILE_MEASURES


def state_profile(place: Jurisdiction) -> dict:
    """Latest figures (the latest period with a value), law history and bills of one place,
    from the same lookups as the state page (drugatlas.atlas.queries)."""
    facts = queries.place_facts(place, PROFILE_MEASURES)
    latest = {slug: {"period": v.period, "value": _number(v.value), "flags": v.flag_list(),
                     "source": v.source_id} for slug, v in facts.latest.items()}
    return {"jurisdiction": _place_json(place), "data_version": _bundle_version(),
            "latest": latest,
            "laws_in_force": [_law_json(law) for law in facts.laws_in_force(clock.today())],
            "law_history": [_law_json(law) for law in facts.laws],
            "bills": [_bill_json(b) for b in facts.bills],
            "page": place.get_absolute_url()}


@api_view
def state(request, abbr: str):
    place = Jurisdiction.objects.filter(abbr=abbr.upper(), kind__in=("state", "nation")).first()
    if place is None:
        raise Http404(f"unknown state {abbr[:10]!r}")
    return _json(state_profile(place))


@api_view(params=params.names(params.REINVEST))
def reinvest(request):
    """GET /api/v1/reinvest?state=OR&... : the calculator page's calculation as JSON."""
    ev = evaluate(request.GET, chooser_ok=False)
    if ev.error:
        return _json({"error": ev.error}, status=ev.status)
    if ev.result is None:
        errors = form_errors(ev.form)
        message = " ".join(m for messages in errors.values() for m in messages)
        return _json({"error": message, "errors": errors}, status=ev.status or 400)
    return _json(present.api_payload(ev))


@api_view
def openapi_json(request):
    return JsonResponse(openapi.spec())


def docs(request):
    return render(request, "api/docs.html", {"spec": openapi.spec(),
                                             "measures": Measure.objects.all()})


def bundle_file(request, name: str):
    """The loaded release's bundle files for bulk download (datapackage.json and its CSVs),
    less the ICPSR county rows (drugatlas/api/downloads.py)."""
    allowed = {t.path for t in TABLES.values()} | {"datapackage.json"}
    if name not in allowed:
        raise Http404("no such file in the data bundle")
    path = downloads.folder(_live_bundle_dir()) / name
    content_type = "application/json" if name.endswith(".json") else "text/csv; charset=utf-8"
    return twins.allow_any_origin(FileResponse(path.open("rb"), content_type=content_type))


def _live_bundle_dir() -> Path:
    release = loaded_release.latest()
    if release and release.bundle_dir:
        folder = Path(release.bundle_dir)
        try:
            if bundle.version(folder) == release.version:
                return folder
        except (OSError, ValueError, KeyError):
            pass  # moved or rebuilt since: the committed bundle
    return Path(settings.BUNDLE_DIR)
