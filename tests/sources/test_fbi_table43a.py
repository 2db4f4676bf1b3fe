"""FBI Table 43A reader: national drug arrests by race from the FBI's Excel files."""
from __future__ import annotations

import csv
import shutil

import openpyxl
import pytest

from drugatlas import measures
from drugatlas.sources import fbi_table43a as t43
from drugatlas.sources.fbi_table69 import _sheet_cells
from drugatlas.sources.records import SourceError


def by_key(result):
    return {(o.measure, o.period): o.value for o in result.observations}


@pytest.fixture(scope="module")
def fixture_result(fixtures_dir):
    return t43.read(fixtures_dir)


def test_race_counts_of_each_layout(fixture_result):
    values = by_key(fixture_result)
    # 2004: "Table 43", one Asian or Pacific Islander category, no ethnicity.
    assert {m: values[(m, "2004")] for m in (
        "drug_arrests_race_total", "drug_arrests_white", "drug_arrests_black",
        "drug_arrests_american_indian", "drug_arrests_asian_pacific_islander")} == {
        "drug_arrests_race_total": 1_244_134, "drug_arrests_white": 821_047,
        "drug_arrests_black": 406_890, "drug_arrests_american_indian": 7_850,
        "drug_arrests_asian_pacific_islander": 8_347}
    assert ("drug_arrests_asian", "2004") not in values
    assert ("drug_arrests_hispanic", "2004") not in values
    # 2013 (.xls) and 2024 (.xlsx): Asian and NHPI apart, and ethnicity.
    assert [values[(m, "2013")] for m in ("drug_arrests_asian", "drug_arrests_pacific_islander",
                                          "drug_arrests_ethnicity_total",
                                          "drug_arrests_hispanic")] == \
        [12_930, 858, 628_248, 118_827]
    assert [values[(m, "2024")] for m in ("drug_arrests_race_total", "drug_arrests_white",
                                          "drug_arrests_black")] == [707_435, 477_040, 209_813]


def test_heading_gives_the_coverage(fixture_result):
    values = by_key(fixture_result)
    assert values[("drug_arrests_race_agencies", "2024")] == 13_980
    assert values[("drug_arrests_race_population_covered", "2024")] == 300_768_839
    assert values[("drug_arrests_race_agencies", "2004")] == 10_829


def test_observations_are_national_and_unflagged(fixture_result):
    for o in fixture_result.observations:
        assert o.fips == "00" and o.flags == frozenset()
        assert o.source == f"fbi-cius-table43a-{o.period}"
        assert o.measure in measures.BY_SLUG
    assert fixture_result.observations[0].row == 10  # the excerpt's Drug abuse violations row


def test_sources(fixture_result, fixtures_dir):
    sources = {s.id: s for s in fixture_result.sources}
    assert set(sources) == {"fbi-cius-table43a-2004", "fbi-cius-table43a-2013",
                            "fbi-cius-table43a-2024"}
    assert sources["fbi-cius-table43a-2004"].title == \
        "Crime in the United States 2004, Table 43: Arrests by Race"
    assert sources["fbi-cius-table43a-2013"].url == (
        "https://ucr.fbi.gov/crime-in-the-u.s/2013/crime-in-the-u.s.-2013/tables/table-43")
    assert "NIBRS" in sources["fbi-cius-table43a-2024"].caveats
    for s in sources.values():
        assert (fixtures_dir / s.file).is_file()
        assert "Hispanic" in s.caveats and "kviknakjartan/ucr-dash" in s.caveats


# --- bad input ---------------------------------------------------------------------------

@pytest.fixture
def edited(fixtures_dir, tmp_path):
    """The fixture tables in tmp_path, one year's rewritten as .xlsx after ``edit(cells)``."""
    def make(year: int, edit):
        source = fixtures_dir / t43.FOLDER / "raw"
        target = tmp_path / t43.FOLDER / "raw"
        target.mkdir(parents=True)
        for path in source.iterdir():
            if not path.name.startswith(f"table43A_{year}."):
                shutil.copy(path, target / path.name)
        cells = [list(line) for line in _sheet_cells(next(source.glob(f"table43A_{year}.*")))]
        edit(cells)
        book = openpyxl.Workbook()
        for line in cells:
            book.active.append([None if v == "" else v for v in line])
        book.save(target / f"table43A_{year}.xlsx")
        return tmp_path
    return make


def _drug_row(cells):
    return next(line for line in cells if line and line[0] == "Drug abuse violations")


def _set(row: int, column: int, value):
    def edit(cells):
        cells[row][column] = value
    return edit


@pytest.mark.parametrize("year, edit, row, column, message", [
    (2013, _set(2, 0, "by Race, 2012"), 3, "title", "not 2013"),
    (2013, _set(3, 0, "[11,951 agencies; 2012 estimated population 245,741,701]"), 4,
     "heading", "not 2013"),
    (2013, _set(3, 0, "11,951 agencies"), 1, "heading", "no '[N agencies"),
    (2013, _set(6, 5, "Asian American"), 7, "Asian American", "unknown race column"),
    (2004, _set(5, 3, "White"), 6, "Percent distribution", "percent columns do not match"),
])
def test_layout_changes_are_refused(edited, year, edit, row, column, message):
    with pytest.raises(SourceError) as err:
        t43.read(edited(year, edit))
    assert message in err.value.message
    assert (err.value.row, err.value.column) == (row, column)
    assert err.value.file.endswith(f"table43A_{year}.xlsx")


