"""FBI CIUS Table 69 reader: fixtures (excerpts of the FBI's workbooks) and the real files."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from drugatlas.sources import fbi_table69
from drugatlas.sources.common import STATES
from drugatlas.sources.records import SourceError

FOLDER = fbi_table69.FOLDER


def by_key(result):
    return {(o.fips, o.measure, o.period): o for o in result.observations}


@pytest.fixture(scope="module")
def fixture_result(fixtures_dir):
    return fbi_table69.read(fixtures_dir)


# --- fixtures: excerpts of 2018 and 2019 (.xls) and 2024 (.xlsx) -----------------------------

def test_fixture_reads_xls_and_xlsx_by_column_name(fixture_result):
    obs = by_key(fixture_result)
    assert obs[("06", "drug_arrests", "2019")].value == 212_417
    assert obs[("06", "drug_arrests_under_18", "2019")].value == 2_459
    assert obs[("06", "arrest_reporting_agencies", "2019")].value == 717
    assert obs[("06", "arrest_population_covered", "2019")].value == 38_183_434
    assert obs[("06", "drug_arrests", "2019")].flags == frozenset()
    assert obs[("36", "drug_arrests", "2024")].value == 33_824  # from the .xlsx
    assert obs[("06", "drug_arrests", "2019")].row == 7  # spreadsheet row of the state's name


def test_fixture_one_observation_per_state_measure_year(fixture_result):
    keys = [(o.fips, o.measure, o.period) for o in fixture_result.observations]
    assert len(keys) == len(set(keys)) == 3 * 51 * len(fbi_table69.MEASURES)


def test_no_agencies_is_no_data_never_zero(fixture_result):
    obs = by_key(fixture_result)  # Iowa 2018: "Limited data", every cell blank
    for measure in fbi_table69.MEASURES:
        o = obs[("19", measure, "2018")]
        # The footnote's reason, not an invented "no agency reported".
        assert o.value is None and o.flags == frozenset({"limited_data"})


def test_states_missing_from_a_table_are_no_data(fixture_result):
    o = by_key(fixture_result)[("02", "drug_arrests", "2019")]  # not in the excerpt
    # The table has no row and gives no reason: "not published", never "no agency reported".
    assert o.value is None and o.flags == {"not_published"}


def test_limited_data_footnote_flags_partial(fixture_result):
    obs = by_key(fixture_result)
    assert obs[("01", "drug_arrests", "2019")].value == 378
    assert obs[("01", "drug_arrests", "2019")].flags == {"partial"}
    assert obs[("12", "drug_arrests", "2024")].flags == {"partial"}
    assert obs[("48", "drug_arrests", "2019")].flags == frozenset()


def test_agencies_without_population_give_unknown_population(fixture_result):
    obs = by_key(fixture_result)  # DC 2018: Metro Transit Police and an arson unit, population 0
    assert obs[("11", "drug_arrests", "2018")].value == 290
    assert obs[("11", "drug_arrests", "2018")].flags == {"partial"}
    assert obs[("11", "arrest_population_covered", "2018")].value is None
    assert obs[("11", "arrest_population_covered", "2018")].flags == {"partial"}
    # From 2022 DC's table includes the city police and a population.
    assert obs[("11", "arrest_population_covered", "2024")].value == 702_250
    assert obs[("11", "arrest_population_covered", "2024")].flags == frozenset()


def test_footnotes_by_state_and_year(fixtures_dir):
    notes = fbi_table69.footnotes(fixtures_dir)
    assert notes[("AL", 2019)] == "Limited data for 2019 were available for Alabama."
    assert notes[("FL", 2024)].startswith("Limited data for 2024 were available for Florida. "
                                          "The Florida arrest counts")
    assert ("CA", 2019) not in notes


def test_one_source_per_workbook(fixture_result):
    sources = {s.id: s for s in fixture_result.sources}
    assert sorted(sources) == ["fbi-cius-table69-2018", "fbi-cius-table69-2019",
                               "fbi-cius-table69-2024"]
    s = sources["fbi-cius-table69-2019"]
    assert s.publisher == "Federal Bureau of Investigation, Uniform Crime Reporting Program"
    assert s.title == "Crime in the United States 2019, Table 69: Arrests by State"
    assert s.file == f"{FOLDER}/raw/table69_2019.xls"
    assert s.url == ("https://ucr.fbi.gov/crime-in-the-u.s/2019/crime-in-the-u.s.-2019/"
                     "tables/table-69")
    assert "public domain" in s.licence.lower()
    assert "Footnote 5 (AL): Limited data for 2019" in s.caveats
    assert s.caveats.startswith("NOTE: Because the number of agencies")


# --- bad input: a copy of the .xlsx fixture, changed one cell at a time ----------------------

def changed_copy(fixtures_dir: Path, tmp_path: Path, change) -> Path:
    """A raw folder holding only the 2024 fixture, with ``change(sheet)`` applied."""
    source = fixtures_dir / FOLDER / "raw" / "table69_2024.xlsx"
    target = tmp_path / FOLDER / "raw" / "table69_2024.xlsx"
    target.parent.mkdir(parents=True)
    shutil.copy(source, target)
    book = openpyxl.load_workbook(target)
    change(book.active)
    book.save(target)
    return tmp_path


def find(sheet, text: str):
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith(text):
                return cell
    raise AssertionError(text)


def test_columns_found_by_name_wherever_they_are(fixtures_dir, tmp_path):
    def move_drug_column(sheet):
        sheet.insert_cols(3)  # every column from C shifts one to the right
    raw = changed_copy(fixtures_dir, tmp_path, move_drug_column)
    assert by_key(fbi_table69.read(raw))[("36", "drug_arrests", "2024")].value == 33_824


def test_renamed_header_is_an_error_naming_the_column(fixtures_dir, tmp_path):
    raw = changed_copy(fixtures_dir, tmp_path,
                       lambda sheet: setattr(find(sheet, "Drug"), "value", "Drug offenses"))
    with pytest.raises(SourceError) as error:
        fbi_table69.read(raw)
    assert error.value.column == "Drug abuse violations" and error.value.row == 4
    assert "table69_2024.xlsx" in error.value.file


def test_negative_count_is_an_error(fixtures_dir, tmp_path):
    def negative(sheet):
        drug = find(sheet, "Drug").column
        sheet.cell(row=find(sheet, "NEW YORK").row + 1, column=drug).value = -5
    with pytest.raises(SourceError, match="negative") as error:
        fbi_table69.read(changed_copy(fixtures_dir, tmp_path, negative))
    assert error.value.row == 10 and error.value.column.startswith("Drug")


def test_text_in_a_count_is_an_error(fixtures_dir, tmp_path):
    def text(sheet):
        agencies = find(sheet, "Number").column
        sheet.cell(row=find(sheet, "NEW YORK").row, column=agencies).value = "n/a"
    with pytest.raises(SourceError, match="not a number") as error:
        fbi_table69.read(changed_copy(fixtures_dir, tmp_path, text))
    assert error.value.row == 9 and error.value.column.startswith("Number")


def test_unknown_state_is_an_error(fixtures_dir, tmp_path):
    raw = changed_copy(fixtures_dir, tmp_path,
                       lambda sheet: setattr(find(sheet, "NEW YORK"), "value", "NEW AMSTERDAM"))
    with pytest.raises(SourceError, match="unknown state 'NEW AMSTERDAM'") as error:
        fbi_table69.read(raw)
    assert (error.value.row, error.value.column) == (9, "State")


def test_state_twice_is_an_error(fixtures_dir, tmp_path):
    raw = changed_copy(fixtures_dir, tmp_path,
                       lambda sheet: setattr(find(sheet, "NEW YORK"), "value", "FLORIDA"))
    with pytest.raises(SourceError, match="appears twice") as error:
        fbi_table69.read(raw)
    assert error.value.row == 9


def test_territories_are_skipped(fixtures_dir, tmp_path):
    raw = changed_copy(fixtures_dir, tmp_path,
                       lambda sheet: setattr(find(sheet, "NEW YORK"), "value", "PUERTO RICO"))
    obs = by_key(fbi_table69.read(raw))
    assert obs[("36", "drug_arrests", "2024")].value is None  # New York is now absent
    assert not any(fips == "72" for fips, _, _ in obs)


def test_population_column_of_another_year_is_an_error(fixtures_dir, tmp_path):
    raw = changed_copy(fixtures_dir, tmp_path, lambda sheet: setattr(
        find(sheet, "2024"), "value", "2023\nestimated \npopulation"))
    with pytest.raises(SourceError, match="another year"):
        fbi_table69.read(raw)


# --- the real files ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(raw_dir):
    return fbi_table69.read(raw_dir)


@pytest.fixture(scope="module")
def tables(raw_dir):
    return {year: fbi_table69.parse_table(path, raw_dir)
            for year, path in fbi_table69.table_files(raw_dir).items()}


def test_real_years_and_sources(real, tables):
    assert tuple(sorted(tables)) == fbi_table69.YEARS
    assert len(real.sources) == 16
    assert sum(len(t.rows) for t in tables.values()) == 813
    assert all(50 <= len(t.rows) <= 51 for t in tables.values())
    keys = [(o.fips, o.measure, o.period) for o in real.observations]
    assert len(keys) == len(set(keys)) == 16 * 51 * 4


def test_real_spot_checks(real):
    obs = by_key(real)
    value = lambda fips, measure, year: obs[(fips, measure, str(year))].value  # noqa: E731
    # 2019 CA: 717 agencies, population 38,183,434, 212,417 drug arrests (2,459 under 18).
    assert value("06", "drug_arrests", 2019) == 212_417
    assert value("06", "arrest_reporting_agencies", 2019) == 717
    assert value("06", "arrest_population_covered", 2019) == 38_183_434
    assert value("06", "drug_arrests_under_18", 2019) == 2_459
    # 2019 TX: 791 agencies, 115,658. 2019 AL: 2 agencies, 378, limited data.
    assert (value("48", "arrest_reporting_agencies", 2019), value("48", "drug_arrests", 2019)) \
        == (791, 115_658)
    assert (value("01", "arrest_reporting_agencies", 2019), value("01", "drug_arrests", 2019)) \
        == (2, 378)
    assert "partial" in obs[("01", "drug_arrests", "2019")].flags
    # CT 2010: 95 agencies, 17,092.
    assert (value("09", "arrest_reporting_agencies", 2010), value("09", "drug_arrests", 2010)) \
        == (95, 17_092)
    # Bridge year 2008 (Table 69 side): CA, TX, WI, NY (no NYPD).
    assert [value(f, "drug_arrests", 2008) for f in ("06", "48", "55", "36")] == \
        [268_763, 136_897, 25_075, 52_945]


def test_real_footnote_text(raw_dir):
    notes = fbi_table69.footnotes(raw_dir)
    assert notes[("AL", 2019)] == "Limited data for 2019 were available for Alabama."
    assert "Miccosukee and Seminole Tribes" in notes[("FL", 2021)]


@pytest.mark.parametrize("year,total", [(2009, 1_451_247), (2015, 1_259_009), (2019, 1_177_728),
                                        (2021, 561_795), (2022, 754_308), (2023, 762_503)])
def test_real_sum_of_states(real, year, total):
    assert sum(o.value for o in real.observations if o.measure == "drug_arrests"
               and o.period == str(year) and o.value is not None) == total


def test_real_thin_cells_named_in_provenance(tables, real):
    rows = {(t.year, r.abbr): r for t in tables.values() for r in t.rows}
    # IL: one or two agencies in most years up to 2020.
    assert sum(rows[(y, "IL")].agencies <= 2 for y in fbi_table69.YEARS if y <= 2020) >= 11
    # AL: one or two agencies in 2011 and 2019, about 82,000-86,000 people.
    for year in (2011, 2019):
        assert rows[(year, "AL")].agencies <= 2
        assert 82_000 <= rows[(year, "AL")].population <= 86_000
    # NY without NYPD until 2023: about 9-10 million covered (2021 is the NIBRS-transition low).
    for year in (y for y in fbi_table69.YEARS if y < 2023 and y != 2021):
        assert 9_000_000 <= rows[(year, "NY")].population < 11_000_000
    assert rows[(2023, "NY")].population > 15_000_000
    # FL 2021: two agencies; 9,112 agencies nationally in 2021.
    assert rows[(2021, "FL")].agencies == 2
    assert sum(r.agencies for (y, _), r in rows.items() if y == 2021) == 9_112
    # DC is the Metro Transit Police only until 2021: partial, population unknown.
    obs = by_key(real)
    for year in (y for y in fbi_table69.YEARS if y <= 2021 and y not in (2010, 2012)):
        assert "partial" in obs[("11", "drug_arrests", str(year))].flags
        assert obs[("11", "arrest_population_covered", str(year))].value is None


def test_real_low_coverage_state_years_match_provenance(tables):
    """State-years whose covered population is under half the state's highest, DC left out;
    a blank population (Iowa 2018, Florida 2021) counts as under half."""
    rows = [(t.year, r) for t in tables.values() for r in t.rows if r.abbr != "DC"]
    highest: dict[str, float] = {}
    for _, r in rows:
        highest[r.abbr] = max(highest.get(r.abbr, 0), r.population or 0)
    thin = {(r.abbr, y) for y, r in rows if (r.population or 0) < highest[r.abbr] / 2}
    expected = {("AL", y) for y in (2011, 2012, 2013, 2014, 2019, 2020, 2021)}
    expected |= {("CA", 2021), ("FL", 2021), ("GA", 2019), ("IA", 2018), ("IN", 2019),
                 ("KS", 2018), ("KY", 2008), ("NE", 2017), ("NJ", 2021), ("NY", 2021),
                 ("UT", 2011), ("WA", 2011), ("NM", 2017), ("NM", 2020), ("NM", 2021)}
    expected |= {("HI", y) for y in (2012, 2013, 2014, 2020)}
    expected |= {("MD", 2020), ("MD", 2021)}
    expected |= {("OR", y) for y in (2013, 2014, 2015)}
    expected |= {("PA", y) for y in (2019, 2020, 2021, 2022)}
    # "IL every year up to 2022": 2022 itself covers 8.8M of a 11.5M high, so up to 2021.
    expected |= {("IL", y) for y in fbi_table69.YEARS if y < 2022}
    assert thin == expected


def test_real_excel_parse_matches_extract_csv(tables, raw_dir):
    """Every state-year of the scout's extract agrees with this parse of the FBI's workbooks."""
    rows = {(t.year, r.abbr): r for t in tables.values() for r in t.rows}
    path = raw_dir / FOLDER / "cius_table69_state_drug_arrests_2008_2024.csv"
    number = lambda text: float(text) if text else None  # noqa: E731
    with open(path, newline="", encoding="utf-8") as f:
        extract = list(csv.DictReader(f))
    assert len(extract) == len(rows) == 813
    for line in extract:
        row = rows[(int(line["year"]), line["state_abbr"])]
        assert STATES[row.fips][1].upper() == line["state"]
        assert (row.agencies, row.population, row.drug_arrests, row.drug_arrests_under_18,
                ";".join(row.footnotes)) == (
            number(line["n_agencies"]), number(line["pop_covered"]),
            number(line["drug_abuse_all"]), number(line["drug_abuse_u18"]),
            line["state_footnotes"]), (line["year"], line["state_abbr"])


def test_real_footnotes_match_footnotes_csv(tables, raw_dir):
    """The footnote texts agree with the extracted footnotes file wherever it has them
    (it missed 2024's numbered notes, printed without a space after the number)."""
    path = raw_dir / FOLDER / "cius_table69_footnotes_2008_2024.csv"
    with open(path, newline="", encoding="utf-8") as f:
        for line in csv.DictReader(f):
            table = tables[int(line["year"])]
            text = " ".join(line["text"].split())
            if line["footnote"] == "NOTE":
                assert table.note == text
            else:
                assert table.footnotes[line["footnote"]] == text
    assert tables[2024].footnotes["6"] == "Limited data for 2024 were available for Florida."
