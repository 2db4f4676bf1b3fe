"""ICPSR county-level arrest reader: fixtures (rows excerpted from the extracts) and real files."""
from __future__ import annotations

import csv
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from drugatlas.sources import fbi_table69, icpsr
from drugatlas.sources.records import SourceError

OLD, NEW = (folder.name for folder in icpsr.FOLDERS)


def by_key(result):
    return {(o.fips, o.measure, o.period): o for o in result.observations}


@pytest.fixture(scope="module")
def fixture_obs(fixtures_dir):
    return by_key(icpsr.read(fixtures_dir, county_measures=icpsr.ALL_COUNTY_MEASURES))


# --- counties ----------------------------------------------------------------------------------

def test_by_default_counties_get_totals_and_split_only(fixtures_dir):
    county = {o.measure for o in icpsr.read(fixtures_dir).observations if len(o.fips) == 5}
    state = {o.measure for o in icpsr.read(fixtures_dir).observations if len(o.fips) == 2}
    assert county == set(icpsr.COUNTY_MEASURES)
    assert "drug_arrests_possession_marijuana" in state


def test_county_counts_and_split(fixture_obs):
    la = {m: fixture_obs[("06037", m, "2016")].value for m in icpsr.COUNTS}
    assert (la["drug_arrests"], la["drug_arrests_sale"], la["drug_arrests_possession"]) == \
        (40_353, 7_609, 32_744)
    assert la["drug_arrests_possession_marijuana"] == 840
    assert la["drug_arrests_possession_other_drugs"] == 11_709
    autauga = fixture_obs[("01001", "arrest_reporting_agencies", "2016")]
    assert autauga.value == 3 and autauga.flags == frozenset()
    assert fixture_obs[("01001", "arrest_population_covered", "2016")].value == 57_135


def test_imputed_from_1994_only(fixture_obs):
    assert fixture_obs[("01001", "drug_arrests", "2000")].flags == {"imputed"}
    assert fixture_obs[("01001", "arrest_population_covered", "2000")].flags == {"imputed"}
    assert fixture_obs[("01001", "drug_arrests", "1990")].flags == frozenset()
    assert fixture_obs[("01001", "drug_arrests", "1990")].value == 23


def test_agency_counts_only_where_the_file_has_them(fixture_obs):
    assert ("01001", "arrest_reporting_agencies", "1990") not in fixture_obs
    assert fixture_obs[("01001", "arrest_reporting_agencies", "2000")].value == 2


def test_missing_coded_county_is_no_data(fixture_obs):
    o = fixture_obs[("12001", "drug_arrests", "1988")]  # Alachua FL 1988: all-9 fields
    assert o.value is None and o.flags == {"no_reporting"}


def test_county_where_no_agency_reported_is_no_data(fixture_obs):
    # 1990: nobody covered and no arrests at all; 2000: coverage 0 and no arrests at all.
    for fips, year in (("01007", "1990"), ("02164", "2000")):
        for measure in ("drug_arrests", "drug_arrests_possession", "arrest_population_covered"):
            o = fixture_obs[(fips, measure, year)]
            assert o.value is None and o.flags == {"no_reporting"}, (fips, measure)


def test_counties_of_a_state_with_no_reporting_agency_are_no_data(fixture_obs):
    # Florida 2000: the state file says no agency reported; the county's zeros are not counts.
    for measure in ("drug_arrests", "arrest_population_covered", "arrest_reporting_agencies"):
        o = fixture_obs[("12001", measure, "2000")]
        assert o.value is None and o.flags == {"no_reporting"}


def test_low_coverage_counties(fixture_obs):
    # 2000: coverage indicator 0 but arrests reported (imputed or zero-population agencies).
    assert fixture_obs[("02013", "drug_arrests", "2000")].value == 6
    assert fixture_obs[("02013", "drug_arrests", "2000")].flags == {"imputed", "low_coverage"}
    # 1990: no covered population but arrests from an agency without one.
    assert fixture_obs[("21015", "drug_arrests", "1990")].flags == {"low_coverage"}
    assert fixture_obs[("01001", "drug_arrests", "1990")].flags == frozenset()  # 19,587/34,222


