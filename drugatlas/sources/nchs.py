"""NCHS drug-poisoning (overdose) mortality: state deaths and age-adjusted rates, county rate bins.

The state series joins three NCHS publications, one per span of years, so no year comes from
two files: the final state file for 1999-2017, the "Stats of the States" map data for 2018, and
the quarterly provisional estimates (12 months ending Q4) for the age-adjusted rate from 2019.
County rates are the model-based estimates, published only as ranges, 1999-2016.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from .common import NATION_FIPS, STATES, parse_count, read_csv, state_fips
from .records import Obs, Place, ReadResult, SourceError, SourceInfo
from .unique_obs import UniqueObservations

PUBLISHER = "CDC National Center for Health Statistics (NCHS)"
LICENCE = "Public domain (U.S. government work)"
DEATHS, RATE = "overdose_deaths", "overdose_death_rate_age_adjusted"
COUNTY_BIN = "overdose_death_rate_county_bin"
SOSMAP_YEAR = "2018"  # the only year the map copy adds to the final state file
FIRST_QUARTERLY_YEAR = 2019  # years before are final data from the other two files


def _nchs_file(**fields) -> SourceInfo:
    return SourceInfo(publisher=PUBLISHER, licence=LICENCE, **fields)


STATE_FINAL = _nchs_file(
    id="nchs-drug-poisoning-state",
    title="NCHS - Drug Poisoning Mortality by State: United States (1999-2017)",
    url="https://data.cdc.gov/api/views/xbxb-epbu/rows.csv?accessType=DOWNLOAD",
    file="nchs_drug_poisoning_state/NCHS_-_Drug_Poisoning_Mortality_by_State__United_States.csv",
    caveats="Final data, 1999-2017, by state of residence; only the both-sexes, all-ages, "
            "all-races rows are used. Age-adjusted rates (2000 U.S. standard population) are "
            "rounded to one decimal as NCHS publishes them; the export carries more digits. "
            "Rates from 20 or fewer deaths are unreliable but are not flagged in this export. "
            "NCHS notes undercounts in some state-years (New Jersey 2009, West Virginia "
            "2005 and 2009), flagged partial. The file's population column (Census-based "
            "estimates NCHS divided by) supplies state populations for 1999-2009 and the "
            "nation's non-Hispanic Black population and its share of all residents, 1999-2017 "
            "(Census bridged-race estimates). Copy from GitHub "
            "manjunath5496/CSV-Datasets_4 at commit c75f370c.")
SOSMAP = _nchs_file(
    id="cdc-sosmap-drug-overdose-state",
    title="Drug Overdose Mortality by State (Stats of the States), 2014-2018",
    url="https://www.cdc.gov/nchs/pressroom/sosmap/drug_poisoning_mortality/drug_poisoning.htm",
    file="cdc_sosmap_overdose_state/Drug Overdose Mortality by State.csv",
    caveats="Used for 2018 only (50 states; no DC and no U.S. total). Earlier years repeat the "
            "final state file, and its 2014 rows for Arizona and Arkansas are swapped, so they "
            "are not used. Third-party copy (GitHub SiyueTan/WeLoveMuseums, commit 0fef185e) "
            "that dropped the URL column and added coordinates; the figures are untouched.",
    retrieved="2020-09-06")
QUARTERLY = _nchs_file(
    id="nchs-vsrr-quarterly-mortality",
    title="NCHS - VSRR Quarterly provisional estimates for selected indicators of mortality "
          "(2019 Q1 - 2021 Q2 edition)",
    url="https://data.cdc.gov/NCHS/NCHS-VSRR-Quarterly-provisional-estimates-for-sele/489q-934x",
    file="nchs_vsrr_quarterly_mortality/"
         "NCHS_-_VSRR_Quarterly_provisional_estimates_for_selected_indicators_of_mortality.csv",
    caveats="Provisional. The age-adjusted drug-overdose rate for the 12 months ending with Q4 "
            "is used as the calendar-year rate for 2019 and 2020 (the only state age-adjusted "
            "rates found after 2018); overdose values for 2021 are empty in this edition. "
            "Copy from GitHub kchanakya91/Heart-stroke-prediction at commit f630fc4e.",
    retrieved="2022-12-10")
COUNTY = _nchs_file(
    id="nchs-drug-poisoning-county",
    title="NCHS - Drug Poisoning Mortality by County: United States (model-based estimates, "
          "1999-2016)",
    url="https://data.cdc.gov/NCHS/NCHS-Drug-Poisoning-Mortality-by-County-United-Sta/pbkm-d27e",
    file="nchs_drug_poisoning_county/NCHS_-_Drug_Poisoning_Mortality_by_County__United_States.csv",
    caveats="Model-based (small-area) age-adjusted death rates, published only as one of 16 "
            "ranges (<2, 2-3.9, ..., 30+ per 100,000); the value kept is the range's lower "
            "bound. Counties as NCHS coded them, including five codes the Census has since "
            "retired (Alaska 02201, 02232, 02270, 02280; Shannon County SD, 46113, now Oglala "
            "Lakota 46102). Colorado's Adams, Broomfield, Jefferson and Weld counties (08001, "
            "08014, 08059, 08123), redrawn when Broomfield was created in 2001, are absent "
            "from the file. The URL is an earlier edition of the dataset; this 1999-2016 "
            "edition's id is not verified. Copy from GitHub GabrielKahn/County-Health-Report "
            "at commit 9246bc88, which renamed the rate column.", retrieved="2019-05-04")

# County codes in the NCHS file that no Census file of the atlas defines; the place is named
# from the NCHS file so its rows stay attached to the area they describe.
RETIRED_COUNTIES = {
    "02201",  # Prince of Wales-Outer Ketchikan, split in 2008
    "02232",  # Skagway-Hoonah-Angoon, split in 2007
    "02270",  # Wade Hampton, renamed Kusilvak (02158) in 2015
    "02280",  # Wrangell-Petersburg, split in 2008
    "46113",  # Shannon County SD, renamed Oglala Lakota (46102) in 2015
}
COUNTY_RATE_COLUMNS = ("Estimated_Age_Adjusted_Death_Rate",  # as renamed in the copy
                       "Estimated Age-adjusted Death Rate, 16 Categories (in ranges)")
_BIN = re.compile(r"^(?:<\s*\d+(?:\.\d+)?|(?P<low>\d+(?:\.\d+)?)\s*(?:-\s*\d+(?:\.\d+)?|\+))$")
_QUARTER = re.compile(r"^(?P<year>\d{4}) Q(?P<quarter>[1-4])$")


def read(raw_dir: Path) -> ReadResult:
    raw_dir = Path(raw_dir)
    observations = UniqueObservations()
    _read_state_final(raw_dir / STATE_FINAL.file, observations)
    _read_sosmap(raw_dir / SOSMAP.file, observations)
    _read_quarterly(raw_dir / QUARTERLY.file, observations)
    retired_places = _read_county(raw_dir / COUNTY.file, observations)
    return ReadResult(sources=[STATE_FINAL, SOSMAP, QUARTERLY, COUNTY], places=retired_places,
                      observations=observations.items)


def _rate(path: Path, row_no: int, column: str, text: str) -> float | None:
    """A rate rounded half-up to one decimal, as NCHS prints it; blank -> None."""
    value = parse_count(path, row_no, column, text)
    if value is None:
        return None
    try:
        return float(Decimal(text.strip()).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # e.g. "1e3": parse_count accepted it, Decimal may not
        return round(value, 1)


def _year(path: Path, row_no: int, column: str, text: str) -> str:
    text = (text or "").strip()
    if not (len(text) == 4 and text.isdigit()):
        raise SourceError(path, f"not a year: {text!r}", row_no, column)
    return text


# State-years NCHS itself says are undercounted (see its notes on this dataset).
UNDERCOUNTED = {("34", "2009"), ("54", "2005"), ("54", "2009")}
# Census has no state population before 2010 here; the population NCHS divided by fills
# 1999-2009, so counts from those years (arrests 2008-2009) can be set against it.
POPULATION_BEFORE = 2010


def _add_deaths_and_rate(path: Path, source: str, row_no: int, fips: str, year: str, deaths: str,
                         rate: str, columns: tuple[str, str],
                         observations: UniqueObservations) -> None:
    flags = frozenset({"partial"}) if (fips, year) in UNDERCOUNTED else frozenset()
    count = parse_count(path, row_no, columns[0], deaths, allow_blank=False)
    observations.add(path, Obs(fips, DEATHS, year, count, source, flags, row_no), columns[0])
    value = _rate(path, row_no, columns[1], rate)
    if value is None:
        raise SourceError(path, "blank rate", row_no, columns[1])
    observations.add(path, Obs(fips, RATE, year, value, source, flags, row_no), columns[1])


# The nation's non-Hispanic Black residents (Census bridged-race estimates NCHS divided by), to
# set beside the Black share of drug arrests (FBI Table 43A). Only Black is read: the FBI's
# "white" includes most Hispanic arrestees, so no population here matches it.
BLACK = "Non-Hispanic Black"
BLACK_POPULATION = "population_non_hispanic_black"
BLACK_SHARE = "population_share_non_hispanic_black"


def _read_state_final(path: Path, observations: UniqueObservations) -> None:
    columns = ("Deaths", "Age-adjusted Rate")
    required = ["State", "Year", "Sex", "Age Group", "Race and Hispanic Origin", "Population",
                *columns]
    everyone: dict[str, tuple[float, int]] = {}  # year -> U.S. all-races population, row
    black: dict[str, tuple[float, int]] = {}
    for row_no, row in read_csv(path, required):
        group = (row["Sex"], row["Age Group"], row["Race and Hispanic Origin"])
        if row["State"].strip() == "United States" and group[:2] == ("Both Sexes", "All Ages"):
            year = _year(path, row_no, "Year", row["Year"])
            found = {"All Races-All Origins": everyone, BLACK: black}.get(group[2])
            if found is not None:
                found[year] = (parse_count(path, row_no, "Population", row["Population"],
                                           allow_blank=False), row_no)
        # Only the United States rows are broken down; each place has one all-groups row a year.
        if group != ("Both Sexes", "All Ages", "All Races-All Origins"):
            continue
        fips = state_fips(path, row_no, "State", row["State"])
        year = _year(path, row_no, "Year", row["Year"])
        _add_deaths_and_rate(path, STATE_FINAL.id, row_no, fips, year, row["Deaths"],
                             row["Age-adjusted Rate"], columns, observations)
        if int(year) < POPULATION_BEFORE:
            population = parse_count(path, row_no, "Population", row["Population"],
                                     allow_blank=False)
            observations.add(path, Obs(fips, "population", year, population, STATE_FINAL.id,
                                       row=row_no), "Population")
    for year, (people, row_no) in sorted(black.items()):
        if year not in everyone:
            raise SourceError(path, f"no all-races United States row for {year}", row_no,
                              "Race and Hispanic Origin")
        observations.add(path, Obs(NATION_FIPS, BLACK_POPULATION, year, people, STATE_FINAL.id,
                                   row=row_no), "Population")
        # Both populations from the same file and year: the share is on one basis.
        share = float(Decimal(repr(people / everyone[year][0] * 100)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP))
        observations.add(path, Obs(NATION_FIPS, BLACK_SHARE, year, share, STATE_FINAL.id,
                                   row=row_no), "Population")


def _read_sosmap(path: Path, observations: UniqueObservations) -> None:
    columns = ("DEATHS", "RATE")
    for row_no, row in read_csv(path, ["YEAR", "STATE", *columns]):
        fips = state_fips(path, row_no, "STATE", row["STATE"])
        if _year(path, row_no, "YEAR", row["YEAR"]) != SOSMAP_YEAR:
            continue
        _add_deaths_and_rate(path, SOSMAP.id, row_no, fips, SOSMAP_YEAR, row["DEATHS"],
                             row["RATE"], columns, observations)


def _read_quarterly(path: Path, observations: UniqueObservations) -> None:
    """Melt the wide per-state columns of the 12-months-ending-Q4 age-adjusted overdose rows."""
    place_columns = {"Overall Rate": NATION_FIPS} | {
        f"Rate {name}": fips for fips, (_, name) in STATES.items()}
    required = ["Year and Quarter", "Time Period", "Cause of Death", "Rate Type", *place_columns]
    for row_no, row in read_csv(path, required):
        if (row["Cause of Death"], row["Time Period"], row["Rate Type"]) != (
                "Drug overdose", "12 months ending with quarter", "Age-adjusted"):
            continue
        match = _QUARTER.match(row["Year and Quarter"].strip())
        if match is None:
            raise SourceError(path, f"not a year and quarter: {row['Year and Quarter']!r}",
                              row_no, "Year and Quarter")
        if match["quarter"] != "4" or int(match["year"]) < FIRST_QUARTERLY_YEAR:
            continue
        # A quarter the edition has not filled in yet is absent, not suppressed.
        if all(not (row[column] or "").strip() for column in place_columns):
            continue
        for column, fips in place_columns.items():
            value = _rate(path, row_no, column, row[column])
            flags = {"provisional"} if value is not None else {"provisional", "suppressed"}
            observations.add(path, Obs(fips, RATE, match["year"], value, QUARTERLY.id,
                                       frozenset(flags), row_no), column)


def _read_county(path: Path, observations: UniqueObservations) -> list[Place]:
    """County rate bins; returns places for the county codes the Census files no longer have."""
    retired: dict[str, Place] = {}
    rate_column = None
    for row_no, row in read_csv(path, ["FIPS", "Year", "County"]):
        if rate_column is None:
            rate_column = next((c for c in COUNTY_RATE_COLUMNS if c in row), None)
            if rate_column is None:
                raise SourceError(path, f"missing rate column {COUNTY_RATE_COLUMNS[1]!r}", 0,
                                  COUNTY_RATE_COLUMNS[1])
        fips = _county_fips(path, row_no, row["FIPS"])
        year = _year(path, row_no, "Year", row["Year"])
        low = _bin_lower_bound(path, row_no, rate_column, row[rate_column])
        observations.add(path, Obs(fips, COUNTY_BIN, year, low, COUNTY.id,
                                   frozenset({"binned"}), row_no), rate_column)
        if fips in RETIRED_COUNTIES:
            name = row["County"].rsplit(",", 1)[0].strip()
            retired.setdefault(fips, Place(fips, name, "county"))
    return sorted(retired.values(), key=lambda place: place.fips)


def _county_fips(path: Path, row_no: int, text: str) -> str:
    """Five-digit county FIPS; the file writes it as an integer without the leading zero."""
    text = (text or "").strip()
    if not (text.isdigit() and 4 <= len(text) <= 5 and text.zfill(5)[:2] in STATES):
        raise SourceError(path, f"not a county FIPS code of a state: {text!r}", row_no, "FIPS")
    return text.zfill(5)


def _bin_lower_bound(path: Path, row_no: int, column: str, text: str) -> float:
    """Lower bound of a published range: "<2" -> 0, "2-3.9" -> 2, "30+" -> 30."""
    match = _BIN.match((text or "").strip())
    if match is None:
        raise SourceError(path, f"not a rate range: {text!r}", row_no, column)
    return float(match["low"]) if match["low"] is not None else 0.0
