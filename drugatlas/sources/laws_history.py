"""Possession and paraphernalia history from dated statements, statute first.

Four kinds of statement say what a state's class was from a date:

* statutes.csv (laws_statutes): the statute, grade, maximum penalty and statute page of the
  class in force, from ``effective_since`` where the row gives it (an effective date);
* law_changes.csv (laws_changes): a change of class from its effective date;
* possession_paraphernalia.csv: the class as of the cell's ``as_of`` (attested: a source shows
  it holding then, when it began is not known);
* the project's supplement (laws_supplement): cited classes the research files lack (Oregon's
  felony possession before HB 2355).

They are sorted; each holds until the day before the next. Before the earliest one the class is
unknown: a class found later is never copied backwards. The one exception is a class a change
itself names as the one it replaced ("from felony to misdemeanor"), which holds, with that
change's citation, until the change. A change that repeats a statutes.csv row (same class, less
than a year apart, nothing between) takes the statute's date: statutes.csv gives effective
dates where law_changes.csv gives the vote or the year. A statement of the class already in
force (an attested cell, a repeated change) extends the interval instead of starting one.

The statute is the primary citation of the intervals it covers: ``statute_url`` first in
``citations``, the other pages after it (``secondary`` says how many are secondary). Each date
keeps its precision ("2021" is a year, never 1 January).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from drugatlas.formatting import date_text
from drugatlas.laws_vocabulary import UNKNOWN

from .laws_changes import Change
from .laws_text import join_notes, merge_citations, public_cell, public_note, statutes
from .records import DatedLegalRecord, LawInterval, SourceError, StatuteRecord

TOPICS = ("possession", "paraphernalia")
# Which statement describes an interval best, where several start or continue it.
RANK = {"statute": 0, "supplement": 1, "change": 2, "cell": 3}
SAME_CHANGE = dt.timedelta(days=366)


@dataclass
class Statement:
    start: dt.date
    precision: str
    status: str
    kind: str  # statute | supplement | change | cell
    basis: str  # effective | attested
    citations: tuple[str, ...]
    confidence: str
    source: str
    note: str = ""
    research_note: str = ""
    statute: str = ""
    grade: str = ""
    max_penalty: str = ""
    statute_url: str = ""
    prior: str = ""  # the class a change says it replaced
    prior_citations: tuple[str, ...] = ()  # the pages of the change that says so
    extra: tuple[str, ...] = field(default_factory=tuple)  # citations merged in from repeats


@dataclass(frozen=True)
class Cell:
    """possession_paraphernalia.csv's class of one state and topic as of ``as_of``."""

    abbr: str
    topic: str
    status: str
    as_of: dt.date
    precision: str
    citations: tuple[str, ...]
    confidence: str
    research_note: str
    source: str


def history(cells: list[Cell], statute_rows: list[StatuteRecord], changes: list[Change],
            supplement: list[DatedLegalRecord], implied) -> list[LawInterval]:
    """Intervals for every state and topic of ``cells``. ``implied(change, topic)`` gives a
    change's Implication for the topic, or None."""
    by_key = {(s.abbr, s.topic): s for s in statute_rows}
    out = []
    for cell in cells:
        statute = by_key.get((cell.abbr, cell.topic))
        topic_changes = [c for c in changes if c.abbr == cell.abbr and implied(c, cell.topic)]
        rows = [r for r in supplement if (r.abbr, r.topic) == (cell.abbr, cell.topic)]
        statements = _statements(cell, statute, topic_changes, rows, implied)
        out += _intervals(cell, _merged(statements))
    return out


def _statements(cell: Cell, statute: StatuteRecord | None, changes: list[Change],
                supplement: list[DatedLegalRecord], implied) -> list[Statement]:
    found = [Statement(cell.as_of, cell.precision, cell.status, "cell", "attested",
                       cell.citations, cell.confidence, cell.source,
                       research_note=cell.research_note, statute=statutes(cell.research_note))]
    if statute is not None:
        since = statute.effective_since
        found.append(Statement(
            since or cell.as_of, statute.effective_precision if since else cell.precision,
            statute.status, "statute", "effective" if since else "attested",
            merge_citations((statute.statute_url,) if statute.statute_url else (),
                            statute.other_urls),
            statute.confidence, statute.source,
            research_note=join_notes(statute.change_act and f"Act: {statute.change_act}",
                                     statute.disagreement_note),
            statute_url=statute.statute_url))
        _public(found[-1], statute.note, statute.statute, statute.grade, statute.max_penalty)
    for change in changes:
        imp = implied(change, cell.topic)
        found.append(Statement(
            change.start.date, change.start.precision, imp.status, "change", "effective",
            change.citations, "low" if change.hedged else "medium", cell.source,
            research_note=join_notes(change.text, change.date_note),
            prior=imp.prior or "", prior_citations=change.citations if imp.prior else ()))
        _public(found[-1], change.text, statutes(change.text), "", "")
    for row in supplement:
        found.append(Statement(
            row.valid_from, row.precision, row.status, "supplement", row.date_basis,
            row.citations, row.confidence, row.source,
            research_note=row.change_act and f"Act: {row.change_act}"))
        _public(found[-1], row.note, row.statute, row.grade, row.max_penalty)
    return _dated_by_statute(found)


