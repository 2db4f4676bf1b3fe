"""NCHS overdose mortality: state series from three files, county bins, bad input, real files."""
from __future__ import annotations

import csv
import shutil

import pytest

from drugatlas.sources import nchs
from drugatlas.sources.common import FIPS_BY_ABBR
from drugatlas.sources.records import SourceError

DEATHS, RATE, BIN = nchs.DEATHS, nchs.RATE, nchs.COUNTY_BIN


def _by_key(result):
    return {(o.fips, o.measure, o.period): o for o in result.observations}


def _value(obs, fips, measure, period):
    return obs[(fips, measure, period)].value


@pytest.fixture(scope="module")
def fixture_obs(fixtures_dir):
    return _by_key(nchs.read(fixtures_dir))


def test_final_state_file_uses_all_groups_rows_only(fixture_obs):
    assert _value(fixture_obs, "00", DEATHS, "2017") == 70_237
    assert _value(fixture_obs, "00", RATE, "2017") == 21.7  # 21.7048 in the export
    assert _value(fixture_obs, "00", DEATHS, "1999") == 16_849
    assert _value(fixture_obs, "00", RATE, "1999") == 6.1
    assert (_value(fixture_obs, "54", DEATHS, "2017"), _value(fixture_obs, "54", RATE, "2017")) \
        == (974, 57.8)
    assert _value(fixture_obs, "11", RATE, "2017") == 44.0
    final = [o for o in fixture_obs.values() if o.source == nchs.STATE_FINAL.id]
    assert all(not o.flags for o in final)


def test_stats_of_the_states_copy_gives_2018_only(fixture_obs):
    assert (_value(fixture_obs, "54", DEATHS, "2018"), _value(fixture_obs, "54", RATE, "2018")) \
        == (856, 51.5)
    map_years = {o.period for o in fixture_obs.values() if o.source == nchs.SOSMAP.id}
    assert map_years == {"2018"}  # its swapped 2014 Arizona/Arkansas rows are never read
    assert ("04", RATE, "2014") not in fixture_obs


def test_quarterly_rates_are_q4_and_provisional(fixture_obs):
    for fips, year, rate in [("00", "2019", 21.6), ("00", "2020", 28.3), ("54", "2019", 52.8),
                             ("54", "2020", 81.4), ("39", "2019", 38.3), ("39", "2020", 47.2)]:
        obs = fixture_obs[(fips, RATE, year)]
        assert (obs.value, obs.flags, obs.source) == (rate, {"provisional"}, nchs.QUARTERLY.id)
    quarterly = [o for o in fixture_obs.values() if o.source == nchs.QUARTERLY.id]
    assert len(quarterly) == 2 * 52


def test_county_bins_keep_lower_bound(fixture_obs):
    for year in ("2014", "2015", "2016"):
        obs = fixture_obs[("54047", BIN, year)]
        assert (obs.value, obs.flags) == (30, {"binned"})
    assert _value(fixture_obs, "01001", BIN, "1999") == 2  # "2-3.9"
    assert _value(fixture_obs, "01005", BIN, "1999") == 0  # "<2"
    assert _value(fixture_obs, "01001", BIN, "2016") == 10  # "10-11.9"


def test_retired_county_codes_become_named_places(fixtures_dir):
    places = {p.fips: (p.name, p.kind) for p in nchs.read(fixtures_dir).places}
    assert places == {"02270": ("Wade Hampton Census Area", "county"),
                      "46113": ("Shannon County", "county")}


