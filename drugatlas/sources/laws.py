"""State drug-law research (raw folder state-laws/): laws as dated intervals, and bills.

Files, one SourceInfo each:

* possession_paraphernalia.csv: each state's lowest-level possession class and paraphernalia
  class as of the cell's ``as_of``, with notes, sources and a confidence.
* statutes.csv (laws_statutes): the statute, grade and maximum penalty of each class.
* law_changes.csv: dated changes (read by laws_changes).
* drugatlas/sources/research/law_changes_supplement.csv (laws_supplement): the project's own
  cited research on earlier classes.
* harm_reduction_laws.csv: Good Samaritan, naloxone, OPC, marijuana, test strips, syringe
  services (read by laws_harm_reduction).
* bills_pass3.csv (laws_bills_pass3), which supersedes decrim_bills.csv (laws_bills) bill for
  bill; decrim_bills.csv still dates the decriminalization layer.

Possession and paraphernalia history per state: laws_history (dated statements, statute
first; unknown before the earliest). The research notes of every file go to
``research_note`` (editors only); ``note`` is what a reader may be shown.

The dpa_map_* columns (the DPA map's own values, read or inferred) are not laws of record;
``dpa_map_values`` returns them for comparison displays.
"""
from __future__ import annotations

import re
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from drugatlas.laws_vocabulary import CONFIDENCE, UNKNOWN, is_valid

from .common import read_csv
from .laws_bills import decriminalization_intervals, read_bills
from .laws_changes import Change, read_changes
from .laws_harm_reduction import read_harm_reduction
from .laws_text import PartialDate, abbr_of, check_unique, citations, join_notes, parse_date
from .records import LawInterval, ReadResult, SourceError, SourceInfo

FOLDER = "state-laws"
PUBLISHER = "Drug Policy Atlas legal research"
LICENCE = "CC BY 4.0 (project research; each cell cites its sources)"
RETRIEVED = "2026-11-23"  # the second research pass, which touched all four files
RESEARCH_CAVEAT = (
    "Research, not legal advice. Compiled from public web pages read only as stored excerpts "
    "(no page was read in full, no live web access); every cell that is not 'unknown' cites "
    "its sources, and some sources are secondary (mirrors, aggregators, defense-firm pages). ")


def _source(slug: str, file: str, title: str, caveats: str) -> SourceInfo:
    return SourceInfo(id=f"state-laws-{slug}", publisher=PUBLISHER, title=title, url="",
                      file=f"{FOLDER}/{file}", licence=LICENCE, caveats=RESEARCH_CAVEAT + caveats,
                      retrieved=RETRIEVED)


CLASSES = _source(
    "possession-paraphernalia", "possession_paraphernalia.csv",
    "Lowest-level drug possession and paraphernalia classes, 50 states and DC",
    "Each cell has a confidence (high / medium / low). Doubtful cells: KY, MI, MN and RI, where "
    "the statute reading disagrees with the DPA map's inferred 'Felony'; ID (lower-schedule "
    "grades read from secondary sources); MT (post-2017 felony grade not read); FL (felony class "
    "rests on 2012 and 2018 defense-firm pages); IL (misdemeanor levels for some substances not "
    "verified); AZ (wobblers a court may designate misdemeanors); HI (misdemeanor tiers not "
    "quoted). Low-confidence paraphernalia cells: ID, MT, MO, LA, WY. Possession excludes "
    "marijuana; 'not criminalized' includes civil violations and infractions.")
CHANGES = _source(
    "law-changes", "law_changes.csv", "Dated changes in state drug laws",
    "Some changes are dated only to the year or month: such a date is shown as 1 January or "
    "the 1st of the month and the note says so. Changes that could not be read as a change of "
    "class are kept as notes, not guessed.")
HARM_REDUCTION = _source(
    "harm-reduction", "harm_reduction_laws.csv",
    "911 Good Samaritan, naloxone access, overdose prevention center, adult-use marijuana, "
    "fentanyl test strip and syringe services laws, 50 states and DC",
    "No confidence column: cells are medium unless their text hedges. Good Samaritan years are "
    "known for 25 of 51 jurisdictions (years passed, per a 2015 DPA fact sheet, for most); "
    "test-strip status is unknown for 23 and rests on a weak 2021 news report for CO, MD and RI; "
    "syringe services were researched for 13 only (the twelfth non-authorizing state is not "
    "named in the source).")
BILLS = _source(
    "decrim-bills", "decrim_bills.csv",
    "Drug decriminalization bills and ballot measures, 2020-2025",
    "Broad decriminalization bills and closely related proposals found in news and legislature "
    "pages; not a complete census. The federal 2023 reintroduction and the DC proposal's "
    "introduction are not verified; no bill was found for Texas or New Jersey, which the DPA map "
    "lists. Statuses are normalized from free text, which each bill's note keeps.")
