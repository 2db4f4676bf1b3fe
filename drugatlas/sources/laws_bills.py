"""decrim_bills.csv: decriminalization bills and ballot measures, with their status history.

Status: the free-text status is split into clauses (semicolons, and a bracket that names a
different stage: "introduced (died in committee)"), each normalized to a bill status
(drugatlas.laws_vocabulary.BILL_STATUSES). The last clause is the bill's status:
"passed House 77-62; failed Senate 14-18" is failed, after an advanced step.

Events: one per stage the status names, plus one per action the note dates explicitly to the
day ("House vote 2021-06-17", "re-referred to Codes 2024-01-03"; "in effect until ..." is not an
action). The status_date dates the first stage the note does not already date, except that
"(filed)" dates a filing. Several dates ("2022-02-10 (HB) / 2022-02-07 (SB)") make several
events. A bill's status_date is the date of the event that set its current status, or else the
latest dated action (the note says which).

Confidence (the file has no column for it): "low" where the bill, status or date cell says
"not verified" or "not found"; "high" where a state legislature's own site is cited and nothing
is hedged; "medium" otherwise.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from drugatlas.laws_vocabulary import BILL_STATUS_VALUES

from .common import read_csv
from .laws_text import (ISO_DAY, PartialDate, Segment, abbr_of, chain, check_unique, citations,
                        join_notes, parse_date)
from .records import BillEventRecord, BillRecord, LawInterval, SourceError

COLUMNS = ("jurisdiction", "bill", "session_year", "title", "status", "status_date", "source_url",
           "note")
STATUS_RULES = (  # first match wins: a later stage is named before an earlier one
    ("repealed", r"repeal"),
    ("failed", r"\bfailed\b|\bdied\b|did not (?:pass|advance)"),
    ("in_effect", r"in effect|\beffective\b"),
    ("enacted", r"enacted|ballot measure passed|\bsigned\b|approved by voters"),
    ("advanced", r"reported favorably|passed (?:\w+ )?committee|\badvanced\b"
                 r"|passed (?:the )?(?:house|senate)|(?:house|senate) vote"),
    ("announced", r"announced|proposal"),
    ("introduced", r"introduced|\bfiled\b|referred|\bheard\b|hearing"),
)
LEGISLATURE_HOSTS = r"(?:\.gov|\.state\.[a-z]{2}\.us)$"


def bill_status(text: str) -> str | None:
    """The stage a piece of status text names, or None."""
    return next((s for s, pattern in STATUS_RULES if re.search(pattern, text, re.I)), None)


@dataclass
class _Step:
    """A stage the status cell names, or an action the note dates."""

    status: str
    action: str
    date: PartialDate | None = None


def read_bills(path: Path, source: str) -> list[BillRecord]:
    bills, seen = [], {}
    for n, row in read_csv(path, COLUMNS):
        bill = _bill(path, n, row, source)
        check_unique(path, n, "bill", bill.key, seen)
        bills.append(bill)
    return bills


def _bill(path, n, row, source) -> BillRecord:
    abbr = abbr_of(path, n, "jurisdiction", row["jurisdiction"], nation=True)
    number, _, aside = row["bill"].strip().partition(" (")
    session = row["session_year"].strip()
    urls = citations(path, n, "source_url", row["source_url"])
    if not urls:
        raise SourceError(path, "a bill without a source", n, "source_url")
    steps = _status_steps(path, n, row["status"])
    dates = _status_dates(path, n, row["status_date"])
    events, date_note = _events(steps, dates, _note_steps(row["note"]), urls[0])
    status = steps[-1].status
    current = [e for e in events if e.status == status and e.date]
    dated = [e for e in events if e.date]
    if current:
        status_date = current[0].date
    elif dated:
        status_date = dated[-1].date
        date_note = join_notes(date_note, f"Date of the current status not known; {status_date} "
                                          "is the latest dated action")
    else:
        status_date = None
    return BillRecord(
        key=_key(abbr, session, number), abbr=abbr, number=number, session=session,
        title=row["title"].strip(), status=status, status_date=status_date,
        summary=row["note"].strip(), citations=urls,
        note=join_notes(f"Bill: {row['bill'].strip()}" if aside else "",
                        f"Status as researched: '{row['status'].strip()}'", date_note),
        confidence=_confidence(row, urls), events=tuple(events), source=source)


def _key(abbr: str, session: str, number: str) -> str:
    year = session[:4]
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"^ballot ", "", number.lower())).strip("-")
    return f"{abbr.lower()}-{year}-{slug}"[:120]


def _status_steps(path, n, text: str) -> list[_Step]:
    """The stages a status cell names, in order; clauses naming none join the one before."""
    steps: list[_Step] = []
    for clause in _status_clauses(text):
        status = bill_status(clause)
        if status is None or (steps and steps[-1].status == status):
            if not steps:
                raise SourceError(path, f"cannot read a bill status from {text!r}", n, "status")
            steps[-1].action = f"{steps[-1].action}; {clause}"
        else:
            steps.append(_Step(status, clause))
    return steps


def _status_clauses(text: str) -> list[str]:
    out = []
    for part in (p.strip() for p in text.split(";")):
        main, bracket = re.match(r"(.*?)(?:\s*\(([^)]*)\))?$", part).groups()
        if bracket and bill_status(bracket) not in (None, bill_status(main)):
            out += [main, bracket]
        elif part:
            out.append(part)
    return out


def _status_dates(path, n, text: str) -> list[tuple[PartialDate, str]]:
    """ "2022-02-10 (HB) / 2022-02-07 (SB)" -> [(date, "HB"), (date, "SB")]."""
    out = []
    for part in (p.strip() for p in text.split(" / ") if p.strip()):
        raw, _, label = part.partition(" (")
        out.append((parse_date(path, n, "status_date", raw), label.rstrip(")")))
    return out


def _note_steps(note: str) -> list[_Step]:
    """Actions the note dates to the day; the words before the date say what happened."""
    steps, last_end = [], 0
    for match in ISO_DAY.finditer(note):
        before = note[last_end:match.start()]
        before = re.split(r"[;.]\s", before)[-1].strip()
        last_end = match.end()
        if re.search(r"\buntil\s*$", before):
            continue
        status = bill_status(before)
        if status:
            date = PartialDate(dt.date.fromisoformat(match.group(0)), "day", match.group(0))
            steps.append(_Step(status, f"{before.strip(' ,(')} {match.group(0)}".strip(), date))
    return steps


def _events(steps: list[_Step], dates, noted: list[_Step], url: str):
    """The bill's events in date order (undated last) and a note on how dates were read."""
    notes, filed = [], [(d, label) for d, label in dates if label == "filed"]
    events: list[BillEventRecord] = []
    if filed and steps[0].status != "introduced":
        events.append(BillEventRecord(filed[0][0].date, "filed", "introduced", url))
        dates = [(d, label) for d, label in dates if label != "filed"]
    noted_statuses = {s.status: s.date.date for s in noted}
    status_days = {d.date for d, _ in dates}
    target = next((s for s in steps if s.status not in noted_statuses
                   or noted_statuses[s.status] in status_days), steps[-1])
    for step in steps:
        if step is target and dates:
            for date, label in dates:
                named = label not in ("", "filed", "approx.")  # "(HB)", "(A4929)"
                action = f"{step.action} ({label})" if named else step.action
                events.append(BillEventRecord(date.date, action, step.status, url))
                notes.append(date.caveat())
                if label == "approx.":
                    notes.append(f"Date {date.raw} is approximate")
        elif step.status not in noted_statuses:
            events.append(BillEventRecord(None, step.action, step.status, url))
    for step in noted:
        if not any(e.date == step.date.date and e.status == step.status for e in events):
            events.append(BillEventRecord(step.date.date, step.action, step.status, url))
    order = {s: i for i, s in enumerate(BILL_STATUS_VALUES)}
    events.sort(key=lambda e: (e.date is None, e.date or dt.date.min, order[e.status]))
    return events, join_notes(*notes)


