"""Census population estimates: places, populations, bad input, and the full published files."""
from __future__ import annotations

import shutil

import pytest

from drugatlas.sources import census
from drugatlas.sources.common import STATES
from drugatlas.sources.records import SourceError

POP = "population"


def _populations(result):
    return {(o.fips, o.period): o.value for o in result.observations if o.measure == POP}


@pytest.fixture(scope="module")
def fixture_result(fixtures_dir):
    return census.read(fixtures_dir)


def test_nation_and_every_state_are_places(fixture_result):
    places = {p.fips: p for p in fixture_result.places}
    assert (places["00"].name, places["00"].abbr, places["00"].kind) == (
        "United States", "US", "nation")
    states = {fips: (p.abbr, p.name) for fips, p in places.items() if p.kind == "state"}
    assert states == STATES
    assert "72" not in places


def test_counties_get_padded_fips_and_clean_names(fixture_result):
    counties = {p.fips: p.name for p in fixture_result.places if p.kind == "county"}
    assert counties == {
        "01001": "Autauga County",
        "02063": "Chugach Census Area",  # from 2020
        "02261": "Valdez-Cordova Census Area",  # to 2019
        "09007": "Middlesex County",  # Connecticut county, to 2019
        "09130": "Lower Connecticut River Valley Planning Region",  # from 2020, name completed
        "35013": "Doña Ana County",  # garbled in the 2019 copy
        "54047": "McDowell County",
    }


# Figures PROVENANCE.md lists; the fixtures are excerpts that keep these rows.
PUBLISHED = {("00", "2010"): 309_321_666, ("00", "2019"): 328_239_523,
             ("00", "2020"): 331_577_720, ("00", "2021"): 332_099_760,
             ("00", "2024"): 340_110_988, ("54", "2019"): 1_792_147, ("54", "2024"): 1_769_979,
             ("54047", "2010"): 22_097, ("54047", "2019"): 17_624,
             ("54047", "2020"): 18_921, ("54047", "2022"): 17_850}


def test_population_figures_and_vintages(fixture_result):
    pop = _populations(fixture_result)
    assert {key: pop[key] for key in PUBLISHED} == PUBLISHED
    assert ("02261", "2020") not in pop and ("02063", "2019") not in pop
    assert ("09007", "2020") not in pop and ("09130", "2019") not in pop


def test_sources_name_the_census_and_its_files(fixture_result):
    assert [s.id for s in fixture_result.sources] == [
        "census-nst-est2019", "census-nst-est2024", "census-co-est2019", "census-co-est2022"]
    assert all(s.publisher == "U.S. Census Bureau" and s.url.startswith("https://www2.census.gov/")
               for s in fixture_result.sources)
    assert {o.source for o in fixture_result.observations} == {
        s.id for s in fixture_result.sources}


def _raw_with_edited_line(fixtures_dir, tmp_path, file, old, new):
    """A copy of the census fixtures with ``old`` replaced by ``new`` in one file."""
    shutil.copytree(fixtures_dir / census.FOLDER, tmp_path / census.FOLDER)
    path = tmp_path / file
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("file, old, new, message, row, column", [
    (census.CO_2019.file, "POPESTIMATE2015", "POPEST2015", "missing column", 0,
     "POPESTIMATE2015"),
    (census.CO_2022.file, "50,3,5,54,47,", "50,3,5,99,47,", "unknown state", 6, "STATE"),
    (census.NST_2024.file, "West Virginia,1793736,1791646", "West Virginia,1793736,-1791646",
     "negative", 5, "POPESTIMATE2020"),
    (census.NST_2019.file, "United States,308745538,308758105,309321666",
     "United States,308745538,308758105,n.a.", "not a number", 1, "POPESTIMATE2010"),
    (census.CO_2019.file, "50,1,1,9,7,Connecticut", "50,1,1,1,1,Connecticut", "duplicate", 3,
     "POPESTIMATE2010"),
])
def test_bad_input_names_file_row_and_column(fixtures_dir, tmp_path, file, old, new, message,
                                            row, column):
    raw = _raw_with_edited_line(fixtures_dir, tmp_path, file, old, new)
    with pytest.raises(SourceError, match=message) as caught:
        census.read(raw)
    assert caught.value.file.endswith(file)
    assert (caught.value.row, caught.value.column) == (row, column)


@pytest.fixture(scope="module")
def real(raw_dir):
    return census.read(raw_dir)


@pytest.mark.rawdata
def test_published_figures(real):
    pop = _populations(real)
    assert {key: pop[key] for key in PUBLISHED} == PUBLISHED
    for year in range(2010, 2025):
        assert sum(pop[(fips, str(year))] for fips in STATES) == pop[("00", str(year))]
    # PROVENANCE: the county files' state rows sum to these; so must their counties.
    counties = {p.fips for p in real.places if p.kind == "county"}
    assert sum(pop[(f, "2019")] for f in counties if (f, "2019") in pop) == 328_239_523
    assert sum(pop[(f, "2022")] for f in counties if (f, "2022") in pop) == 333_287_557


@pytest.mark.rawdata
def test_full_files_coverage(real):
    kinds = [p.kind for p in real.places]
    # 3,142 counties of 2019 and 3,144 of 2022: 9 Connecticut planning regions and 2 Alaska
    # census areas are new in 2022, 8 Connecticut counties and Valdez-Cordova left.
    assert (kinds.count("nation"), kinds.count("state"), kinds.count("county")) == (1, 51, 3_153)
    years = {o.period for o in real.observations}
    assert years == {str(y) for y in range(2010, 2025)}
    county_years = {o.period for o in real.observations if len(o.fips) == 5}
    assert county_years == {str(y) for y in range(2010, 2023)}
    assert len(real.observations) == 52 * 15 + 3_142 * 10 + 3_144 * 3
    assert all(len(p.name) > 3 and "Ò" not in p.name for p in real.places)
