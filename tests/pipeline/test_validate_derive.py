"""Cross-reader validation and derived values, on small hand-made records."""
import pytest

from drugatlas.pipeline import derive, validate
from drugatlas.sources.records import Obs, Place, ReadResult, SourceError, SourceInfo

SRC = SourceInfo("t-src", "Publisher", "Title", "https://example.org", "t/file.csv", "PD")


def result(*obs, places=None):
    return {"t": ReadResult(sources=[SRC], observations=list(obs), places=places or [
        Place("00", "United States", "nation", "US"), Place("54", "West Virginia", "state", "WV")])}


def test_valid_records_pass():
    validate.validate(result(Obs("54", "population", "2017", 1815857, "t-src", row=3)))


@pytest.mark.parametrize("obs, message", [
    (Obs("99", "population", "2017", 1, "t-src", row=7), "unknown place FIPS '99'"),
    (Obs("54", "no_such_measure", "2017", 1, "t-src", row=7), "unknown measure"),
    (Obs("54", "population", "17", 1, "t-src", row=7), "malformed period"),
    (Obs("54", "population", "2017", -5, "t-src", row=7), "negative"),
    (Obs("54", "population", "2017", 1, "t-src", frozenset({"odd"}), row=7), "unknown flag"),
])
def test_bad_records_name_file_and_row(obs, message):
    with pytest.raises(SourceError) as e:
        validate.validate(result(obs))
    assert "t/file.csv" in str(e.value) and "row 7" in str(e.value) and message in str(e.value)


def test_duplicate_key_names_both_rows():
    a = Obs("54", "population", "2017", 1, "t-src", row=3)
    b = Obs("54", "population", "2017", 2, "t-src", row=9)
    with pytest.raises(SourceError, match=r"row 9: duplicate value .* \(also in t/file.csv, row 3\)"):
        validate.validate(result(a, b))


def _by(obs, measure):
    return {(o.fips, o.period): o for o in obs if o.measure == measure}


def test_crude_rate_uses_same_place_and_year():
    out = derive.derive([
        Obs("54", "population", "2021", 1_800_000, "t-src"),
        Obs("54", "population", "2022", 1_000_000, "t-src"),
        Obs("54", "overdose_deaths_12mo_provisional", "2021-12", 1_800, "t-src",
            frozenset({"provisional"})),
        Obs("54", "overdose_deaths_12mo_provisional", "2021-11", 9_999, "t-src"),
    ], {})
    crude = _by(out, "overdose_death_rate_crude")
    assert list(crude) == [("54", "2021")]
    assert crude[("54", "2021")].value == 100.0
    assert "provisional" in crude[("54", "2021")].flags


def test_arrest_rate_and_coverage_flags():
    out = derive.derive([
        Obs("54", "population", "2020", 2_000_000, "t-src"),
        Obs("54", "drug_arrests", "2020", 500, "t-src"),
        Obs("54", "arrest_population_covered", "2020", 500_000, "t-src"),
    ], {})
    assert _by(out, "drug_arrest_rate")[("54", "2020")].value == 100.0
    share = _by(out, "arrest_coverage_share")[("54", "2020")]
    assert share.value == 25.0 and "low_coverage" in share.flags
    assert "low_coverage" in _by(out, "drug_arrests")[("54", "2020")].flags
    assert "low_coverage" in _by(out, "drug_arrest_rate")[("54", "2020")].flags


def test_no_reporting_is_no_data_not_zero():
    out = derive.derive([
        Obs("54", "drug_arrests", "2000", None, "t-src", frozenset({"no_reporting"})),
        Obs("54", "arrest_population_covered", "2000", 0, "t-src"),
    ], {})
    rate = _by(out, "drug_arrest_rate")[("54", "2000")]
    assert rate.value is None and "no_reporting" in rate.flags


def test_count_without_population_inside_census_years_stops_the_build():
    with pytest.raises(SourceError, match=r"t/file.csv, row 4: .*no Census population"):
        derive.derive([
            Obs("54", "population", "2010", 1, "t-src"),
            Obs("54", "population", "2012", 1, "t-src"),
            Obs("00", "population", "2011", 1, "t-src"),
            Obs("54", "overdose_deaths_12mo_provisional", "2011-12", 5, "t-src", row=4),
        ], {"t-src": "t/file.csv"})


def test_national_arrests_are_summed_from_table69_states_where_no_us_row():
    out = derive.derive([
        Obs("01", "drug_arrests", "2022", 100, "fbi-cius-table69-2022"),
        Obs("02", "drug_arrests", "2022", 50, "fbi-cius-table69-2022"),
        Obs("02", "drug_arrests", "2015", 7, "fbi-cius-table69-2015"),
        Obs("03", "drug_arrests", "2022", None, "fbi-cius-table69-2022", frozenset({"no_reporting"})),
        Obs("00", "drug_arrests", "2015", 999, "fbi-cde-arrests-national-drug"),
    ], {})
    us = _by([o for o in out if o.fips == "00"], "drug_arrests")
    assert us[("00", "2022")].value == 150 and us[("00", "2022")].flags == {"partial"}
    assert us[("00", "2015")].value == 999  # the national file's own figure wins


def test_county_crude_arrest_rate_needs_count_and_population_of_the_same_county_and_year():
    icpsr = "icpsr-county-2012"
    out = derive.derive([
        Obs("54001", "population", "2012", 16_000, "census"),
        Obs("54001", "population", "2010", 99_999, "census"),
        Obs("54003", "population", "2012", 80_000, "census"),
        Obs("54005", "population", "2012", 24_000, "census"),
        Obs("54001", "drug_arrests", "2012", 2, icpsr, frozenset({"imputed"})),
        Obs("54003", "drug_arrests", "2012", 0, icpsr, frozenset({"imputed"})),
        Obs("54005", "drug_arrests", "2012", None, icpsr),
        Obs("54007", "drug_arrests", "2012", 40, icpsr),  # no population: no rate
        Obs("54001", "drug_arrests", "2008", 40, "icpsr-county-2008"),  # nor in 2008
        Obs("54", "drug_arrests", "2012", 40, icpsr),  # a state: its own measures
    ], {})
    rates = _by(out, derive.COUNTY_CRUDE_ARREST_RATE)
    assert set(rates) == {("54001", "2012"), ("54003", "2012"), ("54005", "2012")}
    assert rates[("54001", "2012")].value == 12.5  # 2 / 16,000 * 100,000
    assert rates[("54003", "2012")].value == 0.0  # a zero count is a zero rate
    assert rates[("54005", "2012")].value is None  # no count is no rate, never 0
    assert "no_reporting" in rates[("54005", "2012")].flags
    assert rates[("54001", "2012")].flags == {"imputed"}  # the count's flags
    assert {o.source for o in rates.values()} == {icpsr}  # the count's source


def test_county_crude_arrest_rate_rounds_half_away_from_zero():
    out = derive.derive([
        Obs("54001", "population", "2012", 40_000, "census"),
        Obs("54001", "drug_arrests", "2012", 1, "icpsr-county-2012"),  # 2.5 -> 2.5
        Obs("54003", "population", "2012", 80_000, "census"),
        Obs("54003", "drug_arrests", "2012", 1, "icpsr-county-2012"),  # 1.25 -> 1.3, not 1.2
    ], {})
    rates = _by(out, derive.COUNTY_CRUDE_ARREST_RATE)
    assert rates[("54001", "2012")].value == 2.5
    assert rates[("54003", "2012")].value == 1.3  # as the pages round (drugatlas/formatting.py)
