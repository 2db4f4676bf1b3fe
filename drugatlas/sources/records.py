"""Typed records that readers return and the pipeline consumes.

Readers speak in these types only, so the pipeline never needs to know a publisher's format.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

# Flags an observation may carry. Zero is a value; "no_reporting" and "suppressed" mean no data.
FLAGS = (
    "provisional",  # CDC provisional figure, subject to change
    "predicted",  # adjusted by the publisher for reporting delay
    "suppressed",  # publisher suppressed the value (e.g. CDC counts 1-9)
    "low_coverage",  # reporting agencies cover under half the population
    "no_reporting",  # no agency reported: no data, never zero
    "estimated",  # derived by this project from a cited share or assumption
    "imputed",  # publisher imputed values for non-reporting agencies (ICPSR)
    "binned",  # value is the lower bound of a published range (county rate bins)
    "partial",  # the publisher says the figure is incomplete (some agencies, months or records)
    "no_breakdown",  # the publisher gave a total but no split of it: no data, never zero
    "not_published",  # the publisher's table has no row for the place and year: no data
    "no_coverage",  # the reporting agencies serve no resident population: no rate per resident
    "little_reporting",  # the state reported almost nothing that year (News21): no ratio
    "limited_data",  # the publisher printed no figures, noting only limited data (FBI Iowa 2018)
)


class SourceError(ValueError):
    """A raw file that cannot be read as published. Names the file, row and column."""

    def __init__(self, file: str | Path, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.message = str(file), row, column, message
        where = str(file)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SourceInfo:
    """One upstream file as read: what it is, where it came from, and its checksum."""

    id: str  # slug, unique across the project, e.g. "census-nst-est2024"
    publisher: str
    title: str
    url: str  # the publisher's official address
    file: str  # path relative to the raw folder
    licence: str
    caveats: str = ""
    retrieved: str = ""  # ISO date the copy was taken, where PROVENANCE gives one
    sha256: str = ""

    def with_checksum(self, raw_dir: Path) -> "SourceInfo":
        digest = hashlib.sha256((Path(raw_dir) / self.file).read_bytes()).hexdigest()
        return SourceInfo(**{**self.__dict__, "sha256": digest})


@dataclass(frozen=True)
class Place:
    """A jurisdiction. FIPS "00" is the nation; two digits a state; five a county."""

    fips: str
    name: str
    kind: str  # "nation" | "state" | "county"
    abbr: str = ""  # USPS code for the nation ("US") and states


@dataclass(frozen=True)
class Obs:
    """One value of one measure for one place and period, as a source gives it.

    ``value`` None means no data (never a stand-in for zero); ``flags`` say why.
    ``period`` is "YYYY" for a calendar year or "YYYY-MM" for a 12-month-ending period.
    """

    fips: str
    measure: str
    period: str
    value: float | None
    source: str
    flags: frozenset[str] = field(default_factory=frozenset)
    # Where it came from, for error messages: file and 1-based data row.
    row: int | None = None


@dataclass(frozen=True)
class LawInterval:
    """A legal status held from ``valid_from`` until ``valid_to`` (None = still in force)."""

    abbr: str  # USPS code of the state, or "US"
    topic: str  # possession, paraphernalia, good_samaritan, naloxone, test_strips, ...
    status: str  # vocabulary per topic, see drugatlas.laws_vocabulary
    valid_from: dt.date | None
    valid_to: dt.date | None
    citations: tuple[str, ...]
    confidence: str  # high | medium | low | unknown
    note: str  # what a reader may be shown ("" where there is nothing to say)
    statute: str = ""
    source: str = ""
    # Statute-first fields (statutes.csv, the supplement): the grade in the statute's words,
    # its maximum penalty and the page where its text was seen (also citations[0]).
    grade: str = ""
    max_penalty: str = ""
    statute_url: str = ""
    # How precisely each end is known: "day", "month", "year" ("" where there is no date).
    valid_from_precision: str = ""
    valid_to_precision: str = ""
    research_note: str = ""  # the researcher's working notes: for editors, never shown
    # What valid_from is: "effective" (the class took effect then), "attested" (a source shows
    # it holding then; when it began is not known), "" (older readers: taken as effective).
    date_basis: str = ""


@dataclass(frozen=True)
class BillEventRecord:
    date: dt.date | None
    action: str
    status: str
    url: str = ""
    precision: str = ""  # day | month | year


@dataclass(frozen=True)
class BillRecord:
    """A decriminalization bill or ballot measure with its history of actions."""

    key: str  # stable slug, e.g. "or-2020-measure-110"
    abbr: str  # USPS code, or "US" for federal
    number: str
    session: str
    title: str
    status: str  # introduced | advanced | enacted | failed | in_effect | announced | ...
    status_date: dt.date | None
    summary: str
    citations: tuple[str, ...]
    note: str = ""
    confidence: str = "medium"
    events: tuple[BillEventRecord, ...] = ()
    source: str = ""
    # The third research pass (bills_pass3.csv): official page, what the bill would do, and
    # the key of the first file's record it replaces (old permalinks redirect to it).
    status_date_precision: str = ""
    official_url: str = ""
    bill_type: str = ""
    sponsors: str = ""
    possession_change: str = ""
    threshold: str = ""
    penalty: str = ""
    funding: str = ""
    other: str = ""
    replaces: str = ""
    research_note: str = ""  # how fields were found or guessed: for editors, never shown


@dataclass(frozen=True)
class CostRecord:
    """A cited unit cost, share or price index used by the reinvestment calculator."""

    key: str
    kind: str  # enforcement | service | share | cpi
    value: float
    unit: str
    year: int | None
    label: str
    citation: str
    confidence: str
    note: str = ""
    abbr: str = ""  # state-specific figure, or "" for national
    source: str = ""


@dataclass
class ReadResult:
    """Everything one reader got from its files."""

    sources: list[SourceInfo] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    observations: list[Obs] = field(default_factory=list)
    laws: list[LawInterval] = field(default_factory=list)
    bills: list[BillRecord] = field(default_factory=list)
    costs: list[CostRecord] = field(default_factory=list)


# --- Records of the sources added in the statute-first round (appended; the types above are
# shared with the pipeline and stay as they are). Dates carry their precision, as
# drugatlas.formatting.date_text writes them: "day", "month", "year", or "" where no date.


@dataclass(frozen=True)
class StatuteRecord:
    """One state's statute for one topic (state-laws/statutes.csv), read as the file gives it.

    ``status`` is the class under the project's coding rule (a first offense, a small amount,
    the mainstream drugs); ``literal_class`` the class under the literal rule where a single-drug
    carve-out makes it differ ("" otherwise). ``effective_since`` is the date the current grade
    took effect, where the file gives one, with ``effective_precision``.
    """

    abbr: str
    topic: str  # possession | paraphernalia
    status: str
    literal_class: str
    grade: str  # the grade in the statute's own words
    statute: str  # the section that sets the grade, as cited
    max_penalty: str
    effective_since: dt.date | None
    effective_precision: str
    change_act: str
    note: str
    statute_url: str  # where the statute text was seen ("" if it was not)
    other_urls: tuple[str, ...]  # supporting (secondary) pages
    confidence: str
    disagreement_note: str = ""
    source: str = ""
    row: int | None = None


@dataclass(frozen=True)
class DatedBillEvent:
    """One dated action of a bill (state-laws/bills_pass3.csv events)."""

    date: dt.date | None
    precision: str
    action: str
    stage: str = ""  # the bill status (laws_vocabulary.BILL_STATUSES) the action names, or ""


@dataclass(frozen=True)
class ResearchedBill:
    """A bill or ballot measure as re-researched in bills_pass3.csv.

    ``file_status`` is the file's own status word; ``status`` the project's bill status it maps
    to (laws_vocabulary.RESEARCH_BILL_STATUS). ``replaces`` is the key of the decrim_bills.csv
    record this one supersedes ("" for a bill that file did not have). ``listing`` says how a
    page may show it: "bill", "proposal" (never introduced: label it a proposal) or "withheld"
    (content unconfirmed: keep it off public pages).
    """

    key: str
    abbr: str  # USPS code, or "US"
    numbers: str
    session: str
    title: str
    bill_type: str
    sponsors: str
    summary: str
    possession_change: str
    threshold: str
    penalty_replacement: str
    funding: str
    other: str
    file_status: str
    status: str
    status_date: dt.date | None
    status_date_precision: str
    events: tuple[DatedBillEvent, ...]
    official_url: str
    other_urls: tuple[str, ...]
    confidence: str
    replaces: str
    change_note: str
    listing: str
    source: str = ""
    row: int | None = None


@dataclass(frozen=True)
class DatedLegalRecord:
    """A legal status known from a date, with its citations (collateral consequences, the
    project's research supplement).

    ``valid_from`` is when the status is known to hold from, with ``precision``;
    ``date_basis`` says what that date is: "effective" (the status took effect then) or
    "attested" (a source shows it holding then; when it began is not known). None: no date.
    Before ``valid_from`` the status is unknown unless another dated record says otherwise.
    """

    abbr: str
    topic: str
    status: str
    valid_from: dt.date | None
    precision: str
    date_basis: str  # "effective" | "attested" | ""
    citations: tuple[str, ...]
    confidence: str
    note: str = ""  # text a page may show ("" where there is none)
    research_note: str = ""  # the researcher's working notes: for editors, never shown
    statute: str = ""
    grade: str = ""
    max_penalty: str = ""
    change_act: str = ""
    as_of: str = ""  # the date the governing source speaks for, as written ("2021-10+")
    source: str = ""
    row: int | None = None