def test_total_without_a_split_leaves_the_split_no_data_not_zero(fixture_obs):
    # Cook County 2000: 58,697 drug arrests, every part of the split 0 in the file.
    total = fixture_obs[("17031", "drug_arrests", "2000")]
    assert (total.value, total.flags) == (58_697, {"imputed"})
    for measure in icpsr.BREAKDOWN:
        o = fixture_obs[("17031", measure, "2000")]
        assert o.value is None and o.flags == {"no_breakdown"}, measure


def test_unsplit_parts():
    zeros = dict.fromkeys(icpsr.BREAKDOWN, 0.0)
    assert icpsr._unsplit({"drug_arrests": 5.0, **zeros}) == set(icpsr.BREAKDOWN)
    # A real zero: no arrests at all, so nothing to split.
    assert icpsr._unsplit({"drug_arrests": 0.0, **zeros}) == set()
    # Split into sale and possession, but possession not by drug.
    split = {**zeros, "drug_arrests": 9.0, "drug_arrests_sale": 2.0,
             "drug_arrests_sale_marijuana": 2.0, "drug_arrests_possession": 7.0}
    assert icpsr._unsplit(split) == {m for m in icpsr.BREAKDOWN
                                     if m.startswith("drug_arrests_possession_")}
    # A partial split (some agencies reported only a total) is a value, flagged elsewhere.
    assert icpsr._unsplit({**split, "drug_arrests": 20.0,
                           "drug_arrests_possession_marijuana": 7.0}) == set()


def test_pseudo_and_retired_counties_are_left_out_renamed_ones_moved(fixture_obs):
    places = {fips for fips, _, _ in fixture_obs}
    assert not places & {"50999", "01777", "51123", "12025", "46113", "02270"}
    assert fixture_obs[("12086", "drug_arrests", "1990")].value == 16_012  # Dade (12025)
    assert fixture_obs[("46102", "drug_arrests", "2010")].value == 0  # Shannon (46113): real 0
    assert fixture_obs[("46102", "drug_arrests", "2010")].flags == {"imputed"}
    assert fixture_obs[("02158", "drug_arrests", "2010")].value is None  # Wade Hampton


def test_county_figures_are_part_1_only(fixture_obs):
    assert fixture_obs[("04001", "drug_arrests", "2016")].value == 338  # Part 5 adds 30


# --- states ------------------------------------------------------------------------------------

def test_state_totals_only_for_years_without_table_69(fixture_obs):
    assert fixture_obs[("01", "drug_arrests", "2007")].value == 22_638
    assert ("01", "drug_arrests", "2008") not in fixture_obs
    assert ("06", "drug_arrests", "2010") not in fixture_obs
    assert ("06", "arrest_population_covered", "2010") not in fixture_obs
    # No state split in Table 69 years either: it would not share the total's basis.
    assert ("06", "drug_arrests_possession", "2010") not in fixture_obs
    assert ("01", "drug_arrests_sale", "2008") not in fixture_obs
    assert fixture_obs[("01", "drug_arrests_sale", "2007")].value is not None
    assert not any(m == "arrest_reporting_agencies" and len(f) == 2 for f, m, _ in fixture_obs)


def test_florida_2000_is_no_data_not_zero(fixture_obs):
    for measure in ("drug_arrests", "drug_arrests_possession", "drug_arrests_sale_marijuana",
                    "arrest_population_covered"):
        o = fixture_obs[("12", measure, "2000")]
        assert o.value is None and o.flags == {"no_reporting"}, measure
    assert fixture_obs[("12", "drug_arrests_possession", "2016")].value is None
    assert fixture_obs[("17", "drug_arrests", "2016")].value is None  # IL 2016


def test_state_years_absent_from_the_state_file_are_no_data(fixture_obs):
    o = fixture_obs[("12", "drug_arrests", "1988")]  # every Florida record missing-coded
    assert o.value is None and o.flags == {"no_reporting"} and o.row is None


def test_state_quality_flags(fixture_obs):
    il = fixture_obs[("17", "drug_arrests", "2000")]
    assert il.value == 73_941 and il.flags == {"imputed", "low_coverage"}
    # Illinois 2000: a total, no split at all (not "0 possession arrests").
    possession = fixture_obs[("17", "drug_arrests_possession", "2000")]
    assert possession.value is None and possession.flags == {"no_breakdown"}
    assert fixture_obs[("17", "drug_arrests_possession", "2007")].flags == \
        {"imputed", "low_coverage", "partial"}
    assert fixture_obs[("17", "drug_arrests_possession", "1988")].flags == {"partial"}
    assert fixture_obs[("17", "drug_arrests", "1988")].flags == frozenset()
    assert fixture_obs[("47", "drug_arrests", "1989")].flags == {"partial"}  # a county missing
    iowa = fixture_obs[("19", "drug_arrests", "1991")]  # "no_data"
    assert iowa.value is None and iowa.flags == {"no_reporting"}


