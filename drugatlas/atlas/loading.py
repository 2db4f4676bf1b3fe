"""`drugatlas data load`: bundle -> database, in one transaction.

Observations, places, sources, measures and costs are replaced wholesale. Laws, bills and bill
events are upserted by their natural keys so their history records only real changes, and rows
an editor changed (origin "editor") are kept, never silently overwritten: the load reports them
and `drugatlas data export-laws` writes them into the bundle. A failure anywhere rolls back
everything, so the previous data keep serving; before that, pipeline/verify.py refuses a
bundle whose files do not match datapackage.json's hashes or whose values break the build's
rules, naming the file, row and column. Laws, bills, events and costs go into the model
fields their declared columns name (bundle_rows.py), so a new column needs no code here.

Each load records a `DataRelease`: the bundle version, its sources (when each file was
retrieved, from the fetch manifests that hold the very bytes built, and the newest period each
source covers) and, from `drugatlas data load`, the diff against the release before
(diff.release_summary()), which /changes/ and the subscribers' digests word for people.
"""
from __future__ import annotations

import csv
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from drugatlas.fetch import manifest
from drugatlas.pipeline import bundle, verify
from drugatlas.pipeline.editors import EDITOR, preserve_editor_changes

from . import bundle_rows, cache, editor_owned
from .models import (Bill, BillEvent, CostAssumption, DataRelease, Jurisdiction, LawStatus, Measure,
                     Observation, Source)

BATCH = 5000
PROGRESS_ROWS = 250_000
PROGRESS_BYTES = 16 * 1024 * 1024  # COPY is fed, and progress shown, in these steps


@dataclass
class LoadReport:
    version: str
    counts: dict[str, int]
    seconds: float
    kept_editor_changes: list[str] = field(default_factory=list)
    skipped: bool = False


def _float(text: str):
    return float(text) if text != "" else None


def load_bundle(bundle_dir: Path | None = None, *, quiet: bool = False, force: bool = False,
                changes: dict | None = None, fetch_folders: list[Path] | None = None,
                progress=lambda step: None, verified: bool = False) -> LoadReport:
    """Load the bundle; `changes` is the release summary to record (diff.release_summary()),
    `fetch_folders` the fetch folders whose manifests date the sources (default: var/raw's)."""
    bundle_dir = Path(bundle_dir or settings.BUNDLE_DIR)
    if fetch_folders is None:
        fetch_folders = manifest.fetch_folders(Path(settings.VAR_DIR) / "raw")
    started = time.perf_counter()
    version = bundle.version(bundle_dir)
    latest = DataRelease.objects.order_by("-loaded_at", "-id").first()
    if latest and latest.version == version and not force:
        return LoadReport(version, latest.counts, time.perf_counter() - started, skipped=True)
    if not verified:  # (`data load` checks first, before it compares with the live release)
        progress("checking the bundle")
        verify.verify(bundle_dir)  # the whole bundle or nothing, before the database is touched
    with transaction.atomic():
        counts, kept = _load(bundle_dir, progress)
        DataRelease.objects.create(version=version, counts=counts,
                                   summary=_summary(counts, kept), changes=changes or {},
                                   bundle_dir=str(bundle_dir.resolve()),
                                   sources=_release_sources(bundle_dir, fetch_folders))
    _analyze(progress)
    cache.bump_data_version()
    return LoadReport(version, counts, time.perf_counter() - started, kept)


def _summary(counts: dict[str, int], kept: list[str]) -> str:
    text = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    if kept:
        text += f"; kept {len(kept)} editor change(s)"
    return text


# manifest field -> release record field
FETCHED_FIELDS = {"retrieved_at": "retrieved_at", "checked_at": "checked_at",
                  "url": "download_url", "release": "release"}


def _release_sources(bundle_dir: Path, fetch_folders: list[Path]) -> list[dict]:
    """Each source of the bundle as the release record keeps it (see the module docstring)."""
    rows = list(bundle.read_table(bundle_dir, "sources"))
    fetched = manifest.retrievals(fetch_folders, {r["file"]: r["sha256"] for r in rows})
    newest = dict(Observation.objects.values_list("source_id").annotate(Max("period")))
    sources = []
    for row in rows:
        entry = fetched.get(row["file"], {})
        sources.append({"id": row["id"], "title": row["title"], "url": row["url"],
                        "retrieved": row["retrieved"], "newest_period": newest.get(row["id"]),
                        **{ours: entry[k] for k, ours in FETCHED_FIELDS.items() if entry.get(k)}})
    return sources


