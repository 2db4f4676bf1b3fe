"""FBI Crime in the United States, Table 43A "Arrests by Race and Ethnicity": national drug
abuse violation arrests by race, 2004-2024 (Table 43 in 2004; no 2016 or 2021 table).

Reads the FBI's own Excel tables (.xls to 2020, .xlsx from 2022), one SourceInfo each; the
extract CSV beside them is the compiler's, used by the tests as a second reading. Layouts
shift between editions, so everything is found by its printed name:

* the year in the title ("by Race, 2004", "by Race and Ethnicity, 2019") and in the heading
  "[N agencies; YEAR estimated population P]" must be the file's year;
* column blocks are found from the "Total arrests" and "Percent distribution" headings: the
  first count block is race, a second (2013 on) ethnicity; each column by its category name
  (RACE_COLUMNS, ETHNICITY_COLUMNS: "Asian or Pacific Islander" to 2012, "Asian" and "Native
  Hawaiian or Other Pacific Islander" from 2013);
* the one "Drug abuse violations" row gives the values. Its printed percent distribution must
  match its counts (to the 0.1 the FBI prints), and the races must add up to the total, the
  ethnicities to theirs: a shifted column cannot pass.

Counts are arrests reported by the agencies that sent race (or, fewer, ethnicity) data for 12
months, not national estimates: the heading's agencies and population come with them as
``drug_arrests_race_agencies`` and ``drug_arrests_race_population_covered``. UCR "White"
includes most Hispanic arrestees. No flag: the FBI does not call the table incomplete.
"""
from __future__ import annotations

import re
from pathlib import Path

from drugatlas import formatting

from .common import NATION_FIPS, parse_count
from .fbi_table69 import LICENCE, PUBLISHER, RETRIEVED, THIRD_PARTY_COPY, _normal, _sheet_cells
from .records import Obs, ReadResult, SourceError, SourceInfo

FOLDER = "fbi-cius-table43a-national-arrests-by-race"
YEARS = (*range(2004, 2016), *range(2017, 2021), *range(2022, 2025))
DRUG_ROW = "drug abuse violations"
RACE_COLUMNS = {
    "total": "drug_arrests_race_total",
    "white": "drug_arrests_white",
    "black": "drug_arrests_black",
    "black or african american": "drug_arrests_black",
    "american indian or alaskan native": "drug_arrests_american_indian",
    "american indian or alaska native": "drug_arrests_american_indian",
    "asian or pacific islander": "drug_arrests_asian_pacific_islander",
    "asian": "drug_arrests_asian",
    "native hawaiian or other pacific islander": "drug_arrests_pacific_islander",
}
ETHNICITY_COLUMNS = {
    "total": "drug_arrests_ethnicity_total",
    "hispanic or latino": "drug_arrests_hispanic",
    "not hispanic or latino": "drug_arrests_not_hispanic",
}
COVERAGE_MEASURES = ("drug_arrests_race_agencies", "drug_arrests_race_population_covered")
HEADING = re.compile(r"\[([\d,]+) agencies; (\d{4}) estimated population ([\d,]+)\]")
TITLE_YEAR = re.compile(r"^by race(?: and ethnicity)?, (\d{4})$")


def read(raw_dir: Path) -> ReadResult:
    result = ReadResult()
    for year, path in sorted(table_files(raw_dir).items()):
        source = _source_info(Path(raw_dir), path, year)
        result.sources.append(source)
        result.observations += parse_table(path, year, source.id)
    return result


def table_files(raw_dir: Path) -> dict[int, Path]:
    """The Excel file of each year, by year; two files for one year is an error."""
    folder = Path(raw_dir) / FOLDER / "raw"
    files: dict[int, Path] = {}
    for path in sorted(folder.glob("table43A_*.xls*")):
        match = re.fullmatch(r"table43A_(\d{4})\.xlsx?", path.name)
        if not match:
            raise SourceError(path, "file name is not table43A_<YEAR>.xls or .xlsx")
        year = int(match.group(1))
        if year in files:
            raise SourceError(path, f"a second table for {year} (also {files[year].name})")
        files[year] = path
    if not files:
        raise SourceError(folder, "no table43A_<YEAR>.xls(x) files")
    return files