def test_counts_that_do_not_add_up_are_refused(edited):
    def edit(cells):
        _drug_row(cells)[2] = 815_180  # white one short
    with pytest.raises(SourceError, match="add up to 1,204,161, not the total 1,204,162") as err:
        t43.read(edited(2013, edit))
    assert (err.value.row, err.value.column) == (10, "Total")


def test_shifted_columns_fail_the_percent_check(edited):
    def edit(cells):
        line = _drug_row(cells)
        line[2], line[3] = line[3], line[2]  # White and Black swapped, sums unchanged
    with pytest.raises(SourceError, match="printed percent") as err:
        t43.read(edited(2013, edit))
    assert err.value.column == "White"


def test_two_drug_rows_are_refused(edited):
    def edit(cells):
        cells.insert(9, list(_drug_row(cells)))
    with pytest.raises(SourceError, match="2 'Drug abuse violations' rows"):
        t43.read(edited(2024, edit))


def test_a_file_name_without_its_year_is_refused(fixtures_dir, tmp_path):
    shutil.copytree(fixtures_dir / t43.FOLDER, tmp_path / t43.FOLDER)
    (tmp_path / t43.FOLDER / "raw" / "table43A_2024.xlsx").rename(
        tmp_path / t43.FOLDER / "raw" / "table43A_latest.xlsx")
    with pytest.raises(SourceError, match="file name is not"):
        t43.read(tmp_path)


# --- the real files ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(raw_dir):
    return t43.read(raw_dir)


@pytest.mark.rawdata
def test_real_years_and_counts(real):
    assert sorted({int(o.period) for o in real.observations}) == list(t43.YEARS)
    assert 2016 not in t43.YEARS and 2021 not in t43.YEARS
    assert len(real.sources) == 19
    assert len(real.observations) == 9 * 7 + 10 * 11  # 2004-2012: 7 measures; 2013 on: 11


@pytest.mark.rawdata
def test_real_values_equal_the_extract(raw_dir, real):
    values = by_key(real)
    columns = {"n_agencies": "drug_arrests_race_agencies",
               "pop_covered": "drug_arrests_race_population_covered",
               "drug_total": "drug_arrests_race_total", "drug_white": "drug_arrests_white",
               "drug_black": "drug_arrests_black",
               "drug_amer_indian_alaska_native": "drug_arrests_american_indian",
               "drug_asian": "drug_arrests_asian", "drug_nhpi": "drug_arrests_pacific_islander",
               "drug_asian_or_pacific_islander_pre2013": "drug_arrests_asian_pacific_islander",
               "eth_total_reported": "drug_arrests_ethnicity_total",
               "drug_hispanic": "drug_arrests_hispanic",
               "drug_not_hispanic": "drug_arrests_not_hispanic"}
    path = raw_dir / t43.FOLDER / "cius_table43A_national_drug_abuse_arrests_by_race_2004_2024.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 19
    for row in rows:
        for column, measure in columns.items():
            expected = float(row[column]) if row[column] else None
            assert values.get((measure, row["year"])) == expected, (row["year"], column)


@pytest.mark.rawdata
def test_real_spot_checks_from_provenance(real):
    values = by_key(real)

    def share(race, year):
        return round(values[(f"drug_arrests_{race}", year)]
                     / values[("drug_arrests_race_total", year)] * 100, 1)

    # 2014 adds up: 837,851 + 353,862 + 10,071 + 12,893 + 1,548 = 1,216,225.
    assert sum(values[(m, "2014")] for m in (
        "drug_arrests_white", "drug_arrests_black", "drug_arrests_american_indian",
        "drug_arrests_asian", "drug_arrests_pacific_islander")) == 1_216_225
    # Printed percents: 2019 71.2 / 26.1; 2020 72.4 / 24.7; 2024 67.4 / 29.7.
    assert [(share("white", y), share("black", y)) for y in ("2019", "2020", "2024")] == \
        [(71.2, 26.1), (72.4, 24.7), (67.4, 29.7)]
    assert values[("drug_arrests_black", "2019")] == 274_670
    # The Black share falls from 35.1% (2006-07) to 24.7% (2020), then rises to 29.7% (2024).
    assert [share("black", y) for y in ("2006", "2007", "2020", "2024")] == \
        [35.1, 35.1, 24.7, 29.7]
    # Against the CDE national reported file: 2014 1,252,378 (12,854 agencies) vs 1,216,225
    # (12,320 agencies) here; 2015 1,194,910 vs 1,136,950: Table 43A counts race reporters only.
    assert (values[("drug_arrests_race_total", "2014")],
            values[("drug_arrests_race_agencies", "2014")]) == (1_216_225, 12_320)
    assert values[("drug_arrests_race_total", "2015")] == 1_136_950
    assert values[("drug_arrests_race_agencies", "2020")] == 10_466
    assert values[("drug_arrests_race_population_covered", "2004")] == 209_670_409