def _load(bundle_dir: Path, progress) -> tuple[dict[str, int], list[str]]:
    progress("places, sources, measures")
    Observation.objects.all().delete()
    places = list(bundle.read_table(bundle_dir, "jurisdictions"))
    # Places are kept where editors' laws point at them; new ones are added, changed ones
    # updated (compared here, so an unchanged load writes nothing).
    existing = {j.fips: j for j in Jurisdiction.objects.all()}
    Jurisdiction.objects.bulk_create(
        [Jurisdiction(fips=p["fips"], abbr=p["abbr"], name=p["name"], kind=p["kind"])
         for p in places if p["fips"] not in existing], batch_size=BATCH)
    for p in places:
        j = existing.get(p["fips"])
        if j and (j.abbr, j.name, j.kind) != (p["abbr"], p["name"], p["kind"]):
            Jurisdiction.objects.filter(fips=p["fips"]).update(
                abbr=p["abbr"], name=p["name"], kind=p["kind"])
    parents: dict[str, list[str]] = {}
    for p in places:
        j = existing.get(p["fips"])
        if p["parent"] and (j is None or j.parent_id != p["parent"]):
            parents.setdefault(p["parent"], []).append(p["fips"])
    for parent_fips, children in parents.items():
        Jurisdiction.objects.filter(fips__in=children).update(parent_id=parent_fips)
    wanted = {p["fips"] for p in places}
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
    n_obs = _insert_observations(bundle_dir, progress)

    progress("laws and bills")
    kept = _load_legal_records(bundle_dir)

    CostAssumption.objects.all().delete()
    costs = [CostAssumption(**bundle_rows.field_values("costs", c))
             for c in bundle.read_table(bundle_dir, "costs")]
    CostAssumption.objects.bulk_create(costs)
    Source.objects.exclude(id__in=[s["id"] for s in sources]).filter(
        observation__isnull=True, lawstatus__isnull=True, bill__isnull=True).delete()
    counts = {"places": len(places), "sources": len(sources), "observations": n_obs,
              "laws": LawStatus.objects.count(), "bills": Bill.objects.count(), "costs": len(costs)}
    return counts, kept


def _analyze(progress) -> None:
    """Fresh planner statistics for the tables a load rewrites (PostgreSQL leaves them to
    autovacuum, which may come minutes later: until then plans are guessed)."""
    if connection.vendor != "postgresql":
        return
    progress("analyzing")
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table)
                       for m in (Observation, Jurisdiction, Source, Measure, LawStatus, Bill,
                                 BillEvent, CostAssumption))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _insert_observations(bundle_dir: Path, progress) -> int:
    """Insert the bundle's observations, checking every row's place, measure and source.

    The database does not check an observation's references row by row (see Observation):
    this load checks them in bulk, and a row that fails stops the load (nothing is changed).
    PostgreSQL reads the CSV file itself (COPY, no Python per row); SQLite gets executemany.
    """
    with _observations_file(bundle_dir).open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    if header != bundle.columns("observations"):
        raise ValueError(f"observations.csv: header {header} is not {bundle.columns('observations')}")
    table = _table(Observation)
    # The bundle's columns are named as the model's fields, in the file's order.
    columns = [connection.ops.quote_name(Observation._meta.get_field(c).column) for c in header]
    if connection.vendor == "postgresql":
        return _copy_observations(bundle_dir, table, columns, progress)
    return _execute_observations(bundle_dir, table, columns, progress)


def _observations_file(bundle_dir: Path) -> Path:
    return Path(bundle_dir) / bundle.TABLES["observations"].path


def _copy_observations(bundle_dir, table, columns, progress) -> int:
    flags = connection.ops.quote_name(Observation._meta.get_field("flags").column)
    sql = (f"COPY {table} ({', '.join(columns)}) FROM STDIN "
           f"(FORMAT csv, HEADER true, FORCE_NOT_NULL ({flags}))")  # empty flags are '', not NULL
    path = _observations_file(bundle_dir)
    size, done = path.stat().st_size, 0
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        try:
            with raw.copy(sql) as copy, path.open("rb") as f:
                while data := f.read(PROGRESS_BYTES):
                    copy.write(data)
                    done += len(data)
                    progress(f"observations: {done / size:.0%} of {size / 1e6:,.0f} MB")
        except (psycopg.errors.DataError, psycopg.errors.IntegrityError) as e:
            raise ValueError(f"observations.csv: {str(e).strip()}") from None
        count = raw.rowcount
        progress("observations: checking places, measures and sources")
        # One pass over the table; each NOT IN is a hashed lookup of a small table.
        cursor.execute(f"""
            SELECT o.jurisdiction_id, o.measure_id, o.source_id FROM {table} o
            WHERE o.jurisdiction_id NOT IN (SELECT fips FROM {_table(Jurisdiction)})
               OR o.measure_id NOT IN (SELECT slug FROM {_table(Measure)})
               OR o.source_id NOT IN (SELECT id FROM {_table(Source)})
            LIMIT 1""")
        bad = cursor.fetchone()
    if bad:
        _check_references([bad], _known_keys())
    return count


