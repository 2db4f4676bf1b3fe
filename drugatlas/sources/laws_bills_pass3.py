"""state-laws/bills_pass3.csv: the re-researched decriminalization bills, official pages first.

53 bills and ballot measures (PROVENANCE "Bills, third pass"): the 33 of decrim_bills.csv
researched again plus 20 that file missed, each with an official URL where one was found, a
canonical session name, sponsors, a plain-language summary, structured "what it would do"
fields, a status in the file's own vocabulary with a dated history, and a confidence.

How the file is read:

* Status: the file's word is kept (``file_status``) and shown as a project bill status by the
  table drugatlas.laws_vocabulary.RESEARCH_BILL_STATUS. Two rules refine it:
  - a bill the table calls enacted whose events show it later took effect or was repealed
    has that later stage, dated by the latest event of the stage (Oregon Measure 110:
    repealed 2024-09-01; Washington SB 5536: in effect 2023-07-01);
  - a proposal never introduced (bill_type proposal_not_introduced, which the file marks
    "died" for want of a better word) is "announced", dated by its first event.
  Otherwise ``status_date`` is the file's, with its precision.
* Events: the JSON list of {date, action}, each date with its precision, in time order as far
  as the precisions allow ("2021-02-19" then "2021" is in order). Each event's ``stage`` is the
  bill status its action names by EVENT_STAGES ("" where it names none: a fiscal note, a
  hearing date moved); stages are for badges, the bill's status comes from the rules above.
* ``replaces``: "Existing row N ('...')" in change_from_existing names the decrim_bills.csv
  row this bill supersedes; the quoted bill must be that row's, and the record carries that
  row's key (laws_bills), so an old permalink can find its successor. Each old row is
  replaced at most once.
* ``listing``: "withheld" for bill_type unconfirmed (keep it off public pages until its text is
  read), "proposal" for proposal_not_introduced (show it, if at all, as a proposal), "bill"
  otherwise.
* Every bill needs at least one URL (official_url or other_urls).
* Research remarks stay out of what a reader sees (``public_bill``): in the number, title,
  session, sponsors and "what it would do" fields a bracketed clause naming the research
  ("not seen", "not confirmed", "retrieved", "inferred", "check OLIS", "Open States lists",
  "stored ... pages", "firm page": laws_text.RESEARCH_PROCESS) is cut; in the summary, such a
  sentence; in an event's action, such a bracket. What is cut goes to ``research_note``
  (editors only). A number with nothing public left ("none found (...)") is blank: the page
  shows the title and kind instead of a guess.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
import re
from pathlib import Path

from drugatlas.laws_vocabulary import RESEARCH_CONFIDENCE as CONFIDENCE
from drugatlas.formatting import MONTH, YEAR
from drugatlas.laws_vocabulary import BILL_TYPE_VALUES, RESEARCH_BILL_STATUS

from .common import read_csv
from .laws import BILLS as DECRIM_BILLS
from .laws import FOLDER, LICENCE, PUBLISHER, RESEARCH_CAVEAT
from .laws_bills import read_bills
from .laws_text import (abbr_of, check_unique, citations, dated, join_notes, public_cell,
                        public_clauses, public_note, public_number)
from .records import (BillEventRecord, BillRecord, DatedBillEvent, ResearchedBill, SourceError,
                      SourceInfo)

FILE = "bills_pass3.csv"
COLUMNS = ("bill_id", "jurisdiction", "bill_numbers", "session", "title", "bill_type", "sponsors",
           "summary", "possession_change", "threshold", "penalty_replacement", "funding", "other",
           "status", "status_date", "events", "official_url", "other_urls", "confidence",
           "change_from_existing")
TEXT_FIELDS = ("bill_numbers", "session", "title", "sponsors", "summary", "possession_change",
               "threshold", "penalty_replacement", "funding", "other")

SOURCE = SourceInfo(
    id="state-laws-bills-pass3", publisher=PUBLISHER,
    title="Drug decriminalization, defelonization and recriminalization bills and ballot "
          "measures, 2019-2026",
    url="", file=f"{FOLDER}/{FILE}", licence=LICENCE,
    caveats=RESEARCH_CAVEAT + (
        "Official bill pages first (congress.gov, state legislature sites, WA bill reports); "
        "trackers (LegiScan, legiplex, fastdemocracy) and news where no official page was "
        "found. Confidence: 14 high, 30 medium, 9 low. Not a complete census. Supersedes "
        "decrim_bills.csv for the 33 bills both have. Summaries are in the researcher's own "
        "words. Two proposals were never introduced; one bill's possession content is "
        "unconfirmed."),
    retrieved="2026-12-05")

# What an event's action says happened, first match wins: a later or final stage is tested
# before an earlier one ("passed Senate ...; signed" is enacted, "bill died in committee" is
# failed, "118th Congress ended; no introduced bill found" is failed).
EVENT_STAGES = (
    ("repealed", r"\brepeal|decriminali[sz]ation ended"),
    ("failed", r"\bdied\b|\bdead\b|ended without|adjourned without|ended; no\b|\bfailed\b"
               r"|rejected|\bvetoed\b|not pursued|\bhalted\b|stopped gathering|\bleft in\b"),
    ("in_effect", r"took effect|takes effect|\bin effect\b"),
    ("enacted", r"\bsigned\b|\benacted\b|approved by voters"),
    ("advanced", r"\bpassed (?:the )?(?:house|senate|both|by the legislature)|reported favorably"
                 r"|\badvanced\b|approved by [\w ]*committee|approved the bill|cleared a [\w ]*"
                 r"committee|moved the bill"),
    ("introduced", r"\bintroduced\b|\bfiled\b|\bprefiled\b|\breferred\b|re-referred|hearing"),
    ("announced", r"\bannounce|\bunveiled\b|campaign launched"),
)
EXISTING_ROW = re.compile(r"Existing row (\d+) \('(.*?)'\)")
NEW_ROW = re.compile(r"New row\b")
BILL_ID = re.compile(r"(?P<abbr>[a-z]{2})-(?P<year>\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*")


def event_stage(action: str) -> str:
    """The bill status an event's action names, or "" (EVENT_STAGES)."""
    return next((stage for stage, pattern in EVENT_STAGES
                 if re.search(pattern, action, re.IGNORECASE)), "")


