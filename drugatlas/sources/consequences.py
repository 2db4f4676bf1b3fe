"""collateral-consequences/collateral_consequences.csv: what a drug conviction costs beyond the
sentence, for every state and DC.

Five questions per row, each a value, (mostly) a year, sources and a confidence, plus one
``as_of`` cell saying which date each question's governing source speaks for
("snap=2023-12;tanf=2023-12;lic=2021-10+;vote=2026-01;rel=2024-07"). One DatedLegalRecord per
state and question, its topic and statuses from drugatlas.laws_vocabulary.CONSEQUENCE_TOPICS:

* ``unknown`` stays unknown, with confidence "unknown" (the cell's "low" describes a value the
  cleaning removed) and the sources that were checked, so a page can name them. It is never
  read as the mildest value.
* Dates: the question's year column, where filled, is the year the state's rule took its value
  (``date_basis`` "effective", precision "year"); otherwise the as_of date, the date a source
  shows the value holding (``date_basis`` "attested", its own precision; "2021-10+" marks an
  undated source published after October 2021). Before that date the value is not known.
  A year later than the as_of date is an error. Unknown values carry no date.
* ``note`` is the cleaned ``relief_detail`` (record relief only), which a page may show;
  ``research_note`` is the ``notes`` column, the researcher's working notes, for editors only
  (the PROVENANCE says so).
* A value other than unknown needs at least one source URL.

``read`` (the pipeline's entry point) turns each record into law intervals: ``unknown`` before
the record's date, the value from it on; an unknown record is one open ``unknown`` interval.
The interval's note keeps the relief detail and says how far the date is known ("Date known
only to the year (2017)..."), the wording drugatlas.atlas.profile.date_label reads. The
research notes stay out: they are for editors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from drugatlas import formatting
from drugatlas.laws_vocabulary import RESEARCH_CONFIDENCE as CONFIDENCE
from drugatlas.laws_vocabulary import CONSEQUENCE_TOPICS, UNKNOWN, is_valid

from .common import STATES, read_csv
from .laws_text import Segment, abbr_of, chain, check_unique, citations, dated, join_notes
from .records import DatedLegalRecord, LawInterval, ReadResult, SourceError, SourceInfo

FILE = "collateral-consequences/collateral_consequences.csv"


@dataclass(frozen=True)
class Question:
    topic: str
    prefix: str  # of the sources / confidence columns
    year_column: str  # "" where the file has none
    as_of_key: str


QUESTIONS = (
    Question("snap_drug_felony_ban", "snap", "snap_year", "snap"),
    Question("tanf_drug_felony_ban", "tanf", "tanf_year", "tanf"),
    Question("license_suspension_drug", "license", "license_year", "lic"),
    Question("felony_voting", "voting", "voting_year", "vote"),
    Question("possession_record_relief", "relief", "", "rel"),
)
COLUMNS = ("state_abbr", *(c for q in QUESTIONS for c in (
    q.topic, q.year_column, f"{q.prefix}_sources", f"{q.prefix}_confidence") if c),
    "relief_detail", "as_of", "notes")
AS_OF_PART = re.compile(r"(?P<key>[a-z]+)=(?P<date>\d{4}(?:-\d{2})?)(?P<later>\+?)")

SOURCE = SourceInfo(
    id="collateral-consequences",
    # At most 200 characters (Source.publisher).
    publisher="Drug Policy Atlas research (from NCSL, The Sentencing Project, Prison Policy "
              "Initiative, CCRC, CLASP and CBCF tables, and state statutes and agency pages, "
              "cited per cell)",
    title="Collateral consequences of a drug conviction, 50 states and DC: SNAP and TANF "
          "drug-felony bans, driver's license suspension, voting after a felony, record relief "
          "for a first possession conviction",
    url="", file=FILE,
    licence="CC BY 4.0 (project research; each cell cites its sources)",
    caveats=(
        "Research, not legal advice, compiled from public pages read as stored excerpts. Values "
        "filled from memory were removed (2026-12-05): every low-confidence SNAP (23), TANF (39) "
        "and record-relief (2) value is unknown, and unverified waiting periods are blank. "
        "Known: SNAP ban 28 jurisdictions, TANF 12, license suspension 51 (still suspending: "
        "AL, AR, FL, TX), felony voting 51 (NCSL and The Sentencing Project, adjusted for MN and "
        "NM 2023 and NE 2024), record relief 49. The license question covers mandatory adult "
        "suspension only (discretionary suspension remains in OH, and in TX for a first "
        "misdemeanor). Voting follows each state's category; where a possession conviction "
        "differs (AL, MS: not disenfranchising) the notes say so. Virginia's November 2026 "
        "voting amendment result was not in the sources."),
    retrieved="2026-12-05")


def read(raw_dir: Path) -> ReadResult:
    """The pipeline's reader: the source and every record as dated law intervals."""
    laws = [i for r in read_consequences(raw_dir) for i in intervals(r)]
    return ReadResult(sources=[SOURCE], laws=laws)


