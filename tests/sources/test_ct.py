"""Connecticut drug arrests by race: the state-total rule, bad input, and PROVENANCE figures."""
from __future__ import annotations

import csv

import pytest

from drugatlas.sources import ct
from drugatlas.sources.records import SourceError

def _values(result) -> dict[tuple[str, str], float]:
    assert {o.fips for o in result.observations} == {"09"}
    return {(o.measure, o.period): o.value for o in result.observations}


def test_fixture_gives_state_arrests_by_race(fixtures_dir):
    result = ct.read(fixtures_dir)
    assert _values(result) == {
        ("drug_arrests_white", "2010"): 11489, ("drug_arrests_black", "2010"): 5796,
        ("drug_arrests_white", "2015"): 225, ("drug_arrests_black", "2015"): 165,
        ("drug_arrests_white", "2016"): 6256, ("drug_arrests_black", "2016"): 3032,
    }
    assert [s.id for s in result.sources] == [ct.SOURCE.id]


def test_state_total_is_offered_but_not_emitted(fixtures_dir):
    # FBI Table 69 owns the state's drug_arrests; the CT total is for comparison only.
    assert "drug_arrests" not in {o.measure for o in ct.read(fixtures_dir).observations}
    assert ct.state_totals(fixtures_dir) == {2010: 17580, 2015: 400, 2016: 9451}


def test_year_without_state_column_sums_agencies_once(fixtures_dir):
    # 2015 in the fixture: towns Fairfield 51, Bridgeport 190, Middletown 154 and State Police
    # Misc.* 5 make 400. "Fairfield County" and "Middlesex County" (241 + 159) and "NIBRS Data"
    # and "Summary UCR Data" (300 + 100) repeat those arrests and must not be added again.
    (figures,) = [f for f in ct.state_figures(fixtures_dir) if f.year == 2015]
    assert figures.summed
    assert figures.counts == {"drug_total": 400, "drug_white": 225, "drug_black": 165}


def test_town_named_like_its_county_is_an_agency(edited_raw):
    # The town of Fairfield (51) counts as an agency although its county shares the name: a
    # change to it moves the agencies' sum, which the county aggregates then contradict.
    raw = edited_raw(ct.SOURCE, "2015,Fairfield,0,51,", "2015,Fairfield,0,52,")
    with pytest.raises(SourceError, match="agencies sum to 401 but its county aggregates to 400"):
        ct.read(raw)


def test_sum_that_disagrees_with_county_aggregates_is_refused(edited_raw):
    raw = edited_raw(ct.SOURCE, "2015,Middlesex County,0,159,159,8,95,60,",
                     "2015,Middlesex County,0,159,159,8,95,61,")
    with pytest.raises(SourceError, match="county aggregates") as err:
        ct.read(raw)
    assert err.value.column == "drug_black"


def test_year_without_state_column_or_aggregates_is_refused(edited_raw):
    # A lone agency in 2017: nothing to take the state's figure from, nothing to check a sum by.
    raw = edited_raw(ct.SOURCE, "2016,Fairfield 1,0,", "2017,Fairfield,0,")
    with pytest.raises(SourceError, match="2017 has no state-total column and no county") as err:
        ct.read(raw)
    assert err.value.row == 14


@pytest.mark.parametrize("old, new, message, column", [
    ("2016,Fairfield,0,", "2016,Fairfield 1,0,", "appears twice", "agency_column"),
    ("2016,Fairfield,0,", "2016,Connecticut,1,", "appears twice", "agency_column"),
    ("2016,Fairfield,0,", "2016,CT,1,", "2 state-total columns", "is_state_total_column"),
    ("2016,Connecticut,1,", "2016,Rhode Island,1,", "not 'CT' or 'Connecticut'",
     "agency_column"),
    ("2016,Fairfield,0,", "2016,Fairfield,yes,", "expected 0 or 1", "is_state_total_column"),
    ("2016,Fairfield,0,61,", "2016,Fairfield,0,-61,", "negative", "drug_total"),
    ("2016,Fairfield,0,61,61,2,40,", "2016,Fairfield,0,61,61,2,forty,", "not a number",
     "drug_white"),
    ("2016,Fairfield,0,61,61,2,40,", "2016,Fairfield,0,61,61,2,40.5,", "whole number",
     "drug_white"),
    ("2016,Fairfield,0,", "2O16,Fairfield,0,", "not a year", "year"),
])
def test_bad_rows_name_row_and_column(edited_raw, old, new, message, column):
    raw = edited_raw(ct.SOURCE, old, new)
    with pytest.raises(SourceError, match=message) as err:
        ct.read(raw)
    assert err.value.column == column and err.value.row is not None


