"""News21 marijuana possession arrest rates: fixture, bad input, and the PROVENANCE figures."""
from __future__ import annotations

import json

import pytest

from drugatlas.sources import news21
from drugatlas.sources.common import STATES, state_fips
from drugatlas.sources.records import SourceError

RATE, WHITE, BLACK, RATIO = (
    "marijuana_possession_arrest_rate", "marijuana_possession_arrest_rate_white",
    "marijuana_possession_arrest_rate_black", "marijuana_possession_black_white_ratio")
IOWA, MISSISSIPPI, ALABAMA = "19", "28", "01"


def _values(result) -> dict[tuple[str, str, str], float]:
    return {(o.fips, o.measure, o.period): o.value for o in result.observations}


def test_fixture_gives_rates_by_race_and_ratio(fixtures_dir):
    result = news21.read(fixtures_dir)
    values = _values(result)
    assert [values[IOWA, m, "2010"] for m in (RATE, WHITE, BLACK, RATIO)] \
        == [201.0, 164.0, 1450.4, 8.84]
    assert values["11", BLACK, "1991"] == 186.1  # "DC" in the file
    assert [s.id for s in result.sources] == [news21.SOURCE.id]


def test_race_not_tracked_before_1990_gives_no_value_not_zero(fixtures_dir):
    values = _values(news21.read(fixtures_dir))
    assert values[ALABAMA, RATE, "1980"] == 168.7
    for measure in (WHITE, BLACK, RATIO):
        assert (ALABAMA, measure, "1980") not in values
        assert ("00", measure, "1980") not in values
    assert values[ALABAMA, WHITE, "1990"] == 67.9


def test_reported_zero_stays_zero_but_gives_no_ratio_of_zero(fixtures_dir):
    # Montana 1991: a Black rate of 0 after 1990 is a published value; a ratio of 0 would say
    # no gap where the state barely reported, so the ratio is no data, flagged (issue 9).
    result = news21.read(fixtures_dir)
    values = _values(result)
    assert values["30", BLACK, "1991"] == 0
    assert values["30", RATIO, "1991"] is None
    ratio = next(o for o in result.observations
                 if (o.fips, o.measure, o.period) == ("30", RATIO, "1991"))
    assert ratio.flags == {"little_reporting"}


def test_nation_once_per_year(fixtures_dir):
    result = news21.read(fixtures_dir)
    values = _values(result)
    assert values["00", RATE, "2010"] == 213.2
    assert values["00", WHITE, "2010"] == 180.5
    assert values["00", BLACK, "2010"] == 534
    assert values["00", RATIO, "2010"] == round(534 / 180.5, 2)
    assert values["00", RATE, "1980"] == 115.9
    nation = [o for o in result.observations if o.fips == "00"]
    assert sorted({o.period for o in nation}) == ["1980", "1990", "1991", "2010"]


@pytest.mark.parametrize("old, new, message, column", [
    ("Iowa,2010,", "Iowaa,2010,", "unknown state", "state"),
    ("Iowa,2010,", "United States,2010,", "not a state row", "state"),
    ("Iowa,2010,", "Iowa,1990,", "duplicate", "state"),
    ("Iowa,2010,201,", "Iowa,2010,-201,", "negative", "rate_total"),
    ("Iowa,2010,201,", "Iowa,2010,,", "blank rate", "rate_total"),
    ("Iowa,2010,201,336.4,68.1,164,", "Iowa,2010,201,336.4,68.1,x,", "not a number",
     "rate_white"),
    ("23.1,8.84", "23.1,9.84", "does not match", "black_white_ratio"),
    ("23.1,8.84", "23.1,", "blank ratio", "black_white_ratio"),
    ("Iowa,2010,201,336.4,68.1,164,1450.4,", "Iowa,2010,201,336.4,68.1,,1450.4,",
     "ratio without", "black_white_ratio"),
    ("Iowa,2010,", "Iowa,2O10,", "not a year", "year"),
])
def test_bad_rows_name_row_and_column(edited_raw, old, new, message, column):
    raw = edited_raw(news21.SOURCE, old, new)
    with pytest.raises(SourceError, match=message) as err:
        news21.read(raw)
    assert (err.value.row, err.value.column) == (5, column)


def test_us_average_that_changes_within_a_year_is_refused(edited_raw):
    # Iowa 2010 (row 5) sets the year's U.S. averages; Mississippi 2010 (row 6) disagrees.
    old = "Mississippi,2010,210.4,372.6,57.2,107.6,384.5,35.6,30.8,213.2,"
    raw = edited_raw(news21.SOURCE, old, old[:-6] + "213.3,")
    with pytest.raises(SourceError, match="differs from 213.2 at row 5") as err:
        news21.read(raw)
    assert (err.value.row, err.value.column) == (6, "us_rate_total")


def test_changed_header_names_the_column(edited_raw):
    raw = edited_raw(news21.SOURCE, ",rate_black,", ",rate_african_american,")
    with pytest.raises(SourceError) as err:
        news21.read(raw)
    assert (err.value.row, err.value.column) == (0, "rate_black")


@pytest.mark.rawdata
def test_real_file_reproduces_provenance_figures(raw_dir):
    values = _values(news21.read(raw_dir))
    assert [values[IOWA, m, "2010"] for m in (RATE, WHITE, BLACK, RATIO)] \
        == [201.0, 164.0, 1450.4, 8.84]
    assert [values[MISSISSIPPI, m, "2013"] for m in (RATE, WHITE, BLACK, RATIO)] \
        == [138.5, 74.8, 247.1, 3.30]
    assert (values[ALABAMA, WHITE, "1990"], values[ALABAMA, BLACK, "1990"]) == (67.9, 112)
    # Reporting gaps show as implausibly low rates: kept as published, explained in caveats.
    assert values[ALABAMA, RATE, "1993"] == 2
    assert all(3 <= values[ALABAMA, RATE, str(y)] < 5 for y in (2011, 2012, 2013))


@pytest.mark.rawdata
def test_real_file_shape(raw_dir):
    result = news21.read(raw_dir)
    state_rates = [o for o in result.observations if o.measure == RATE and o.fips != "00"]
    assert len(state_rates) == 1646
    assert {o.fips for o in state_rates} == set(STATES)
    years = {int(o.period) for o in result.observations}
    assert years == set(range(1980, 2014))
    assert not [o for o in result.observations
                if o.measure in (WHITE, BLACK, RATIO) and int(o.period) < 1990]
    nation_years = {o.period for o in result.observations if o.fips == "00" and o.measure == RATE}
    assert len(nation_years) == 34


@pytest.mark.rawdata
def test_csv_matches_the_original_json(raw_dir):
    # The CSV is a flattened copy of mj_arrests.json; JSON zeros before 1990 mean "not tracked".
    values = _values(news21.read(raw_dir))
    data = json.loads((raw_dir / news21.FOLDER / "mj_arrests.json").read_text())
    compared = 0
    for state in data:
        fips = state_fips("mj_arrests.json", 0, "state", state["state"])
        for year in state["dataset"]:
            period = str(year["year"])
            assert values[fips, RATE, period] == year["total"]
            assert values["00", RATE, period] == year["usavetotal"]
            if year["year"] >= 1990:
                assert values[fips, WHITE, period] == year["white"]
                assert values[fips, BLACK, period] == year["black"]
            compared += 1
    assert compared == 1646
