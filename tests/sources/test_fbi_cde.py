"""FBI CDE national drug arrests: fixture, bad input, and the figures in its PROVENANCE."""
from __future__ import annotations

import pytest

from drugatlas import measures
from drugatlas.sources import fbi_cde
from drugatlas.sources.records import SourceError


def _values(result) -> dict[tuple[str, str], float]:
    assert {o.fips for o in result.observations} == {"00"}
    return {(o.measure, o.period): o.value for o in result.observations}


def test_fixture_gives_every_column_as_its_measure(fixtures_dir):
    result = fbi_cde.read(fixtures_dir)
    values = _values(result)
    assert len(values) == 3 * 13
    assert values["drug_arrests", "2016"] == 1285186
    assert values["drug_arrests_sale", "2016"] == 187557
    assert values["drug_arrests_possession", "2016"] == 1057698
    assert values["drug_arrests_sale_opium_cocaine", "1994"] == 178318  # 18A
    assert values["drug_arrests_sale_other_drugs", "1994"] == 38658  # 18D
    assert values["drug_arrests_possession_opium_cocaine", "2016"] == 247351  # 18E
    assert values["drug_arrests_possession_marijuana", "2016"] == 459506  # 18F
    assert values["drug_arrests_possession_synthetic_narcotics", "2016"] == 62994  # 18G
    assert values["drug_arrests_possession_other_drugs", "2016"] == 264163  # 18H
    assert values["arrest_reporting_agencies", "2016"] == 13310
    assert values["arrest_population_covered", "2016"] == 264534532
    assert all(o.measure in measures.BY_SLUG for o in result.observations)
    assert [s.id for s in result.sources] == [fbi_cde.SOURCE.id]
    assert {o.source for o in result.observations} == {fbi_cde.SOURCE.id}


def test_reported_arrests_are_flagged_partial_but_coverage_is_not(fixtures_dir):
    for obs in fbi_cde.read(fixtures_dir).observations:
        if obs.measure.startswith("drug_arrests"):
            assert obs.flags == {"partial"}, obs
        else:
            assert obs.flags == frozenset(), obs


def test_changed_header_names_the_column(edited_raw):
    raw = edited_raw(fbi_cde.SOURCE, "total_possess,", "possession_total,")
    with pytest.raises(SourceError) as err:
        fbi_cde.read(raw)
    assert err.value.column == "total_possess" and err.value.row == 0


@pytest.mark.parametrize("old, new, message, row, column", [
    (",1285186,", ",-5,", "negative", 1, "total_arrests"),
    (",1285186,", ",n/a,", "not a number", 1, "total_arrests"),
    (",1285186,", ",,", "blank", 1, "total_arrests"),
    ("37,2016,,", "37,2016,WV,", "national rows only", 1, "state_abbr"),
    ("29,2008,", "29,2016,", "duplicate", 2, "year"),
    ("29,2008,", "29,20O8,", "not a year", 2, "year"),
])
def test_bad_rows_name_row_and_column(edited_raw, old, new, message, row, column):
    raw = edited_raw(fbi_cde.SOURCE, old, new)
    with pytest.raises(SourceError, match=message) as err:
        fbi_cde.read(raw)
    assert (err.value.row, err.value.column) == (row, column)


@pytest.mark.rawdata
def test_real_file_covers_1994_to_2016(raw_dir):
    values = _values(fbi_cde.read(raw_dir))
    years = sorted(int(period) for measure, period in values if measure == "drug_arrests")
    assert years == list(range(1994, 2017))
    assert len(values) == 23 * 13


@pytest.mark.rawdata
def test_real_file_reproduces_provenance_figures(raw_dir):
    values = _values(fbi_cde.read(raw_dir))
    # 2016: 13,310 agencies covering 264.5M people; total 1,285,186 exceeds sale + possession.
    assert values["arrest_reporting_agencies", "2016"] == 13310
    assert round(values["arrest_population_covered", "2016"] / 1e6, 1) == 264.5
    assert values["drug_arrests", "2016"] == 1285186
    assert values["drug_arrests_sale", "2016"] + values["drug_arrests_possession", "2016"] \
        == 1245255
    # 2008: subtypes do not add up exactly to their totals.
    sale = sum(values[f"drug_arrests_sale_{k}", "2008"] for k in
               ("opium_cocaine", "marijuana", "synthetic_narcotics", "other_drugs"))
    possession = sum(values[f"drug_arrests_possession_{k}", "2008"] for k in
                     ("opium_cocaine", "marijuana", "synthetic_narcotics", "other_drugs"))
    assert (sale, values["drug_arrests_sale", "2008"]) == (228059, 228058)
    assert (possession, values["drug_arrests_possession", "2008"]) == (1058669, 1058663)


@pytest.mark.rawdata
def test_reported_2008_total_is_below_icpsr_imputed_sum(raw_dir, icpsr_drug_arrests_2008):
    # The ICPSR county files impute non-reporting agencies, so their national sum is higher.
    icpsr_2008 = sum(icpsr_drug_arrests_2008.values())
    assert icpsr_2008 == 1580693
    reported = _values(fbi_cde.read(raw_dir))["drug_arrests", "2008"]
    assert reported == 1340654 < icpsr_2008
