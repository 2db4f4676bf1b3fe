"""`drugatlas data export-laws`: the database's legal records, editors' changes included, back
into the bundle's laws.csv, bills.csv and bill_events.csv.

Same columns, order and formatting as the bundle writer (drugatlas/pipeline/bundle.py), so an
export straight after a load reproduces the bundle byte for byte, and a diff of the bundle shows
exactly what editors changed. datapackage.json is updated to the new sizes, hashes and version.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from drugatlas.atlas.models import Bill, BillEvent, LawStatus
from drugatlas.pipeline import bundle

def law_rows():
    laws = LawStatus.objects.all()
    rows = [[law.jurisdiction_id, law.topic, law.status, bundle.fmt_date(law.valid_from),
             law.valid_from_precision if law.valid_from else "",
             law.date_basis if law.valid_from else "", bundle.fmt_date(law.valid_to),
             law.valid_to_precision if law.valid_to else "", law.statute, law.grade,
             law.max_penalty, law.statute_url, _citations(law.citations), law.confidence,
             law.note, law.research_note, law.source_id or "", law.origin] for law in laws]
    return sorted(rows, key=lambda r: (r[0], r[1], r[3]))


def bill_rows():
    return [[b.key, b.jurisdiction_id, b.number, b.session, b.title, b.summary, b.status,
             bundle.fmt_date(b.status_date), b.status_date_precision if b.status_date else "",
             _citations(b.citations), b.confidence, b.note, b.threshold, b.penalty, b.diversion,
             b.funding, b.sponsors, b.official_url, b.bill_type, b.possession_change, b.other,
             b.replaces, b.source_id or "", b.origin] for b in Bill.objects.order_by("key")]


def event_rows():
    # Row id order is bundle order (the load inserts events as listed); editors' additions follow.
    events = BillEvent.objects.select_related("bill").order_by("bill__key", "id")
    return [[e.bill.key, bundle.fmt_date(e.date), e.precision if e.date else "", e.action,
             e.status, e.url] for e in events]


def _citations(text: str) -> str:
    """One URL per line, as the bundle keeps them (editors may paste Windows line ends)."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def render_legal_tables() -> tuple[dict[str, bytes], int]:
    """The three files' bytes by file name, and how many rows they hold."""
    tables = {"laws": law_rows(), "bills": bill_rows(), "bill_events": event_rows()}
    files = {bundle.TABLES[name][0]: bundle.csv_bytes(bundle.columns(name), rows)
             for name, rows in tables.items()}
    return files, sum(len(rows) for rows in tables.values())


def _updated_datapackage(bundle_dir: Path, files: dict[str, bytes]) -> bytes:
    package = json.loads((bundle_dir / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        data = files.get(resource["path"])
        if data is not None:
            resource["bytes"] = len(data)
            resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    package["version"] = bundle.content_version(files)
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def export_legal_records(bundle_dir: Path) -> int:
    """Write laws, bills and bill events from the database into the bundle; return the row count.

    The bundle folder is replaced as a whole (bundle.write), so a failure leaves it as it was.
    """
    bundle_dir = Path(bundle_dir)
    if not (bundle_dir / "datapackage.json").is_file():
        raise FileNotFoundError(f"{bundle_dir}: no datapackage.json; build the bundle first")
    files = {path.name: path.read_bytes() for path in sorted(bundle_dir.iterdir())
             if path.is_file() and path.name != "datapackage.json"}
    legal, count = render_legal_tables()
    files.update(legal)
    files["datapackage.json"] = _updated_datapackage(bundle_dir, files)
    bundle.write(bundle_dir, files)
    return count