SOURCES = (CLASSES, CHANGES, HARM_REDUCTION, BILLS)

COLUMNS = ("state_abbr", "possession_class", "possession_note", "possession_source_url", "as_of",
           "paraphernalia_class", "paraphernalia_note", "paraphernalia_source_url", "confidence",
           "paraphernalia_confidence", "second_pass_note")
DPA_COLUMNS = ("state_abbr", "dpa_map_possession_class", "dpa_map_paraphernalia_class",
               "dpa_map_decrim_legislation_introduced", "dpa_map_basis", "dpa_map_source_url",
               "dpa_map_possession_sort_order_constraint")
DPA_BASES = ("stated_in_table", "inferred_from_table_sort_order", "not_retrieved")


def read(raw_dir: Path) -> ReadResult:
    # Imported here: these modules import this one for its constants.
    from . import laws_bills_pass3, laws_statutes, laws_supplement
    from .laws_history import history

    folder = Path(raw_dir) / FOLDER
    changes = read_changes(folder / "law_changes.csv")
    laws = history(read_cells(folder / "possession_paraphernalia.csv"),
                   laws_statutes.read_statutes(raw_dir, every_state=False), changes,
                   laws_supplement.read_supplement(), _implied)
    harm_reduction, used = read_harm_reduction(
        folder / "harm_reduction_laws.csv", changes, HARM_REDUCTION.id,
        PartialDate(dt.date.fromisoformat(RETRIEVED), "day", RETRIEVED))
    old_bills = read_bills(folder / "decrim_bills.csv", BILLS.id)
    laws += [_working_notes(law) for law in harm_reduction]
    laws += decriminalization_intervals(folder / "decrim_bills.csv", old_bills, BILLS.id)
    laws = _end_precisions([_with_precision(law)
                            for law in _note_unread_changes(laws, changes, used)])
    bills = laws_bills_pass3.bill_records(laws_bills_pass3.read_bills_pass3(raw_dir), old_bills)
    return ReadResult(sources=[*SOURCES, laws_statutes.SOURCE, laws_supplement.source_info(),
                               laws_bills_pass3.SOURCE], laws=laws, bills=bills)


def _working_notes(law: LawInterval) -> LawInterval:
    """The harm-reduction file's notes are the researcher's: editors see them, readers don't."""
    return replace(law, note="", research_note=join_notes(law.research_note, law.note))


_KNOWN_TO = re.compile(r"known only to the (year|month) \((\d{4}(?:-\d{2})?)\)")


def _with_precision(law: LawInterval) -> LawInterval:
    """Set the precision of dates the older readers took as 1 January / the 1st (laws_text
    says so in the note) where the interval does not carry one yet."""
    text = f"{law.note} {law.research_note}"
    said = {raw: unit for unit, raw in _KNOWN_TO.findall(text)}

    def precision(day, current):
        if day is None or current:
            return current
        for raw, unit in said.items():
            if unit == "year" and day == dt.date(int(raw), 1, 1):
                return "year"
            if unit == "month" and day == dt.date(int(raw[:4]), int(raw[5:]), 1):
                return "month"
        return "day"

    return replace(law, valid_from_precision=precision(law.valid_from, law.valid_from_precision))


def _end_precisions(laws: list[LawInterval]) -> list[LawInterval]:
    """Each interval's end is known as precisely as the start of the one that follows it."""
    starts = {(law.abbr, law.topic, law.valid_from): law.valid_from_precision for law in laws}
    return [law if law.valid_to is None or law.valid_to_precision else replace(
        law, valid_to_precision=starts.get(
            (law.abbr, law.topic, law.valid_to + dt.timedelta(days=1)), "day"))
        for law in laws]


@dataclass(frozen=True)
class ClassCell:
    """One state's class for one topic, as of the row's as_of date."""

    abbr: str
    topic: str
    status: str
    as_of: str
    note: str
    citations: tuple[str, ...]
    confidence: str


def read_cells(path: Path) -> list:
    """Each state's possession and paraphernalia class as of its row's ``as_of`` (attested)."""
    from .laws_history import Cell

    cells, seen = [], {}
    for n, row in read_csv(path, COLUMNS):
        abbr = abbr_of(path, n, "state_abbr", row["state_abbr"])
        check_unique(path, n, "state_abbr", abbr, seen)
        as_of = parse_date(path, n, "as_of", row["as_of"])
        second_pass = _second_pass_notes(row["second_pass_note"])
        for topic, confidence_column in (("possession", "confidence"),
                                         ("paraphernalia", "paraphernalia_confidence")):
            cell = _cell(path, n, row, abbr, topic, as_of.raw, confidence_column,
                         second_pass[topic])
            cells.append(Cell(abbr, topic, cell.status, as_of.date, as_of.precision,
                              cell.citations, cell.confidence, cell.note, CLASSES.id))
    return cells


