"""VSRR provisional overdose counts: fixture excerpt, bad input, and the full published file."""
from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from drugatlas.sources import vsrr
from drugatlas.sources.records import SourceError

REPORTED, PREDICTED = "overdose_deaths_12mo_provisional", "overdose_deaths_12mo_predicted"


def _by_key(result):
    return {(o.fips, o.measure, o.period): o for o in result.observations}


@pytest.fixture(scope="module")
def fixture_obs(fixtures_dir):
    return _by_key(vsrr.read(fixtures_dir))


def _variant(fixtures_dir: Path, tmp_path: Path, edit) -> Path:
    """A raw folder holding the fixture file after ``edit(rows)`` changed its rows in place."""
    with open(fixtures_dir / vsrr.SOURCE.file, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    edit(rows)
    target = tmp_path / vsrr.SOURCE.file
    target.parent.mkdir(parents=True)
    with open(target, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return tmp_path


def _row(rows, state, indicator, year="2021"):
    return next(r for r in rows if r[0] == state and r[1] == year and r[4] == indicator)


def test_reported_and_predicted_totals(fixture_obs):
    reported = fixture_obs[("00", REPORTED, "2021-12")]
    predicted = fixture_obs[("00", PREDICTED, "2021-12")]
    assert (reported.value, predicted.value) == (107_573, 109_099)
    assert reported.flags == {"provisional"}
    assert predicted.flags == {"provisional", "predicted"}
    assert fixture_obs[("54", REPORTED, "2021-12")].value == 1_506


def test_drug_classes_map_to_measures(fixture_obs):
    us = {m: o.value for (fips, m, period), o in fixture_obs.items()
          if fips == "00" and period == "2021-12"}
    assert us == {REPORTED: 107_573, PREDICTED: 109_099,
                  "overdose_deaths_12mo_opioids": 80_997, "overdose_deaths_12mo_heroin": 9_263,
                  "overdose_deaths_12mo_natural_semisynthetic_opioids": 13_674,
                  "overdose_deaths_12mo_methadone": 3_697,
                  "overdose_deaths_12mo_synthetic_opioids": 71_143,
                  "overdose_deaths_12mo_cocaine": 24_710,
                  "overdose_deaths_12mo_psychostimulants": 32_962}


def test_new_york_state_is_rest_of_state_plus_city(fixture_obs):
    assert fixture_obs[("36", REPORTED, "2021-12")].value == 3_170 + 2_775
    assert fixture_obs[("36", PREDICTED, "2021-12")].value == 3_416 + 2_780
    assert fixture_obs[("36", "overdose_deaths_12mo_heroin", "2021-12")].value == 291 + 801
    assert {fips for fips, _, _ in fixture_obs} == {"00", "02", "36", "54"}  # no PR, no YC


def test_blank_cell_is_suppressed_not_zero(fixture_obs):
    cocaine = fixture_obs[("02", "overdose_deaths_12mo_cocaine", "2015-01")]
    assert cocaine.value is None
    assert cocaine.flags == {"provisional", "suppressed"}


def test_underreported_period_is_flagged_partial(fixture_obs):
    latest = fixture_obs[("00", REPORTED, "2024-12")]
    assert latest.value == 80_719 and latest.flags == {"provisional", "partial"}


def test_new_york_without_city_row_is_blank(fixtures_dir, tmp_path):
    raw = _variant(fixtures_dir, tmp_path, lambda rows: rows.remove(
        _row(rows, "YC", "Number of Drug Overdose Deaths")))
    obs = _by_key(vsrr.read(raw))
    ny = obs[("36", REPORTED, "2021-12")]
    assert ny.value is None and "suppressed" in ny.flags
    assert obs[("36", "overdose_deaths_12mo_heroin", "2021-12")].value == 1_092


def _set(state, indicator, column, value):
    def edit(rows):
        _row(rows, state, indicator)[rows[0].index(column)] = value
    return edit


@pytest.mark.parametrize("edit, message, column", [
    (lambda rows: rows[0].__setitem__(5, "Value"), "missing column", "Data Value"),
    (_set("WV", "Number of Drug Overdose Deaths", "State", "XX"), "unknown state", "State"),
    (_set("WV", "Number of Drug Overdose Deaths", "Data Value", "-3"), "negative", "Data Value"),
    (_set("WV", "Number of Drug Overdose Deaths", "Predicted Value", "n/a"), "not a number",
     "Predicted Value"),
    (_set("WV", "Number of Drug Overdose Deaths", "Month", "Decembre"), "month", "Month"),
    (_set("WV", "Number of Drug Overdose Deaths", "Indicator", "Fentanyl"), "unknown indicator",
     "Indicator"),
    (lambda rows: rows.append(list(_row(rows, "WV", "Number of Drug Overdose Deaths"))),
     "duplicate", "Data Value"),
    (lambda rows: rows.append(list(_row(rows, "YC", "Heroin (T40.1)"))), "duplicate",
     "Data Value"),
])
def test_bad_input_names_file_row_and_column(fixtures_dir, tmp_path, edit, message, column):
    raw = _variant(fixtures_dir, tmp_path, edit)
    with pytest.raises(SourceError, match=message) as caught:
        vsrr.read(raw)
    assert caught.value.file.endswith(vsrr.SOURCE.file)
    assert caught.value.column == column
    assert caught.value.row is not None


@pytest.fixture(scope="module")
def real(raw_dir):
    return vsrr.read(raw_dir)


@pytest.mark.rawdata
@pytest.mark.parametrize("fips, period, reported, predicted", [
    ("00", "2021-12", 107_573, 109_099),
    ("00", "2022-12", 109_413, None),
    ("00", "2023-12", 106_881, None),
    ("00", "2024-12", 80_719, None),
    ("00", "2017-12", 70_699, None),
    ("54", "2021-12", 1_506, 1_537),
    ("00", "2025-02", 76_298, 78_309),
])
def test_published_figures(real, fips, period, reported, predicted):
    obs = _by_key(real)
    assert obs[(fips, REPORTED, period)].value == reported
    if predicted is not None:
        assert obs[(fips, PREDICTED, period)].value == predicted


@pytest.mark.rawdata
def test_full_file_coverage(real):
    periods = sorted({o.period for o in real.observations})
    assert (periods[0], periods[-1], len(periods)) == ("2015-01", "2025-02", 122)
    assert len({o.fips for o in real.observations}) == 52  # 50 states, DC, U.S.
    totals = [o for o in real.observations if o.measure == REPORTED]
    assert len(totals) == 52 * 122 and all(o.value is not None for o in totals)
    assert all("provisional" in o.flags for o in real.observations)
    assert all(o.value is None for o in real.observations if "suppressed" in o.flags)
    [source] = real.sources
    # Named by the release read (its metadata's rowsUpdatedAt, 2025-07-16 13:56 UTC).
    assert source.title == "VSRR Provisional Drug Overdose Death Counts (release of 2025-07-16)"
    assert dataclasses.replace(source, title=vsrr.SOURCE.title) == vsrr.SOURCE


@pytest.mark.rawdata
def test_full_file_new_york_sum(real, raw_dir):
    with open(raw_dir / vsrr.SOURCE.file, encoding="utf-8", newline="") as f:
        parts = {r["State"]: int(r["Data Value"]) for r in csv.DictReader(f)
                 if (r["Year"], r["Month"], r["Indicator"]) == (
                     "2023", "June", "Number of Drug Overdose Deaths")}
    assert _by_key(real)[("36", REPORTED, "2023-06")].value == parts["NY"] + parts["YC"]


def test_title_names_the_release_read(fixtures_dir, tmp_path):
    """Not a date written in the code: the metadata's rowsUpdatedAt, else the newest month."""
    target = tmp_path / vsrr.SOURCE.file
    target.parent.mkdir(parents=True)
    target.write_bytes((fixtures_dir / vsrr.SOURCE.file).read_bytes())
    result = vsrr.read(tmp_path)
    newest = max(o.period for o in result.observations)
    assert result.sources[0].title == \
        f"VSRR Provisional Drug Overdose Death Counts (data through {newest})"

    (target.parent / vsrr.METADATA).write_text('{"rowsUpdatedAt": 1755093392}')  # 2025-08-13
    assert vsrr.read(tmp_path).sources[0].title == \
        "VSRR Provisional Drug Overdose Death Counts (release of 2025-08-13)"
