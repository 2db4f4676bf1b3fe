"""Final overdose rates after 2018: the CDC state download, DC, the nation, 2022, NCHS quotes."""
from __future__ import annotations

import csv
import shutil
from collections import Counter

import pytest

from drugatlas.sources import nchs, nchs_final
from drugatlas.sources.records import SourceError

RATE, DEATHS = "overdose_death_rate_age_adjusted", "overdose_deaths"


def by_key(result):
    return {(o.fips, o.measure, o.period): o for o in result.observations}


@pytest.fixture(scope="module")
def fixture_obs(fixtures_dir):
    return by_key(nchs_final.read(fixtures_dir))


def test_us_final_rate_2023_is_31_3(fixture_obs):
    o = fixture_obs[("00", RATE, "2023")]
    assert (o.value, o.flags, o.source) == (31.3, frozenset(),
                                            "nchs-final-overdose-national-2019-2024")
    assert fixture_obs[("00", DEATHS, "2023")].value == 105_007
    assert [fixture_obs[("00", RATE, str(y))].value for y in range(2019, 2025)] == \
        [21.6, 28.3, 32.4, 32.6, 31.3, 23.1]
    # 2019 and 2020 U.S. deaths are blank in the table: not verified, not given.
    assert ("00", DEATHS, "2019") not in fixture_obs


def test_state_download_gives_2019_to_2021_final(fixture_obs):
    wv = {y: (fixture_obs[("54", RATE, y)].value, fixture_obs[("54", DEATHS, y)].value)
          for y in ("2019", "2020", "2021")}
    assert wv == {"2019": (52.8, 870), "2020": (81.4, 1_330), "2021": (90.9, 1_501)}
    assert fixture_obs[("54", RATE, "2021")].source == "cdc-sosmap-drug-overdose-state-1999-2021"
    assert all(not o.flags for (f, _, _), o in fixture_obs.items() if f == "54")
    # Earlier years repeat other files (and 2014 AZ/AR are swapped here): not read.
    assert ("04", RATE, "2014") not in fixture_obs and ("54", RATE, "2018") not in fixture_obs


def test_dc_rates_quoted_deaths_derived(fixture_obs):
    assert fixture_obs[("11", RATE, "2019")].value == 43.2
    assert fixture_obs[("11", RATE, "2021")].value == 63.6
    assert ("11", RATE, "2020") not in fixture_obs  # not found; no value invented
    deaths = [fixture_obs[("11", DEATHS, y)] for y in ("2019", "2020", "2021")]
    assert [o.value for o in deaths] == [311, 424, 450]
    assert {o.flags for o in deaths} == {frozenset({"estimated"})}


def test_2022_table_read_from_the_page_text(fixture_obs):
    rows = {f: (fixture_obs[(f, RATE, "2022")].value, fixture_obs[(f, DEATHS, "2022")].value)
            for f in ("01", "17", "18", "47", "33", "11", "54")}
    # "31.51,492" -> 31.5 and 1,492; "303,849" -> 30 and 3,849 (a rate printed without decimals).
    assert rows == {"01": (31.5, 1_492), "17": (30.0, 3_849), "18": (41.0, 2_682),
                    "47": (56.0, 3_825), "33": (36.0, 486), "11": (64.3, 451),
                    "54": (80.9, 1_335)}
    assert fixture_obs[("17", RATE, "2022")].row == 37  # the line of the figures


def test_quoted_rates_fill_2023_and_check_the_rest(fixture_obs):
    quoted = {f: o.value for (f, m, p), o in fixture_obs.items()
              if o.source == "nchs-quoted-state-overdose-rates-2019-2023"}
    assert quoted == {"54": 81.9, "11": 60.7, "31": 9.0, "46": 11.2}
    assert {p for (_, _, p), o in fixture_obs.items()
            if o.source == "nchs-quoted-state-overdose-rates-2019-2023"} == {"2023"}


def test_sources_name_each_file(fixtures_dir):
    sources = nchs_final.read(fixtures_dir).sources
    assert [s.file for s in sources] == [
        "cdc-sosmap-overdose-1999-2021/data-table.csv",
        "cdc-sosmap-overdose-1999-2021/dc_supplement.csv",
        "nchs-overdose-rates-2019-2024/national_final_age_adjusted_rates_2019_2024.csv",
        "nchs-overdose-rates-2019-2024/cdc_sosmap_2022_page_excerpt_news.mixedtimes.com_3k9V.txt",
        "nchs-overdose-rates-2019-2024/state_age_adjusted_rates_quoted_2019_2023.csv"]
    for s in sources:
        assert s.publisher == nchs.PUBLISHER and s.licence == nchs.LICENCE
        assert s.url.startswith("https://www.cdc.gov/")
        assert (fixtures_dir / s.file).is_file()


# --- bad input ---------------------------------------------------------------------------