def read_bills_pass3(raw_dir: Path) -> list[ResearchedBill]:
    """Every bill of bills_pass3.csv, checked, with the decrim_bills.csv key it replaces."""
    folder = Path(raw_dir) / FOLDER
    path = folder / FILE
    decrim = folder / "decrim_bills.csv"
    # The old file's records with their bill cells as written, in row order.
    existing = list(zip(read_bills(decrim, DECRIM_BILLS.id),
                        (line["bill"].strip() for _, line in read_csv(decrim, ("bill",)))))
    bills, seen, replaced = [], {}, {}
    for n, row in read_csv(path, COLUMNS):
        bill = _bill(path, n, row, existing)
        check_unique(path, n, "bill_id", bill.key, seen)
        if bill.replaces:
            check_unique(path, n, "change_from_existing", bill.replaces, replaced)
        bills.append(bill)
    return bills


def _bill(path: Path, n: int, row: dict,
          existing: list[tuple[BillRecord, str]]) -> ResearchedBill:
    key = row["bill_id"].strip()
    match = BILL_ID.fullmatch(key)
    if not match:
        raise SourceError(path, f"not a bill id like 'ny-2025-s3600': {key!r}", n, "bill_id")
    abbr = abbr_of(path, n, "jurisdiction", row["jurisdiction"], nation=True)
    if match["abbr"] != abbr.lower():
        raise SourceError(path, f"bill id {key!r} does not start with {abbr.lower()!r}", n,
                          "bill_id")
    for column in ("title", "session", "summary"):
        if not row[column].strip():
            raise SourceError(path, f"blank {column}", n, column)
    bill_type = row["bill_type"].strip()
    if bill_type not in BILL_TYPE_VALUES:
        raise SourceError(path, f"unknown bill type {bill_type!r}", n, "bill_type")
    file_status = row["status"].strip()
    if file_status not in RESEARCH_BILL_STATUS:
        raise SourceError(path, f"unknown status {file_status!r} (one of "
                                f"{', '.join(RESEARCH_BILL_STATUS)})", n, "status")
    confidence = row["confidence"].strip()
    if confidence not in CONFIDENCE:
        raise SourceError(path, f"unknown confidence {confidence!r}", n, "confidence")
    official = citations(path, n, "official_url", row["official_url"])
    if len(official) > 1:
        raise SourceError(path, "one official page only (others go in other_urls)", n,
                          "official_url")
    others = citations(path, n, "other_urls", row["other_urls"])
    if not official and not others:
        raise SourceError(path, "a bill without a source", n, "other_urls")
    events = _events(path, n, row["events"])
    status_date, precision = dated(path, n, "status_date", row["status_date"])
    status, status_date, precision = _status(file_status, bill_type, events, status_date,
                                             precision)
    replaces, change_note = _replaces(path, n, row["change_from_existing"], abbr, existing)
    return ResearchedBill(
        key=key, abbr=abbr, **{c if c != "bill_numbers" else "numbers": row[c].strip()
                              for c in TEXT_FIELDS},
        bill_type=bill_type, file_status=file_status, status=status, status_date=status_date,
        status_date_precision=precision, events=events,
        official_url=official[0] if official else "", other_urls=others,
        confidence=confidence, replaces=replaces, change_note=change_note,
        listing={"unconfirmed": "withheld", "proposal_not_introduced": "proposal"}.get(
            bill_type, "bill"),
        source=SOURCE.id, row=n)


