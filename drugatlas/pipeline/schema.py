"""The bundle's tables, declared once: name, file, and every column with its type and meaning.

Rows are dicts keyed by these column names everywhere: the bundle writer (bundle.render), the
reader (bundle.read_table), datapackage.json and docs/data.md, the editors' policy (editors.py),
the export of editors' records (export.py) and the database load (drugatlas/atlas/loading.py,
which maps each column to the model field of the same name, or `field`). To add a column,
declare it here, add the model field of that name with a migration, and give the source record
an attribute of that name (docs/architecture.md, "Where each change goes").
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string, number, integer, date
    description: str
    field: str = ""  # the model field it loads into where not named the same ("a__b" follows a relation)
    default: str = ""  # what an empty cell means to the database (a load writes this)
    only_with: str = ""  # the column is written empty wherever this one is (a date's precision)
    lines: bool = False  # one entry per line (citations): line ends are normalised on export

    @property
    def model_field(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # file name inside the bundle
    columns: tuple[Column, ...]

    def names(self) -> list[str]:
        return [c.name for c in self.columns]


_TABLES = (
    Table("jurisdictions", "jurisdictions.csv", (
        Column("fips", "string", 'FIPS code: "00" the nation, 2 digits a state, 5 digits a county'),
        Column("abbr", "string", "USPS code (nation and states)"),
        Column("name", "string", "Name"),
        Column("kind", "string", "nation, state or county"),
        Column("parent", "string", "FIPS of the enclosing jurisdiction"),
    )),
    Table("sources", "sources.csv", (
        Column("id", "string", "Source identifier, cited by every value"),
        Column("publisher", "string", "Original publisher"),
        Column("title", "string", "Title of the publication or dataset"),
        Column("url", "string", "Publisher's official address"),
        Column("file", "string", "File read, relative to the raw-data folder"),
        Column("retrieved", "string", "Date the copy was taken, where known"),
        Column("sha256", "string", "SHA-256 of the file read"),
        Column("licence", "string", "Licence and attribution terms"),
        Column("caveats", "string", "What to know before using the figures"),
    )),
    Table("measures", "measures.csv", (
        Column("slug", "string", "Measure identifier"),
        Column("label", "string", "Label"),
        Column("unit", "string", "Unit of the value"),
        Column("description", "string", "What is counted"),
        Column("caveats", "string", "Caveats"),
        Column("topic", "string", "population, health or enforcement"),
    )),
    Table("observations", "observations.csv", (
        Column("measure", "string", "Measure slug (see measures.csv)"),
        Column("jurisdiction", "string", "FIPS code (see jurisdictions.csv)"),
        Column("period", "string", '"YYYY" calendar year, or "YYYY-MM" 12 months ending that month'),
        Column("value", "number", "The value; empty means no data (never zero); see flags"),
        Column("flags", "string", "Comma-separated: provisional, predicted, suppressed, low_coverage, "
                                  "no_reporting, estimated, imputed, binned, partial, no_breakdown, "
                                  "not_published, no_coverage, little_reporting, limited_data"),
        Column("source", "string", "Source id (see sources.csv)"),
    )),
    Table("laws", "laws.csv", (
        Column("jurisdiction", "string", "FIPS code"),
        Column("topic", "string", "possession, paraphernalia, good_samaritan, naloxone, test_strips, "
                                  "syringe_services, overdose_prevention_centers, adult_use_marijuana, "
                                  "decriminalization; consequences of a drug conviction: "
                                  "snap_drug_felony_ban, tanf_drug_felony_ban, "
                                  "license_suspension_drug, felony_voting, possession_record_relief"),
        Column("status", "string", "Class or status in force (see docs/data.md)"),
        Column("valid_from", "date", "First day in force (the first day of the year or month where "
                                     "known only to that); empty = before our records"),
        Column("valid_from_precision", "string", "day, month or year: how precisely valid_from is "
                                                 "known (write it as 2021, 2021-07 or 2021-07-09)",
               default="day", only_with="valid_from"),
        Column("date_basis", "string", "effective (the class took effect on valid_from) or attested "
                                       "(a source shows it holding then; when it began is not known)",
               default="effective", only_with="valid_from"),
        Column("valid_to", "date", "Last day in force; empty = still in force"),
        Column("valid_to_precision", "string", "day, month or year: how precisely valid_to is known",
               default="day", only_with="valid_to"),
        Column("statute", "string", "Statute section that sets the class (the primary citation)"),
        Column("grade", "string", "The grade in the statute's own words"),
        Column("max_penalty", "string", "Maximum penalty of the grade, where shown"),
        Column("statute_url", "string", "Page where the statute text was seen (first of citations); "
                                        "empty where it was not"),
        Column("citations", "string", "Source URLs, one per line: the statute page first where there "
                                      "is one, secondary pages after it",
               lines=True),
        Column("confidence", "string", "high, medium, low or unknown (docs/codebook.md)"),
        Column("note", "string", "What the record says in plain words"),
        Column("research_note", "string", "The researcher's working notes (for editors)"),
        Column("source", "string", "Source id"),
        Column("origin", "string", "bundle (research) or editor (changed by an editor)",
               default="bundle"),
    )),
    Table("bills", "bills.csv", (
        Column("key", "string", "Stable bill identifier"),
        Column("jurisdiction", "string", "FIPS code (00 = federal)"),
        Column("number", "string", "Bill or measure number (blank where none is known)"),
        Column("session", "string", "Legislative session"),
        Column("title", "string", "Title"),
        Column("summary", "string", "What it would do"),
        Column("status", "string", "announced, introduced, advanced, enacted, in_effect, failed, repealed"),
        Column("status_date", "date", "Date of the latest status"),
        Column("status_date_precision", "string", "day, month or year",
               default="day", only_with="status_date"),
        Column("citations", "string", "Source URLs, one per line (the official page first)",
               lines=True),
        Column("confidence", "string", "high, medium, low"),
        Column("note", "string", "Note"),
        Column("threshold", "string", "Personal-use threshold, where known"),
        Column("penalty", "string", "Penalty that replaces arrest, where known"),
        Column("diversion", "string", "Diversion or referral, where known"),
        Column("funding", "string", "Funding for services, where known"),
        Column("sponsors", "string", "Sponsors, where known"),
        Column("official_url", "string", "The legislature's or election office's page, where found"),
        Column("bill_type", "string", "decriminalization, defelonization, recriminalization, study, "
                                      "narrow or proposal_not_introduced"),
        Column("possession_change", "string", "What it would do to possession, where known"),
        Column("other", "string", "Other provisions, where known"),
        Column("replaces", "string", "Key of an earlier record of the same bill (old permalinks)"),
        Column("research_note", "string", "The researcher's working notes (for editors)"),
        Column("source", "string", "Source id"),
        Column("origin", "string", "bundle or editor",
               default="bundle"),
    )),
    Table("bill_events", "bill_events.csv", (
        Column("bill_key", "string", "Bill key (see bills.csv)",
               field="bill__key"),
        Column("date", "date", "Date of the action"),
        Column("precision", "string", "day, month or year: how precisely the date is known",
               default="day", only_with="date"),
        Column("action", "string", "What happened"),
        Column("status", "string", "Status after the action"),
        Column("url", "string", "Source of the action"),
    )),
    Table("costs", "costs.csv", (
        Column("key", "string", "Assumption identifier"),
        Column("kind", "string", "enforcement, service, share or cpi"),
        Column("value", "number", "Value as published"),
        Column("unit", "string", "Unit"),
        Column("year", "integer", "Year of the figure's dollars or data"),
        Column("label", "string", "What it is"),
        Column("citation", "string", "Where it was read"),
        Column("confidence", "string", "high, medium, low"),
        Column("note", "string", "Note"),
        Column("state", "string", "USPS code where the figure is state-specific",
               field="abbr"),
        Column("source", "string", "Source id"),
    )),
)

TABLES: dict[str, Table] = {t.name: t for t in _TABLES}

# The tables editors change in the admin and `data export-laws` writes back (editors.py).
LEGAL_TABLES = ("laws", "bills", "bill_events")


def columns(table: str) -> list[str]:
    return TABLES[table].names()