def test_every_state_year_on_request(fixtures_dir):
    """all_state_years: the ICPSR state sums of Table 69 years too, e.g. the 2008-2012 split."""
    every = by_key(icpsr.read(fixtures_dir, all_state_years=True))
    wv = {m: every[("54", m, "2010")] for m in ("drug_arrests", "drug_arrests_possession",
                                                  "drug_arrests_sale")}
    assert {m: o.value for m, o in wv.items()} == {
        "drug_arrests": 7_986, "drug_arrests_possession": 6_195, "drug_arrests_sale": 1_638}
    assert {o.source for o in wv.values()} == {"icpsr-state-2010-2016"}
    assert wv["drug_arrests_possession"].flags == {"imputed"}
    assert every[("01", "drug_arrests_sale", "2008")].value == 1_913
    assert every[("01", "drug_arrests_possession", "2008")].value == 19_332
    # The default gives the same counties and the same rest; Table 69 years' state sums
    # go under measures of their own (below).
    default = by_key(icpsr.read(fixtures_dir))
    common = {k for k in default if k[1] not in icpsr.SUM_MEASURES.values()}
    assert common < set(every)
    assert all(every[k] == default[k] for k in common)
    assert {int(p) for f, _, p in set(every) - common} <= set(fbi_table69.YEARS)
    source = {s.id: s for s in icpsr.read(fixtures_dir, all_state_years=True).sources}
    assert "Table 69 years included" in source["icpsr-state-2010-2016"].caveats


def test_table69_years_state_sums_are_a_series_of_their_own(fixture_obs, fixtures_dir):
    """2008, 2010, 2012: ICPSR's state sums under their own measures and source, never under
    the measures Table 69 fills for those years."""
    wv = {m: fixture_obs[("54", m, "2010")] for m in icpsr.SUM_MEASURES.values()}
    assert {m: o.value for m, o in wv.items()} == {
        "drug_arrests_icpsr_sum": 7_986, "drug_arrests_possession_icpsr_sum": 6_195,
        "drug_arrests_sale_icpsr_sum": 1_638}
    assert {o.source for o in wv.values()} == {"icpsr-state-sums-2010-2012"}
    assert wv["drug_arrests_possession_icpsr_sum"].flags == {"imputed"}
    assert fixture_obs[("01", "drug_arrests_possession_icpsr_sum", "2008")].value == 19_332
    assert fixture_obs[("01", "drug_arrests_possession_icpsr_sum", "2008")].source == \
        "icpsr-state-sums-2008"
    for year in ("2008", "2010", "2012"):
        assert ("54", "drug_arrests_possession", year) not in fixture_obs
        assert ("54", "drug_arrests", year) not in fixture_obs
    sources = {s.id: s for s in icpsr.read(fixtures_dir).sources}
    assert "compare them only with each other" in sources["icpsr-state-sums-2010-2012"].caveats
    assert "(ICPSR county-level sums, imputed)" in sources["icpsr-state-sums-2010-2012"].title


def test_2016_states_add_statewide_agencies_once(fixture_obs):
    az = fixture_obs[("04", "drug_arrests", "2016")]
    assert az.value == 32_614 + 30  # Part 1 plus the fixture's one Part 5 county
    assert fixture_obs[("04", "drug_arrests_possession_marijuana", "2016")].value == 15_344 + 20
    ny = fixture_obs[("36", "drug_arrests_possession", "2016")]
    assert ny.value == 93_008 + 32 and ny.flags == {"imputed", "partial"}
    # DC: Part 5 repeats Part 1 figure for figure (the same agency), so nothing is added.
    dc = fixture_obs[("11", "drug_arrests", "2016")]
    # Its coverage indicator is 0 (the Metro Transit Police only): flagged, so no rate.
    assert dc.value == 330 and dc.flags == {"imputed", "low_coverage", "no_coverage"}
    assert fixture_obs[("06", "drug_arrests", "2016")].value == 220_313


