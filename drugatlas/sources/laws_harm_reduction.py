"""harm_reduction_laws.csv: Good Samaritan, naloxone, OPC, marijuana, test strip and syringe layers.

Each cell is free text ("yes (all states except KS and WY as of 2024-02)", "excluded for
personal use", "no explicit or implicit state authorization"). It is normalized to the topic's
vocabulary (drugatlas.laws_vocabulary); the raw text is kept in the note.

Dates: where a year is given, the status starts then (1 January, "month not known"), unless a
row of law_changes.csv for the same state, topic and year, or the note itself, gives an
effective date, which then wins. Before that start the state had no such law (the file dates
the first one), so an earlier interval carries the "no" status of the topic. Where the note
gives only a range ("took effect between 2016-12-02 and 2018-07-01") the status is "no" before
the range, "unknown" within it and the law's status from its end. A law with no date at all is
known only from the date its source attests it: the "as of 2024-02" / "by June 2021" its cell
or note gives, else the day the file was researched (``attested_on``). It is "attested" from
then (in force, start not recorded) and "unknown" before: the law is never copied backwards to
years no source speaks for. The topic's "before" status ("no", "none", "not legal") without a
date is the absence of a law, which the file dates by the first law where there is one.

The file has no confidence column: a cell is "medium", "low" where its own text hedges ("not
verified", "per 2021 news report", "likely"), and "unknown" where the status is unknown.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from drugatlas.laws_vocabulary import UNKNOWN, label

from .common import read_csv
from .laws_changes import Change
from .laws_text import (TEXT_DATE, PartialDate, Segment, abbr_of, chain, check_unique,
                        citations, effective_date, join_notes, merge_citations, parse_text_date,
                        parse_year, since_date, statutes, year_start)
from .records import LawInterval, SourceError


@dataclass(frozen=True)
class Layer:
    topic: str
    status_column: str
    source_column: str
    year_column: str = ""
    note_column: str = ""
    before: str = "no"  # the status before the first law


LAYERS = (
    Layer("good_samaritan", "good_samaritan_911_law", "good_samaritan_source",
          "good_samaritan_year", "good_samaritan_year_note"),
    Layer("naloxone", "naloxone_access_law", "naloxone_source"),
    Layer("overdose_prevention_centers", "overdose_prevention_centers_authorized", "opc_source",
          "opc_year", "opc_note", before="none"),
    Layer("adult_use_marijuana", "recreational_marijuana_legal", "recreational_marijuana_source",
          "recreational_marijuana_year"),
    Layer("test_strips", "fentanyl_test_strips_status", "fts_source", "fts_year", "fts_note",
          before="not_legal"),
    Layer("syringe_services", "syringe_services_programs_legal", "ssp_source", "", "ssp_note"),
)
COLUMNS = ("state_abbr",) + tuple(dict.fromkeys(
    c for layer in LAYERS for c in (layer.status_column, layer.source_column, layer.year_column,
                                    layer.note_column) if c))
HEDGED = r"not verified|per \d{4} news report|\blikely\b"
ATTESTED = re.compile(rf"\b(?:as of|by)\s+~?({TEXT_DATE})", re.IGNORECASE)
RANGE = re.compile(r"took effect between (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})")


def normalize(topic: str, raw: str, note: str) -> str | None:
    """A cell's free text as a status of the topic's vocabulary, or None if unreadable."""
    text = raw.strip().lower()
    if text.startswith(UNKNOWN):
        return UNKNOWN
    if topic == "test_strips":
        if re.search(r"not exempt|illegal|still paraphernalia", text):
            return "not_legal"
        if re.search(r"legal|excluded|decriminalized", text):
            return "legal"
        return None
    if topic == "overdose_prevention_centers":
        if text.startswith("yes"):
            return "authorized"
        if text.startswith("no"):
            # New York: no state law, but city-sanctioned sites operate.
            return "operating" if re.search(r"\boperating\b", note) else "none"
        return None
    if text.startswith("yes"):
        return "yes"
    if text.startswith("no"):
        return "no"
    return None


def read_harm_reduction(path: Path, changes: list[Change], source: str,
                        attested_on: PartialDate) -> tuple[list[LawInterval], set[tuple[int, str]]]:
    """Intervals for every state and layer, and the (change row, topic) pairs they used.
    ``attested_on``: the day the file was researched, the date an undated law is known from."""
    intervals, used, seen = [], set(), {}
    for n, row in read_csv(path, COLUMNS):
        abbr = abbr_of(path, n, "state_abbr", row["state_abbr"])
        check_unique(path, n, "state_abbr", abbr, seen)
        for layer in LAYERS:
            segments = _segments(path, n, abbr, row, layer, changes, used, attested_on)
            intervals += chain(path, abbr, layer.topic, segments, source)
    return intervals, used


def _segments(path, n, abbr, row, layer: Layer, changes, used, attested_on) -> list[Segment]:
    raw = row[layer.status_column].strip()
    note = row[layer.note_column].strip() if layer.note_column else ""
    status = normalize(layer.topic, raw, note)
    if status is None:
        raise SourceError(path, f"cannot read {raw!r} as a {layer.topic} status", n,
                          layer.status_column)
    urls = citations(path, n, layer.source_column, row[layer.source_column])
    if status != UNKNOWN and not urls:
        raise SourceError(path, "a status without a source", n, layer.source_column)
    year = (parse_year(path, n, layer.year_column, row[layer.year_column])
            if layer.year_column else None)
    confidence = "low" if re.search(HEDGED, raw, re.I) else "medium"
    cell_note = join_notes(f"Research file: '{raw}'", note)
    statute = statutes(f"{raw} {note}")

    if status in (UNKNOWN, layer.before):
        return [Segment(None, status, urls, confidence, cell_note, statute)]
    start, start_urls, start_note = _start(abbr, layer.topic, status, year, note, changes, used)
    if start:
        law = Segment(start.date, status, merge_citations(urls, start_urls), confidence,
                      join_notes(cell_note, start_note), statute)
        return [_before(layer, start, law.citations, confidence), law]
    window = RANGE.search(note)
    if not window:
        return _attested(status, urls, confidence, cell_note, statute,
                         _attested_date(f"{raw} {note}") or attested_on)
    low, high = (dt.date.fromisoformat(d) for d in window.groups())
    between = f"between {low} and {high}"
    return [
        Segment(None, layer.before, urls, confidence, join_notes(
            f"No {label(layer.topic, status).lower()} before {low}: the research file says the "
            f"first law took effect {between}")),
        Segment(low, UNKNOWN, urls, UNKNOWN, join_notes(
            f"The first law took effect {between}; exact date not known")),
        Segment(high, status, urls, confidence, join_notes(
            cell_note, f"Shown from {high}, the latest date the research file allows"), statute),
    ]


def _attested_date(text: str) -> PartialDate | None:
    """The date a cell says its status held ("as of 2024-02", "in force by June 2021")."""
    match = ATTESTED.search(text)
    return parse_text_date(match.group(1)) if match else None


def _attested(status, urls, confidence, cell_note, statute, on: PartialDate) -> list[Segment]:
    """An undated law: unknown before the date its source shows it, attested from then."""
    return [
        Segment(None, UNKNOWN, (), UNKNOWN, join_notes(
            f"No source in the research file speaks for the years before {on.raw}")),
        Segment(on.date, status, urls, confidence, join_notes(
            cell_note, f"Attested {on.raw}; when it began is not known"), statute,
            basis="attested", precision=on.precision),
    ]


def _start(abbr, topic, status, year, note, changes: list[Change], used):
    """When the status began: (date or None, extra citations, note saying how it was dated)."""
    for change in changes:
        if change.abbr != abbr or (year is not None and change.raw_date[:4] != str(year)):
            continue
        for implied in change.implies:
            if implied.topic == topic and implied.status == status:
                used.add((change.row, topic))
                return change.start, change.citations, f"From law_changes.csv: {change.describe()}"
    dated = effective_date(note) or since_date(note)
    if dated:
        return dated, (), join_notes(f"Start date {dated.raw} from the note", dated.caveat())
    if year is not None:
        start: PartialDate = year_start(year)
        return start, (), join_notes(f"Year {year} from the research file", start.caveat())
    return None, (), ""


def _before(layer: Layer, start: PartialDate, urls, confidence) -> Segment:
    return Segment(None, layer.before, urls, confidence, join_notes(
        f"Status before {start.date} inferred from the start of the status that follows "
        f"({start.raw}); earlier history not researched"))
