"""`drugatlas data export-laws`, the bundle side: legal rows (dicts keyed by the declared
columns, editors' versions included) into the bundle's laws.csv, bills.csv and bill_events.csv.

The rows come from the database (drugatlas/atlas/bundle_rows.py); the files are written by the
same code as a build's (bundle.table_bytes), so an export straight after a load reproduces the
bundle byte for byte, and a diff of the bundle shows exactly what editors changed.
datapackage.json is updated to the new sizes, hashes and version.
"""
from __future__ import annotations

from pathlib import Path

from . import bundle, editors
from .schema import LEGAL_TABLES, TABLES


def ordered(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The legal tables in the bundle's order: laws by identity, bills by key, events by bill
    (stable: each bill's events keep the order given, which is the order they were loaded)."""
    return {"laws": sorted(tables["laws"], key=editors.law_identity),
            "bills": sorted(tables["bills"], key=lambda r: r["key"]),
            "bill_events": sorted(tables["bill_events"], key=lambda r: r["bill_key"])}


def legal_files(tables: dict[str, list[dict]]) -> dict[str, bytes]:
    """File name -> bytes of the three legal tables."""
    tables = ordered(tables)
    return {TABLES[name].path: bundle.table_bytes(name, tables[name]) for name in LEGAL_TABLES}


def write_legal_tables(bundle_dir: Path, tables: dict[str, list[dict]]) -> int:
    """Write the legal tables into the bundle; return how many rows they hold.

    The bundle folder is replaced as a whole (bundle.write), so a failure leaves it as it was.
    """
    bundle.write(bundle_dir, bundle.with_files(bundle_dir, legal_files(tables)))
    return sum(len(tables[name]) for name in LEGAL_TABLES)