def _confidence(row, urls) -> str:
    cells = " ".join(row[c] for c in ("bill", "status", "status_date"))
    if re.search(r"not verified|not found", cells, re.I):
        return "low"
    official = any(re.search(LEGISLATURE_HOSTS, urlparse(u).hostname or "") for u in urls)
    return "high" if official and "not retrieved" not in cells else "medium"


def decriminalization_intervals(file, bills: list[BillRecord], source: str) -> list[LawInterval]:
    """The state-level decriminalization layer where a measure was enacted or took effect.

    Each dated enacted / in-effect / repealed event starts an interval (repealed -> "none").
    A bill enacted only in a form that is not decriminalization (WA SB 5476) does not count.
    """
    layer = {"enacted": "enacted", "in_effect": "in_effect", "repealed": "none"}
    out = []
    for bill in bills:
        if re.search(r"not decriminali", bill.note, re.I):
            continue
        steps = [e for e in bill.events if e.status in layer and e.date]
        if not any(e.status in ("enacted", "in_effect") for e in steps):
            continue
        segments = [Segment(e.date, layer[e.status], bill.citations, bill.confidence,
                            join_notes(f"{bill.number} ({bill.title}): {e.action}"))
                    for e in steps]
        out += chain(file, bill.abbr, "decriminalization", segments, source)
    return out
