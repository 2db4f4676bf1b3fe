"""State drug-law research (raw folder state-laws/): laws as dated intervals, and bills.

Four files, one SourceInfo each:

* possession_paraphernalia.csv: each state's lowest-level possession class and paraphernalia
  class as of the cell's ``as_of``, with notes, sources and a confidence.
* law_changes.csv: dated changes (read by laws_changes).
* harm_reduction_laws.csv: Good Samaritan, naloxone, OPC, marijuana, test strips, syringe
  services (read by laws_harm_reduction).
* decrim_bills.csv: decriminalization bills and ballot measures (read by laws_bills).

Possession and paraphernalia history per state: the changes law_changes.csv dates for the
topic split time into intervals. The last interval holds the class the state row gives (law
as of ``as_of``); each earlier one the class its starting change made. The class before the
first change is the one that change names ("from felony to misdemeanor"); where it names
none but a later change re-criminalizes (Oregon HB 4002 after Measure 110), the class that
change restored; otherwise "unknown". The first interval starts at an unknown date
(valid_from None). With no change, one open interval holds the state row's class.

The dpa_map_* columns (the DPA map's own values, read or inferred) are not laws of record;
``dpa_map_values`` returns them for comparison displays.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from drugatlas.laws_vocabulary import CONFIDENCE, UNKNOWN, is_valid

from .common import read_csv
from .laws_bills import decriminalization_intervals, read_bills
from .laws_changes import Change, read_changes
from .laws_harm_reduction import read_harm_reduction
from .laws_text import (Segment, abbr_of, add_note, chain, check_unique, citations, join_notes,
                        merge_citations, parse_date, statutes)
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
    folder = Path(raw_dir) / FOLDER
    changes = read_changes(folder / "law_changes.csv")
    laws = read_classes(folder / "possession_paraphernalia.csv", changes)
    harm_reduction, used = read_harm_reduction(folder / "harm_reduction_laws.csv", changes,
                                               HARM_REDUCTION.id)
    bills = read_bills(folder / "decrim_bills.csv", BILLS.id)
    laws += harm_reduction
    laws += decriminalization_intervals(folder / "decrim_bills.csv", bills, BILLS.id)
    laws = _note_unread_changes(laws, changes, used)
    return ReadResult(sources=list(SOURCES), laws=laws, bills=bills)


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


def read_classes(path: Path, changes: list[Change]) -> list[LawInterval]:
    """Possession and paraphernalia intervals for every state row."""
    laws, seen = [], {}
    for n, row in read_csv(path, COLUMNS):
        abbr = abbr_of(path, n, "state_abbr", row["state_abbr"])
        check_unique(path, n, "state_abbr", abbr, seen)
        as_of = parse_date(path, n, "as_of", row["as_of"]).raw
        second_pass = _second_pass_notes(row["second_pass_note"])
        for topic, confidence_column in (("possession", "confidence"),
                                         ("paraphernalia", "paraphernalia_confidence")):
            cell = _cell(path, n, row, abbr, topic, as_of, confidence_column, second_pass[topic])
            topic_changes = sorted(
                (c for c in changes if c.abbr == abbr and _implied(c, topic)),
                key=lambda c: c.start.date)
            laws += chain(path, abbr, topic, _segments(cell, topic_changes), CLASSES.id)
    return laws


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


def _segments(cell: ClassCell, changes: list[Change]) -> list[Segment]:
    statute = statutes(cell.note)
    if not changes:
        return [Segment(None, cell.status, cell.citations, cell.confidence, cell.note, statute)]
    segments = [_earliest(cell, changes)]
    for k, change in enumerate(changes):
        implied = _implied(change, cell.topic)
        if k == len(changes) - 1:
            conflict = (f"The change of {change.raw_date} reads as '{implied.status}', not "
                        f"'{cell.status}'" if implied.status != cell.status else "")
            segments.append(Segment(change.start.date, cell.status,
                                    merge_citations(cell.citations, change.citations),
                                    cell.confidence,
                                    join_notes(cell.note, change.describe(), conflict), statute))
            continue
        after = changes[k + 1]
        prior = _implied(after, cell.topic).prior
        conflict = (f"The change of {after.raw_date} says the class before it was '{prior}'"
                    if prior and prior != implied.status else "")
        segments.append(Segment(change.start.date, implied.status,
                                merge_citations(change.citations, after.citations),
                                "low" if change.hedged or after.hedged else cell.confidence,
                                join_notes(change.describe(), conflict), statutes(change.text)))
    return segments


def _earliest(cell: ClassCell, changes: list[Change]) -> Segment:
    """The class before the first dated change (see the module docstring)."""
    first = changes[0]
    implied = _implied(first, cell.topic)
    confidence = "low" if first.hedged else cell.confidence
    if implied.prior:
        return Segment(None, implied.prior, first.citations, confidence, join_notes(
            f"Class before the change of {first.raw_date}, as that change states it",
            first.describe()))
    restoring = next((c for c in changes[1:] if c.recriminalizes), None)
    if restoring and implied.status == "not_criminalized":
        status = _implied(restoring, cell.topic).status
        return Segment(None, status, merge_citations(first.citations, restoring.citations),
                       "medium" if confidence == "high" else confidence, join_notes(
                           f"Class before the change of {first.raw_date} taken from the change of "
                           f"{restoring.raw_date}, which re-criminalized it as a {status}; the "
                           "earlier grade itself is not stated in the data", first.describe()))
    return Segment(None, UNKNOWN, first.citations, UNKNOWN, join_notes(
        f"Class before the change of {first.raw_date} is not stated in the data", first.describe()))


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
            laws[i] = add_note(laws[i], join_notes(
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
