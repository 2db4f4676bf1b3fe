"""The parameters of each API endpoint, declared once (drugatlas/params.py): the views parse
with these tuples, openapi.py describes them, and a test checks docs/api.md names each one.

To add a parameter: add a `Param` to the endpoint's tuple here, read it in the view from
`params.parse(request.GET, ENDPOINT)`, and rewrite docs/api.md's tables with
`python -m drugatlas.api.doc_tables` (docs/architecture.md, "Where each change goes").
"""
from __future__ import annotations

from django.db.models import Q

from drugatlas import measures
from drugatlas.atlas.models import Bill, Jurisdiction, LawStatus
from drugatlas.params import BadRequest, Param, choice, date, names, path, text, whole, year
from drugatlas.reinvest.evaluate import QUERY as REINVEST

__all__ = ["BadRequest", "REINVEST", "names"]

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
KINDS = ("nation", "state", "county")


def places(value: str, param: Param) -> list[Jurisdiction] | None:
    """Comma-separated USPS codes ("WV"), "US", or FIPS codes ("54", "54047"), in one query."""
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


JURISDICTION = text("jurisdiction", "USPS code (WV), US for the nation, or a FIPS code (54, 54047); "
                    "comma-separated for several", convert=places, example="WV")
KIND = choice("kind", "nation, state or county", KINDS)
PAGING = (
    whole("limit", "Rows per page: 1 to 10000, default 1000 (CSV: everything unless given); the "
          "Link header links first, prev, next and last pages, X-Total-Count and count give the "
          "total", minimum=1, maximum=MAX_LIMIT),
    whole("offset", "Rows to skip, default 0"),
)

JURISDICTIONS = (
    KIND,
    text("state", "With kind=county: the counties of these states (USPS or FIPS codes, "
         "comma-separated)", convert=places),
)
MEASURES = ()
SOURCES = ()
OBSERVATIONS = (
    choice("measure", "Measure slug", [m.slug for m in measures.MEASURES], required=True,
           example="drug_arrests", hint="see /api/v1/measures for the list"),
    JURISDICTION,
    year("start", "First year (YYYY)"),
    year("end", "Last year (YYYY)"),
    KIND,
    choice("format", "json (default) or csv", ("json", "csv")),
    *PAGING,
)
LAWS = (
    choice("topic", "Law topic", [t for t, _ in LawStatus.TOPICS]),
    date("as_of", "Date (YYYY-MM-DD); default today"),
    choice("history", "1 for every dated interval instead of the records in force on one date",
           ("0", "1")),
    JURISDICTION,
    *PAGING,
)
BILLS = (
    JURISDICTION,
    choice("status", "Status", [s for s, _ in Bill.STATUSES]),
    date("since", "Status date on or after (YYYY-MM-DD)"),
    *PAGING,
)
STATE = (path("abbr", "USPS code (OR), or US for the nation"),)