def intervals(record: DatedLegalRecord) -> list[LawInterval]:
    """Unknown until the record's date, its value from then on (one interval if undated)."""
    cited = record.citations
    if record.valid_from is None:
        return chain(FILE, record.abbr, record.topic, [
            Segment(None, record.status, cited, record.confidence, record.note)], SOURCE.id)
    before, known = chain(FILE, record.abbr, record.topic, [
        Segment(None, UNKNOWN, cited, UNKNOWN, ""),
        Segment(record.valid_from, record.status, cited, record.confidence,
                join_notes(record.note, _date_note(record)))], SOURCE.id)
    # Precision is data (day, month or year): the unknown time ends as precisely as the
    # record's date is known.
    precision = record.precision or "day"
    return [replace(before, valid_to_precision=precision),
            replace(known, valid_from_precision=precision,
                    date_basis=record.date_basis or "effective")]


def _date_note(record: DatedLegalRecord) -> str:
    d = record.valid_from
    shown = formatting.date_text(d, record.precision if record.precision in formatting.PRECISIONS
                                 else formatting.DAY)
    if record.date_basis == "effective":
        known = ""
    elif record.as_of.endswith("+"):
        known = (f"A source published after {shown} shows this in force; when it began is "
                 "not known")
    else:
        known = f"A source of {shown} shows this in force; when it began is not known"
    return known


def read_consequences(raw_dir: Path, every_state: bool = True) -> list[DatedLegalRecord]:
    """Five records per state and DC; SourceError names the file, row and column.

    ``every_state=False`` skips the check that all 50 states and DC have a row."""
    path = Path(raw_dir) / FILE
    records, seen = [], {}
    for n, row in read_csv(path, COLUMNS):
        abbr = abbr_of(path, n, "state_abbr", row["state_abbr"])
        check_unique(path, n, "state_abbr", abbr, seen)
        as_of = _as_of(path, n, row["as_of"])
        records += [_record(path, n, row, abbr, q, as_of[q.as_of_key]) for q in QUESTIONS]
    missing = sorted({abbr for abbr, _ in STATES.values()} - set(seen))
    if missing and every_state:
        raise SourceError(path, f"no row for {', '.join(missing)}", None, "state_abbr")
    return records


def _as_of(path: Path, n: int, text: str) -> dict[str, str]:
    """ "snap=2023-12;...;lic=2021-10+" -> {"snap": "2023-12", ..., "lic": "2021-10+"}."""
    parts = {}
    for part in (p.strip() for p in (text or "").split(";")):
        match = AS_OF_PART.fullmatch(part)
        if match is None or match["key"] in parts:
            raise SourceError(path, f"unreadable part {part!r}: expected key=YYYY[-MM][+]", n,
                              "as_of")
        dated(path, n, "as_of", match["date"])  # a real month
        parts[match["key"]] = match["date"] + match["later"]
    wanted = {q.as_of_key for q in QUESTIONS}
    if set(parts) != wanted:
        raise SourceError(path, f"expected the keys {', '.join(sorted(wanted))}, got "
                                f"{', '.join(sorted(parts))}", n, "as_of")
    return parts


def _record(path: Path, n: int, row: dict, abbr: str, q: Question,
            as_of: str) -> DatedLegalRecord:
    status = row[q.topic].strip()
    if not is_valid(q.topic, status):
        allowed = ", ".join(CONSEQUENCE_TOPICS[q.topic].values())
        raise SourceError(path, f"{status!r} is not one of {allowed}", n, q.topic)
    confidence = row[f"{q.prefix}_confidence"].strip()
    if confidence not in CONFIDENCE:
        raise SourceError(path, f"unknown confidence {confidence!r}", n, f"{q.prefix}_confidence")
    urls = citations(path, n, f"{q.prefix}_sources", row[f"{q.prefix}_sources"])
    if status != UNKNOWN and not urls:
        raise SourceError(path, "a value without a source", n, f"{q.prefix}_sources")
    year_text = row[q.year_column].strip() if q.year_column else ""
    if year_text and len(year_text) != 4:
        raise SourceError(path, f"not a year: {year_text!r}", n, q.year_column)
    year, _ = dated(path, n, q.year_column, year_text)
    attested, attested_precision = dated(path, n, "as_of", as_of.rstrip("+"))
    if year and year > attested:
        raise SourceError(path, f"the rule's year {year_text} is after the date its source "
                                f"speaks for ({as_of})", n, q.year_column)
    if status == UNKNOWN:
        if year:
            raise SourceError(path, "a year for an unknown value", n, q.year_column)
        when, precision, basis, confidence = None, "", "", UNKNOWN
    elif year:
        when, precision, basis = year, "year", "effective"
    else:
        when, precision, basis = attested, attested_precision, "attested"
    note = row["relief_detail"].strip() if q.topic == "possession_record_relief" else ""
    return DatedLegalRecord(
        abbr=abbr, topic=q.topic, status=status, valid_from=when, precision=precision,
        date_basis=basis, citations=urls, confidence=confidence, note=note,
        research_note=row["notes"].strip(), as_of=as_of, source=SOURCE.id, row=n)