def _events(path: Path, n: int, text: str) -> tuple[DatedBillEvent, ...]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(path, f"events are not JSON ({e.msg} at character {e.pos})", n,
                          "events") from None
    if not isinstance(items, list) or not items:
        raise SourceError(path, "events must be a non-empty JSON list", n, "events")
    events = []
    for i, item in enumerate(items, start=1):
        if not (isinstance(item, dict) and set(item) == {"date", "action"}
                and isinstance(item["date"], str) and isinstance(item["action"], str)
                and item["action"].strip()):
            raise SourceError(path, f"event {i} is not {{\"date\": ..., \"action\": ...}}: "
                                    f"{item!r}", n, "events")
        date, precision = dated(path, n, "events", item["date"])
        if date is None:
            raise SourceError(path, f"event {i} has no date", n, "events")
        action = item["action"].strip()
        events.append(DatedBillEvent(date, precision, action, event_stage(action)))
    for i, (before, after) in enumerate(zip(events, events[1:]), start=2):
        if before.date > _last_day(after.date, after.precision):
            raise SourceError(path, f"event {i} ({after.date}) comes before the event above it "
                                    f"({before.date})", n, "events")
    return tuple(events)


def _last_day(date: dt.date, precision: str) -> dt.date:
    """The last day a date of this precision can mean."""
    if precision == YEAR:
        return dt.date(date.year, 12, 31)
    if precision == MONTH:
        following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return date


def _status(file_status: str, bill_type: str, events: tuple[DatedBillEvent, ...],
            status_date: dt.date | None, precision: str) -> tuple[str, dt.date | None, str]:
    """The project's status and its date (see the module docstring)."""
    if bill_type == "proposal_not_introduced":
        return "announced", events[0].date, events[0].precision
    status = RESEARCH_BILL_STATUS[file_status]
    if status == "enacted":
        later = [e for e in events if e.stage in ("in_effect", "repealed")
                 and (status_date is None or e.date >= status_date)]
        if later:
            stage = "repealed" if any(e.stage == "repealed" for e in later) else "in_effect"
            last = [e for e in later if e.stage == stage][-1]
            return stage, last.date, last.precision
    return status, status_date, precision