def parse_table(path: Path, year: int, source: str) -> list[Obs]:
    """The nation's drug-arrest figures of one year's table."""
    cells = _sheet_cells(Path(path))
    _check_title(path, cells, year)
    agencies, population, heading_row = _heading(path, cells, year)
    blocks, category_row = _blocks(path, cells, heading_row)
    drug_row = _drug_row(path, cells, category_row)
    line = cells[drug_row]
    period, row_no = str(year), drug_row + 1
    observations = [Obs(NATION_FIPS, COVERAGE_MEASURES[0], period, agencies, source, row=row_no),
                    Obs(NATION_FIPS, COVERAGE_MEASURES[1], period, population, source,
                        row=row_no)]
    counts_by_kind = {}
    for kind, counts, percents in blocks:
        values = {}
        for index, (measure, printed) in counts.items():
            value = parse_count(path, row_no, printed, line[index] if index < len(line) else "",
                                allow_blank=False)
            values[measure] = (value, printed)
        _check_sums(path, row_no, kind, values)
        _check_percents(path, row_no, line, values, percents)
        counts_by_kind[kind] = values
        observations += [Obs(NATION_FIPS, measure, period, value, source, row=row_no)
                         for measure, (value, _) in values.items()]
    if "race" not in counts_by_kind:
        raise SourceError(path, "no race columns", category_row + 1, "Total")
    return observations


def _check_title(path: Path, cells: list[list], year: int) -> None:
    for i, line in enumerate(cells[:6]):
        match = TITLE_YEAR.match(_normal(line[0] if line else ""))
        if match:
            if int(match.group(1)) != year:
                raise SourceError(path, f"the table is for {match.group(1)}, not {year}", i + 1,
                                  "title")
            return
    raise SourceError(path, "no title 'by Race, YEAR' in the first rows", 1, "title")


def _heading(path: Path, cells: list[list], year: int) -> tuple[float, float, int]:
    for i, line in enumerate(cells[:8]):
        match = HEADING.search(str(line[0]) if line else "")
        if match:
            if int(match.group(2)) != year:
                raise SourceError(path, f"the heading's population is for {match.group(2)}, not "
                                        f"{year}", i + 1, "heading")
            return (float(match.group(1).replace(",", "")),
                    float(match.group(3).replace(",", "")), i)
    raise SourceError(path, "no '[N agencies; YEAR estimated population P]' heading", 1,
                      "heading")


def _blocks(path: Path, cells: list[list], after: int):
    """[(kind, {column: (measure, printed name)}, {column: measure} of the percents)] and the
    row of the category names."""
    group_row = next((i for i in range(after + 1, min(after + 4, len(cells)))
                      if any(_normal(c).startswith("total arrests") for c in cells[i])), None)
    if group_row is None:
        raise SourceError(path, "no 'Total arrests' heading under the title", after + 2,
                          "Total arrests")
    starts = []  # (column, "count" | "percent")
    for j, cell in enumerate(cells[group_row]):
        text = _normal(cell)
        if text.startswith("total arrests"):
            starts.append((j, "count"))
        elif text.startswith("percent distribution"):
            starts.append((j, "percent"))
    category_row = next((i for i in range(group_row, min(group_row + 3, len(cells)))
                         if len(cells[i]) > 1 and _category(cells[i][1]) == "total"), None)
    if category_row is None:
        raise SourceError(path, "no row of category names starting with 'Total'",
                          group_row + 2, "Total")
    header = cells[category_row]
    blocks: list[list] = []  # [kind, counts, percents] in the order of the count blocks
    percent_blocks: list[dict] = []
    for k, (start, what) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(header)
        names = {j: _category(header[j]) for j in range(start, end) if _category(header[j])}
        if what == "count":
            kind = "race" if not blocks else "ethnicity"
            mapping = RACE_COLUMNS if kind == "race" else ETHNICITY_COLUMNS
            counts = {}
            for j, name in names.items():
                if name not in mapping:
                    raise SourceError(path, f"unknown {kind} column {header[j]!r}",
                                      category_row + 1, str(header[j]))
                counts[j] = (mapping[name], " ".join(str(header[j]).split()))
            blocks.append([kind, counts, {}])
        else:
            percent_blocks.append(names)
    if len(percent_blocks) != len(blocks):
        raise SourceError(path, "each 'Total arrests' block needs its 'Percent distribution'",
                          group_row + 1, "Percent distribution")
    for block, names in zip(blocks, percent_blocks):
        mapping = RACE_COLUMNS if block[0] == "race" else ETHNICITY_COLUMNS
        block[2] = {j: mapping.get(name) for j, name in names.items()}
        if sorted(filter(None, block[2].values())) != sorted(m for m, _ in block[1].values()):
            raise SourceError(path, f"the {block[0]} percent columns do not match its counts",
                              category_row + 1, "Percent distribution")
    return [tuple(b) for b in blocks], category_row


