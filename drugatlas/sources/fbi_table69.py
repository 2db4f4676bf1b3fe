"""FBI Crime in the United States, Table 69 "Arrests by State": state drug arrests by year.

Reads the FBI's own Excel tables (.xls to 2021, .xlsx from 2022). Their layouts shift between
editions, so the header row is searched for and every column is found by its name. Each state
has two rows, "Under 18" and "Total all ages"; agencies and population sit on one of them.

Counts are arrests reported by agencies that sent 12 months of data, not estimates. A state with
no agencies (or absent from a year's table) is no data, never zero. States the FBI footnotes as
"Limited data", and states whose agencies have no population attached (DC's Metro Transit
Police, Florida's tribes in 2021), are flagged "partial". The pipeline adds "low_coverage".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .common import FIPS_BY_NAME, STATES, parse_count
from .records import Obs, ReadResult, SourceError, SourceInfo

FOLDER = "fbi-cius-table69-arrests-by-state"
# The abridged 2016 edition numbered its state table 22, and no copy of it is in the raw folder.
YEARS = (*range(2008, 2016), *range(2017, 2025))
PUBLISHER = "Federal Bureau of Investigation, Uniform Crime Reporting Program"
LICENCE = "Public domain (U.S. government work, 17 U.S.C. 105)"
RETRIEVED = "2025-11-11"  # snapshot of the GitHub copy (kviknakjartan/ucr-dash) the files came from
THIRD_PARTY_COPY = (
    "Read from a byte-for-byte third-party copy of the FBI's Excel file (GitHub "
    "kviknakjartan/ucr-dash, commit 00e0b649), not a fresh download.")

DRUG_COLUMN = "drug abuse violations"
AGENCIES_COLUMN = "number of agencies"
POPULATION_COLUMN = re.compile(r"^(\d{4}) estimated population$")
UNDER_18, ALL_AGES = "under 18", "total all ages"

# Rows a table may carry that are not one of the 50 states and DC.
NON_STATES = frozenset({
    "total", "total all states", "united states", "puerto rico", "guam", "u.s. virgin islands",
    "virgin islands", "american samoa", "northern mariana islands", "canal zone",
})

MEASURES = ("drug_arrests", "drug_arrests_under_18", "arrest_reporting_agencies",
            "arrest_population_covered")


@dataclass(frozen=True)
class StateRow:
    """One state's figures in one year's table, as printed (None = blank cell)."""

    fips: str
    abbr: str
    footnotes: tuple[str, ...]  # footnote numbers attached to the state's name
    agencies: float | None
    population: float | None
    drug_arrests: float | None
    drug_arrests_under_18: float | None
    row: int  # spreadsheet row of the state's first line (1-based, as Excel shows it)


@dataclass(frozen=True)
class Table:
    year: int
    file: str  # relative to the raw folder
    rows: tuple[StateRow, ...]
    footnotes: dict[str, str]  # number -> text
    note: str

    def footnote_text(self, row: StateRow) -> str:
        return " ".join(self.footnotes[n] for n in row.footnotes)

    def is_limited(self, row: StateRow) -> bool:
        """The FBI says only limited data were available for this state in this year."""
        return any("limited data" in self.footnotes[n].lower() for n in row.footnotes)


def read(raw_dir: Path) -> ReadResult:
    result = ReadResult()
    for table in _tables(Path(raw_dir)):
        source = _source_info(table)
        result.sources.append(source)
        result.observations += _observations(table, source.id)
    return result


def footnotes(raw_dir: Path) -> dict[tuple[str, int], str]:
    """The FBI's footnote text attached to each state's name, by (USPS code, year)."""
    return {(row.abbr, table.year): table.footnote_text(row)
            for table in _tables(Path(raw_dir)) for row in table.rows if row.footnotes}


def table_files(raw_dir: Path) -> dict[int, Path]:
    """The Excel file of each year present, by year; two files for one year is an error."""
    folder = Path(raw_dir) / FOLDER / "raw"
    files: dict[int, Path] = {}
    for path in sorted(folder.glob("table69_*.xls*")):
        match = re.fullmatch(r"table69_(\d{4})\.xlsx?", path.name)
        if not match:
            raise SourceError(path, "file name is not table69_<YEAR>.xls or .xlsx")
        year = int(match.group(1))
        if year in files:
            raise SourceError(path, f"a second table for {year} (also {files[year].name})")
        files[year] = path
    if not files:
        raise SourceError(folder, "no table69_<YEAR>.xls(x) files")
    return files


def parse_table(path: Path, raw_dir: Path | None = None) -> Table:
    """One year's table: every state's row, the footnotes and the NOTE."""
    path = Path(path)
    year = int(re.search(r"(\d{4})", path.name).group(1))
    cells = _sheet_cells(path)
    header_at = _header_row(path, cells)
    header = cells[header_at]
    columns = _columns(path, header, header_at, year)
    label_col = _label_column(path, cells, header_at)
    state_col = next(i for i, text in enumerate(header) if _normal(text) == "state")

    blocks: list[tuple[str, int, dict[str, list]]] = []  # (state cell, row, label -> cells)
    end = len(cells)
    for i in range(header_at + 1, len(cells)):
        line = cells[i]
        name = _text(line[state_col])
        if _is_footnote(name):
            end = i
            break
        label = _normal(line[label_col]) if label_col < len(line) else ""
        if name:
            blocks.append((name, i + 1, {}))
        if not label:
            if name:
                raise SourceError(path, f"state {name!r} has no 'Under 18' label", i + 1,
                                  "label")
            continue
        if label not in (UNDER_18, ALL_AGES):
            raise SourceError(path, f"unexpected row label {line[label_col]!r}", i + 1, "label")
        if not blocks:
            raise SourceError(path, "figures before the first state name", i + 1, "State")
        if label in blocks[-1][2]:
            raise SourceError(path, f"second {label!r} row for {blocks[-1][0]!r}", i + 1, "label")
        blocks[-1][2][label] = (i + 1, line)

    notes, note = _footnotes(path, cells[end:], end)
    rows: list[StateRow] = []
    seen: dict[str, int] = {}
    for name_cell, row_no, lines in blocks:
        name, numbers = _split_footnote_marks(name_cell)
        if name.lower() in NON_STATES:
            continue  # territories and totals are not states
        fips = FIPS_BY_NAME.get(name.lower())
        if fips is None or fips == "00":
            raise SourceError(path, f"unknown state {name_cell!r}", row_no, "State")
        if fips in seen:
            raise SourceError(path, f"{name!r} appears twice (first at row {seen[fips]})",
                              row_no, "State")
        seen[fips] = row_no
        for number in numbers:
            if number not in notes:
                raise SourceError(path, f"footnote {number} of {name!r} has no text", row_no,
                                  "State")
        rows.append(_state_row(path, fips, numbers, lines, columns, row_no))
    file = str(path.relative_to(raw_dir)) if raw_dir else path.name
    return Table(year, file, tuple(rows), notes, note)


def _tables(raw_dir: Path) -> list[Table]:
    return [parse_table(path, raw_dir) for _, path in sorted(table_files(raw_dir).items())]


def _observations(table: Table, source: str) -> list[Obs]:
    period = str(table.year)
    observations: list[Obs] = []
    for row in table.rows:
        values = dict(zip(MEASURES, (row.drug_arrests, row.drug_arrests_under_18, row.agencies,
                                     row.population)))
        if not row.agencies:
            # A blank row: no data, never zero. Where a footnote says only limited data were
            # available (Iowa 2018), that is the reason given; "no agency reported" is not.
            why = "limited_data" if table.is_limited(row) else "no_reporting"
            observations += [Obs(row.fips, measure, period, None, source,
                                 frozenset({why}), row.row) for measure in MEASURES]
            continue
        flags = {"partial"} if table.is_limited(row) else set()
        if not row.population:
            # Agencies with no population attached (DC Metro Transit Police, tribal police):
            # the main agencies are missing and the covered population is unknown, not zero.
            flags.add("partial")
            values["arrest_population_covered"] = None
        for measure, value in values.items():
            blank = value is None and measure != "arrest_population_covered"
            observations.append(Obs(row.fips, measure, period, value, source,
                                    frozenset(flags | {"no_reporting"} if blank else flags),
                                    row.row))
    for fips in sorted(set(STATES) - {row.fips for row in table.rows}):
        # Left out of the year's table (DC 2010 and 2012, Hawaii 2011): the FBI gives no row
        # and no reason, so the value is "not published", not "no agency reported".
        observations += [Obs(fips, measure, period, None, source, frozenset({"not_published"}))
                         for measure in MEASURES]
    return observations


def _source_info(table: Table) -> SourceInfo:
    caveats = [table.note, THIRD_PARTY_COPY]
    by_number: dict[str, list[str]] = {}
    for row in table.rows:
        for number in row.footnotes:
            by_number.setdefault(number, []).append(row.abbr)
    caveats += [f"Footnote {n} ({', '.join(abbrs)}): {table.footnotes[n]}"
                for n, abbrs in sorted(by_number.items(), key=lambda item: int(item[0]))]
    return SourceInfo(
        id=f"fbi-cius-table69-{table.year}", publisher=PUBLISHER,
        title=f"Crime in the United States {table.year}, Table 69: Arrests by State",
        url=_official_url(table.year), file=table.file, licence=LICENCE,
        caveats=" ".join(c for c in caveats if c), retrieved=RETRIEVED)


def _official_url(year: int) -> str:
    """Where the FBI published the table: www2.fbi.gov to 2009, ucr.fbi.gov to 2019, then CDE."""
    if year <= 2009:
        return f"https://www2.fbi.gov/ucr/cius{year}/data/table_69.html"
    if year <= 2019:
        topic = "topic-pages/" if year in (2017, 2018) else ""
        return (f"https://ucr.fbi.gov/crime-in-the-u.s/{year}/crime-in-the-u.s.-{year}/"
                f"{topic}tables/table-69")
    # From 2020 the table ships in the Crime Data Explorer "Persons Arrested" downloads.
    return "https://cde.ucr.cjis.gov/LATEST/webapp/#/pages/downloads"


def _state_row(path: Path, fips: str, numbers: tuple[str, ...], lines: dict, columns: dict,
               row_no: int) -> StateRow:
    for label in (UNDER_18, ALL_AGES):
        if label not in lines:
            raise SourceError(path, f"no {label!r} row for {STATES[fips][1]}", row_no, "label")

    def count(label: str, key: str) -> float | None:
        line_no, line = lines[label]
        index, name = columns[key]
        return parse_count(path, line_no, name, line[index] if index < len(line) else "")

    def state_level(key: str) -> float | None:
        """Agencies and population are printed once per state, on either of its rows."""
        found = [count(label, key) for label in (UNDER_18, ALL_AGES)]
        values = {v for v in found if v is not None}
        if len(values) > 1:
            raise SourceError(path, f"two different values {sorted(values)} for "
                                    f"{STATES[fips][1]}", row_no, columns[key][1])
        return values.pop() if values else None

    return StateRow(fips=fips, abbr=STATES[fips][0], footnotes=numbers,
                    agencies=state_level("agencies"), population=state_level("population"),
                    drug_arrests=count(ALL_AGES, "drug"),
                    drug_arrests_under_18=count(UNDER_18, "drug"), row=row_no)


def _sheet_cells(path: Path) -> list[list]:
    """The first sheet's cells as lists of values, blank cells as ""."""
    try:
        if path.suffix == ".xls":
            import xlrd

            sheet = xlrd.open_workbook(path).sheet_by_index(0)
            return [sheet.row_values(i) for i in range(sheet.nrows)]
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return [["" if v is None else v for v in line]
                    for line in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    except FileNotFoundError:
        raise SourceError(path, "file not found") from None
    except Exception as e:  # xlrd/openpyxl raise many types for a damaged workbook
        raise SourceError(path, f"not a readable Excel workbook ({e})") from None


def _header_row(path: Path, cells: list[list]) -> int:
    for i, line in enumerate(cells):
        if any(_normal(c) == "state" for c in line):
            return i
    raise SourceError(path, "no header row with a 'State' column")


def _columns(path: Path, header: list, header_at: int, year: int) -> dict[str, tuple[int, str]]:
    """Index and printed name of the drug, agencies and population columns."""
    found: dict[str, tuple[int, str]] = {}
    for i, cell in enumerate(header):
        name = _header_name(cell)
        printed = " ".join(_text(cell).split())
        if name == DRUG_COLUMN:
            key = "drug"
        elif name == AGENCIES_COLUMN:
            key = "agencies"
        elif POPULATION_COLUMN.match(name):
            if int(POPULATION_COLUMN.match(name).group(1)) != year:
                raise SourceError(path, f"population column is for another year than {year}",
                                  header_at + 1, printed)
            key = "population"
        else:
            continue
        if key in found:
            raise SourceError(path, f"two columns named {printed!r}", header_at + 1, printed)
        found[key] = (i, printed)
    for key, wanted in (("drug", "Drug abuse violations"), ("agencies", "Number of agencies"),
                        ("population", f"{year} estimated population")):
        if key not in found:
            raise SourceError(path, f"no column {wanted!r} in the header", header_at + 1, wanted)
    return found


def _label_column(path: Path, cells: list[list], header_at: int) -> int:
    """The unnamed column that says "Under 18" or "Total all ages"."""
    for line in cells[header_at + 1:header_at + 4]:
        for i, cell in enumerate(line):
            if _normal(cell) in (UNDER_18, ALL_AGES):
                return i
    raise SourceError(path, "no 'Under 18' / 'Total all ages' row labels under the header",
                      header_at + 2)


def _footnotes(path: Path, lines: list[list], offset: int) -> tuple[dict[str, str], str]:
    """Numbered footnotes ("5 Limited data ...", "5Limited ...") and the NOTE under the table."""
    notes: dict[str, str] = {}
    note = ""
    for i, line in enumerate(lines):
        text = " ".join(_text(line[0] if line else "").split())
        match = re.fullmatch(r"(\d{1,2})\s*(\D.*)", text)
        if match:
            if match.group(1) in notes:
                raise SourceError(path, f"footnote {match.group(1)} appears twice",
                                  offset + i + 1, "State")
            notes[match.group(1)] = match.group(2)
        elif text.upper().startswith("NOTE"):
            note = text
    return notes, note


def _split_footnote_marks(cell: str) -> tuple[str, tuple[str, ...]]:
    """"DISTRICT OF COLUMBIA4, 5" -> ("DISTRICT OF COLUMBIA", ("4", "5"))."""
    match = re.fullmatch(r"(.*?[^\d\s,])\s*(\d+(?:\s*,\s*\d+)*)?", cell.strip())
    if not match:
        return cell.strip(), ()
    marks = tuple(n.strip() for n in (match.group(2) or "").split(",") if n.strip())
    return " ".join(match.group(1).split()), marks


def _is_footnote(text: str) -> bool:
    return bool(re.match(r"\d", text)) or text.upper().startswith("NOTE")


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def _normal(cell) -> str:
    """Text without line breaks or case: "Under 18", "Total\nall ages" -> "under 18" ..."""
    return " ".join(_text(cell).lower().split())


def _header_name(cell) -> str:
    """A header's name without its footnote mark: "Drunkenness3" -> "drunkenness"."""
    return re.sub(r"\d+$", "", _normal(cell)).strip()
