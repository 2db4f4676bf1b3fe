"""News21 "Weed Rush": marijuana possession arrest rates by state and race, 1980-2013.

Emits, per state and year, the rate for everyone, for white and for Black residents, and the
Black/white ratio; and, once a year, the U.S. average rates the file repeats on every row (as
the nation, "00"). Race was not tracked before 1990: the race cells are blank there, and a
blank yields no observation, never a zero. States and years News21 left out (Florida, Illinois
and the District of Columbia for years of scant reporting, among others) have no rows.

Years a state barely reported are flagged "little_reporting" (every value of the year), and
their Black/white ratio is no data, never a ratio of 0 or of two near-empty counts: a rate for
everyone under a tenth of the state's median year (Alabama 1993 and 2011-2013, Iowa
1992-1994), or no Black arrest at all (Montana 1991-1999: a ratio of 0). Decriminalization
drops (Massachusetts from 2009, California from 2011) stay above a tenth and are not flagged.
"""
from __future__ import annotations

from pathlib import Path

from .common import NATION_FIPS, parse_count, read_csv, state_fips
from .records import Obs, ReadResult, SourceError, SourceInfo
from .unique_obs import UniqueObservations
from .years import parse_year

FOLDER = "news21-weedrush"

SOURCE = SourceInfo(
    id="news21-weedrush-mj-possession-rates",
    publisher="Carnegie-Knight News21, \"Weed Rush\" (2015), from FBI Uniform Crime Reporting "
              "and U.S. Census data",
    title="Marijuana possession arrests per 100,000 residents by state, sex and race, "
          "1980-2013 (\"Possession arrests\" chart data, mj_arrests.json, flattened to CSV)",
    url="https://weedrush.news21.com/possession-arrests/",
    file=f"{FOLDER}/mj_possession_arrest_rates_by_state_race_1980_2013.csv",
    licence="Published by News21 without a stated licence, from public-domain FBI and Census "
            "data; cite News21",
    caveats="Rates only, no counts, and marijuana possession only. Not adjusted for how much "
            "of a state's population its reporting agencies cover, so a sudden drop (Alabama "
            "1993 and 2011-2013) is a reporting gap, not a change in policing. Race was not "
            "tracked before 1990, and UCR counts most Hispanic arrestees as white. Florida, "
            "Illinois and the District of Columbia are left out for the years they reported "
            "little or nothing. The Black/white ratio was computed from the two rates when the "
            "chart data were flattened to CSV (GitHub news21/weedrush-public, snapshot of "
            "2015-09-03).",
)

STATE_COLUMNS = {
    "rate_total": "marijuana_possession_arrest_rate",
    "rate_white": "marijuana_possession_arrest_rate_white",
    "rate_black": "marijuana_possession_arrest_rate_black",
    "black_white_ratio": "marijuana_possession_black_white_ratio",
}
NATION_COLUMNS = {
    "us_rate_total": "marijuana_possession_arrest_rate",
    "us_rate_white": "marijuana_possession_arrest_rate_white",
    "us_rate_black": "marijuana_possession_arrest_rate_black",
}
LITTLE_REPORTING = frozenset({"little_reporting"})
LITTLE_SHARE = 0.1  # of the state's median rate for everyone
# The ratio column is rounded to 2 places; a larger gap means the columns no longer match.
RATIO_TOLERANCE = 0.005 + 1e-9


def read(raw_dir: Path) -> ReadResult:
    path = Path(raw_dir) / SOURCE.file
    observations = UniqueObservations()
    nation: dict[int, tuple[int, dict]] = {}  # year -> (first row, U.S. values)
    rows, seen = [], {}
    for row_no, row in read_csv(path, required=["state", "year", *STATE_COLUMNS,
                                                *NATION_COLUMNS]):
        fips = state_fips(path, row_no, "state", row["state"])
        if fips == NATION_FIPS:
            raise SourceError(path, "the nation is not a state row", row_no, "state")
        year = parse_year(path, row_no, "year", row["year"])
        values = {c: parse_count(path, row_no, c, row[c]) for c in STATE_COLUMNS}
        if values["rate_total"] is None:
            raise SourceError(path, "blank rate for everyone", row_no, "rate_total")
        _check_ratio(path, row_no, values)
        if (fips, year) in seen:
            raise SourceError(path, f"duplicate value for FIPS {fips} / {year} (first at row "
                                    f"{seen[(fips, year)]})", row_no, "state")
        seen[(fips, year)] = row_no
        rows.append((row_no, fips, year, values))
        _note_nation(path, row_no, year, row, nation)
    medians = _medians(rows)
    for row_no, fips, year, values in rows:
        little = (values["rate_total"] < LITTLE_SHARE * medians[fips]
                  or values["rate_black"] == 0)
        flags = LITTLE_REPORTING if little else frozenset()
        for column, measure in STATE_COLUMNS.items():
            value = values[column]
            if column == "black_white_ratio" and little and value is not None:
                value = None  # no ratio of a reporting gap, never a ratio of 0
            elif value is None:
                continue  # blank race cells: not tracked, so no value
            observations.add(path, Obs(fips, measure, str(year), value, SOURCE.id, flags,
                                       row=row_no), "state")
    for year, (row_no, values) in sorted(nation.items()):
        for column, measure in NATION_COLUMNS.items():
            if values[column] is not None:
                observations.add(path, Obs(NATION_FIPS, measure, str(year), values[column],
                                           SOURCE.id, row=row_no), column)
        white, black = values["us_rate_white"], values["us_rate_black"]
        if white and black is not None:
            # Same computation as the states' ratio column: black / white, 2 places.
            observations.add(path, Obs(NATION_FIPS, STATE_COLUMNS["black_white_ratio"],
                                       str(year), round(black / white, 2), SOURCE.id,
                                       row=row_no), "us_rate_black")
    return ReadResult(sources=[SOURCE], observations=observations.items)


def _medians(rows) -> dict[str, float]:
    """Each state's median rate for everyone over its years."""
    import statistics

    by_state: dict[str, list[float]] = {}
    for _row, fips, _year, values in rows:
        by_state.setdefault(fips, []).append(values["rate_total"])
    return {fips: statistics.median(rates) for fips, rates in by_state.items()}


def _check_ratio(path: Path, row_no: int, values: dict) -> None:
    white, black, ratio = values["rate_white"], values["rate_black"], values["black_white_ratio"]
    if ratio is None:
        if white and black is not None:
            raise SourceError(path, "blank ratio beside a white and a Black rate", row_no,
                              "black_white_ratio")
        return
    if not white or black is None:
        raise SourceError(path, "ratio without a white and a Black rate to divide", row_no,
                          "black_white_ratio")
    if abs(ratio - black / white) > RATIO_TOLERANCE:
        raise SourceError(path, f"ratio {ratio} does not match rate_black / rate_white "
                                f"= {black / white:.3f}", row_no, "black_white_ratio")


def _note_nation(path: Path, row_no: int, year: int, row: dict,
                 nation: dict[int, tuple[int, dict]]) -> None:
    """Keep the year's U.S. averages from its first row; every later row must repeat them."""
    values = {c: parse_count(path, row_no, c, row[c]) for c in NATION_COLUMNS}
    if year not in nation:
        nation[year] = (row_no, values)
        return
    first_row, first = nation[year]
    for column in NATION_COLUMNS:
        if values[column] != first[column]:
            raise SourceError(path, f"U.S. average {values[column]} differs from "
                                    f"{first[column]} at row {first_row} for {year}",
                              row_no, column)