@pytest.fixture
def edited(fixtures_dir, tmp_path):
    """Both fixture folders in tmp_path, the first ``old`` in ``file`` replaced by ``new``."""
    def make(file: str, old: str, new: str):
        for folder in (nchs_final.SOSMAP_FOLDER, nchs_final.RATES_FOLDER):
            shutil.copytree(fixtures_dir / folder, tmp_path / folder)
        path = tmp_path / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.chmod(0o644)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return tmp_path
    return make


SOSMAP = nchs_final.SOSMAP.file
EXCERPT = nchs_final.STATES_2022.file
QUOTED = nchs_final.QUOTED.file
NATIONAL = nchs_final.NATIONAL.file


@pytest.mark.parametrize("file, old, new, row, column, message", [
    (SOSMAP, "2021,AL,30.1,1408,/nchs/pressroom/states/alabama/al.htm",
     "2021,AL,30.1,1408,/nchs/pressroom/states/alaska/ak.htm", 1, "URL", "not AL's"),
    (SOSMAP, "2021,AL,30.1,1408", "2021,AL,30.1,-1408", 1, "DEATHS", "negative"),
    (SOSMAP, "2021,AL,30.1,1408", "2021,AL,,1408", 1, "RATE", "blank rate"),
    (SOSMAP, "2021,AL,30.1,1408,/nchs/pressroom/states/alabama/al.htm\n", "", None, "STATE",
     "49 states for 2021"),
    (SOSMAP, "2021,AL,30.1,1408,/nchs/pressroom/states/alabama/al.htm",
     "2021,AK,30.1,1408,/nchs/pressroom/states/alaska/ak.htm", 2, "DEATHS", "duplicate"),
    (EXCERPT, "Illinois\n303,849", "Illinois\n3038,49", 37, "Death Rate", "cannot split"),
    (EXCERPT, "Iowa\n15.3469", "Iowa\n15.3470", None, "Deaths", "sum to 107,942"),
    (EXCERPT, "Wyoming\n21.9126\n", "", None, "Location", "no row for WY"),
    (EXCERPT, "Alaska\n", "Alabama\n", 12, "Location", "appears twice"),
    (QUOTED, "2023,WV,81.9", "2021,WV,91.9", 16, "age_adjusted_rate_per_100k",
     "NCHS quoted 91.9 for WV 2021"),
    (QUOTED, "2019,WV,52.8", "2019,XX,52.8", 1, "state", "unknown state"),
    (NATIONAL, "2023,105007,31.3", "2023,105007,", 5, "age_adjusted_rate_per_100k",
     "blank rate"),
    (NATIONAL, "2022,107941,32.6", "2022,107940,32.6", None, "Deaths", "not the U.S. final"),
    ("cdc-sosmap-overdose-1999-2021/dc_supplement.csv", "2019,DC,", "2019,VA,", 1,
     "state_abbr", "a DC supplement row"),
])
def test_bad_input_names_file_row_and_column(edited, file, old, new, row, column, message):
    raw = edited(file, old, new)
    with pytest.raises(SourceError) as err:
        nchs_final.read(raw)
    assert message in err.value.message
    assert (err.value.row, err.value.column) == (row, column)


# --- the real files ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(raw_dir):
    return nchs_final.read(raw_dir)


@pytest.fixture(scope="module")
def real_obs(real):
    return by_key(real)


@pytest.mark.rawdata
def test_real_counts(real):
    counts = Counter(o.source for o in real.observations)
    assert counts == {"cdc-sosmap-drug-overdose-state-1999-2021": 300,
                      "cdc-sosmap-drug-overdose-state-2022": 102,
                      "nchs-final-overdose-national-2019-2024": 10,
                      "nchs-dc-overdose-2019-2021": 5,
                      "nchs-quoted-state-overdose-rates-2019-2023": 4}
    assert not any("provisional" in o.flags for o in real.observations)


@pytest.mark.rawdata
def test_real_deaths_add_up_as_provenance_says(real_obs):
    """50 states: 70,319 / 91,375 / 106,249; with DC the NCHS totals 70,630 / 91,799 / 106,699."""
    def states(year):
        return sum(o.value for (f, m, p), o in real_obs.items()
                   if m == DEATHS and p == year and f not in ("00", "11"))

    assert [states(y) for y in ("2019", "2020", "2021")] == [70_319, 91_375, 106_249]
    dc = [real_obs[("11", DEATHS, y)].value for y in ("2019", "2020", "2021")]
    assert [s + d for s, d in zip((70_319, 91_375, 106_249), dc)] == [70_630, 91_799, 106_699]
    assert real_obs[("00", DEATHS, "2021")].value == 106_699
    assert states("2022") + real_obs[("11", DEATHS, "2022")].value == 107_941


