"""/legislation/: every decriminalization bill and ballot measure, and a page per bill.

Each page has JSON and CSV twins (?format=json|csv, drugatlas/twins.py): the list's CSV is
its bills, a bill's is its actions. Answers are cached under the data version, which editors'
saves and data loads bump.
"""
from __future__ import annotations

from dataclasses import fields

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from drugatlas import twins
from drugatlas.atlas import cache
from drugatlas.atlas.http_cache import public_page
from drugatlas.legislation import records

CSV_COLUMNS = ["key", "jurisdiction", "number", "session", "title", "status", "status_date",
               "confidence", "url"]
EVENT_COLUMNS = ["date", "action", "status", "url"]
FILTERS = tuple(f.name for f in fields(records.Filters))


def _list_payload(filters: records.Filters) -> dict:
    def build():
        bills = records.ordered(records.filter_bills(filters))
        return {
            "filters": filters.active(),
            "count": bills.count(),
            "bills": [records.bill_summary(b) for b in bills],
            "facets": records.facets(filters),
        }
    return cache.remember(build, "legislation", "list", filters.query_string())


@require_GET
@public_page(*FILTERS, "format")
def bill_list(request):
    filters = records.Filters.from_query(request.GET)
    payload = _list_payload(filters)
    return twins.serve(request, lambda: _list_html(request, filters, payload), lambda: twins.Twin(
        {key: payload[key] for key in ("filters", "count", "bills")}, CSV_COLUMNS,
        [[b[c] for c in CSV_COLUMNS] for b in payload["bills"]], filename="bills"))


def _list_html(request, filters: records.Filters, payload: dict):
    active = [{"name": name, "value": value,
               "label": (records.jurisdiction_name(value) if name == "jurisdiction" else
                         records.STATUS_LABELS.get(value, value) if name == "status" else value),
               "remove": filters.query_string(**{name: ""})}
              for name, value in filters.active().items()]
    return render(request, "legislation/list.html", {
        **payload, "active": active, "query": filters.query_string(),
        "statuses": records.Bill.STATUSES,
    })


@require_GET
@public_page("format")
def bill_detail(request, ref):
    def build():
        bill = records.find_bill(ref)
        return None if bill is None else records.bill_detail(bill)  # None: not kept
    payload = cache.remember(build, "legislation", "bill", ref)
    if payload is None:
        newer = records.successor(ref)
        if newer is not None:  # a key of the first research file: the bill lives on
            return redirect(newer.get_absolute_url(), permanent=True)
        raise Http404("No bill or ballot measure with that key.")
    return twins.serve(
        request, lambda: render(request, "legislation/detail.html", {
            "bill": payload,
            # "Oregon HB 4002"; a proposal with no number is named by its place alone.
            "heading": " ".join(filter(None, (_(payload["jurisdiction_name"]),
                                              payload["number"])))}),
        lambda: twins.Twin(payload, EVENT_COLUMNS,
                           [[e[c] for c in EVENT_COLUMNS] for e in payload["events"]],
                           filename=f"bill-{payload['key']}"))
