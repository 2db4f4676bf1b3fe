"""New York DCJS adult arrests by county: drug felony and drug misdemeanor arrests, 1970-2019.

Emits both measures for each of the 62 counties (FIPS 36xxx) and for the state ("36"). The
state figure is the sum of every row of the year, including the two rows DCJS keeps for
arrests it cannot place in a county ("Unknown NYC county", "Unknown-NonNYS"); those two rows
are not counties and have no values of their own in the atlas.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .common import parse_count, read_csv
from .records import Obs, ReadResult, SourceError, SourceInfo
from .unique_obs import UniqueObservations
from .years import parse_year

FOLDER = "ny-dcjs-adult-arrests"
NY_FIPS = "36"

SOURCE = SourceInfo(
    id="ny-dcjs-adult-arrests-county",
    publisher="New York State Division of Criminal Justice Services (DCJS)",
    title="Adult Arrests 18 and Older by County: Beginning 1970",
    url="https://data.ny.gov/Public-Safety/Adult-Arrests-18-and-Older-by-County-Beginning-197/"
        "rikd-mt35",
    file=f"{FOLDER}/Adult_Arrests_18_and_Older_by_County___Beginning_1970.csv",
    licence="New York State government data, published on the state's open data portal "
            "(data.ny.gov); attribute to NYS DCJS",
    caveats="DCJS counts fingerprintable arrests of adults (18 and older) by top charge, so the "
            "figures leave out juveniles and most non-fingerprintable offences such as "
            "low-level marijuana tickets, and do not match FBI UCR drug arrests (which count "
            "all ages). No split into possession and sale, and no race. Statewide figures are "
            "this project's sum of all rows, including arrests DCJS could not place in a "
            "county. Copy from a personal dataset dump on GitHub (manjunath5496/CSV-Datasets_4, "
            "snapshot of 2020-05-12), not compared with a fresh download.",
)

MEASURES = {"Drug Felony": "drug_arrests_adult_felony",
            "Drug Misdemeanor": "drug_arrests_adult_misdemeanor"}

# The 62 counties as DCJS names them, with their FIPS codes.
COUNTY_FIPS = {
    "Albany": "36001", "Allegany": "36003", "Bronx": "36005", "Broome": "36007",
    "Cattaraugus": "36009", "Cayuga": "36011", "Chautauqua": "36013", "Chemung": "36015",
    "Chenango": "36017", "Clinton": "36019", "Columbia": "36021", "Cortland": "36023",
    "Delaware": "36025", "Dutchess": "36027", "Erie": "36029", "Essex": "36031",
    "Franklin": "36033", "Fulton": "36035", "Genesee": "36037", "Greene": "36039",
    "Hamilton": "36041", "Herkimer": "36043", "Jefferson": "36045", "Kings": "36047",
    "Lewis": "36049", "Livingston": "36051", "Madison": "36053", "Monroe": "36055",
    "Montgomery": "36057", "Nassau": "36059", "New York": "36061", "Niagara": "36063",
    "Oneida": "36065", "Onondaga": "36067", "Ontario": "36069", "Orange": "36071",
    "Orleans": "36073", "Oswego": "36075", "Otsego": "36077", "Putnam": "36079",
    "Queens": "36081", "Rensselaer": "36083", "Richmond": "36085", "Rockland": "36087",
    "St. Lawrence": "36089", "Saratoga": "36091", "Schenectady": "36093", "Schoharie": "36095",
    "Schuyler": "36097", "Seneca": "36099", "Steuben": "36101", "Suffolk": "36103",
    "Sullivan": "36105", "Tioga": "36107", "Tompkins": "36109", "Ulster": "36111",
    "Warren": "36113", "Washington": "36115", "Wayne": "36117", "Westchester": "36119",
    "Wyoming": "36121", "Yates": "36123",
}
# Arrests DCJS could not place in a county: part of the state's sum only.
UNPLACED_ROWS = frozenset({"Unknown NYC county", "Unknown-NonNYS"})


def read(raw_dir: Path) -> ReadResult:
    path = Path(raw_dir) / SOURCE.file
    observations = UniqueObservations()
    statewide: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0.0))
    counties_by_year: dict[int, set[str]] = defaultdict(set)
    unplaced_seen: dict[tuple[int, str], int] = {}
    for row_no, row in read_csv(path, required=["County", "Year", *MEASURES]):
        name = (row["County"] or "").strip()
        year = parse_year(path, row_no, "Year", row["Year"])
        values = {c: parse_count(path, row_no, c, row[c], allow_blank=False) for c in MEASURES}
        if name in COUNTY_FIPS:
            fips = COUNTY_FIPS[name]
            counties_by_year[year].add(fips)
            for column, measure in MEASURES.items():
                observations.add(path, Obs(fips, measure, str(year), values[column], SOURCE.id,
                                           row=row_no), "County")
        elif name in UNPLACED_ROWS:
            if (year, name) in unplaced_seen:
                raise SourceError(path, f"{name!r} appears twice in {year} (first at row "
                                        f"{unplaced_seen[year, name]})", row_no, "County")
            unplaced_seen[year, name] = row_no
        else:
            raise SourceError(path, f"unknown New York county {name!r}", row_no, "County")
        for column in MEASURES:
            statewide[year][column] += values[column]
    for year, sums in sorted(statewide.items()):
        # A year missing a county would understate the state: say so rather than hide it.
        flags = frozenset() if len(counties_by_year[year]) == len(COUNTY_FIPS) else {"partial"}
        for column, measure in MEASURES.items():
            observations.add(path, Obs(NY_FIPS, measure, str(year), sums[column], SOURCE.id,
                                       frozenset(flags)), "County")
    return ReadResult(sources=[SOURCE], observations=observations.items)