def test_changed_header_names_the_column(edited_raw):
    raw = edited_raw(ct.SOURCE, ",drug_black,", ",drug_african_american,")
    with pytest.raises(SourceError) as err:
        ct.read(raw)
    assert (err.value.row, err.value.column) == (0, "drug_black")


@pytest.mark.rawdata
def test_real_file_reproduces_provenance_figures(raw_dir):
    values = _values(ct.read(raw_dir))
    assert {int(period) for _, period in values} == set(range(2010, 2017))
    assert (values["drug_arrests_white", "2010"], values["drug_arrests_black", "2010"]) \
        == (11489, 5796)
    assert (values["drug_arrests_white", "2016"], values["drug_arrests_black", "2016"]) \
        == (6256, 3032)
    totals = ct.state_totals(raw_dir)
    assert (totals[2010], totals[2016]) == (17580, 9451)


@pytest.mark.rawdata
def test_real_2010_state_column_detail(raw_dir):
    rows = _extract_rows(raw_dir)
    state = rows[2010, "CT"]
    assert int(state["drug_male"]) + int(state["drug_female"]) == 14912 + 2668 == 17580
    assert int(state["drug_total_sum_of_ages"]) == 17579


@pytest.mark.rawdata
def test_real_2015_sum_agrees_three_ways(raw_dir):
    # 2015 has no state column: the agencies, the county aggregates and the two reporting-
    # system columns (NIBRS + summary UCR) all give the same state figure.
    (figures,) = [f for f in ct.state_figures(raw_dir) if f.year == 2015]
    assert figures.summed
    rows = _extract_rows(raw_dir)
    for column, value in figures.counts.items():
        by_system = int(rows[2015, "NIBRS Data"][column]) + int(
            rows[2015, "Summary UCR Data"][column])
        assert value == by_system, column
    assert figures.counts == {"drug_total": 8982, "drug_white": 6245, "drug_black": 2576}


@pytest.mark.rawdata
def test_extract_matches_the_raw_yearly_tables(raw_dir):
    # Every extract cell read here equals the publisher's wide table: DrugTot White/Black, and
    # drug_total = DrugTot M + DrugTot F.
    extract = _extract_rows(raw_dir)
    for year in range(2010, 2017):
        wide = _wide_drug_rows(raw_dir / ct.FOLDER / "raw" /
                               f"Uniform_Crime_Reporting_System_Arrests_{year}.csv")
        names = [name for y, name in extract if y == year]
        assert names, year
        for name in names:
            row = extract[year, name]
            assert int(row["drug_white"]) == wide["DrugTot White"][name], (year, name)
            assert int(row["drug_black"]) == wide["DrugTot Black"][name], (year, name)
            assert int(row["drug_total"]) == (wide["DrugTot M"][name]
                                              + wide["DrugTot F"][name]), (year, name)


@pytest.mark.rawdata
def test_same_magnitude_as_icpsr_2008(raw_dir, icpsr_drug_arrests_2008):
    assert icpsr_drug_arrests_2008["CT"] == 18256
    assert 0.5 < ct.state_totals(raw_dir)[2010] / icpsr_drug_arrests_2008["CT"] < 2


def _extract_rows(raw_dir) -> dict[tuple[int, str], dict]:
    with (raw_dir / ct.SOURCE.file).open(encoding="utf-8-sig", newline="") as f:
        return {(int(r["year"]), r["agency_column"]): r for r in csv.DictReader(f)}


def _wide_drug_rows(path) -> dict[str, dict[str, int]]:
    """The publisher's DrugTot rows, each as {agency column: count}."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        assert len(set(header)) == len(header), f"{path.name}: repeated column names"
        wanted = {"DrugTot White", "DrugTot Black", "DrugTot M", "DrugTot F"}
        rows = {cells[0].strip(): cells for cells in reader if cells and cells[0].strip() in wanted}
    assert set(rows) == wanted, path.name
    return {stat: {name: int(cell) for name, cell in zip(header[2:], cells[2:]) if cell.strip()}
            for stat, cells in rows.items()}
