"""FBI Crime Data Explorer: national drug arrests reported by agencies, 1994-2016.

One row a year for the nation (FIPS "00"): total drug arrests, sale/manufacture and possession
with their UCR drug-type subcategories (18A-18H), the number of reporting agencies and the
population they cover. These are counts *reported* by the agencies that sent data, not the
FBI's national estimates, so arrest counts carry the "partial" flag.
"""
from __future__ import annotations

from pathlib import Path

from .common import NATION_FIPS, parse_count, read_csv
from .records import Obs, ReadResult, SourceError, SourceInfo
from .unique_obs import UniqueObservations
from .years import parse_year

FOLDER = "fbi-cde-national-drug-arrests"

SOURCE = SourceInfo(
    id="fbi-cde-arrests-national-drug",
    publisher="FBI Uniform Crime Reporting Program, Crime Data Explorer",
    title="Arrest data: national drug arrests, 1994-2016 (arrests_national_drug.csv, CDE bulk "
          "download)",
    url="https://cde.ucr.cjis.gov/",
    file=f"{FOLDER}/arrests_national_drug.csv",
    licence="Public domain (U.S. government work)",
    caveats="Arrests reported by the agencies that submitted data (2016: 13,310 agencies covering "
            "264.5 million people), not the FBI's national estimates, which add the agencies "
            "that did not report and are higher (2016: about 1.57 million against 1,285,186 "
            "here). Some agencies report only their total, so total drug arrests exceed "
            "possession plus sale/manufacture, and the drug-type subcategories need not add up "
            "exactly to their totals. Copy of the CDE bulk file re-uploaded to GitHub "
            "(mahatpalle2024/Uncovering-Trends-in-Drug-Related-Arrests-A-Two-Decade-Analysis, "
            "commit 1487ffc1), not compared with a fresh CDE download.",
)

# Column of the file -> measure. UCR subcategories: 18A-18D sale/manufacture, 18E-18H possession.
ARREST_COLUMNS = {
    "total_arrests": "drug_arrests",
    "total_manufacture": "drug_arrests_sale",
    "opioid_manufacture": "drug_arrests_sale_opium_cocaine",  # 18A
    "marijuana_manufacture": "drug_arrests_sale_marijuana",  # 18B
    "synthetic_manufacture": "drug_arrests_sale_synthetic_narcotics",  # 18C
    "other_manufacture": "drug_arrests_sale_other_drugs",  # 18D
    "total_possess": "drug_arrests_possession",
    "opioid_possess": "drug_arrests_possession_opium_cocaine",  # 18E
    "marijuana_possess": "drug_arrests_possession_marijuana",  # 18F
    "synthetic_possess": "drug_arrests_possession_synthetic_narcotics",  # 18G
    "other_possess": "drug_arrests_possession_other_drugs",  # 18H
}
COVERAGE_COLUMNS = {
    "agencies": "arrest_reporting_agencies",
    "population": "arrest_population_covered",
}
# Only the reporting agencies' arrests: part of the nation's, hence "partial".
ARREST_FLAGS = frozenset({"partial"})


def read(raw_dir: Path) -> ReadResult:
    path = Path(raw_dir) / SOURCE.file
    observations = UniqueObservations()
    columns = {**ARREST_COLUMNS, **COVERAGE_COLUMNS}
    for row_no, row in read_csv(path, required=["year", "state_abbr", *columns]):
        if (row["state_abbr"] or "").strip():
            # The national file has no state rows; one here means a different file.
            raise SourceError(path, f"expected national rows only, found state "
                                    f"{row['state_abbr']!r}", row_no, "state_abbr")
        year = parse_year(path, row_no, "year", row["year"])
        for column, measure in columns.items():
            value = parse_count(path, row_no, column, row[column], allow_blank=False)
            flags = ARREST_FLAGS if column in ARREST_COLUMNS else frozenset()
            observations.add(path, Obs(NATION_FIPS, measure, str(year), value, SOURCE.id,
                                       flags, row_no), "year")
    return ReadResult(sources=[SOURCE], observations=observations.items)
