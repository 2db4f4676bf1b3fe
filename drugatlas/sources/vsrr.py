"""NCHS VSRR provisional drug overdose death counts, 12 months ending each month, by state.

One row per jurisdiction, month and indicator. Counts are by jurisdiction of occurrence and
provisional throughout. VSRR reports New York City ("YC") apart from the rest of New York
("NY"); the state of New York is their sum.
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import json
from pathlib import Path

from .common import parse_count, read_csv, state_fips
from .records import Obs, ReadResult, SourceError, SourceInfo
from .unique_obs import UniqueObservations

SOURCE = SourceInfo(
    id="nchs-vsrr-provisional-overdose",
    publisher="CDC National Center for Health Statistics (NCHS)",
    title="VSRR Provisional Drug Overdose Death Counts",  # + its release: see _titled()
    url="https://data.cdc.gov/NCHS/VSRR-Provisional-Drug-Overdose-Death-Counts/xkb8-kh2a",
    file="cdc_vsrr_provisional_overdose/VSRR_Provisional_Drug_Overdose_Death_Counts.csv",
    licence="Public domain (U.S. government work)",
    caveats="Provisional counts for the 12 months ending each month, by jurisdiction of "
            "occurrence (final NCHS data count by residence). Predicted values are NCHS's "
            "adjustment for reporting delay, a model estimate. Blank cells, which NCHS "
            "suppressed (fewer than 10 deaths) or withheld for low data quality, are no data, "
            "flagged suppressed. Periods NCHS footnotes as underreported due to incomplete data "
            "are flagged partial. New York State is the sum of VSRR's 'New York' (which "
            "excludes New York City) and 'New York City' rows; where either is blank the "
            "state value is blank. Puerto Rico is not used. CSV written from the official "
            "Parquet export (GitHub PopHIVE/Ingest, commit 6d91bd3a); every cell checked equal.",
    retrieved="2025-07-17")

TOTAL = "Number of Drug Overdose Deaths"
# VSRR indicator -> measure slug of the deaths involving that drug class.
DRUG_CLASSES = {
    "Opioids (T40.0-T40.4,T40.6)": "overdose_deaths_12mo_opioids",
    "Heroin (T40.1)": "overdose_deaths_12mo_heroin",
    "Natural & semi-synthetic opioids (T40.2)":
        "overdose_deaths_12mo_natural_semisynthetic_opioids",
    "Methadone (T40.3)": "overdose_deaths_12mo_methadone",
    "Synthetic opioids, excl. methadone (T40.4)": "overdose_deaths_12mo_synthetic_opioids",
    "Cocaine (T40.5)": "overdose_deaths_12mo_cocaine",
    "Psychostimulants with abuse potential (T43.6)": "overdose_deaths_12mo_psychostimulants",
}
# Known indicators the atlas does not publish: all-cause deaths, a percentage, and two opioid
# groupings that overlap the classes above.
SKIPPED = {
    "Number of Deaths",
    "Percent with drugs specified",
    "Natural & semi-synthetic opioids, incl. methadone (T40.2, T40.3)",
    "Natural, semi-synthetic, & synthetic opioids, incl. methadone (T40.2-T40.4)",
}
NEW_YORK_PARTS = ("NY", "YC")  # rest of the state, New York City
NEW_YORK = "36"
PUERTO_RICO = "PR"
UNDERREPORTED = "underreported due to incomplete data"
MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
COLUMNS = ["State", "Year", "Month", "Indicator", "Data Value", "Predicted Value", "Footnote"]
# The Socrata metadata record stored beside the rows (by `drugatlas data fetch`, or by hand).
METADATA = "xkb8-kh2a.json"

# (measure, period) -> {part: Obs} for the two halves of New York.
_Parts = dict[tuple[str, str], dict[str, Obs]]


def read(raw_dir: Path) -> ReadResult:
    path = Path(raw_dir) / SOURCE.file
    observations = UniqueObservations()
    new_york_parts: _Parts = {}
    for row_no, row in read_csv(path, COLUMNS):
        indicator = row["Indicator"].strip()
        if indicator in SKIPPED:
            continue
        if indicator != TOTAL and indicator not in DRUG_CLASSES:
            raise SourceError(path, f"unknown indicator {indicator!r}", row_no, "Indicator")
        state = row["State"].strip().upper()
        if state == PUERTO_RICO:
            continue
        period = _period(path, row_no, row)
        base_flags = {"provisional"}
        if UNDERREPORTED in row["Footnote"].lower():
            base_flags.add("partial")
        if indicator == TOTAL:
            cells = [("overdose_deaths_12mo_provisional", "Data Value", set()),
                     ("overdose_deaths_12mo_predicted", "Predicted Value", {"predicted"})]
        else:
            cells = [(DRUG_CLASSES[indicator], "Data Value", set())]
        for measure, column, flags in cells:
            value = parse_count(path, row_no, column, row[column])
            flags = base_flags | flags | ({"suppressed"} if value is None else set())
            if state in NEW_YORK_PARTS:
                _keep_part(path, new_york_parts, state,
                           Obs(NEW_YORK, measure, period, value, SOURCE.id, frozenset(flags),
                               row_no), column)
                continue
            fips = state_fips(path, row_no, "State", state)
            observations.add(path, Obs(fips, measure, period, value, SOURCE.id,
                                       frozenset(flags), row_no), column)
    for obs in _new_york_sums(new_york_parts):
        observations.add(path, obs)
    items = observations.items
    return ReadResult(sources=[_titled(path, max((o.period for o in items), default=""))],
                      observations=items)


def _titled(path: Path, newest: str) -> SourceInfo:
    """The source named by the release read: the day the publisher last updated the rows
    (the metadata's rowsUpdatedAt), else the newest month the file covers."""
    try:
        updated = json.loads((path.parent / METADATA).read_text(encoding="utf-8"))["rowsUpdatedAt"]
        day = dt.datetime.fromtimestamp(int(updated), dt.timezone.utc).date().isoformat()
        suffix = f"release of {day}"
    except (OSError, ValueError, KeyError, TypeError):
        suffix = f"data through {newest}" if newest else ""
    return dataclasses.replace(SOURCE, title=f"{SOURCE.title} ({suffix})" if suffix else
                               SOURCE.title)


def _period(path: Path, row_no: int, row: dict) -> str:
    """ "YYYY-MM" of the month a 12-month period ends with."""
    year = row["Year"].strip()
    if not (len(year) == 4 and year.isdigit()):
        raise SourceError(path, f"not a year: {row['Year']!r}", row_no, "Year")
    month = MONTHS.get(row["Month"].strip().capitalize())
    if month is None:
        raise SourceError(path, f"not a month name: {row['Month']!r}", row_no, "Month")
    return f"{year}-{month:02d}"


def _keep_part(path: Path, parts: _Parts, part: str, obs: Obs, column: str) -> None:
    halves = parts.setdefault((obs.measure, obs.period), {})
    if part in halves:
        raise SourceError(path, f"duplicate value for {part} / {obs.measure} / {obs.period} "
                                f"(first at row {halves[part].row})", obs.row, column)
    halves[part] = obs


def _new_york_sums(parts: _Parts) -> list[Obs]:
    """New York State = rest of state + New York City; blank if either half is blank or absent."""
    sums = []
    for (measure, period), halves in parts.items():
        first = min(halves.values(), key=lambda obs: obs.row)
        flags = set().union(*(obs.flags for obs in halves.values()))
        values = [halves[part].value if part in halves else None for part in NEW_YORK_PARTS]
        if None in values:
            total = None
            flags.add("suppressed")
        else:
            total = sum(values)
        sums.append(Obs(NEW_YORK, measure, period, total, SOURCE.id, frozenset(flags),
                        first.row))
    return sums
