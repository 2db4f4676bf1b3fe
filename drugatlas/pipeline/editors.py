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
  versions included, into the bundle, so a fresh database gets them too; a rebuild keeps the
  bundle's editor rows in place of the research rows with the same identity (with_editor_rows).
* To hand a row back to the research data, an editor uses the admin action "Let the next data
  load replace these": origin goes back to "bundle" and the next load overwrites it.

Everything here works on bundle rows (dicts keyed by the declared columns, schema.py); the
database side (which identities editors own, their current rows) is
drugatlas/atlas/editor_owned.py, and the load (drugatlas/atlas/loading.py) passes the bundle's
rows through preserve_editor_changes(), which drops the owned ones and says what it kept.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import schema

BUNDLE, EDITOR = "bundle", "editor"  # a legal row's origin

# Columns a load does not report as "the bundle differs": identity, the row's origin, and what
# only qualifies another column (a date's precision and basis, the researcher's notes).
NOT_COMPARED = {
    "laws": ("jurisdiction", "topic", "valid_from", "valid_from_precision", "date_basis",
             "valid_to_precision", "research_note", "origin"),
    "bills": ("key", "status_date_precision", "replaces", "research_note", "origin"),
}


def compared(table: str) -> tuple[str, ...]:
    """The columns whose difference a load reports for an editor-owned record (a new column
    is compared unless listed in NOT_COMPARED)."""
    return tuple(c for c in schema.columns(table) if c not in NOT_COMPARED[table])


LawKey = tuple[str, str, str]  # (fips, topic, valid_from as ISO date or "")


def law_key(fips: str, topic: str, valid_from: dt.date | str | None) -> LawKey:
    if isinstance(valid_from, dt.date):
        valid_from = valid_from.isoformat()
    return (str(fips), str(topic), valid_from or "")


def law_identity(row: dict) -> LawKey:
    """A laws.csv row's identity, which is also the table's order."""
    return law_key(row["jurisdiction"], row["topic"], row["valid_from"])


@dataclass
class EditorOwned:
    """Identities of the legal records that data loads must leave alone."""

    laws: set[LawKey] = field(default_factory=set)
    bills: set[str] = field(default_factory=set)

    def owns_law(self, fips: str, topic: str, valid_from: dt.date | str | None) -> bool:
        return law_key(fips, topic, valid_from) in self.laws

    def owns_bill(self, key: str) -> bool:
        return key in self.bills


@dataclass
class Preserved:
    """Bundle rows a load may write, and what it kept of the editors' instead."""

    laws: list[dict]
    bills: list[dict]
    events: list[dict]
    kept: list[str]  # owned rows the bundle would have changed, for the load's report


def differs(table: str, current: dict, row: dict) -> list[str]:
    """Compared columns where a bundle row differs from the editor's current row."""
    return [name for name in compared(table) if (current.get(name) or "") != (row.get(name) or "")]


def preserve_editor_changes(laws, bills, events, owned: EditorOwned,
                            live: dict[str, list[dict]]) -> Preserved:
    """Drop the bundle rows that editors own.

    laws, bills, events: the bundle's laws.csv, bills.csv and bill_events.csv rows. owned: the
    identities editors own; live: the editors' records as they stand, as bundle rows ("laws",
    "bills"). For each owned record that still exists and that the bundle would change, `kept`
    names it and the columns that differ.
    """
    live_laws = {law_identity(row): row for row in live.get("laws", [])}
    live_bills = {row["key"]: row for row in live.get("bills", [])}
    kept: list[str] = []
    free_laws = []
    for row in laws:
        key = law_identity(row)
        if not owned.owns_law(*key):
            free_laws.append(row)
            continue
        law = live_laws.get(key)
        changed = differs("laws", law, row) if law else ["(re-dated or deleted by an editor)"]
        if changed:
            kept.append(f"law {key[0]} {key[1]} from {key[2] or 'start'}: editor's version kept; "
                        f"bundle differs in {', '.join(changed)}")
    free_bills = []
    for row in bills:
        if not owned.owns_bill(row["key"]):
            free_bills.append(row)
            continue
        bill = live_bills.get(row["key"])
        changed = differs("bills", bill, row) if bill else ["(deleted by an editor)"]
        if changed:
            kept.append(f"bill {row['key']}: editor's version kept; bundle differs in "
                        f"{', '.join(changed)}")
    free_events = [row for row in events if not owned.owns_bill(row["bill_key"])]
    return Preserved(free_laws, free_bills, free_events, kept)


def with_editor_rows(legal: dict[str, list[dict]], editor: dict[str, list[dict]]):
    """Research rows with the editors' rows put in place of those with the same identity."""
    def complete(table, row):  # a column added since the row was exported is blank
        return {c: row.get(c, "") for c in schema.columns(table)}

    editor_laws = [complete("laws", r) for r in editor["laws"]]
    edited = {law_identity(r) for r in editor_laws}
    laws = [r for r in legal["laws"] if law_identity(r) not in edited]
    laws = sorted(laws + editor_laws, key=law_identity)
    edited_bills = {r["key"] for r in editor["bills"]}
    bills = [r for r in legal["bills"] if r["key"] not in edited_bills]
    bills = sorted(bills + [complete("bills", r) for r in editor["bills"]], key=lambda r: r["key"])
    events = [r for r in legal["bill_events"] if r["bill_key"] not in edited_bills]
    events += [complete("bill_events", r) for r in editor["bill_events"]]
    events.sort(key=lambda r: r["bill_key"])  # stable: each bill's events keep their order
    return {"laws": laws, "bills": bills, "bill_events": events}