def test_sources(fixtures_dir):
    sources = {s.id: s for s in icpsr.read(fixtures_dir).sources}
    assert set(sources) == {"icpsr-state-1986-2008", "icpsr-state-2010-2016",
                            "icpsr-state-sums-2008", "icpsr-state-sums-2010-2012",
                            "icpsr-county-1988", "icpsr-county-1990", "icpsr-county-2000",
                            "icpsr-county-2010", "icpsr-county-2016",
                            "icpsr-county-statewide-2016"}
    county = sources["icpsr-county-2016"]
    assert county.file == f"{NEW}/county/ucr_county_drug_arrests_2016.csv"
    assert county.url == "https://doi.org/10.3886/ICPSR37059.v3"
    assert "ICPSR 37059" in county.title
    assert sources["icpsr-county-1990"].url == "https://www.icpsr.umich.edu/web/NACJD/studies/9785"
    for s in sources.values():
        assert s.licence.startswith(
            "FBI Uniform Crime Reporting Program, county-level detailed arrest data, via "
            "ICPSR/NACJD; aggregated figures published with attribution; not redistributed "
            "as a bulk file")
        assert "not to redistribute" in s.licence
    assert "before 1994" in sources["icpsr-county-1990"].caveats.lower()


# --- bad input ---------------------------------------------------------------------------------

def edited(fixtures_dir: Path, tmp_path: Path, file: str, old: str, new: str) -> Path:
    """Both fixture folders copied to tmp_path, with the first ``old`` in ``file`` replaced."""
    for name in (OLD, NEW):
        shutil.copytree(fixtures_dir / name, tmp_path / name)
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


COUNTY_2000 = f"{OLD}/county/ucr_county_drug_arrests_2000.csv"
STATE_NEW = f"{NEW}/ucr_state_drug_arrests_from_icpsr_county_2010_2012_2016.csv"


@pytest.mark.parametrize("file,old,new,message,row,column", [
    (COUNTY_2000, "poss_total", "possession_total", "missing column", 0, "poss_total"),
    (COUNTY_2000, "17031,IL,,5345619,146,1,54.1755,253967,58697",
     "17031,IL,,5345619,146,1,54.1755,253967,-58697", "negative", 5, "drug_total"),
    (COUNTY_2000, "01001,AL,,44584,2", "01001,AL,,44584,two", "not a number", 1, "n_agencies"),
    (COUNTY_2000, "2000,03451,02,013,02013,AK", "2000,03451,01,001,01001,AL", "appears twice", 2,
     "fips"),
    (COUNTY_2000, "2000,03451,02,013,02013,AK", "2000,03451,72,013,72013,PR",
     "unknown state FIPS '72'", 2, "fips_state"),
    (COUNTY_2000, "2000,03451,02,013,02013", "2000,03451,02,013,02031", "does not match", 2,
     "fips"),
    (COUNTY_2000, "2000,03451,02,013", "1999,03451,02,013", "in the file for 2000", 2, "year"),
    (STATE_NEW, "AZ,Arizona,04,2010", "AL,Alabama,01,2010", "second row for AL 2010", 2,
     "fips_state"),
    (STATE_NEW, "low_coverage_under_50", "mostly_fine", "unknown quality flag", 4,
     "quality_flag"),
    (f"{NEW}/county/ucr_county_statewide_allocated_drug_arrests_2016.csv",
     "04001,AZ,6931071,91,30", "04001,AZ,6931071,91,x30", "not a number", 3,
     "stwide_drug_total"),
])
def test_bad_input_names_file_row_and_column(fixtures_dir, tmp_path, file, old, new, message,
                                             row, column):
    raw = edited(fixtures_dir, tmp_path, file, old, new)
    with pytest.raises(SourceError, match=message) as error:
        icpsr.read(raw)
    assert error.value.file == str(raw / file)
    assert (error.value.row, error.value.column) == (row, column)


def test_renamed_county_twice_is_an_error(fixtures_dir, tmp_path):
    raw = edited(fixtures_dir, tmp_path, f"{OLD}/county/ucr_county_drug_arrests_1990.csv",
                 "1990,09785,01,007,01007,AL", "1990,09785,12,086,12086,FL")
    with pytest.raises(SourceError, match="once under its old code"):
        icpsr.read(raw)


