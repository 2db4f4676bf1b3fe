"""law_changes.csv: dated changes in state drug law, and what each one implies.

Each row is a date, a sentence and its sources. The sentence is read clause by clause
(semicolons outside brackets) to decide which topic changed and to which status:

* Topic: the first of test strips, Good Samaritan, overdose prevention centers, syringe
  services, paraphernalia, possession (or "decriminaliz...") named in the clause.
* Possession and paraphernalia: a class is read only where the clause also says how the law
  changed ("reclassified", "reduced", "made", "decriminalized", "re-criminalized", "no longer a
  crime", "struck down", "narrowed", "are gross misdemeanors"). "from felony", "struck down ...
  felony" and "narrowed the ... misdemeanor" name the class *before* the change. A clause
  about marijuana only says nothing about these classes, which exclude marijuana.
* Harm-reduction topics: "legalizing / decriminalized / excluded / removed from" makes test
  strips legal; "took effect / signed / enacted" a Good Samaritan law; "authoriz..." an
  overdose prevention center or syringe services.
* A row that says a bill failed, passed one chamber only, is pending or has an unverified
  outcome changes nothing.

Whatever cannot be read this way is not guessed: the row stays as a note on the interval of
its topic (possession if it names none) that contains its date.

Dates: the start of the new status is the effective date where the sentence gives one
("effective 2022-03-01", "in effect July 2023"), else the row's date. A year-only row that names
a bill dated to the day in another row of the same state and year takes that day (WA SB 5476).
Otherwise the precision rule of laws_text applies (1 January / the 1st, said in the note).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .common import read_csv
from .laws_text import (PartialDate, abbr_of, check_unique, citations, clauses, effective_date,
                        join_notes, parse_date)

COLUMNS = ("state_abbr", "date", "change", "source_url")

TOPIC_PATTERNS = (  # the most specific first: a test-strip law also mentions paraphernalia
    ("test_strips", r"test(?:ing)? strip"),
    ("good_samaritan", r"good samaritan|overdose reporting"),
    ("overdose_prevention_centers", r"overdose prevention cent|harm reduction cent"),
    ("syringe_services", r"syringe serv"),
    ("paraphernalia", r"paraphernalia"),
    ("possession", r"possession|decriminaliz"),
)
NOT_ENACTED = r"\bfailed\b|outcome not verified|\bpassed (?:the )?(?:house|senate)\b|\bpending\b"
HEDGED = r"not verified|not confirmed|\bblog\b"
CHANGE_VERB = (r"reclassif|reduced|\bmade\b|decriminaliz|re-?criminaliz|no longer|struck down"
               r"|narrowed|\bare (?:gross )?misdemeanors")
PRIOR_CLASS = (r"from (?:a |an )?(?:class \w+ )?(felony|misdemeanor)",
               r"(?:struck down|narrowed) [^;()]*?\b(felony|misdemeanor)")
CLASS_WORDS = (
    ("not_criminalized", r"decriminaliz|no longer a (?:state )?crime|no state [\w ]*?crime"
                         r"|\bviolation\b|\binfraction\b|civil (?:fine|violation|penalt)"),
    ("misdemeanor", r"misdemeanor"),
    ("felony", r"felon(?:y|ies)"),
)
HARM_REDUCTION_STATUS = {
    "test_strips": ("legal", r"legaliz|decriminaliz|excluded|removed from"),
    "good_samaritan": ("yes", r"took effect|\bsigned\b|enacted"),
    "overdose_prevention_centers": ("authorized", r"authoriz"),
    "syringe_services": ("yes", r"authoriz"),
}
BILL_NUMBER = r"\b(?:[SH]B|AB|LD|SF|HF)\s?\d+\b"


@dataclass(frozen=True)
class Implication:
    topic: str
    status: str
    prior: str | None = None  # the class before the change, where the sentence names it


@dataclass(frozen=True)
class Change:
    abbr: str
    row: int
    raw_date: str
    start: PartialDate  # when the new status began (see the module's date rules)
    text: str
    citations: tuple[str, ...]
    date_note: str
    implies: tuple[Implication, ...] = ()
    unread_topics: tuple[str, ...] = ()  # topics it concerns without a status we can read
    hedged: bool = False
    recriminalizes: bool = False
    file: str = field(default="", compare=False)

    def describe(self) -> str:
        """The change as a sentence for a note: date, text, and how the date was read."""
        return join_notes(f"{self.raw_date}: {self.text}", self.date_note)


def read_changes(path: Path) -> list[Change]:
    """Every row of law_changes.csv, read and dated; SourceError names any bad cell."""
    rows, seen = [], {}
    for n, row in read_csv(path, COLUMNS):
        abbr = abbr_of(path, n, "state_abbr", row["state_abbr"])
        when = parse_date(path, n, "date", row["date"])
        text = row["change"].strip()
        check_unique(path, n, "change", (abbr, when.raw, text), seen)
        rows.append((n, abbr, when, text, citations(path, n, "source_url", row["source_url"])))
    return [_change(path, n, abbr, when, text, urls, rows) for n, abbr, when, text, urls in rows]


def _change(path, n, abbr, when: PartialDate, text, urls, rows) -> Change:
    start, date_note = _start(abbr, when, text, rows)
    implies, unread = classify(text)
    return Change(abbr=abbr, row=n, raw_date=when.raw, start=start, text=text, citations=urls,
                  date_note=date_note, implies=implies, unread_topics=unread,
                  hedged=bool(re.search(HEDGED, text, re.I)),
                  recriminalizes=bool(re.search(r"\bre-?criminaliz", text, re.I)), file=str(path))


def _start(abbr: str, when: PartialDate, text: str, rows) -> tuple[PartialDate, str]:
    effective = effective_date(text)
    if effective:
        return effective, join_notes(
            f"In effect from {effective.raw} (the row is dated {when.raw})", effective.caveat())
    if when.precision == "year":
        for bill in re.findall(BILL_NUMBER, text):
            for _, other_abbr, other_when, other_text, _ in rows:
                if (other_abbr == abbr and other_when.precision == "day"
                        and other_when.date.year == when.date.year and bill in other_text):
                    return other_when, (f"Dated {other_when.raw} from the row on the same act "
                                        f"({bill}); this row gives only the year {when.raw}.")
    caveat = when.caveat()
    if re.search(NOT_ENACTED, text, re.I):
        return when, caveat
    if re.search(r"\bsigned\b", text) and "(signed" not in text:
        caveat = join_notes(caveat, "This is the signing date; the effective date is not in "
                                    "the data")
    elif re.search(r"approved by[\w ~%]*voters", text):
        caveat = join_notes(caveat, "This is the vote date; the effective date is not in the data")
    return when, caveat


def classify(text: str) -> tuple[tuple[Implication, ...], tuple[str, ...]]:
    """What a change sentence implies: (implications, topics it concerns but cannot be read)."""
    found: dict[str, dict] = {}
    for clause in clauses(text):
        topic = next((t for t, pattern in TOPIC_PATTERNS if re.search(pattern, clause, re.I)),
                     None)
        if topic is None:  # e.g. "pretrial diversion": read with the clause it qualifies
            continue
        entry = found.setdefault(topic, {"new": set(), "prior": None, "readable": True})
        if re.search(r"marijuana", clause, re.I) and topic in ("possession", "paraphernalia"):
            entry["readable"] = False
            continue
        if topic in HARM_REDUCTION_STATUS:
            status, pattern = HARM_REDUCTION_STATUS[topic]
            if re.search(pattern, clause, re.I):
                entry["new"].add(status)
            continue
        prior, rest = _prior_class(clause)
        entry["prior"] = entry["prior"] or prior
        if re.search(CHANGE_VERB, clause, re.I):
            entry["new"] |= {cls for cls, pattern in CLASS_WORDS if re.search(pattern, rest, re.I)}
    if not found:  # names no topic, e.g. "Measure 110 approved by voters"
        return (), ("possession",)
    not_enacted = bool(re.search(NOT_ENACTED, text, re.I))
    implies, unread = [], []
    for topic, entry in found.items():
        if entry["readable"] and not not_enacted and len(entry["new"]) == 1:
            implies.append(Implication(topic, entry["new"].pop(), entry["prior"]))
        else:
            unread.append(topic)
    return tuple(implies), tuple(unread)


def _prior_class(clause: str) -> tuple[str | None, str]:
    """The class a clause says held before the change, and the clause without that phrase."""
    for pattern in PRIOR_CLASS:
        match = re.search(pattern, clause, re.I)
        if match:
            return match.group(1).lower(), clause[:match.start()] + clause[match.end():]
    return None, clause
