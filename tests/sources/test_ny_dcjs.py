"""NY DCJS adult drug arrests by county: fixture, bad input, and the PROVENANCE figures."""
from __future__ import annotations

import csv

import pytest

from drugatlas.sources import ny_dcjs
from drugatlas.sources.records import SourceError

FELONY, MISDEMEANOR = "drug_arrests_adult_felony", "drug_arrests_adult_misdemeanor"


def _values(result) -> dict[tuple[str, str, str], float]:
    return {(o.fips, o.measure, o.period): o.value for o in result.observations}


def test_fixture_gives_counties_and_state(fixtures_dir):
    result = ny_dcjs.read(fixtures_dir)
    values = _values(result)
    assert (values["36001", FELONY, "2019"], values["36001", MISDEMEANOR, "2019"]) == (416, 673)
    assert (values["36047", FELONY, "2010"], values["36047", MISDEMEANOR, "2010"]) \
        == (5766, 25830)
    # The state sums every row, the two rows DCJS cannot place in a county included.
    assert values["36", FELONY, "1990"] == 331 + 10814 + 33 + 5
    assert values["36", MISDEMEANOR, "1990"] == 240 + 9033 + 0 + 0
    assert {fips for fips, _, _ in values} == {"36001", "36047", "36"}
    assert [s.id for s in result.sources] == [ny_dcjs.SOURCE.id]


def test_state_sum_missing_counties_is_flagged_partial(fixtures_dir):
    # The fixture has 2 of 62 counties, so its state sums understate the state.
    state = [o for o in ny_dcjs.read(fixtures_dir).observations if o.fips == "36"]
    assert state and all(o.flags == {"partial"} for o in state)
    county = [o for o in ny_dcjs.read(fixtures_dir).observations if o.fips != "36"]
    assert all(o.flags == frozenset() for o in county)


def test_county_table_has_62_distinct_new_york_codes():
    codes = list(ny_dcjs.COUNTY_FIPS.values())
    assert len(codes) == len(set(codes)) == 62
    assert all(len(c) == 5 and c.startswith("36") for c in codes)


@pytest.mark.parametrize("old, new, message, row, column", [
    ("Albany,2019,", "Albny,2019,", "unknown New York county", 2, "County"),
    ("Albany,2019,", "Albany,2010,", "duplicate", 2, "County"),
    ("Unknown-NonNYS,2019,", "Unknown-NonNYS,2010,", "appears twice", 6, "County"),
    ("Albany,2019,6195,2274,416,", "Albany,2019,6195,2274,-416,", "negative", 2, "Drug Felony"),
    ("Albany,2019,6195,2274,416,460,98,1300,3921,673,",
     "Albany,2019,6195,2274,416,460,98,1300,3921,n/a,", "not a number", 2, "Drug Misdemeanor"),
    ("Albany,2019,", "Albany,twenty,", "not a year", 2, "Year"),
])
def test_bad_rows_name_row_and_column(edited_raw, old, new, message, row, column):
    raw = edited_raw(ny_dcjs.SOURCE, old, new)
    with pytest.raises(SourceError, match=message) as err:
        ny_dcjs.read(raw)
    assert (err.value.row, err.value.column) == (row, column)


def test_changed_header_names_the_column(edited_raw):
    raw = edited_raw(ny_dcjs.SOURCE, "Drug Felony", "Drug Felonies")
    with pytest.raises(SourceError) as err:
        ny_dcjs.read(raw)
    assert (err.value.row, err.value.column) == (0, "Drug Felony")


@pytest.mark.rawdata
def test_real_file_reproduces_provenance_figures(raw_dir):
    values = _values(ny_dcjs.read(raw_dir))
    assert (values["36001", FELONY, "2019"], values["36001", MISDEMEANOR, "2019"]) == (416, 673)
    assert (values["36047", FELONY, "2010"], values["36047", MISDEMEANOR, "2010"]) \
        == (5766, 25830)
    assert (values["36047", FELONY, "2019"], values["36047", MISDEMEANOR, "2019"]) \
        == (2921, 2925)
    for year, both in {"2000": 154326, "2008": 133684, "2010": 131223, "2019": 57248}.items():
        assert values["36", FELONY, year] + values["36", MISDEMEANOR, year] == both, year


@pytest.mark.rawdata
def test_real_file_has_every_county_every_year(raw_dir):
    result = ny_dcjs.read(raw_dir)
    counties = {o.fips for o in result.observations if o.fips != "36"}
    assert counties == set(ny_dcjs.COUNTY_FIPS.values())
    years = {int(o.period) for o in result.observations}
    assert years == set(range(1970, 2020))
    assert len(result.observations) == (62 + 1) * 50 * 2
    assert not any(o.flags for o in result.observations)


@pytest.mark.rawdata
def test_albany_2019_row_total(raw_dir):
    # PROVENANCE quotes the row's Total (6,195), a column the reader does not use.
    with (raw_dir / ny_dcjs.SOURCE.file).open(encoding="utf-8-sig", newline="") as f:
        (albany,) = [r for r in csv.DictReader(f) if (r["County"], r["Year"]) == ("Albany", "2019")]
    assert albany["Total"] == "6195"


@pytest.mark.rawdata
def test_county_codes_match_census(raw_dir):
    # The hand-written table agrees with the Census county file's names and codes.
    path = raw_dir / "census_popest" / "co-est2019-alldata.csv"
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        census = {r["CTYNAME"].removesuffix(" County"): "36" + r["COUNTY"].zfill(3)
                  for r in csv.DictReader(f)
                  if r["STATE"].zfill(2) == "36" and int(r["COUNTY"]) != 0}
    assert census == ny_dcjs.COUNTY_FIPS


@pytest.mark.rawdata
def test_definition_differs_from_ucr(raw_dir, icpsr_drug_arrests_2008):
    # DCJS counts adults' fingerprintable arrests: below the ICPSR/UCR all-ages NY 2008 total.
    values = _values(ny_dcjs.read(raw_dir))
    assert icpsr_drug_arrests_2008["NY"] == 173643
    assert values["36", FELONY, "2008"] + values["36", MISDEMEANOR, "2008"] < 173643