def _drug_row(path: Path, cells: list[list], after: int) -> int:
    found = [i for i in range(after + 1, len(cells))
             if cells[i] and _category(cells[i][0]) == DRUG_ROW]
    if len(found) != 1:
        raise SourceError(path, f"{len(found)} 'Drug abuse violations' rows, expected one",
                          None, "Offense charged")
    return found[0]


def _category(cell) -> str:
    """A printed category without line breaks, case or footnote mark: "Total2" -> "total"."""
    return re.sub(r"\d+$", "", _normal(cell)).strip()


def _check_sums(path: Path, row_no: int, kind: str, values: dict) -> None:
    total_measure = "drug_arrests_race_total" if kind == "race" else "drug_arrests_ethnicity_total"
    total, printed = values[total_measure]
    parts = sum(v for m, (v, _) in values.items() if m != total_measure)
    if parts != total:
        raise SourceError(path, f"the {kind} columns add up to {formatting.number(parts)}, not the total "
                                f"{total:,.0f}", row_no, printed)


def _check_percents(path: Path, row_no: int, line: list, values: dict,
                    percents: dict[int, str | None]) -> None:
    """Each printed percent within rounding of count / total ("*" is under 0.1 percent)."""
    total_measure = next(m for m in values if m.endswith("_total"))
    total = values[total_measure][0]
    for index, measure in percents.items():
        if measure is None or measure == total_measure:
            continue
        cell = line[index] if index < len(line) else ""
        share = values[measure][0] / total * 100 if total else 0.0
        if str(cell).strip() == "*":
            ok = share < 0.1
        else:
            printed = parse_count(path, row_no, values[measure][1], cell, allow_blank=False)
            ok = abs(printed - share) <= 0.051
        if not ok:
            raise SourceError(path, f"the printed percent {cell!r} for {values[measure][1]} "
                                    f"is not its count over the total ({share:.2f}): columns "
                                    f"shifted?", row_no, values[measure][1])


def _source_info(raw_dir: Path, path: Path, year: int) -> SourceInfo:
    number = "43" if year == 2004 else "43A"
    return SourceInfo(
        id=f"fbi-cius-table43a-{year}", publisher=PUBLISHER,
        title=f"Crime in the United States {year}, Table {number}: Arrests by Race"
              f"{' and Ethnicity' if year >= 2013 else ''}",
        url=_official_url(year), file=str(path.relative_to(raw_dir)), licence=LICENCE,
        caveats=("Arrests reported by the agencies that gave race data for 12 months, not "
                 "national estimates; ethnicity is reported by fewer agencies. UCR 'White' "
                 "includes most Hispanic arrestees. " + ("2019 on: affected by the move to "
                 "NIBRS. " if year >= 2019 else "") + THIRD_PARTY_COPY),
        retrieved=RETRIEVED)


def _official_url(year: int) -> str:
    """Where the FBI published the table (www2.fbi.gov to 2009, ucr.fbi.gov to 2019, CDE)."""
    if year == 2004:
        return "https://www2.fbi.gov/ucr/cius_04/"
    if year == 2005:
        return "https://www2.fbi.gov/ucr/05cius/data/table_43.html"
    if year <= 2009:
        return f"https://www2.fbi.gov/ucr/cius{year}/data/table_43.html"
    if year <= 2019:
        topic = "topic-pages/" if year in (2017, 2018) else ""
        return (f"https://ucr.fbi.gov/crime-in-the-u.s/{year}/crime-in-the-u.s.-{year}/"
                f"{topic}tables/table-43")
    return "https://cde.ucr.cjis.gov/LATEST/webapp/#/pages/downloads"
