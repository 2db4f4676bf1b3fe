"""U.S. Census Bureau population estimates: the nation, states and counties, 2010-2024.

States and the nation: Vintage 2019 for 2010-2019, Vintage 2024 for 2020-2024. Counties:
Vintage 2019 for 2010-2019, Vintage 2022 for 2020-2022 (no later county file was found).
This reader also defines the places every other reader refers to.
"""
from __future__ import annotations

from pathlib import Path

from .common import NATION_FIPS, STATES, parse_count, read_csv, state_fips
from .records import Obs, Place, ReadResult, SourceError, SourceInfo
from .unique_obs import UniqueObservations

FOLDER = "census_popest"
PUBLISHER = "U.S. Census Bureau"
LICENCE = "Public domain (U.S. government work)"
PUERTO_RICO = "72"  # in the files, outside the atlas
NATION_LEVEL, STATE_LEVEL, COUNTY_LEVEL = 10, 40, 50  # SUMLEV codes; region/division are skipped

_VINTAGES_CAVEAT = ("Estimates of July 1 resident population. Vintages are not bridged: a later "
                    "vintage revises earlier years, so the series steps where the vintage changes.")


def _census_file(name: str, official_path: str, title: str, caveats: str,
                 retrieved: str = "") -> SourceInfo:
    """A Census Bureau file of this folder; ``official_path`` is under the PEP datasets address."""
    return SourceInfo(
        id=f"census-{name.lower().removesuffix('-alldata.csv')}", publisher=PUBLISHER,
        title=title, url=f"https://www2.census.gov/programs-surveys/popest/datasets/"
                         f"{official_path}/{name}",
        file=f"{FOLDER}/{name}", licence=LICENCE, caveats=caveats, retrieved=retrieved)


NST_2019 = _census_file(
    "nst-est2019-alldata.csv", "2010-2019/national/totals",
    "Annual Estimates of the Resident Population for the United States, Regions, States, and "
    "Puerto Rico: April 1, 2010 to July 1, 2019 (Vintage 2019)",
    f"Used for 2010-2019. {_VINTAGES_CAVEAT} Copy from GitHub mohnatus/covid-19 at commit "
    "52b79d62, with the official header.")
NST_2024 = _census_file(
    "NST-EST2024-ALLDATA.csv", "2020-2024/state/totals",
    "Annual Estimates of the Resident Population for the United States, Regions, States, "
    "District of Columbia, and Puerto Rico: April 1, 2020 to July 1, 2024 (Vintage 2024)",
    f"Used for 2020-2024. {_VINTAGES_CAVEAT} Copy from GitHub "
    "lalavender112/data-analysis-protfolio at commit 40fcc52a.", retrieved="2025-09-01")
CO_2019 = _census_file(
    "co-est2019-alldata.csv", "2010-2019/counties/totals",
    "County Population Totals: April 1, 2010 to July 1, 2019 (Vintage 2019)",
    "Used for counties 2010-2019. The copy (GitHub ameliahg/PSCI232, commit 21489c1f) was "
    "re-saved by a spreadsheet: leading zeros of the codes were stripped and are restored here, "
    "and one name was garbled ('DoÒa Ana'), so county names come from the Vintage 2022 file "
    "where it has the county. Geography of 2019: Connecticut's 8 counties and Alaska's "
    "Valdez-Cordova Census Area (02261), which later files replace.")
CO_2022 = _census_file(
    "co-est2022-alldata.csv", "2020-2022/counties/totals",
    "County Population Totals: April 1, 2020 to July 1, 2022 (Vintage 2022)",
    "Used for counties 2020-2022; Vintage 2024 state totals supersede its state sums, so "
    "counties need not add up to the state figure. Geography of 2022: Connecticut appears as "
    "its 9 planning regions (09110-09190) instead of its 8 former counties, and Alaska's "
    "Chugach (02063) and Copper River (02066) Census Areas replace Valdez-Cordova (02261); "
    "both old and new units are kept, each with its own years. Leading zeros stripped in the "
    "copy (GitHub npchiang/ssi_final, commit 305dc59a) are restored; the truncated name "
    "'Lower Connecticut River Valley Planning Regio' is completed.", retrieved="2024-02-27")