def _replaces(path: Path, n: int, text: str, abbr: str,
              existing: list[tuple[BillRecord, str]]) -> tuple[str, str]:
    """The decrim_bills.csv key this bill supersedes ("" for a new one), and the note."""
    note = text.strip()
    match = EXISTING_ROW.match(note)
    if match is None:
        if not NEW_ROW.match(note):
            raise SourceError(path, "expected \"Existing row N ('...')\" or \"New row\"", n,
                              "change_from_existing")
        return "", note
    number, quoted = int(match.group(1)), match.group(2)
    if not 1 <= number <= len(existing):
        raise SourceError(path, f"decrim_bills.csv has no row {number}", n,
                          "change_from_existing")
    old, cell = existing[number - 1]
    if quoted not in (cell, old.number) or old.abbr != abbr:
        raise SourceError(path, f"row {number} of decrim_bills.csv is {old.abbr} {cell!r}, "
                                f"not {abbr} {quoted!r}", n, "change_from_existing")
    return old.key, note


def bill_records(bills: list[ResearchedBill], old: list[BillRecord]) -> list[BillRecord]:
    """The bills the pipeline loads: every pass-3 bill a page may show, then the first file's
    bills that no pass-3 bill replaces. A withheld bill (content unconfirmed) is left out, and
    so is the old record it replaces."""
    replaced = {b.replaces for b in bills if b.replaces}
    out = [_record(b) for b in bills if b.listing != "withheld"]
    return out + [b for b in old if b.key not in replaced]


# The fields a reader sees, cut by bracketed clause (the summary by sentence).
PUBLIC_CELLS = ("session", "title", "sponsors", "possession_change", "threshold",
                "penalty_replacement", "funding", "other")


def public_bill(bill: ResearchedBill) -> tuple[ResearchedBill, str]:
    """The bill as a reader may see it, and the research remarks cut from it (see the module
    docstring)."""
    changes, notes = {}, []
    number, aside = public_number(bill.numbers)
    changes["numbers"] = number
    notes.append(aside)
    for name in PUBLIC_CELLS:
        value, aside = public_clauses(getattr(bill, name))
        changes[name] = value
        notes.append(aside and f"{name}: {aside}")
    changes["summary"], aside = public_note(bill.summary)
    notes.append(aside and f"summary: {aside}")
    events = []
    for e in bill.events:
        action, aside = public_cell(e.action)
        events.append(replace(e, action=action or e.action))
        notes.append(aside and f"event {e.date}: {aside}")
    changes["events"] = tuple(events)
    return replace(bill, **changes), join_notes(*notes)


def _record(bill: ResearchedBill) -> BillRecord:
    bill, research_note = public_bill(bill)
    first = "announced" if bill.listing == "proposal" else "introduced"
    urls = ((bill.official_url,) if bill.official_url else ()) + bill.other_urls
    stage, events = first, []
    for e in bill.events:  # an event without a stage of its own keeps the stage reached
        # A proposal never introduced stays a proposal: it cannot advance or fail as a bill.
        stage = first if bill.listing == "proposal" else (e.stage or stage)
        events.append(BillEventRecord(e.date, e.action, stage, urls[0], e.precision))
    last = events[-1]
    if last.status != bill.status and bill.status_date and bill.status_date >= last.date:
        # The status the research gives is the outcome of the last recorded action ("held
        # for further study" in a session that ended: the bill died).
        events[-1] = replace(last, status=bill.status)
    return BillRecord(
        key=bill.key, abbr=bill.abbr, number=bill.numbers, session=bill.session,
        title=bill.title, status=bill.status, status_date=bill.status_date,
        summary=bill.summary, citations=tuple(dict.fromkeys(urls)), note="",
        confidence=bill.confidence, events=tuple(events), source=bill.source,
        status_date_precision=bill.status_date_precision, official_url=bill.official_url,
        bill_type=bill.bill_type, sponsors=bill.sponsors,
        possession_change=bill.possession_change, threshold=bill.threshold,
        penalty=bill.penalty_replacement, funding=bill.funding, other=bill.other,
        replaces=bill.replaces, research_note=research_note)