def _cell(path, n, row, abbr, topic, as_of, confidence_column, second_pass: str) -> ClassCell:
    status = row[f"{topic}_class"].strip()
    if not is_valid(topic, status):
        raise SourceError(path, f"unknown class {status!r}", n, f"{topic}_class")
    confidence = row[confidence_column].strip() or row["confidence"].strip()
    if confidence not in CONFIDENCE:
        raise SourceError(path, f"unknown confidence {confidence!r}", n, confidence_column)
    urls = citations(path, n, f"{topic}_source_url", row[f"{topic}_source_url"])
    if status != UNKNOWN and not urls:
        raise SourceError(path, "a class without a source", n, f"{topic}_source_url")
    note = join_notes(row[f"{topic}_note"], f"Class as of {as_of}",
                      f"Second pass: {second_pass}" if second_pass else "")
    return ClassCell(abbr, topic, status, as_of, note, urls, confidence)


def _second_pass_notes(text: str) -> dict[str, str]:
    """Route "possession felony->both; confidence low->medium" to the topic each part is about.

    A part naming neither topic belongs with the part before it (possession if first).
    """
    parts = {"possession": [], "paraphernalia": []}
    topic = "possession"
    for part in (p.strip() for p in text.split(";") if p.strip()):
        named = [t for t in parts if t in part]
        topic = named[0] if len(named) == 1 else topic
        for t in (named if len(named) > 1 else [topic]):
            parts[t].append(part)
    return {t: "; ".join(p) for t, p in parts.items()}


def _implied(change: Change, topic: str):
    return next((i for i in change.implies if i.topic == topic), None)


def _note_unread_changes(laws: list[LawInterval], changes: list[Change],
                         used: set[tuple[int, str]]) -> list[LawInterval]:
    """Keep each change that set no interval as a note on the interval holding its date."""
    laws = list(laws)
    for change in changes:
        topics = list(change.unread_topics) + [
            i.topic for i in change.implies
            if i.topic not in ("possession", "paraphernalia") and (change.row, i.topic) not in used]
        for topic in topics:
            i = _holding(laws, change.abbr, topic, change) or _holding(
                laws, change.abbr, "possession", change)
            if i is None:
                raise SourceError(change.file, f"no {change.abbr} interval to note this change on",
                                  change.row, "change")
            laws[i] = replace(laws[i], research_note=join_notes(laws[i].research_note,
                f"Recorded change not read as a change of status: {change.describe()}",
                f"Sources: {', '.join(change.citations)}"))
    return laws


def _holding(laws: list[LawInterval], abbr: str, topic: str, change: Change) -> int | None:
    day = change.start.date
    for i, law in enumerate(laws):
        if (law.abbr == abbr and law.topic == topic
                and (law.valid_from is None or law.valid_from <= day)
                and (law.valid_to is None or day <= law.valid_to)):
            return i
    return None


def dpa_map_values(raw_dir: Path) -> dict[str, dict]:
    """The DPA map's own values per state (read from its table, inferred, or not retrieved).

    Keys: possession, paraphernalia, decrim_legislation_introduced (yes / no / unknown), basis,
    citations, possession_sort_order_constraint ("" or e.g. "both_or_felony").
    """
    path = Path(raw_dir) / FOLDER / "possession_paraphernalia.csv"
    out, seen = {}, {}
    for n, row in read_csv(path, DPA_COLUMNS):
        abbr = abbr_of(path, n, "state_abbr", row["state_abbr"])
        check_unique(path, n, "state_abbr", abbr, seen)
        values = {
            "possession": row["dpa_map_possession_class"].strip(),
            "paraphernalia": row["dpa_map_paraphernalia_class"].strip(),
            "decrim_legislation_introduced": row["dpa_map_decrim_legislation_introduced"].strip(),
            "basis": row["dpa_map_basis"].strip(),
            "citations": citations(path, n, "dpa_map_source_url", row["dpa_map_source_url"]),
            "possession_sort_order_constraint":
                row["dpa_map_possession_sort_order_constraint"].strip(),
        }
        for topic in ("possession", "paraphernalia"):
            if not is_valid(topic, values[topic]):
                raise SourceError(path, f"unknown class {values[topic]!r}", n,
                                  f"dpa_map_{topic}_class")
        if values["decrim_legislation_introduced"] not in ("yes", "no", UNKNOWN):
            raise SourceError(path, f"expected yes/no/unknown, got "
                                    f"{values['decrim_legislation_introduced']!r}", n,
                              "dpa_map_decrim_legislation_introduced")
        if values["basis"] not in DPA_BASES:
            raise SourceError(path, f"unknown basis {values['basis']!r}", n, "dpa_map_basis")
        if not re.fullmatch(r"|\w+_or_\w+", values["possession_sort_order_constraint"]):
            raise SourceError(path, "unreadable constraint", n,
                              "dpa_map_possession_sort_order_constraint")
        out[abbr] = values
    return out
