"""What `data load` checks before it touches the database: the whole bundle or nothing.

1. datapackage.json lists every table with the size and SHA-256 of its file; a file changed
   or cut short after the build is refused before a row is read.
2. The same value rules as the build (pipeline/validate.py), row by row: known places,
   measures and sources, well-formed periods and dates, no negative or non-numeric values,
   rates and percentages within bounds.

Every refusal is a BundleError naming the file, row (the line in the CSV file, the header
being line 1) and column.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
from pathlib import Path

from drugatlas import laws_vocabulary as vocab
from drugatlas import measures
from drugatlas.sources.records import FLAGS, SourceError

from . import bundle
from .validate import _valid_period

# Largest value a unit allows: a rate per 100,000 cannot exceed 100,000 people in 100,000.
# (Percentages are not bounded: an agency coverage share can pass 100, as the FBI reports it.)
UPPER_BOUNDS = {"deaths per 100,000": 100_000, "arrests per 100,000": 100_000}


class BundleError(SourceError):
    """A bundle file that cannot be loaded: names the file, row and column."""


def verify(bundle_dir: Path) -> None:
    bundle_dir = Path(bundle_dir)
    _verify_hashes(bundle_dir)
    _verify_values(bundle_dir)


def _verify_hashes(bundle_dir: Path) -> None:
    package_path = bundle_dir / "datapackage.json"
    try:
        package = json.loads(package_path.read_text(encoding="utf-8"))
        resources = {r["path"]: r for r in package["resources"]}
    except FileNotFoundError:
        raise BundleError(package_path, "not found: not a data bundle") from None
    except (ValueError, KeyError, TypeError) as e:
        raise BundleError(package_path, f"not a readable data package ({e})") from None
    for table in bundle.TABLES.values():
        path = table.path
        if path not in resources:
            raise BundleError(package_path, f"lists no resource {path!r} ({table.name})")
        file = bundle_dir / path
        if not file.is_file():
            raise BundleError(file, "file not found")
        data = file.read_bytes()
        expected = resources[path].get("hash", "")
        actual = "sha256:" + hashlib.sha256(data).hexdigest()
        if actual != expected:
            size = resources[path].get("bytes")
            why = (f"{len(data):,} bytes where datapackage.json says {size:,} (cut short or "
                   "extended?)") if isinstance(size, int) and size != len(data) else \
                "its content differs from the SHA-256 in datapackage.json (edited by hand?)"
            raise BundleError(file, why)


def _rows(bundle_dir: Path, table: str):
    """(line number, row) of a table; the header line is 1."""
    path = bundle_dir / bundle.TABLES[table].path
    try:
        for n, row in enumerate(bundle.read_table(bundle_dir, table), start=2):
            if None in row or None in row.values():
                raise BundleError(path, "the row does not have the header's columns", n)
            yield path, n, row
    except UnicodeDecodeError as e:
        raise BundleError(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    except ValueError as e:  # a header that is not the one TABLES describes
        if isinstance(e, SourceError):
            raise
        raise BundleError(path, str(e).replace(f"{path}: ", ""), 1) from None


def _date(path, n, column, text):
    if text == "":  # not known
        return
    try:
        if len(text) != 10:
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise BundleError(path, f"not a date YYYY-MM-DD: {text!r}", n, column) from None


def _number(path, n, column, text):
    try:
        value = float(text)
    except ValueError:
        raise BundleError(path, f"not a number: {text!r}", n, column) from None
    if not math.isfinite(value):
        raise BundleError(path, f"not a finite number: {text!r}", n, column)
    return value


def _verify_values(bundle_dir: Path) -> None:
    places, abbrs = set(), set()
    for path, n, row in _rows(bundle_dir, "jurisdictions"):
        if not (row["fips"].isdigit() and len(row["fips"]) in (2, 5)):
            raise BundleError(path, f"not a FIPS code: {row['fips']!r}", n, "fips")
        places.add(row["fips"])
        if row["abbr"]:
            abbrs.add(row["abbr"])
    for path, n, row in _rows(bundle_dir, "jurisdictions"):
        if row["parent"] and row["parent"] not in places:
            raise BundleError(path, f"unknown parent place {row['parent']!r}", n, "parent")
    sources = {row["id"] for _, _, row in _rows(bundle_dir, "sources")}
    units = {}
    for path, n, row in _rows(bundle_dir, "measures"):
        if row["slug"] not in measures.BY_SLUG:
            raise BundleError(path, f"unknown measure {row['slug']!r} (drugatlas/measures.py)",
                              n, "slug")
        units[row["slug"]] = row["unit"]

    _verify_observations(bundle_dir, places, sources, units)
    for path, n, row in _rows(bundle_dir, "laws"):
        if row["jurisdiction"] not in places:
            raise BundleError(path, f"unknown place {row['jurisdiction']!r}", n, "jurisdiction")
        if row["topic"] not in vocab.LAW_TOPICS or not vocab.is_valid(row["topic"], row["status"]):
            raise BundleError(path, f"status {row['status']!r} is not in the vocabulary for "
                                    f"{row['topic']!r}", n, "status")
        _date(path, n, "valid_from", row["valid_from"])
        _date(path, n, "valid_to", row["valid_to"])
        if row["source"] and row["source"] not in sources:
            raise BundleError(path, f"unknown source {row['source']!r}", n, "source")
    bill_keys = set()
    for path, n, row in _rows(bundle_dir, "bills"):
        if row["jurisdiction"] not in places:
            raise BundleError(path, f"unknown place {row['jurisdiction']!r}", n, "jurisdiction")
        if row["status"] not in vocab.BILL_STATUS_VALUES:
            raise BundleError(path, f"status {row['status']!r} is not in the vocabulary", n,
                              "status")
        _date(path, n, "status_date", row["status_date"])
        bill_keys.add(row["key"])
    for path, n, row in _rows(bundle_dir, "bill_events"):
        if row["bill_key"] not in bill_keys:
            raise BundleError(path, f"unknown bill {row['bill_key']!r}", n, "bill_key")
        _date(path, n, "date", row["date"])
    for path, n, row in _rows(bundle_dir, "costs"):
        if _number(path, n, "value", row["value"]) < 0:
            raise BundleError(path, f"negative cost figure {row['value']}", n, "value")
        if row["year"] and not (row["year"].isdigit() and len(row["year"]) == 4):
            raise BundleError(path, f"not a year: {row['year']!r}", n, "year")
        if row["source"] and row["source"] not in sources:
            raise BundleError(path, f"unknown source {row['source']!r}", n, "source")


def _verify_observations(bundle_dir: Path, places: set, sources: set, units: dict) -> None:
    """The big table, with a plain csv.reader (600,000 rows: DictReader would double the time)."""
    path = bundle_dir / bundle.TABLES["observations"].path
    header = bundle.columns("observations")
    known_flags, periods, bounds = set(FLAGS), {}, {m: UPPER_BOUNDS.get(u) for m, u in units.items()}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        if next(reader, None) != header:
            raise BundleError(path, f"the header is not {header}", 1)
        for n, row in enumerate(reader, start=2):
            if len(row) != 6:
                raise BundleError(path, f"the row has {len(row)} fields, not 6", n)
            measure, place, period, value, flags, source = row
            if measure not in units:
                raise BundleError(path, f"unknown measure {measure!r}", n, "measure")
            if place not in places:
                raise BundleError(path, f"unknown place {place!r}", n, "jurisdiction")
            if period not in periods:
                periods[period] = _valid_period(period)
            if not periods[period]:
                raise BundleError(path, f"malformed period {period!r}", n, "period")
            if source not in sources:
                raise BundleError(path, f"unknown source {source!r}", n, "source")
            if flags and not known_flags.issuperset(flags.split(",")):
                raise BundleError(path, f"unknown flag(s) in {flags!r}", n, "flags")
            if value != "":
                number = _number(path, n, "value", value)
                if number < 0:
                    raise BundleError(path, f"negative {measure}: {value}", n, "value")
                bound = bounds[measure]
                if bound is not None and number > bound:
                    raise BundleError(path, f"{measure} {value} is above {bound:,} "
                                            f"({units[measure]})", n, "value")