# --- the real files ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(raw_dir):
    return icpsr.read(raw_dir, county_measures=icpsr.ALL_COUNTY_MEASURES)


@pytest.fixture(scope="module")
def real_obs(real):
    return by_key(real)


@pytest.fixture(scope="module")
def part1(raw_dir):
    """Part 1 state sums as published, by (USPS code, year)."""
    rows = {}
    for folder in icpsr.FOLDERS:
        path = raw_dir / folder.name / folder.state_file
        for (fips, year), row in icpsr.state_rows(path).items():
            rows[(icpsr.STATES[fips][0], year)] = row
    return rows


def test_real_shape(real, part1):
    assert sum(1 for _, year in part1 if year <= 2008) == 1_068
    assert sum(1 for _, year in part1 if year >= 2010) == 153
    assert len(real.sources) == 21 + 3 + 1 + 2 + 2  # + the Table 69 years' state sums
    keys = [(o.fips, o.measure, o.period) for o in real.observations]
    assert len(keys) == len(set(keys))
    assert all(len(fips) in (2, 5) for fips, _, _ in keys)


def test_real_county_spot_checks(real_obs):
    value = lambda fips, measure, year: real_obs[(fips, measure, str(year))].value  # noqa: E731
    # 2008 Los Angeles: 75,209 = sale 13,960 + possession 61,249; marijuana possession 18,944.
    assert [value("06037", m, 2008) for m in ("drug_arrests", "drug_arrests_sale",
            "drug_arrests_possession", "drug_arrests_possession_marijuana")] == \
        [75_209, 13_960, 61_249, 18_944]
    # 2008 Autauga: 203 = 25 + 178, 52,417 covered.
    assert [value("01001", m, 2008) for m in ("drug_arrests", "drug_arrests_sale",
            "drug_arrests_possession", "arrest_population_covered")] == [203, 25, 178, 52_417]
    # Los Angeles 2010 and 2016.
    assert [value("06037", m, 2010) for m in ("drug_arrests", "drug_arrests_sale",
            "drug_arrests_possession")] == [61_173, 10_803, 50_370]
    assert [value("06037", m, 2016) for m in ("drug_arrests", "drug_arrests_sale",
            "drug_arrests_possession")] == [40_353, 7_609, 32_744]
    # California's marijuana possession collapse after 2011.
    assert [value("06037", "drug_arrests_possession_marijuana", y) for y in (2010, 2012, 2016)] \
        == [15_633, 2_421, 840]
    # Autauga 2016: 309 = 31 + 277; marijuana possession 173; 3 agencies.
    assert [value("01001", m, 2016) for m in ("drug_arrests", "drug_arrests_sale",
            "drug_arrests_possession", "drug_arrests_possession_marijuana",
            "arrest_reporting_agencies")] == [309, 31, 277, 173, 3]


def test_real_state_spot_checks(part1, real_obs):
    total = lambda abbr, year: part1[(abbr, year)].values["drug_total"]  # noqa: E731
    assert [total(a, 2008) for a in ("MS", "NY", "TX", "CA", "CT")] == \
        [23_714, 173_643, 142_712, 270_040, 18_256]
    assert [total(a, 2010) for a in ("CT", "CA", "TX", "NY")] == [17_692, 250_351, 138_916, 174_493]
    # 2016 is emitted as the state total (no Table 69 that year); CA, TX and CT have no Part 5.
    for fips, expected in (("06", 220_313), ("48", 144_740), ("09", 9_478)):
        o = real_obs[(fips, "drug_arrests", "2016")]
        assert o.value == expected and o.source == "icpsr-state-2010-2016"
    ny = part1[("NY", 2016)].values
    assert (ny["sale_total"], ny["poss_total"], ny["drug_total"]) == (3_048, 93_008, 137_549)
    assert "partial" in real_obs[("36", "drug_arrests_possession", "2016")].flags
    assert "partial" in real_obs[("27", "drug_arrests_sale", "2016")].flags  # MN 2016


@pytest.mark.parametrize("year,drug,sale,possession", [
    (2006, 1_719_186, None, None), (2007, 1_684_860, None, None), (2008, 1_580_693, None, None),
    (2010, 1_520_668, 250_838, 1_203_664), (2012, 1_438_296, 229_586, 1_153_657),
    (2016, 1_421_692, 200_181, 1_166_176)])
