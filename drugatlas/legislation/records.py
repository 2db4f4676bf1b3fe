"""Bills and ballot measures as the tracker shows them: filters, facets, plain dicts.

The HTML pages and their JSON/CSV twins are rendered from the same dicts, so they always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_noop

from drugatlas import laws_vocabulary as vocab
from drugatlas.atlas.models import Bill, BillEvent, Jurisdiction

# Labels are English in the data (JSON, CSV, cache) and translated where a template shows them.
STATUS_LABELS = {s.value: s.label for s in vocab.BILL_STATUSES}
CONFIDENCE_LABELS = {c.value: c.label for c in vocab.CONFIDENCE_LEVELS}
FEDERAL = gettext_noop("Federal (U.S. Congress)")
# What a bill would do. A blank field is not known: it is left off the page, never shown as
# a research note ("Not researched") or as "nothing".
PROVISIONS = [
    ("possession_change", gettext_noop("Possession")),
    ("threshold", gettext_noop("Threshold (amount treated as personal use)")),
    ("penalty", gettext_noop("Penalty in place of arrest")),
    ("diversion", gettext_noop("Diversion and treatment")),
    ("funding", gettext_noop("Funding")),
    ("other", gettext_noop("Other provisions")),
]
BILL_TYPE_LABELS = {t.value: t.label for t in vocab.BILL_TYPES}


@dataclass(frozen=True)
class Filters:
    jurisdiction: str = ""  # USPS code ("OR", "US" for federal) or FIPS
    status: str = ""
    session: str = ""
    year: str = ""

    @classmethod
    def from_query(cls, query) -> "Filters":
        values = {f.name: query.get(f.name, "").strip()[:40] for f in fields(cls)}
        values["jurisdiction"] = values["jurisdiction"].upper()
        return cls(**values)

    def active(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def query_string(self, **changes) -> str:
        """The query for these filters with some changed ("" removes one)."""
        values = {**self.active(), **changes}
        return urlencode({k: v for k, v in values.items() if v})


def _jurisdiction_q(code: str) -> Q:
    return Q(jurisdiction__abbr=code) | Q(jurisdiction_id=code)


def _year_q(year: str) -> Q:
    if not year.isdigit():
        return Q(pk__in=[])  # an impossible year matches nothing rather than everything
    return Q(status_date__year=int(year)) | Q(events__date__year=int(year))


def filter_bills(filters: Filters, skip: str = ""):
    """Bills matching every active filter except `skip` (facets count with the others)."""
    bills = Bill.objects.all()
    if filters.jurisdiction and skip != "jurisdiction":
        bills = bills.filter(_jurisdiction_q(filters.jurisdiction))
    if filters.status and skip != "status":
        bills = bills.filter(status=filters.status)
    if filters.session and skip != "session":
        bills = bills.filter(session=filters.session)
    if filters.year and skip != "year":
        bills = bills.filter(pk__in=Bill.objects.filter(_year_q(filters.year)).values("pk"))
    return bills


def ordered(bills):
    return (bills.select_related("jurisdiction", "source")
            .order_by(F("status_date").desc(nulls_last=True), "jurisdiction__name", "key"))


def facets(filters: Filters) -> dict[str, list[dict]]:
    """For each filter, its values with how many bills each would show, as links."""
    def option(name, value, label, count):
        return {"value": value, "label": label, "count": count,
                "selected": getattr(filters, name) == value,
                "query": filters.query_string(**{name: value})}

    by_place = (filter_bills(filters, skip="jurisdiction")
                .values("jurisdiction__fips", "jurisdiction__abbr", "jurisdiction__name")
                .annotate(n=Count("pk", distinct=True)).order_by("jurisdiction__name"))
    by_status = (filter_bills(filters, skip="status").values("status")
                 .annotate(n=Count("pk", distinct=True)))
    status_counts = {row["status"]: row["n"] for row in by_status}
    by_session = (filter_bills(filters, skip="session").exclude(session="").values("session")
                  .annotate(n=Count("pk", distinct=True)).order_by("-session"))
    # Congress first, then the states and DC by name.
    by_place = sorted(by_place, key=lambda row: (row["jurisdiction__fips"] != "00",
                                                 row["jurisdiction__name"]))
    return {
        "jurisdiction": [option("jurisdiction", row["jurisdiction__abbr"] or row["jurisdiction__fips"],
                                _place_label(row["jurisdiction__fips"], row["jurisdiction__name"]),
                                row["n"]) for row in by_place],
        "status": [option("status", value, label, status_counts[value])
                   for value, label in Bill.STATUSES if value in status_counts],
        "session": [option("session", row["session"], row["session"], row["n"]) for row in by_session],
        "year": [option("year", str(year), str(year), count)
                 for year, count in _year_counts(filter_bills(filters, skip="year"))],
    }


def _year_counts(bills) -> list[tuple[int, int]]:
    """Years in which the bills had a status date or an action, newest first."""
    ids = list(bills.values_list("pk", flat=True))
    by_year: dict[int, set[int]] = {}
    dated = (Bill.objects.filter(pk__in=ids, status_date__isnull=False)
             .annotate(y=ExtractYear("status_date")).values_list("y", "pk"))
    acted = (BillEvent.objects.filter(bill_id__in=ids, date__isnull=False)
             .annotate(y=ExtractYear("date")).values_list("y", "bill_id"))
    for year, pk in [*dated, *acted]:
        by_year.setdefault(year, set()).add(pk)
    return sorted(((y, len(pks)) for y, pks in by_year.items()), reverse=True)


def _place_label(fips: str, name: str) -> str:
    return FEDERAL if fips == "00" else name


def bill_summary(bill: Bill) -> dict:
    return {
        "id": bill.pk,
        "key": bill.key,
        "url": bill.get_absolute_url(),
        "jurisdiction": bill.jurisdiction.code,
        "jurisdiction_name": _place_label(bill.jurisdiction.fips, bill.jurisdiction.name),
        "level": "federal" if bill.jurisdiction.fips == "00" else "state",
        "number": bill.number,
        "session": bill.session,
        "title": bill.title,
        "status": bill.status,
        "status_label": STATUS_LABELS.get(bill.status) or bill.status,
        # As precisely as it is known: "2021", "2021-07" or "2021-07-09".
        "status_date": bill.status_date_text() or None,
        "confidence": bill.confidence,
    }


def bill_detail(bill: Bill) -> dict:
    events = sorted(bill.events.all(), key=lambda e: (e.date is None, e.date or 0, e.pk))
    return {
        **bill_summary(bill),
        "summary": bill.summary,
        "note": bill.note,
        "bill_type": bill.bill_type,
        "bill_type_label": BILL_TYPE_LABELS.get(bill.bill_type, ""),
        "sponsors": bill.sponsors,
        "official_url": bill.official_url,
        "confidence_label": CONFIDENCE_LABELS.get(bill.confidence, ""),
        "citations": bill.citation_list(),
        "other_citations": [u for u in bill.citation_list() if u != bill.official_url],
        # Only what is known: a provision with no text is left out.
        "provisions": [{"field": name, "label": label, "text": getattr(bill, name)}
                       for name, label in PROVISIONS if getattr(bill, name).strip()],
        "source": ({"id": bill.source.pk, "title": bill.source.title, "url": bill.source.url}
                   if bill.source else None),
        "origin": bill.origin,
        "updated_at": bill.updated_at,
        "events": [{"date": e.date_text() or None, "action": e.action, "status": e.status,
                    "status_label": STATUS_LABELS.get(e.status) or e.status, "url": e.url}
                   for e in events],
    }


def find_bill(ref: str | int) -> Bill | None:
    """A bill by its key (the permalink) or by its row id."""
    bills = (Bill.objects.select_related("jurisdiction", "source")
             .prefetch_related(Prefetch("events", queryset=BillEvent.objects.order_by("date", "id"))))
    bill = bills.filter(key=str(ref)).first()
    if bill is None and str(ref).isdigit():
        bill = bills.filter(pk=int(ref)).first()
    return bill


def successor(ref: str) -> Bill | None:
    """The bill whose record replaced an older one with this key (old permalinks)."""
    return Bill.objects.filter(replaces=str(ref)).exclude(replaces="").first()


def jurisdiction_name(code: str) -> str:
    place = Jurisdiction.objects.filter(Q(abbr=code) | Q(fips=code)).first()
    return _place_label(place.fips, place.name) if place else code
