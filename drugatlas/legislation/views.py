"""/legislation/: every decriminalization bill and ballot measure, and a page per bill.

Each page has a JSON twin (?format=json); the list also has CSV (?format=csv). Answers are
cached under the data version, which editors' saves and data loads bump.
"""
from __future__ import annotations

import csv

from drugatlas.atlas.cache import pages as cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from drugatlas.atlas import cache as data_cache
from drugatlas.legislation import records

CSV_COLUMNS = ["key", "jurisdiction", "number", "session", "title", "status", "status_date",
               "confidence", "url"]


def _json(payload: dict) -> JsonResponse:
    return JsonResponse(payload, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 1})


def _list_payload(filters: records.Filters) -> dict:
    key = data_cache.key("legislation", "list", filters.query_string())
    payload = cache.get(key)
    if payload is None:
        bills = records.ordered(records.filter_bills(filters))
        payload = {
            "filters": filters.active(),
            "count": bills.count(),
            "bills": [records.bill_summary(b) for b in bills],
            "facets": records.facets(filters),
        }
        cache.set(key, payload)
    return payload


def bill_list(request):
    filters = records.Filters.from_query(request.GET)
    payload = _list_payload(filters)
    output = request.GET.get("format", "")
    if output == "json":
        return _json({key: payload[key] for key in ("filters", "count", "bills")})
    if output == "csv":
        return _csv(payload["bills"])
    active = [{"name": name, "value": value,
               "label": (records.jurisdiction_name(value) if name == "jurisdiction" else
                         records.STATUS_LABELS.get(value, value) if name == "status" else value),
               "remove": filters.query_string(**{name: ""})}
              for name, value in filters.active().items()]
    return render(request, "legislation/list.html", {
        **payload, "active": active, "query": filters.query_string(),
        "statuses": records.Bill.STATUSES,
    })


def _csv(bills: list[dict]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bills.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for bill in bills:
        writer.writerow([bill["status_date"] if c == "status_date" and bill[c] else bill[c] or ""
                         for c in CSV_COLUMNS])
    return response


def bill_detail(request, ref):
    key = data_cache.key("legislation", "bill", ref)
    payload = cache.get(key)
    if payload is None:
        bill = records.find_bill(ref)
        if bill is None:
            newer = records.successor(ref)
            if newer is not None:  # a key of the first research file: the bill lives on
                return redirect(newer.get_absolute_url(), permanent=True)
            raise Http404("No bill or ballot measure with that key.")
        payload = records.bill_detail(bill)
        cache.set(key, payload)
    if request.GET.get("format") == "json":
        return _json(payload)
    return render(request, "legislation/detail.html", {"bill": payload})