def test_real_national_part_1_sums(part1, year, drug, sale, possession):
    rows = [row.values for (abbr, y), row in part1.items() if y == year]
    assert sum(r["drug_total"] for r in rows) == drug
    if sale is not None:
        assert (sum(r["sale_total"] for r in rows), sum(r["poss_total"] for r in rows)) == \
            (sale, possession)


def test_real_2016_statewide_part(raw_dir, real_obs, part1):
    path = raw_dir / NEW / "county" / "ucr_county_statewide_allocated_drug_arrests_2016.csv"
    _, _, sums = icpsr.statewide_sums(path)
    assert sum(s["drug_total"] for s in sums.values()) == 29_058
    with open(raw_dir / NEW / icpsr.FOLDERS[1].state_file, newline="", encoding="utf-8") as f:
        for line in csv.DictReader(f):
            if line["year"] == "2016":
                s = sums[line["fips_state"]]
                assert (s["drug_total"], s["sale_total"], s["poss_total"]) == (
                    float(line["stwide_drug_total"]), float(line["stwide_sale_total"]),
                    float(line["stwide_poss_total"]))
    # Ohio gains its state police; DC's Part 5 is its Part 1 again and is not added twice.
    assert real_obs[("39", "drug_arrests", "2016")].value == 45_871 + 5_699
    assert real_obs[("11", "drug_arrests", "2016")].value == 330


def test_real_no_reporting_state_years(real_obs):
    unreported = {"12": range(1996, 2008), "11": range(1996, 2008), "20": range(1994, 2000),
                  "30": range(1994, 1997), "55": (1998, 1999), "33": (1995,), "50": (1997,)}
    for fips, years in unreported.items():
        for year in years:
            o = real_obs[(fips, "drug_arrests_possession", str(year))]
            assert o.value is None and o.flags == {"no_reporting"}, (fips, year)
    for fips, year in (("12", 2016), ("17", 2016), ("12", 2000)):
        o = real_obs[(fips, "drug_arrests_possession", str(year))]
        assert o.value is None and o.flags == {"no_reporting"}, (fips, year)
    assert real_obs[("12", "drug_arrests", "2000")].value is None
    for fips, year in (("12", 1988), ("12", 1989), ("21", 1988)):  # absent from the state file
        assert real_obs[(fips, "drug_arrests", str(year))].flags == {"no_reporting"}


def test_real_low_coverage_state_years(real_obs):
    for fips, years in {"21": (2006, 2007), "17": range(1995, 2008), "11": (2016,)}.items():
        for year in years:
            flags = real_obs[(fips, "drug_arrests", str(year))].flags
            assert "low_coverage" in flags, (fips, year)
    for fips, year in (("21", 2006), ("17", 2006), ("17", 2007), ("11", 2016)):
        assert "low_coverage" in real_obs[(fips, "drug_arrests_sale", str(year))].flags
    assert "low_coverage" not in real_obs[("28", "drug_arrests_sale", "2016")].flags  # MS 55%


def test_real_state_split_under_90_percent_is_partial(real_obs):
    # Tennessee 1998: 3,663 + 14,950 of 29,434, with no word about it in the state file.
    assert real_obs[("47", "drug_arrests_possession", "1998")].flags == {"imputed", "partial"}
    assert real_obs[("47", "drug_arrests", "1998")].flags == {"imputed"}
    assert real_obs[("01", "drug_arrests_possession", "2000")].flags == {"imputed"}


