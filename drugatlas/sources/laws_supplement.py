"""The project's own cited research on law changes (sources/research/law_changes_supplement.csv).

Dated classes the research files in state-laws/ lack, such as Oregon's felony possession
before HB 2355 (2017). Each row is one status of one state's topic from a date, with the
statute, grade, maximum penalty, the act that made the change, citations and a confidence.
The file opens with "#" comment lines that say what it is; the header follows them.

Rules the reader enforces (SourceError names the file, row and column otherwise):
* status: a class of the topic (drugatlas.laws_vocabulary), never "unknown" (an unknown needs
  no row);
* valid_from: YYYY, YYYY-MM or YYYY-MM-DD, kept with its precision; date_basis "effective" or
  "attested" (see records.DatedLegalRecord);
* at least one citation, every citation a URL; a confidence of high, medium or low;
* rows of one state and topic in time order, one per date.
"""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from drugatlas.laws_vocabulary import RESEARCH_CONFIDENCE as CONFIDENCE
from drugatlas.laws_vocabulary import UNKNOWN, is_valid

from .laws import LICENCE, PUBLISHER
from .laws_text import abbr_of, check_unique, citations, dated
from .records import DatedLegalRecord, SourceError, SourceInfo

SUPPLEMENT = Path(__file__).resolve().parent / "research" / "law_changes_supplement.csv"
COLUMNS = ("state_abbr", "topic", "status", "valid_from", "date_basis", "statute", "grade",
           "max_penalty", "change_act", "citations", "confidence", "note")
DATE_BASES = ("effective", "attested")
SOURCE_ID = "atlas-law-changes-supplement"


def source_info(path: Path = SUPPLEMENT) -> SourceInfo:
    """The supplement as a source, checksummed (it lives in the code, not the raw folder)."""
    path = Path(path)
    return SourceInfo(
        id=SOURCE_ID, publisher=PUBLISHER,
        title="Law-change supplement: dated drug-law classes researched for the atlas",
        url="", file=f"drugatlas/sources/research/{path.name}", licence=LICENCE,
        caveats="The project's own research from public pages read as search excerpts, each "
                "row citing its sources; research, not legal advice. 'attested' dates are the "
                "earliest date a source shows the class; when it began is not known.",
        retrieved="2026-12-05", sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def read_supplement(path: Path = SUPPLEMENT) -> list[DatedLegalRecord]:
    path = Path(path)
    records: list[DatedLegalRecord] = []
    seen: dict = {}
    for n, row in _rows(path):
        record = _record(path, n, row)
        check_unique(path, n, "valid_from", (record.abbr, record.topic, record.valid_from), seen)
        before = [r for r in records if (r.abbr, r.topic) == (record.abbr, record.topic)]
        if before and before[-1].valid_from > record.valid_from:
            raise SourceError(path, f"{record.abbr} {record.topic}: rows out of time order "
                                    f"(row {before[-1].row} is later)", n, "valid_from")
        records.append(record)
    return records


def _rows(path: Path):
    """(data row number, row) after the leading "#" lines; the header is row 0."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        raise SourceError(path, "file not found") from None
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    reader = csv.DictReader(io.StringIO("".join(lines[start:]), newline=""))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SourceError(path, f"missing column(s) {', '.join(map(repr, missing))}; header is "
                                f"{header}", 0, missing[0])
    yield from enumerate(reader, start=1)


def _record(path: Path, n: int, row: dict) -> DatedLegalRecord:
    abbr = abbr_of(path, n, "state_abbr", row["state_abbr"])
    topic, status = row["topic"].strip(), row["status"].strip()
    try:
        valid = is_valid(topic, status)
    except KeyError:
        raise SourceError(path, f"unknown topic {topic!r}", n, "topic") from None
    if not valid or status == UNKNOWN:
        raise SourceError(path, f"not a class of {topic}: {status!r}", n, "status")
    when, precision = dated(path, n, "valid_from", row["valid_from"])
    if when is None:
        raise SourceError(path, "a row needs the date its class is known from", n, "valid_from")
    basis = row["date_basis"].strip()
    if basis not in DATE_BASES:
        raise SourceError(path, f"date_basis is 'effective' or 'attested', not {basis!r}", n,
                          "date_basis")
    urls = citations(path, n, "citations", row["citations"])
    if not urls:
        raise SourceError(path, "a row without a source", n, "citations")
    confidence = row["confidence"].strip()
    if confidence not in CONFIDENCE:
        raise SourceError(path, f"unknown confidence {confidence!r}", n, "confidence")
    return DatedLegalRecord(
        abbr=abbr, topic=topic, status=status, valid_from=when, precision=precision,
        date_basis=basis, citations=urls, confidence=confidence, note=row["note"].strip(),
        statute=row["statute"].strip(), grade=row["grade"].strip(),
        max_penalty=row["max_penalty"].strip(), change_act=row["change_act"].strip(),
        source=SOURCE_ID, row=n)
