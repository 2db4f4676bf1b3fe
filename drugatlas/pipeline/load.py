"""`drugatlas data load`: bundle -> database, in one transaction.

Observations, places, sources, measures and costs are replaced wholesale. Laws, bills and bill
events are upserted by their natural keys so their history records only real changes, and rows
an editor changed (origin "editor") are kept, never silently overwritten: the load reports them
and `drugatlas data export-laws` writes them into the bundle. A failure anywhere rolls back
everything, so the previous data keep serving.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from drugatlas.atlas import cache
from drugatlas.atlas.models import (Bill, BillEvent, CostAssumption, DataRelease, Jurisdiction,
                                    LawStatus, Measure, Observation, Source)

from . import bundle

BATCH = 5000


@dataclass
class LoadReport:
    version: str
    counts: dict[str, int]
    seconds: float
    kept_editor_changes: list[str] = field(default_factory=list)
    skipped: bool = False


def _date(text: str):
    return dt.date.fromisoformat(text) if text else None


def _float(text: str):
    return float(text) if text != "" else None


def load_bundle(bundle_dir: Path | None = None, *, quiet: bool = False, force: bool = False,
                progress=lambda step: None) -> LoadReport:
    bundle_dir = Path(bundle_dir or settings.BUNDLE_DIR)
    started = time.perf_counter()
    version = bundle.version(bundle_dir)
    latest = DataRelease.objects.order_by("-loaded_at", "-id").first()
    if latest and latest.version == version and not force:
        return LoadReport(version, latest.counts, time.perf_counter() - started, skipped=True)
    with transaction.atomic():
        counts, kept = _load(bundle_dir, progress)
        DataRelease.objects.create(version=version, counts=counts,
                                   summary=_summary(counts, kept))
    cache.bump_data_version()
    return LoadReport(version, counts, time.perf_counter() - started, kept)


def _summary(counts: dict[str, int], kept: list[str]) -> str:
    text = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    if kept:
        text += f"; kept {len(kept)} editor change(s)"
    return text


def _load(bundle_dir: Path, progress) -> tuple[dict[str, int], list[str]]:
    progress("places, sources, measures")
    Observation.objects.all().delete()
    places = list(bundle.read_table(bundle_dir, "jurisdictions"))
    existing = set(Jurisdiction.objects.values_list("fips", flat=True))
    wanted = {p["fips"] for p in places}
    # Places are kept where editors' laws or subscribers point at them; only new ones are added.
    Jurisdiction.objects.bulk_create(
        [Jurisdiction(fips=p["fips"], abbr=p["abbr"], name=p["name"], kind=p["kind"])
         for p in places if p["fips"] not in existing], batch_size=BATCH)
    for p in places:
        if p["fips"] in existing:
            Jurisdiction.objects.filter(fips=p["fips"]).exclude(
                abbr=p["abbr"], name=p["name"], kind=p["kind"]).update(
                abbr=p["abbr"], name=p["name"], kind=p["kind"])
    parents = {p["fips"]: p["parent"] or None for p in places}
    for parent_fips in {v for v in parents.values() if v}:
        Jurisdiction.objects.filter(fips__in=[f for f, v in parents.items() if v == parent_fips]
                                    ).exclude(parent_id=parent_fips).update(parent_id=parent_fips)
    Jurisdiction.objects.exclude(fips__in=wanted).filter(
        laws__isnull=True, bills__isnull=True).delete()

    sources = list(bundle.read_table(bundle_dir, "sources"))
    for s in sources:
        Source.objects.update_or_create(id=s["id"], defaults={k: v for k, v in s.items() if k != "id"})
    for m in bundle.read_table(bundle_dir, "measures"):
        # Editors may have reworded a label or caveat in the admin; new measures are added.
        Measure.objects.get_or_create(slug=m["slug"], defaults={k: v for k, v in m.items()
                                                                 if k != "slug"})

    progress("observations")
    n_obs = _insert_observations(
        (row["jurisdiction"], row["measure"], row["period"], _float(row["value"]), row["flags"],
         row["source"]) for row in bundle.read_table(bundle_dir, "observations"))

    progress("laws and bills")
    kept = _load_laws(bundle_dir) + _load_bills(bundle_dir)

    CostAssumption.objects.all().delete()
    costs = [CostAssumption(key=c["key"], kind=c["kind"], value=float(c["value"]), unit=c["unit"],
                            year=int(c["year"]) if c["year"] else None, label=c["label"],
                            citation=c["citation"], confidence=c["confidence"], note=c["note"],
                            abbr=c["state"], source_id=c["source"] or None)
             for c in bundle.read_table(bundle_dir, "costs")]
    CostAssumption.objects.bulk_create(costs)
    Source.objects.exclude(id__in=[s["id"] for s in sources]).filter(
        observation__isnull=True, lawstatus__isnull=True, bill__isnull=True).delete()
    counts = {"places": len(places), "sources": len(sources), "observations": n_obs,
              "laws": LawStatus.objects.count(), "bills": Bill.objects.count(), "costs": len(costs)}
    return counts, kept


def _insert_observations(rows) -> int:
    """Insert observation tuples fast: COPY on PostgreSQL, executemany on SQLite.

    The ORM's bulk_create builds a model object per row, which is most of a load's time at
    600,000 rows; these are the same INSERTs without that.
    """
    table = connection.ops.quote_name(Observation._meta.db_table)
    fields = ("jurisdiction", "measure", "period", "value", "flags", "source")
    columns = ", ".join(connection.ops.quote_name(Observation._meta.get_field(f).column)
                        for f in fields)
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        return n + len(batch)


LAW_FIELDS = ("status", "valid_to", "statute", "citations", "confidence", "note", "source_id")


def _load_laws(bundle_dir: Path) -> list[str]:
    """Upsert laws by (place, topic, valid_from); keep editor rows; drop research rows gone."""
    kept: list[str] = []
    current = {(law.jurisdiction_id, law.topic, law.valid_from): law for law in LawStatus.objects.all()}
    seen = set()
    for row in bundle.read_table(bundle_dir, "laws"):
        key = (row["jurisdiction"], row["topic"], _date(row["valid_from"]))
        seen.add(key)
        values = {"status": row["status"], "valid_to": _date(row["valid_to"]),
                  "statute": row["statute"], "citations": row["citations"],
                  "confidence": row["confidence"], "note": row["note"],
                  "source_id": row["source"] or None}
        law = current.get(key)
        if law is None:
            LawStatus.objects.create(jurisdiction_id=key[0], topic=key[1], valid_from=key[2],
                                     origin=row["origin"] or LawStatus.BUNDLE, **values)
        elif law.origin == LawStatus.EDITOR and row["origin"] != LawStatus.EDITOR:
            if any(getattr(law, f) != v for f, v in values.items()):
                kept.append(f"law {key[0]} {key[1]} from {key[2] or 'start'}")
        elif any(getattr(law, f) != v for f, v in values.items()) or law.origin != row["origin"]:
            for f, v in values.items():
                setattr(law, f, v)
            law.origin = row["origin"] or LawStatus.BUNDLE
            law.save()
    for key, law in current.items():
        if key not in seen and law.origin != LawStatus.EDITOR:
            law.delete()
    return kept


BILL_FIELDS = ("jurisdiction_id", "number", "session", "title", "summary", "status", "status_date",
               "citations", "confidence", "note", "threshold", "penalty", "diversion", "funding",
               "sponsors", "source_id")


def _load_bills(bundle_dir: Path) -> list[str]:
    kept: list[str] = []
    current = {b.key: b for b in Bill.objects.all()}
    seen = set()
    editor_bills = set()
    for row in bundle.read_table(bundle_dir, "bills"):
        seen.add(row["key"])
        values = {"jurisdiction_id": row["jurisdiction"], "number": row["number"],
                  "session": row["session"], "title": row["title"], "summary": row["summary"],
                  "status": row["status"], "status_date": _date(row["status_date"]),
                  "citations": row["citations"], "confidence": row["confidence"],
                  "note": row["note"], "threshold": row["threshold"], "penalty": row["penalty"],
                  "diversion": row["diversion"], "funding": row["funding"],
                  "sponsors": row["sponsors"], "source_id": row["source"] or None}
        bill = current.get(row["key"])
        if bill is None:
            Bill.objects.create(key=row["key"], origin=row["origin"] or LawStatus.BUNDLE, **values)
        elif bill.origin == LawStatus.EDITOR and row["origin"] != LawStatus.EDITOR:
            editor_bills.add(bill.key)
            if any(getattr(bill, f) != v for f, v in values.items()):
                kept.append(f"bill {bill.key}")
        elif any(getattr(bill, f) != v for f, v in values.items()) or bill.origin != row["origin"]:
            for f, v in values.items():
                setattr(bill, f, v)
            bill.origin = row["origin"] or LawStatus.BUNDLE
            bill.save()
    for key, bill in current.items():
        if key not in seen and bill.origin != LawStatus.EDITOR:
            bill.delete()

    # Events: add the ones not yet recorded; never delete an event of an editor's bill.
    bills = {b.key: b for b in Bill.objects.all()}
    existing = {(e.bill_id, e.date, e.action) for e in BillEvent.objects.all()}
    wanted = set()
    for row in bundle.read_table(bundle_dir, "bill_events"):
        bill = bills[row["bill_key"]]
        key = (bill.id, _date(row["date"]), row["action"])
        wanted.add(key)
        if key not in existing and bill.key not in editor_bills:
            BillEvent.objects.create(bill=bill, date=key[1], action=row["action"],
                                     status=row["status"], url=row["url"])
    for e in BillEvent.objects.select_related("bill"):
        if (e.bill_id, e.date, e.action) not in wanted and e.bill.origin != LawStatus.EDITOR:
            e.delete()
    return kept