def _public(s: Statement, note: str, statute: str, grade: str, max_penalty: str) -> None:
    """What a reader sees of a statement: the law, not how it was researched (which goes to
    the research note, for editors)."""
    s.note, aside = public_note(note)
    asides = [aside]
    for name, text in (("statute", statute), ("grade", grade), ("max_penalty", max_penalty)):
        value, aside = public_cell(text)
        setattr(s, name, value)
        asides.append(aside and f"{name}: {aside}")
    s.research_note = join_notes(s.research_note, *asides)


def _dated_by_statute(found: list[Statement]) -> list[Statement]:
    """A change repeating the statute row's class near its effective date takes that date."""
    statute = next((s for s in found if s.kind == "statute" and s.basis == "effective"), None)
    if statute is None:
        return found
    out = []
    for s in found:
        near = abs(s.start - statute.start) < SAME_CHANGE
        between = [o for o in found if o.status != statute.status
                   and min(s.start, statute.start) < o.start < max(s.start, statute.start)]
        if s.kind == "change" and s.status == statute.status and near and not between:
            statute.extra = merge_citations(statute.extra, s.citations)
            if s.prior and not statute.prior:
                statute.prior, statute.prior_citations = s.prior, s.prior_citations
            statute.research_note = join_notes(statute.research_note, s.research_note,
                                               f"Also recorded as a change on {s.start}: {s.note}")
            continue
        out.append(s)
    return out


def _merged(statements: list[Statement]) -> list[Statement]:
    """In time order, one statement per start; a statement of the class in force extends it."""
    ordered = sorted(statements, key=lambda s: (s.start, RANK[s.kind]))
    out: list[Statement] = []
    for s in ordered:
        last = out[-1] if out else None
        if last and (s.start == last.start or (
                s.status == last.status and (s.basis == "attested" or s.kind == "change"))):
            if s.status != last.status:  # same day, two classes: the better source wins
                last.research_note = join_notes(
                    last.research_note, f"A {s.kind} statement reads '{s.status}' from {s.start}")
                continue
            _absorb(last, s)
            continue
        out.append(s)
    return out


def _absorb(into: Statement, s: Statement) -> None:
    """Fold a statement of the same class into the interval it continues."""
    if RANK[s.kind] < RANK[into.kind]:  # a better description of the same class
        keep = ("note", "statute", "grade", "max_penalty", "statute_url", "confidence")
        for name in keep:
            setattr(into, name, getattr(s, name))
        into.kind = s.kind
        into.citations, into.extra = s.citations, merge_citations(into.citations, into.extra)
    else:
        into.extra = merge_citations(into.extra, s.citations)
        into.statute = into.statute or s.statute
    if s.prior and not into.prior:
        into.prior, into.prior_citations = s.prior, s.prior_citations
    into.research_note = join_notes(into.research_note, s.research_note)


def _intervals(cell: Cell, statements: list[Statement]) -> list[LawInterval]:
    if not statements:
        raise SourceError(cell.source, f"{cell.abbr} {cell.topic}: no statement")
    first = statements[0]
    intervals: list[LawInterval] = []
    if first.prior:
        intervals.append(LawInterval(
            cell.abbr, cell.topic, first.prior, None, None, first.prior_citations,
            "medium" if first.confidence == "high" else first.confidence,
            f"The class before {date_text(first.start, first.precision)}, as the change that "
            "ended it states it.",
            source=first.source,
            research_note=f"Class before the change of {first.start}, as that change states it."))
    else:
        intervals.append(LawInterval(
            cell.abbr, cell.topic, UNKNOWN, None, None, (), UNKNOWN, "", source=first.source,
            research_note=f"No dated source before {first.start}: the class is not known."))
    for s in statements:
        intervals.append(LawInterval(
            abbr=cell.abbr, topic=cell.topic, status=s.status, valid_from=s.start, valid_to=None,
            citations=merge_citations(s.citations, s.extra), confidence=s.confidence,
            note=s.note, statute=s.statute[:300], source=s.source, grade=s.grade,
            max_penalty=s.max_penalty, statute_url=s.statute_url,
            valid_from_precision=s.precision, date_basis=s.basis,
            research_note=join_notes(
                s.basis == "attested" and f"Attested as of {s.start} ({s.kind}); when the class "
                                          "began is not known", s.research_note)))
    # Each holds until the day before the next begins, known as precisely as that start.
    for i in range(len(intervals) - 1):
        nxt = intervals[i + 1]
        intervals[i] = replace(intervals[i], valid_to=nxt.valid_from - dt.timedelta(days=1),
                               valid_to_precision=nxt.valid_from_precision)
    return intervals
