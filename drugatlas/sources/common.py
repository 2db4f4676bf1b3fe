"""Helpers shared by readers: opening CSVs as published, parsing numbers with clear errors."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Iterator

from .records import SourceError

DEFAULT_RAW_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"

# USPS codes and names of the 50 states and DC, keyed by state FIPS.
STATES = {
    "01": ("AL", "Alabama"), "02": ("AK", "Alaska"), "04": ("AZ", "Arizona"),
    "05": ("AR", "Arkansas"), "06": ("CA", "California"), "08": ("CO", "Colorado"),
    "09": ("CT", "Connecticut"), "10": ("DE", "Delaware"), "11": ("DC", "District of Columbia"),
    "12": ("FL", "Florida"), "13": ("GA", "Georgia"), "15": ("HI", "Hawaii"),
    "16": ("ID", "Idaho"), "17": ("IL", "Illinois"), "18": ("IN", "Indiana"),
    "19": ("IA", "Iowa"), "20": ("KS", "Kansas"), "21": ("KY", "Kentucky"),
    "22": ("LA", "Louisiana"), "23": ("ME", "Maine"), "24": ("MD", "Maryland"),
    "25": ("MA", "Massachusetts"), "26": ("MI", "Michigan"), "27": ("MN", "Minnesota"),
    "28": ("MS", "Mississippi"), "29": ("MO", "Missouri"), "30": ("MT", "Montana"),
    "31": ("NE", "Nebraska"), "32": ("NV", "Nevada"), "33": ("NH", "New Hampshire"),
    "34": ("NJ", "New Jersey"), "35": ("NM", "New Mexico"), "36": ("NY", "New York"),
    "37": ("NC", "North Carolina"), "38": ("ND", "North Dakota"), "39": ("OH", "Ohio"),
    "40": ("OK", "Oklahoma"), "41": ("OR", "Oregon"), "42": ("PA", "Pennsylvania"),
    "44": ("RI", "Rhode Island"), "45": ("SC", "South Carolina"), "46": ("SD", "South Dakota"),
    "47": ("TN", "Tennessee"), "48": ("TX", "Texas"), "49": ("UT", "Utah"),
    "50": ("VT", "Vermont"), "51": ("VA", "Virginia"), "53": ("WA", "Washington"),
    "54": ("WV", "West Virginia"), "55": ("WI", "Wisconsin"), "56": ("WY", "Wyoming"),
}
NATION_FIPS = "00"
FIPS_BY_ABBR = {abbr: fips for fips, (abbr, _) in STATES.items()} | {"US": NATION_FIPS}
FIPS_BY_NAME = {name.lower(): fips for fips, (_, name) in STATES.items()} | {
    "united states": NATION_FIPS}


def raw_dir() -> Path:
    """The raw-data folder: $DRUGATLAS_RAW_DIR, else ../shared/data/raw beside the project."""
    return Path(os.environ.get("DRUGATLAS_RAW_DIR", DEFAULT_RAW_DIR))


def state_fips(file, row: int, column: str, value: str) -> str:
    """FIPS of a state or the nation from a USPS code, a name, or a FIPS code; else SourceError."""
    v = (value or "").strip()
    if v.upper() in FIPS_BY_ABBR:
        return FIPS_BY_ABBR[v.upper()]
    if v.lower() in FIPS_BY_NAME:
        return FIPS_BY_NAME[v.lower()]
    if v.isdigit() and v.zfill(2) in STATES:
        return v.zfill(2)
    raise SourceError(file, f"unknown state {value!r}", row, column)


def read_csv(path: Path, required: list[str] | tuple[str, ...] = ()) -> Iterator[tuple[int, dict]]:
    """Yield (data row number, row dict) from a CSV as published (BOM and CRLF tolerated).

    Raises SourceError naming the file if a required column is missing (a changed header).
    Row numbers are 1-based data rows, i.e. the header is row 0, matching a spreadsheet's row - 1.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceError(path, "file not found") from None
    except UnicodeDecodeError as e:
        raise SourceError(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        raise SourceError(path, f"missing column(s) {', '.join(map(repr, missing))}; "
                                f"header is {header}", 0, missing[0])
    rows = enumerate(reader, start=1)
    n = 0
    while True:
        try:
            n, row = next(rows)
        except StopIteration:
            return
        except csv.Error as e:  # e.g. a quoted field the end of the file cuts off
            raise SourceError(path, f"not readable as CSV: {e} (a file cut short?)", n + 1) from None
        if None in row.values() or None in row:
            # DictReader fills a short row with None and files extra fields under None: a file
            # cut short ends so, and blaming whatever later misses these rows would mislead.
            short = [c for c in header if row.get(c) is None]
            fields = len(header) - len(short) + len(row.get(None) or [])
            raise SourceError(path, f"the row has {fields} fields where the header has "
                                    f"{len(header)} (a file cut short?)", n,
                              short[0] if short else None)
        yield n, row


def parse_count(file, row: int, column: str, value, *, allow_blank: bool = True) -> float | None:
    """A non-negative number (thousands separators allowed). Blank -> None; bad -> SourceError."""
    if value is None:
        value = ""
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "")
        if text == "":
            if allow_blank:
                return None
            raise SourceError(file, "blank value where a number is required", row, column)
        try:
            number = float(text)
        except ValueError:
            raise SourceError(file, f"not a number: {value!r}", row, column) from None
    if number != number or number < 0:
        raise SourceError(file, f"negative or invalid number: {value!r}", row, column)
    return number
