"""Reinvestment unit costs: one record per row, bad input refused, PROVENANCE figures."""
from __future__ import annotations

from collections import Counter

import pytest

from drugatlas.sources import costs
from drugatlas.sources.records import SourceError


def _by_key(result):
    return {c.key: c for c in result.costs}


def test_fixture_rows(fixtures_dir):
    result = costs.read(fixtures_dir)
    assert [s.id for s in result.sources] == ["reinvestment-unit-costs"]
    assert result.sources[0].file == "reinvestment-costs/unit_costs.csv"
    rows = _by_key(result)
    assert sorted(rows) == [
        "cpi-u-annual-average-us-2024", "jail-booking-fee-per-case-tx-2017",
        "methadone-treatment-otp-per-patient-year-us-2016",
        "share-of-drug-abuse-violation-arrests-that-are-for-possession-us-2022"]
    booking = rows["jail-booking-fee-per-case-tx-2017"]
    assert (booking.kind, booking.value, booking.unit, booking.year, booking.abbr) == (
        "enforcement", 800, "USD per booking", 2017, "TX")
    assert booking.citation.startswith("https://www.harriscountyda.com/")
    assert booking.note.startswith("Source: Harris County District Attorney's Office, The "
                                   "Economics of Misdemeanor Marijuana Prosecution, 2017.")
    assert "Quote: “$800 booking fee per case”." in booking.note
    assert "2017 assumed" in booking.note  # the row's own caveat on the dollar year
    assert rows["methadone-treatment-otp-per-patient-year-us-2016"].abbr == ""
    assert {c.source for c in result.costs} == {"reinvestment-unit-costs"}


@pytest.mark.parametrize("old, new, column, message, row", [
    ("Jail booking fee per case,enforcement,", "Jail booking fee per case,policing,", "category",
     "unknown category", 1),
    (",enforcement,800,", ",enforcement,eight hundred,", "value", "not a number", 1),
    (",enforcement,800,", ",enforcement,-800,", "value", "negative", 1),
    (",enforcement,800,", ",enforcement,,", "value", "blank", 1),
    (",share,0.878,", ",share,87.8,", "value", "fraction", 3),
    ("USD per booking,2017,TX,", "USD per booking,2017,TZ,", "geography", "unknown state", 1),
    ("USD per booking,2017,TX,", "USD per booking,FY17,TX,", "dollars_year", "not a year", 1),
    ("diversion program).\",medium", "diversion program).\",certain", "confidence",
     "unknown confidence", 1),
])
def test_bad_cell_is_refused(edited_raw, old, new, column, message, row):
    with pytest.raises(SourceError, match=message) as err:
        costs.read(edited_raw(costs.SOURCE, old, new))
    assert (err.value.row, err.value.column) == (row, column)
    assert err.value.file.endswith("unit_costs.csv")


def test_changed_header_is_refused(edited_raw):
    with pytest.raises(SourceError, match="missing column") as err:
        costs.read(edited_raw(costs.SOURCE, ",dollars_year,", ",year,"))
    assert (err.value.row, err.value.column) == (0, "dollars_year")


def test_duplicate_key_is_refused(edited_raw):
    # A second 2024 CPI row (same item, geography and year) where 2022's share stood.
    old = "Share of drug abuse violation arrests that are for possession,share,0.878,fraction of " \
          "drug arrests,2022,"
    new = "CPI-U annual average,cpi,313.7,index (1982-84=100),2024,"
    with pytest.raises(SourceError, match="duplicate key 'cpi-u-annual-average-us-2024'") as err:
        costs.read(edited_raw(costs.SOURCE, old, new))
    assert (err.value.row, err.value.column) == (4, "item")


def test_real_file_matches_provenance(raw_dir):
    result = costs.read(raw_dir)
    assert len(result.costs) == 118
    assert Counter(c.kind for c in result.costs) == {
        "enforcement": 57, "service": 33, "share": 13, "cpi": 15}
    assert Counter(c.confidence for c in result.costs) == {"medium": 68, "high": 42, "low": 8}
    assert len({c.key for c in result.costs}) == 118
    assert all(c.citation.startswith(("http://", "https://")) for c in result.costs)
    assert Counter(c.abbr for c in result.costs if c.abbr)["TX"] == 11
    assert sum(1 for c in result.costs if not c.abbr) == 82


def test_real_file_candidate_defaults(raw_dir):
    # Figures the PROVENANCE lists as candidate calculator defaults.
    rows = _by_key(costs.read(raw_dir))
    cpi = {c.year: c.value for c in rows.values() if c.kind == "cpi"}
    assert sorted(cpi) == list(range(2010, 2025))
    assert (cpi[2024], cpi[2010]) == (313.689, 218.056)
    assert rows["cpi-u-annual-average-us-2024"].confidence == "high"
    share = {c.year: c.value for c in rows.values() if c.kind == "share"}
    assert (share[2019], share[2020], share[2022]) == (0.867, 0.867, 0.878)
    assert 2021 not in share
    assert rows["state-prison-cost-per-inmate-per-year-45-state-average-us-2015"].value == 33274
    assert rows["state-prison-cost-per-inmate-per-year-al-2015"].value == 14780
    assert rows["local-jail-cost-per-occupied-bed-per-year-us-2017"].value == 34000
    assert rows["naloxone-nasal-spray-two-dose-carton-otc-retail-us-2023"].value == 44.99
    assert rows["methadone-treatment-otp-per-patient-year-us-2016"].value == 6552
    assert rows["police-and-detectives-median-hourly-wage-us-2020"].value == 32.35
    assert rows["government-spending-on-drug-prohibition-enforcement-national-total-us-2008"] \
        .value == 41_300_000_000