def read(raw_dir: Path) -> ReadResult:
    raw_dir = Path(raw_dir)
    observations = UniqueObservations()
    _read_state_file(raw_dir / NST_2019.file, NST_2019.id, range(2010, 2020), observations)
    _read_state_file(raw_dir / NST_2024.file, NST_2024.id, range(2020, 2025), observations)
    county_names: dict[str, str] = {}
    # The later file is read second so its (cleaner) names win for counties in both.
    _read_county_file(raw_dir / CO_2019.file, CO_2019.id, range(2010, 2020), observations,
                      county_names)
    _read_county_file(raw_dir / CO_2022.file, CO_2022.id, range(2020, 2023), observations,
                      county_names)
    places = [Place(NATION_FIPS, "United States", "nation", "US")]
    places += [Place(fips, name, "state", abbr) for fips, (abbr, name) in STATES.items()]
    places += [Place(fips, name, "county") for fips, name in sorted(county_names.items())]
    return ReadResult(sources=[NST_2019, NST_2024, CO_2019, CO_2022], places=places,
                      observations=observations.items)


def _population_columns(years: range) -> list[str]:
    return [f"POPESTIMATE{year}" for year in years]


def _add_populations(path: Path, source: str, fips: str, row_no: int, row: dict, years: range,
                     observations: UniqueObservations) -> None:
    for year, column in zip(years, _population_columns(years)):
        value = parse_count(path, row_no, column, row[column], allow_blank=False)
        observations.add(path, Obs(fips, "population", str(year), value, source, row=row_no),
                         column)


def _summary_level(path: Path, row_no: int, row: dict) -> int:
    text = (row["SUMLEV"] or "").strip()
    if not text.isdigit():
        raise SourceError(path, f"summary level is not a code: {text!r}", row_no, "SUMLEV")
    return int(text)


def _read_state_file(path: Path, source: str, years: range,
                     observations: UniqueObservations) -> None:
    required = ["SUMLEV", "STATE", "NAME", *_population_columns(years)]
    for row_no, row in read_csv(path, required):
        level = _summary_level(path, row_no, row)
        if level == NATION_LEVEL:
            fips = NATION_FIPS
        elif level == STATE_LEVEL:
            if row["STATE"].strip().zfill(2) == PUERTO_RICO:
                continue
            fips = state_fips(path, row_no, "STATE", row["STATE"])
        else:
            continue  # regions and divisions
        _add_populations(path, source, fips, row_no, row, years, observations)


def _read_county_file(path: Path, source: str, years: range, observations: UniqueObservations,
                      county_names: dict[str, str]) -> None:
    required = ["SUMLEV", "STATE", "COUNTY", "CTYNAME", *_population_columns(years)]
    for row_no, row in read_csv(path, required):
        level = _summary_level(path, row_no, row)
        if level == STATE_LEVEL:
            continue  # state totals repeat the state files
        if level != COUNTY_LEVEL:
            raise SourceError(path, f"unexpected summary level {row['SUMLEV']!r}", row_no, "SUMLEV")
        fips = _county_fips(path, row_no, row)
        if fips is None:
            continue
        county_names[fips] = _county_name(row["CTYNAME"])
        _add_populations(path, source, fips, row_no, row, years, observations)


def _county_fips(path: Path, row_no: int, row: dict) -> str | None:
    """Five-digit FIPS rebuilt from codes a spreadsheet may have stripped of leading zeros."""
    state, county = row["STATE"].strip(), row["COUNTY"].strip()
    if state.zfill(2) == PUERTO_RICO:
        return None
    if not state.isdigit() or state.zfill(2) not in STATES:
        raise SourceError(path, f"unknown state {row['STATE']!r}", row_no, "STATE")
    if not (county.isdigit() and len(county) <= 3):
        raise SourceError(path, f"county code is not 1-3 digits: {county!r}", row_no, "COUNTY")
    return state.zfill(2) + county.zfill(3)


def _county_name(name: str) -> str:
    name = name.strip()
    # The Census field is too short for one Connecticut planning region's name.
    if name.endswith(" Planning Regio"):
        name += "n"
    return name