def _raw_copy(fixtures_dir, tmp_path, source):
    """A copy of one NCHS fixture folder, and the rows of its file, for editing."""
    for info in (nchs.STATE_FINAL, nchs.SOSMAP, nchs.QUARTERLY, nchs.COUNTY):
        folder = info.file.split("/")[0]
        shutil.copytree(fixtures_dir / folder, tmp_path / folder)
    with open(tmp_path / source.file, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _write(tmp_path, source, rows):
    with open(tmp_path / source.file, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return tmp_path


def test_blank_quarterly_cell_is_suppressed(fixtures_dir, tmp_path):
    rows = _raw_copy(fixtures_dir, tmp_path, nchs.QUARTERLY)
    row = next(r for r in rows if r[0] == "2020 Q4" and r[1].startswith("12 months"))
    row[rows[0].index("Rate Ohio")] = ""
    obs = _by_key(nchs.read(_write(tmp_path, nchs.QUARTERLY, rows)))[("39", RATE, "2020")]
    assert obs.value is None and obs.flags == {"provisional", "suppressed"}


@pytest.mark.parametrize("source, column, value, message", [
    (nchs.COUNTY, "Estimated_Age_Adjusted_Death_Rate", "about 30", "not a rate range"),
    (nchs.COUNTY, "FIPS", "99001", "not a county FIPS"),
    (nchs.STATE_FINAL, "State", "Atlantis", "unknown state"),
    (nchs.STATE_FINAL, "Deaths", "-5", "negative"),
    (nchs.SOSMAP, "DEATHS", "many", "not a number"),
])
def test_bad_cell_names_file_row_and_column(fixtures_dir, tmp_path, source, column, value,
                                            message):
    rows = _raw_copy(fixtures_dir, tmp_path, source)
    rows[1][rows[0].index(column)] = value  # the first row is one each file reads
    with pytest.raises(SourceError, match=message) as caught:
        nchs.read(_write(tmp_path, source, rows))
    assert caught.value.file.endswith(source.file)
    assert (caught.value.row, caught.value.column) == (1, column)


def test_changed_header_names_the_missing_column(fixtures_dir, tmp_path):
    rows = _raw_copy(fixtures_dir, tmp_path, nchs.QUARTERLY)
    rows[0][rows[0].index("Rate Ohio")] = "Ohio"
    with pytest.raises(SourceError, match="missing column") as caught:
        nchs.read(_write(tmp_path, nchs.QUARTERLY, rows))
    assert (caught.value.row, caught.value.column) == (0, "Rate Ohio")


def test_repeated_county_row_is_an_error(fixtures_dir, tmp_path):
    rows = _raw_copy(fixtures_dir, tmp_path, nchs.COUNTY)
    rows.append(rows[1])
    with pytest.raises(SourceError, match="duplicate value for FIPS 01001") as caught:
        nchs.read(_write(tmp_path, nchs.COUNTY, rows))
    assert (caught.value.row, caught.value.column) == (len(rows) - 1, nchs.COUNTY_RATE_COLUMNS[0])


@pytest.fixture(scope="module")
def real(raw_dir):
    return nchs.read(raw_dir)


@pytest.mark.rawdata
@pytest.mark.parametrize("abbr, year, deaths, rate", [
    ("US", "2017", 70_237, 21.7), ("US", "1999", 16_849, 6.1), ("WV", "2017", 974, 57.8),
    ("OH", "2017", 5_111, 46.3), ("NE", "2017", 152, 8.1), ("DC", "2017", 310, 44.0),
    ("WV", "2016", 884, 52.0),
    ("WV", "2018", 856, 51.5), ("OH", "2018", 3_980, 35.9), ("NE", "2018", 138, 7.4),
    ("AZ", "2014", 1_211, 18.2), ("AR", "2014", 356, 12.6),  # correct, unlike the map copy
])
def test_published_state_figures(real, abbr, year, deaths, rate):
    obs = _by_key(real)
    fips = FIPS_BY_ABBR[abbr]
    assert (_value(obs, fips, DEATHS, year), _value(obs, fips, RATE, year)) == (deaths, rate)


@pytest.mark.rawdata
@pytest.mark.parametrize("abbr, rate_2019, rate_2020", [
    ("US", 21.6, 28.3), ("WV", 52.8, 81.4), ("OH", 38.3, 47.2)])
def test_published_provisional_rates(real, abbr, rate_2019, rate_2020):
    obs = _by_key(real)
    fips = FIPS_BY_ABBR[abbr]
    assert (_value(obs, fips, RATE, "2019"), _value(obs, fips, RATE, "2020")) == (
        rate_2019, rate_2020)
    assert obs[(fips, RATE, "2020")].flags == {"provisional"}


@pytest.mark.rawdata
def test_map_copy_agrees_with_final_file_for_2017(real, raw_dir):
    obs = _by_key(real)
    with open(raw_dir / nchs.SOSMAP.file, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["YEAR"] == "2017"]
    assert len(rows) == 50
    for r in rows:
        fips = FIPS_BY_ABBR[r["STATE"]]
        assert _value(obs, fips, DEATHS, "2017") == int(r["DEATHS"])
        assert _value(obs, fips, RATE, "2017") == float(r["RATE"])


@pytest.mark.rawdata
def test_full_files_coverage(real):
    by_source = {}
    for o in real.observations:
        by_source.setdefault(o.source, []).append(o)
    # Deaths and rate 1999-2017, population 1999-2009; states, DC, U.S.; the nation's
    # non-Hispanic Black population and share, 1999-2017.
    assert len(by_source[nchs.STATE_FINAL.id]) == 2 * 52 * 19 + 52 * 11 + 2 * 19
    assert len(by_source[nchs.SOSMAP.id]) == 2 * 50  # 2018, no DC, no U.S.
    assert len(by_source[nchs.QUARTERLY.id]) == 2 * 52  # 2019 and 2020
    county = by_source[nchs.COUNTY.id]
    assert len(county) == 56_448 and len({o.fips for o in county}) == 3_136
    assert {o.period for o in county} == {str(y) for y in range(1999, 2017)}
    assert sorted({o.value for o in county}) == [0, *range(2, 32, 2)]
    assert [p.fips for p in real.places] == sorted(nchs.RETIRED_COUNTIES)


@pytest.mark.rawdata
def test_published_county_bins(real):
    obs = _by_key(real)
    assert [_value(obs, "54047", BIN, y) for y in ("2014", "2015", "2016")] == [30, 30, 30]
    assert _value(obs, "01001", BIN, "1999") == 2


def test_declared_undercounts_are_flagged_and_populations_fill_1999_2009(raw_dir):
    obs = {(o.fips, o.measure, o.period): o for o in nchs.read(raw_dir).observations}
    for fips, year in (("34", "2009"), ("54", "2005"), ("54", "2009")):
        assert "partial" in obs[(fips, "overdose_death_rate_age_adjusted", year)].flags
    assert not obs[("54", "overdose_death_rate_age_adjusted", "2017")].flags
    assert obs[("00", "population", "1999")].value > 270_000_000
    assert ("54", "population", "2010") not in obs  # Census owns 2010 on


@pytest.mark.rawdata
def test_nation_non_hispanic_black_population_and_share(real):
    """U.S. 2014: 41,316,519 non-Hispanic Black residents of 318,857,056 (Census bridged-race
    estimates in the NCHS file), 12.96%; the nation only, 1999-2017."""
    obs = _by_key(real)
    assert _value(obs, "00", nchs.BLACK_POPULATION, "2014") == 41_316_519
    assert _value(obs, "00", nchs.BLACK_SHARE, "2014") == 12.96  # 41,316,519 / 318,857,056
    years = {o.period for o in real.observations if o.measure == nchs.BLACK_SHARE}
    assert years == {str(y) for y in range(1999, 2018)}
    assert {o.fips for o in real.observations if o.measure == nchs.BLACK_POPULATION} == {"00"}
