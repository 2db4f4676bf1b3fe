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
    note: str
    statute: str = ""
    source: str = ""


@dataclass(frozen=True)
class BillEventRecord:
    date: dt.date | None
    action: str
    status: str
    url: str = ""


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
