"""Connecticut DESPP Uniform Crime Reporting: statewide drug arrests by race, 2010-2016.

Read from an extract of the state's yearly UCR arrest tables (one row per year and agency
column). Emits the state's drug arrests of white and of Black people (FIPS "09"). The state's
total drug arrests are not emitted, because FBI Table 69 supplies the state series; they are
offered by ``state_totals`` for comparison.

Which figure is the state's, per year:
* where the year has a state-total column (``is_state_total_column`` 1: "CT" in 2010,
  "Connecticut" in 2011-2014 and 2016), that column;
* where it has none (2015), the sum of the agency columns. The extract also keeps columns that
  add agencies up again, and they must be left out or the state is counted twice: the county
  aggregates ("Fairfield County" ... "Windham County" in 2015, "Fairfield 1" ... in 2016, and
  "Middlesex", a county with no town of that name) and the summary columns ("NIBRS Data",
  "Summary UCR Data", which split the same arrests by reporting system). The sum is accepted
  only if it equals the sum of the county aggregates, which proves nothing was counted twice
  or missed. Bare county names other than Middlesex are left in: in 2014-2016 they are towns
  ("Fairfield", "Windham"), while in 2010-2013, when towns carry "PD"/"CSP", they are counties,
  but those years have a state-total column and never reach the sum.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .common import STATES, parse_count, read_csv
from .records import Obs, ReadResult, SourceError, SourceInfo
from .unique_obs import UniqueObservations
from .years import parse_year

FOLDER = "ct-ucr-arrests"
CT_FIPS = "09"

SOURCE = SourceInfo(
    id="ct-despp-ucr-drug-arrests",
    publisher="Connecticut Department of Emergency Services and Public Protection (DESPP), "
              "Uniform Crime Reporting",
    title="Uniform Crime Reporting System Arrests, 2010-2016: drug abuse violation arrests by "
          "agency and race (extract of the seven yearly tables)",
    url="https://data.ct.gov/Public-Safety/Uniform-Crime-Reporting-System-Arrests-2015/r6vz-twt4",
    file=f"{FOLDER}/ct_drug_arrests_by_agency_race_2010_2016.csv",
    licence="Connecticut state government data; republished by the Connecticut Data "
            "Collaborative under ODC-PDDL (public domain dedication)",
    caveats="All drug abuse violations together (UCR 18): no split into possession and sale or "
            "by drug. Race as recorded by police in UCR categories, which count most Hispanic "
            "arrestees as white. 2015 has no statewide column; its state figure is the sum of "
            "the agency columns, leaving out the county aggregate and summary columns that "
            "repeat them. Extract made from the yearly tables as republished by the Connecticut "
            "Data Collaborative (GitHub CT-Data-Collaborative/drug-arrests, snapshot of "
            "2019-01-11).",
)

COUNTS = ("drug_total", "drug_white", "drug_black")
RACE_MEASURES = {"drug_white": "drug_arrests_white", "drug_black": "drug_arrests_black"}

# Columns that add agencies up again (see the module docstring): never part of a sum of agencies.
CT_COUNTIES = ("Fairfield", "Hartford", "Litchfield", "Middlesex", "New Haven", "New London",
               "Tolland", "Windham")
COUNTY_AGGREGATES = frozenset(
    {f"{c} County" for c in CT_COUNTIES} | {f"{c} 1" for c in CT_COUNTIES} | {"Middlesex"})
# The raw tables' non-agency columns; the extract kept only the 2015 pair of them.
SUMMARY_COLUMNS = frozenset({"NIBRS Data", "Summary UCR Data", "NIBRS", "Summary", "Urban",
                             "NonUrban", "CSP Total", "New York"})


@dataclass
class _Year:
    """One year's columns of the extract, sorted into the state, agency and aggregate kinds."""

    first_row: int
    state: list[tuple[int, dict]] = field(default_factory=list)
    agencies: list[tuple[int, dict]] = field(default_factory=list)
    counties: list[tuple[int, dict]] = field(default_factory=list)