def _execute_observations(bundle_dir, table, columns, progress) -> int:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES (%s, %s, %s, %s, %s, %s)"
    known = _known_keys()
    n = 0
    with connection.cursor() as cursor, _observations_file(bundle_dir).open(
            encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        while batch := _typed(itertools.islice(rows, BATCH), first_line=n + 2):
            _check_references([(j, m, s) for m, j, _p, _v, _fl, s in batch], known, n)
            cursor.executemany(sql, batch)
            n += len(batch)
            if n % PROGRESS_ROWS < BATCH:
                progress(f"observations: {n:,} rows")
    return n


def _typed(rows, first_line: int) -> list[tuple]:
    out = []
    for line, row in enumerate(rows, start=first_line):
        try:
            m, j, p, v, fl, s = row
            out.append((m, j, p, _float(v), fl, s))
        except ValueError:
            raise ValueError(f"observations.csv line {line}: not a measure, place, period, "
                             f"number, flags and source: {row}") from None
    return out


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _known_keys() -> tuple[set, set, set]:
    return (set(Jurisdiction.objects.values_list("fips", flat=True)),
            set(Measure.objects.values_list("slug", flat=True)),
            set(Source.objects.values_list("id", flat=True)))


def _check_references(refs, known, first_line: int | None = None) -> None:
    """Stop on the first (place, measure, source) the load did not write."""
    for i, ref in enumerate(refs):
        for value, keys, what in zip(ref, known, ("place", "measure", "source")):
            if value not in keys:
                where = f" line {first_line + i + 2}" if first_line is not None else ""
                raise ValueError(f"observations.csv{where}: unknown {what} {value!r}")


def _load_legal_records(bundle_dir: Path) -> list[str]:
    """Upsert laws, bills and events from the bundle, leaving every record editors own alone.

    Which records editors own, and what "kept" means, is drugatlas/pipeline/editors.py's policy
    (an editor's version always wins; docs/editing.md).
    """
    rows = preserve_editor_changes(list(bundle.read_table(bundle_dir, "laws")),
                                   list(bundle.read_table(bundle_dir, "bills")),
                                   list(bundle.read_table(bundle_dir, "bill_events")),
                                   editor_owned.editor_owned_keys(), editor_owned.editor_rows())
    _upsert_laws(rows.laws)
    _upsert_bills(rows.bills, rows.events)
    return rows.kept


def _changed(obj, values: dict) -> bool:
    return any(getattr(obj, f) != v for f, v in values.items())


def _update(obj, values: dict) -> None:
    if _changed(obj, values):
        for f, v in values.items():
            setattr(obj, f, v)
        obj.save()


def _upsert_laws(rows: list[dict]) -> None:
    """Laws by (place, topic, valid_from): history records only real changes."""
    current = {(law.jurisdiction_id, law.topic, law.valid_from): law
               for law in LawStatus.objects.exclude(origin=EDITOR)}
    seen = set()
    for row in rows:
        values = bundle_rows.field_values("laws", row)
        key = (values["jurisdiction_id"], values["topic"], values["valid_from"])
        seen.add(key)
        law = current.get(key)
        if law is None:
            LawStatus.objects.create(**values)
        else:
            _update(law, values)
    for key, law in current.items():
        if key not in seen:
            law.delete()


def _upsert_bills(rows: list[dict], events: list[dict]) -> None:
    current = {b.key: b for b in Bill.objects.exclude(origin=EDITOR)}
    for row in rows:
        values = bundle_rows.field_values("bills", row)
        bill = current.pop(row["key"], None)
        if bill is None:
            Bill.objects.create(**values)
        else:
            _update(bill, values)
    for bill in current.values():  # research bills no longer in the bundle
        bill.delete()

    # Events of the bills just loaded: add the new ones, drop the ones gone from the bundle.
    bills = {b.key: b for b in Bill.objects.filter(key__in=[row["key"] for row in rows])}
    existing = {(e.bill_id, e.date, e.action): e
                for e in BillEvent.objects.filter(bill__in=bills.values())}
    for row in events:
        bill = bills.get(row["bill_key"])
        if bill is None:
            continue
        values = {"bill_id": bill.id, **bundle_rows.field_values("bill_events", row)}
        event = existing.pop((bill.id, values["date"], values["action"]), None)
        if event is None:
            BillEvent.objects.create(**values)
        else:
            _update(event, values)
    for event in existing.values():
        event.delete()
