"""How editors' changes and the data bundle meet: an editor's version always wins.

Policy (docs/editing.md explains it for editors):

* A law or bill saved in the admin is marked origin="editor". From then on it belongs to the
  editors: a data load never overwrites or deletes it, whatever the bundle says, and reports
  where the bundle's version differs so someone can look.
* A law is identified by (jurisdiction FIPS, topic, valid_from), a bill by its key. If an editor
  re-dates a law (changes valid_from), the old identity stays owned too, so the load does not
  bring the research row back beside the editor's version. The same holds for a law or bill a
  person deleted in the admin: the load does not resurrect it.
* Events of an editor-owned bill belong to the editor with it.
* `drugatlas data export-laws` (export.py) writes the database's legal records, editors'
  versions included, into the bundle, so a fresh database gets them too.
* To hand a row back to the research data, an editor uses the admin action "Let the next data
  load replace these": origin goes back to "bundle" and the next load overwrites it.

The loader calls editor_owned_keys() inside its transaction and skips owned rows, or passes the
bundle's rows through preserve_editor_changes(), which drops them and says what it kept.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from drugatlas.atlas.models import Bill, LawStatus

LAW_COMPARED = ("status", "valid_to", "statute", "grade", "max_penalty", "statute_url",
                "citations", "confidence", "note", "source")
BILL_COMPARED = ("jurisdiction", "number", "session", "title", "summary", "status", "status_date",
                 "citations", "confidence", "note", "threshold", "penalty", "diversion", "funding",
                 "sponsors", "official_url", "bill_type", "possession_change", "other", "source")

LawKey = tuple[str, str, str]  # (fips, topic, valid_from as ISO date or "")


def law_key(fips: str, topic: str, valid_from: dt.date | str | None) -> LawKey:
    if isinstance(valid_from, dt.date):
        valid_from = valid_from.isoformat()
    return (str(fips), str(topic), valid_from or "")


@dataclass
class EditorOwned:
    """Identities of the legal records that data loads must leave alone."""

    laws: set[LawKey] = field(default_factory=set)
    bills: set[str] = field(default_factory=set)

    def owns_law(self, fips: str, topic: str, valid_from: dt.date | str | None) -> bool:
        return law_key(fips, topic, valid_from) in self.laws

    def owns_bill(self, key: str) -> bool:
        return key in self.bills


def _person_deleted(history):
    """History records of rows a signed-in person deleted (loads delete with no user)."""
    return history.filter(history_type="-", history_user__isnull=False)


def editor_owned_keys() -> EditorOwned:
    owned = EditorOwned()
    editor_law_ids = set(LawStatus.objects.filter(origin=LawStatus.EDITOR).values_list("id", flat=True))
    for row in LawStatus.objects.filter(id__in=editor_law_ids).values(
            "jurisdiction_id", "topic", "valid_from"):
        owned.laws.add(law_key(row["jurisdiction_id"], row["topic"], row["valid_from"]))
    # Every identity an editor's law ever had, so a re-dated law is not duplicated by a load.
    past = LawStatus.history.filter(id__in=editor_law_ids)
    deleted_ids = set(_person_deleted(LawStatus.history).values_list("id", flat=True))
    deleted_ids -= set(LawStatus.objects.filter(id__in=deleted_ids).values_list("id", flat=True))
    for row in (past | LawStatus.history.filter(id__in=deleted_ids)).values(
            "jurisdiction_id", "topic", "valid_from"):
        owned.laws.add(law_key(row["jurisdiction_id"], row["topic"], row["valid_from"]))

    owned.bills.update(Bill.objects.filter(origin=LawStatus.EDITOR).values_list("key", flat=True))
    deleted_keys = set(_person_deleted(Bill.history).values_list("key", flat=True))
    owned.bills.update(deleted_keys - set(Bill.objects.filter(key__in=deleted_keys)
                                          .values_list("key", flat=True)))
    return owned


@dataclass
class Preserved:
    """Bundle rows a load may write, and what it kept of the editors' instead."""

    laws: list[dict]
    bills: list[dict]
    events: list[dict]
    kept: list[str]  # owned rows the bundle would have changed, for the load's report


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _law_differs(law: LawStatus, row: dict) -> list[str]:
    current = {"status": law.status, "valid_to": law.valid_to, "statute": law.statute,
               "grade": law.grade, "max_penalty": law.max_penalty, "statute_url": law.statute_url,
               "citations": law.citations, "confidence": law.confidence, "note": law.note,
               "source": law.source_id}
    return [name for name in LAW_COMPARED if _text(current[name]) != (row.get(name) or "")]


def _bill_differs(bill: Bill, row: dict) -> list[str]:
    current = {name: getattr(bill, name) for name in BILL_COMPARED
               if name not in ("jurisdiction", "source")}
    current.update(jurisdiction=bill.jurisdiction_id, source=bill.source_id)
    return [name for name in BILL_COMPARED if _text(current[name]) != (row.get(name) or "")]


def preserve_editor_changes(laws, bills, events, owned: EditorOwned | None = None) -> Preserved:
    """Drop the bundle rows (dicts with the bundle's columns) that editors own.

    laws: laws.csv rows; bills: bills.csv rows; events: bill_events.csv rows. Rows of records an
    editor owns are removed; for each owned record that still exists and that the bundle would
    change, `kept` names it and the columns that differ.
    """
    owned = owned or editor_owned_keys()
    live_laws = {law_key(law.jurisdiction_id, law.topic, law.valid_from): law
                 for law in LawStatus.objects.filter(origin=LawStatus.EDITOR)}
    live_bills = {bill.key: bill for bill in Bill.objects.filter(origin=LawStatus.EDITOR)}
    kept: list[str] = []
    free_laws = []
    for row in laws:
        key = law_key(row["jurisdiction"], row["topic"], row["valid_from"])
        if not owned.owns_law(*key):
            free_laws.append(row)
            continue
        law = live_laws.get(key)
        differs = _law_differs(law, row) if law else ["(re-dated or deleted by an editor)"]
        if differs:
            kept.append(f"law {key[0]} {key[1]} from {key[2] or 'start'}: editor's version kept; "
                        f"bundle differs in {', '.join(differs)}")
    free_bills = []
    for row in bills:
        if not owned.owns_bill(row["key"]):
            free_bills.append(row)
            continue
        bill = live_bills.get(row["key"])
        differs = _bill_differs(bill, row) if bill else ["(deleted by an editor)"]
        if differs:
            kept.append(f"bill {row['key']}: editor's version kept; bundle differs in "
                        f"{', '.join(differs)}")
    free_events = [row for row in events if not owned.owns_bill(row["bill_key"])]
    return Preserved(free_laws, free_bills, free_events, kept)