@dataclass(frozen=True)
class StateFigures:
    year: int
    counts: dict[str, int]  # drug_total, drug_white, drug_black
    row: int  # the state column's row, or the year's first row where summed
    summed: bool


def read(raw_dir: Path) -> ReadResult:
    path = Path(raw_dir) / SOURCE.file
    observations = UniqueObservations()
    for figures in state_figures(raw_dir):
        for column, measure in RACE_MEASURES.items():
            observations.add(path, Obs(CT_FIPS, measure, str(figures.year),
                                       float(figures.counts[column]), SOURCE.id,
                                       row=figures.row), column)
    return ReadResult(sources=[SOURCE], observations=observations.items)


def state_totals(raw_dir: Path) -> dict[int, int]:
    """Connecticut's total drug arrests by year, for comparison with FBI Table 69."""
    return {f.year: f.counts["drug_total"] for f in state_figures(raw_dir)}


def state_figures(raw_dir: Path) -> list[StateFigures]:
    """The state's drug_total, drug_white and drug_black for each year, by the rule above."""
    path = Path(raw_dir) / SOURCE.file
    return [_state_year(path, year, columns) for year, columns in sorted(_years(path).items())]


def _years(path: Path) -> dict[int, _Year]:
    years: dict[int, _Year] = {}
    seen: dict[tuple[int, str], int] = {}
    required = ["year", "agency_column", "is_state_total_column", *COUNTS]
    for row_no, row in read_csv(path, required=required):
        year = parse_year(path, row_no, "year", row["year"])
        name = (row["agency_column"] or "").strip()
        if not name:
            raise SourceError(path, "blank agency column name", row_no, "agency_column")
        if (year, name) in seen:
            raise SourceError(path, f"{name!r} appears twice in {year} (first at row "
                                    f"{seen[year, name]})", row_no, "agency_column")
        seen[year, name] = row_no
        counts = {c: _count(path, row_no, c, row[c]) for c in COUNTS}
        kind = (row["is_state_total_column"] or "").strip()
        columns = years.setdefault(year, _Year(row_no))
        if kind == "1":
            if name not in ("CT", STATES[CT_FIPS][1]):
                raise SourceError(path, f"state-total column is named {name!r}, not "
                                        "'CT' or 'Connecticut'", row_no, "agency_column")
            columns.state.append((row_no, counts))
        elif kind != "0":
            raise SourceError(path, f"expected 0 or 1, found {kind!r}", row_no,
                              "is_state_total_column")
        elif name in COUNTY_AGGREGATES:
            columns.counties.append((row_no, counts))
        elif name not in SUMMARY_COLUMNS:
            columns.agencies.append((row_no, counts))
    return years


def _state_year(path: Path, year: int, columns: _Year) -> StateFigures:
    if len(columns.state) > 1:
        raise SourceError(path, f"{year} has {len(columns.state)} state-total columns",
                          columns.state[1][0], "is_state_total_column")
    if columns.state:
        row_no, counts = columns.state[0]
        return StateFigures(year, counts, row_no, summed=False)
    if not columns.counties:
        raise SourceError(path, f"{year} has no state-total column and no county aggregates "
                                "to check a sum of agencies against", columns.first_row,
                          "is_state_total_column")
    summed = _sum(columns.agencies)
    by_county = _sum(columns.counties)
    for column in COUNTS:
        if summed[column] != by_county[column]:
            raise SourceError(path, f"{year} has no state-total column and its agencies sum to "
                                    f"{summed[column]} but its county aggregates to "
                                    f"{by_county[column]}", columns.first_row, column)
    return StateFigures(year, summed, columns.first_row, summed=True)


def _sum(rows: list[tuple[int, dict]]) -> dict[str, int]:
    return {c: sum(counts[c] for _, counts in rows) for c in COUNTS}


def _count(path: Path, row_no: int, column: str, value) -> int:
    number = parse_count(path, row_no, column, value, allow_blank=False)
    if number != int(number):
        raise SourceError(path, f"not a whole number: {value!r}", row_no, column)
    return int(number)