@pytest.mark.rawdata
def test_real_spot_checks_from_provenance(real_obs):
    rate = lambda abbr_fips, year: real_obs[(abbr_fips, RATE, year)].value  # noqa: E731
    # 2020 (Becker's, 50/50 identical): WV 81.4, KY 49.2, DE 47.3, OH 47.2, TX 14.1, NE 11.3, SD 10.3
    assert [rate(f, "2020") for f in ("54", "21", "10", "39", "48", "31", "46")] == \
        [81.4, 49.2, 47.3, 47.2, 14.1, 11.3, 10.3]
    # 2021 (MMWR QuickStats): WV 90.9, NE 11.4, SD 12.6, IA 15.3; LA 55.9 / 2,463; TN 56.6.
    assert [rate(f, "2021") for f in ("54", "31", "46", "19", "22", "47")] == \
        [90.9, 11.4, 12.6, 15.3, 55.9, 56.6]
    assert real_obs[("54", DEATHS, "2021")].value == 1_501
    assert real_obs[("22", DEATHS, "2021")].value == 2_463
    assert real_obs[("47", DEATHS, "2021")].value == 3_813  # addictioncenter.com says 3,814
    # 2019 (Health E-Stat): WV 52.8, DE 48.0, OH 38.3, MD 38.2, NE 8.7, SD 10.5, TX 10.8,
    # ND 11.4, IA 11.5; DC 43.2 from the supplement.
    assert [rate(f, "2019") for f in ("54", "10", "39", "24", "31", "46", "48", "38", "19",
                                      "11")] == \
        [52.8, 48.0, 38.3, 38.2, 8.7, 10.5, 10.8, 11.4, 11.5, 43.2]
    # 2022: WV 80.9 / 1,335; IA 15.3 / 469; NE 11.8, SD 11.3, DC 64.3, TN 56, KY 53.2.
    assert [rate(f, "2022") for f in ("54", "19", "31", "46", "11", "47", "21")] == \
        [80.9, 15.3, 11.8, 11.3, 64.3, 56.0, 53.2]
    assert (real_obs[("54", DEATHS, "2022")].value, real_obs[("19", DEATHS, "2022")].value) == \
        (1_335, 469)
    # 2023 quoted: WV 81.9, DC 60.7, NE 9.0, SD 11.2; U.S. 31.3 and 105,007.
    assert [rate(f, "2023") for f in ("54", "11", "31", "46", "00")] == \
        [81.9, 60.7, 9.0, 11.2, 31.3]
    assert real_obs[("00", DEATHS, "2024")].value == 79_384


@pytest.mark.rawdata
def test_real_2022_text_matches_the_compilers_parse(raw_dir, real_obs):
    path = raw_dir / nchs_final.RATES_FOLDER / "cdc_sosmap_2022_state_rates_parsed.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 51
    from drugatlas.sources.common import FIPS_BY_ABBR
    for row in rows:
        fips = FIPS_BY_ABBR[row["STATE"]]
        assert real_obs[(fips, RATE, "2022")].value == float(row["RATE"]), row
        assert real_obs[(fips, DEATHS, "2022")].value == float(row["DEATHS"]), row


@pytest.mark.rawdata
def test_real_state_download_matches_its_parsed_files_and_the_older_finals(raw_dir, real_obs):
    folder = raw_dir / nchs_final.SOSMAP_FOLDER
    from drugatlas.sources.common import FIPS_BY_ABBR
    for year in nchs_final.FINAL_STATE_YEARS:
        with (folder / f"parsed_{year}.csv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                fips = FIPS_BY_ABBR[row["state_abbr"]]
                assert real_obs[(fips, RATE, year)].value == float(row["rate"])
                assert real_obs[(fips, DEATHS, year)].value == float(row["deaths"])
    # The years not read repeat the files the atlas already reads: 2015-2018 agree
    # (WV 2018: 51.5 and 856 deaths, the control value of the PROVENANCE).
    older = by_key(nchs.read(raw_dir))
    with (folder / "data-table.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["YEAR"] in ("2015", "2016", "2017", "2018"):
                fips = FIPS_BY_ABBR[row["STATE"]]
                assert older[(fips, RATE, row["YEAR"])].value == float(row["RATE"]), row
                assert older[(fips, DEATHS, row["YEAR"])].value == \
                    float(row["DEATHS"].replace(",", "")), row
    assert (older[("54", RATE, "2018")].value, older[("54", DEATHS, "2018")].value) == \
        (51.5, 856)


@pytest.mark.rawdata
def test_real_final_rates_agree_with_the_provisional_ones_they_replace(raw_dir, real_obs):
    """NCHS's 12-months-ending-Q4 provisional rates (2019, 2020) equal the final ones."""
    provisional = {k: o for k, o in by_key(nchs.read(raw_dir)).items()
                   if o.source == nchs.QUARTERLY.id and o.value is not None}
    compared = 0
    for (fips, measure, year), o in provisional.items():
        final = real_obs.get((fips, measure, year))
        if final is not None:
            compared += 1
            assert abs(final.value - o.value) <= 0.1, (fips, year, final.value, o.value)
    assert compared >= 100