def test_real_totals_without_a_split_are_no_data_not_zero(real, real_obs):
    """Issue 9: Illinois 1995-2005, SC 1992 and 1994, VT 1994 and 674 county-years had a total
    but no possession/sale split, and were served as 0 possession arrests."""
    states = {(o.fips, int(o.period)) for o in real.observations
              if len(o.fips) == 2 and o.measure == "drug_arrests_possession"
              and "no_breakdown" in o.flags}
    assert states == {*(("17", y) for y in range(1995, 2006)), ("45", 1992), ("45", 1994),
                      ("50", 1994)}
    for fips, year in states:
        assert real_obs[(fips, "drug_arrests", str(year))].value > 0
        for measure in icpsr.BREAKDOWN:
            o = real_obs[(fips, measure, str(year))]
            assert o.value is None and o.flags == {"no_breakdown"}, (fips, measure, year)
    il = real_obs[("17", "drug_arrests", "2000")]
    assert il.value == 73_941
    counties = [o for o in real.observations
                if len(o.fips) == 5 and o.measure == "drug_arrests_possession"
                and "no_breakdown" in o.flags]
    assert len(counties) == 674
    assert all(o.value is None for o in counties)
    cook = {m: real_obs[("17031", m, "2000")] for m in ("drug_arrests",
                                                        "drug_arrests_possession",
                                                        "drug_arrests_sale")}
    assert cook["drug_arrests"].value == 58_697
    assert cook["drug_arrests_possession"].value is None
    assert cook["drug_arrests_sale"].flags == {"no_breakdown"}
    # A 0 left in the split is a real 0: no arrests at all, or the other part has them all.
    other = {"drug_arrests_possession": "drug_arrests_sale",
             "drug_arrests_sale": "drug_arrests_possession"}
    for o in real.observations:
        if o.measure in other and o.value == 0:
            total = real_obs[(o.fips, "drug_arrests", o.period)].value
            assert total == 0 or real_obs[(o.fips, other[o.measure], o.period)].value, o


def test_real_every_state_year_reads_the_2008_to_2012_split(raw_dir):
    every = by_key(icpsr.read(raw_dir, all_state_years=True))
    value = lambda fips, measure, year: every[(fips, measure, str(year))].value  # noqa: E731
    assert [value("54", m, 2010) for m in ("drug_arrests_possession", "drug_arrests_sale")] == \
        [6_195, 1_638]
    for year in (2008, 2010, 2012):
        present = {f for f, m, p in every if m == "drug_arrests_possession" and p == str(year)
                   and len(f) == 2}
        assert present == set(icpsr.STATES), year
    assert value("36", "drug_arrests_possession", 2010) == 165_211  # NY: ICPSR's basis
    assert value("17", "drug_arrests_possession", 2010) == 705  # IL: partial split
    assert "partial" in every[("17", "drug_arrests_possession", "2010")].flags
    assert every[("12", "drug_arrests_possession", "2010")].flags == {"no_reporting"}


def test_real_table69_years_sums_wv_2010(real_obs):
    value = lambda measure, year: real_obs[("54", measure, str(year))].value  # noqa: E731
    assert [value(m, 2010) for m in ("drug_arrests_possession_icpsr_sum",
                                     "drug_arrests_sale_icpsr_sum", "drug_arrests_icpsr_sum")] \
        == [6_195, 1_638, 7_986]
    assert value("drug_arrests_possession_icpsr_sum", 2012) == 7_098
    ny = real_obs[("36", "drug_arrests_icpsr_sum", "2010")]
    assert ny.value == 174_493 and ny.source == "icpsr-state-sums-2010-2012"
    years = {int(p) for f, m, p in real_obs if m in icpsr.SUM_MEASURES.values()}
    assert years == {2008, 2010, 2012}


def test_real_table_69_and_icpsr_give_one_value_per_key(raw_dir, real):
    keys = Counter((o.fips, o.measure, o.period) for o in real.observations)
    keys.update((o.fips, o.measure, o.period) for o in fbi_table69.read(raw_dir).observations)
    assert [key for key, n in keys.items() if n > 1] == []
    icpsr_state_years = {int(o.period) for o in real.observations
                         if len(o.fips) == 2 and o.measure == "drug_arrests"}
    assert icpsr_state_years == {1986, *range(1988, 1993), *range(1994, 2008), 2016}


def test_real_subtypes_add_up_in_most_counties(real):
    values = defaultdict(dict)
    for o in real.observations:
        if len(o.fips) == 5 and o.value is not None:
            values[(o.fips, o.period)][o.measure] = o.value
    for kind in ("sale", "possession"):
        checked = agree = 0
        for v in values.values():
            parts = [v.get(f"drug_arrests_{kind}_{t}") for t in
                     ("opium_cocaine", "marijuana", "synthetic_narcotics", "other_drugs")]
            if None in parts or f"drug_arrests_{kind}" not in v:
                continue
            checked += 1
            agree += abs(sum(parts) - v[f"drug_arrests_{kind}"]) <= 2
        assert agree / checked > 0.97, kind
