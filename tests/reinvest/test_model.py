"""The calculator's arithmetic, inflation adjustment, arrest baseline and defaults: no database."""
from __future__ import annotations

import math
from dataclasses import replace

import pytest

from drugatlas.reinvest import defaults, model
from drugatlas.reinvest.model import ArrestFigure, Inputs

from reinvest_sample import COST_ROWS, CPI

SIMPLE = dict(
    dollars_year=2024, arrests=1000, reduction=100, officer_hours=2, officer_wage=50,
    booking=300, lab=200, jail_days=10, jail_day_cost=100, pretrial_share=70, prosecution=500,
    court=0, defense=400, probation_years=0.5, probation_cost=2000, treatment=2000,
    moud=8000, housing=25000, jobs=5000, peer=40000, naloxone=50, ssp=500000)


def test_cost_per_arrest_is_the_sum_of_the_stages():
    r = model.calculate(Inputs(**SIMPLE))
    by = {s.key: s.per_arrest for s in r.stages}
    assert by == pytest.approx({"police": 100, "booking": 300, "lab": 200, "pretrial": 700,
                                "jail": 300, "prosecution": 500, "courts": 0, "defense": 400,
                                "probation": 1000})
    assert r.per_arrest == pytest.approx(3500)
    assert r.annual_cost == pytest.approx(3_500_000)
    assert r.savings == pytest.approx(3_500_000)
    funded = {f.key: f.count for f in r.funded}
    assert funded["treatment"] == pytest.approx(1750)
    assert funded["naloxone"] == pytest.approx(70_000)
    assert funded["ssp"] == pytest.approx(7)


def test_savings_scale_with_the_share_of_arrests_ended():
    r = model.calculate(Inputs(**{**SIMPLE, "reduction": 25}))
    assert r.savings == pytest.approx(r.annual_cost / 4)


def test_every_step_is_spelled_out_with_its_numbers():
    r = model.calculate(Inputs(**SIMPLE))
    keys = [s.key for s in r.steps]
    assert keys[:9] == [s.key for s in model.STAGES]
    assert keys[9:12] == ["per_arrest", "annual", "savings"]
    assert keys[12:] == [f"fund_{s.key}" for s in model.SERVICES]
    police = r.steps[0]
    assert police.text.format(**{k: q.value for k, q in police.args.items()}) == \
        "2 hours × 50 an hour"
    jail = next(s for s in r.steps if s.key == "jail")
    assert jail.args["sentenced_share"].value == pytest.approx(30)
    assert all(s.result.value >= 0 for s in r.steps)


def test_bad_inputs_are_refused_with_the_name_of_the_input():
    for name, value, words in (("arrests", -1, "negative"), ("treatment", 0, "more than 0"),
                               ("arrests", 1e12, "at most 10,000,000"),
                               ("jail_days", float("nan"), "number"),
                               ("booking", float("inf"), "number"),
                               ("reduction", 101, "at most 100")):
        with pytest.raises(ValueError, match=f"{name}: .*{words}"):
            Inputs(**{**SIMPLE, name: value})


def test_range_keeps_the_users_value_inside_it():
    inputs = Inputs(**{**SIMPLE, "officer_hours": 6})
    low, high = model.range_inputs(inputs, {"officer_hours": (2.5, 4.0), "booking": (None, 800),
                                            "treatment": (1, 99999), "pretrial_share": (65, 70)})
    assert (low.officer_hours, high.officer_hours) == (2.5, 6)
    assert (low.booking, high.booking) == (300, 800)
    assert low.treatment == high.treatment == 2000  # services are alternatives, not a range
    assert low.pretrial_share == high.pretrial_share == 70  # a split, which moves no total
    r = model.calculate(inputs, low, high)
    assert r.savings_low <= r.savings <= r.savings_high
    assert r.has_range


def test_cpi_factor():
    same = model.cpi_factor(CPI, 2024, 2024)
    assert same.factor == 1 and not same.note
    assert model.cpi_factor(CPI, 2017, 2024).factor == pytest.approx(313.689 / 245.12)
    old = model.cpi_factor(CPI, 2007, 2024)
    assert old.from_year == 2010 and old.factor == pytest.approx(313.689 / 218.056)
    assert "understates" in old.note
    assert model.cpi_factor(CPI, 2024, 2015).factor == pytest.approx(237.017 / 313.689)
    with pytest.raises(ValueError):
        model.cpi_factor(CPI, 2017, 2031)


SHARES = {c.year: c for c in COST_ROWS if c.kind == "share"}


def test_baseline_prefers_the_newest_figure_and_a_count_on_a_tie():
    possession = ArrestFigure(9000, 2016, ("imputed",), "icpsr")
    drug = ArrestFigure(10000, 2024, (), "fbi")
    estimate = model.choose_baseline(possession, drug, SHARES)
    assert estimate.method == "estimate" and estimate.year == 2024
    assert estimate.share.year == 2022 and estimate.arrests == pytest.approx(8780)

    tie = model.choose_baseline(ArrestFigure(5000, 2024), ArrestFigure(6000, 2024), SHARES)
    assert (tie.method, tie.arrests) == ("count", 5000)
    assert model.choose_baseline(possession, None, SHARES).method == "count"
    assert model.choose_baseline(None, None, SHARES).method == "none"
    # The share of the nearest year at or before the arrests; else the earliest there is.
    assert model.choose_baseline(None, ArrestFigure(100, 2021), SHARES).share.year == 2020
    assert model.choose_baseline(None, ArrestFigure(100, 2012), SHARES).share.year == 2019
    assert model.choose_baseline(None, ArrestFigure(100, 2021), {}).method == "none"


def test_defaults_follow_the_cited_rows():
    table = defaults.build(list(COST_ROWS))
    assert table.dollars_year == 2024
    v = {p: table.value(p) for p in table.by_param}
    factor17 = 313.689 / 245.12
    assert v["officer_hours"] == 2.5
    assert v["officer_wage"] == pytest.approx(32.35 * 313.689 / 258.811, abs=0.01)
    assert v["jail_day_cost"] == pytest.approx(34000 / 365 * factor17, abs=0.01)
    assert v["pretrial_share"] == 70
    assert v["defense"] == pytest.approx(400 * 313.689 / 218.056, abs=0.01)  # 2007: from 2010
    assert v["housing"] == pytest.approx(10000 * 313.689 / 304.702
                                         + 12 * 1200 * 313.689 / 232.957, abs=0.01)
    assert v["peer"] == pytest.approx(16.36 * 2080 * 313.689 / 237.017, abs=0.01)
    assert v["court"] == 0 and not table.by_param["court"].cited
    assert v["probation_years"] == 0 and not table.by_param["probation_years"].cited
    assert table.by_param["jail_days"].high == pytest.approx(137000 * 365 / 1250000, abs=0.01)
    assert table.by_param["booking"].high == pytest.approx(800 * factor17, abs=0.01)
    assert any("understates" in n for n in table.by_param["defense"].notes)
    # Defaults are rounded as shown, so a permalink holds exactly them.
    assert all(round(x, 2) == x for x in v.values() if x is not None)
    # Every default builds a valid calculation.
    inputs = Inputs(dollars_year=2024, arrests=1, **{k: x for k, x in v.items()})
    assert model.calculate(inputs).per_arrest > 0


def test_low_confidence_and_missing_rows_are_never_defaults():
    low = [replace(c, confidence="low") if c.key == defaults.HARRIS_LAB else c for c in COST_ROWS]
    table = defaults.build(low)
    assert table.value("lab") is None and "not loaded" in table.by_param["lab"].method
    assert "indigent-defense-cost-per-case-ga-2007" not in table.used_keys
    missing = [c for c in COST_ROWS if c.key != defaults.OUTPATIENT]
    assert defaults.build(missing).value("treatment") is None
    assert not defaults.build([c for c in COST_ROWS if c.kind != "cpi"]).available


def test_defaults_in_another_dollar_year():
    table = defaults.build(list(COST_ROWS), 2015)
    assert table.dollars_year == 2015
    assert table.value("booking") == pytest.approx(285.94 * 237.017 / 240.007, abs=0.01)
    assert table.value("officer_hours") == 2.5  # not money: never inflated
    with pytest.raises(ValueError, match="2010-2024"):
        defaults.build(list(COST_ROWS), 2031)


@pytest.mark.rawdata
def test_every_default_is_found_in_the_real_file(raw_dir):
    from drugatlas.sources import costs

    rows = [model.Cited(c.key, c.label, c.value, c.unit, c.year, c.citation, c.confidence,
                        c.note, c.abbr, c.source, c.kind) for c in costs.read(raw_dir).costs]
    table = defaults.build(rows)
    by_key = {r.key: r for r in rows}
    for spec in defaults.SPECS:
        for formula in (spec.default, spec.low, spec.high):
            for key in (formula.keys if formula else ()):
                assert key in by_key, f"{spec.param}: no row {key!r} in unit_costs.csv"
    assert all(table.value(s.param) is not None for s in defaults.SPECS)
    assert all(by_key[k].confidence != "low" for k in table.used_keys)
    assert table.dollars_year == 2024
    # Order of magnitude, as PROVENANCE's figures imply: a few thousand dollars per arrest.
    inputs = Inputs(dollars_year=2024, arrests=1,
                    **{p: table.value(p) for p in table.by_param})
    assert 1_000 < model.calculate(inputs).per_arrest < 10_000
    assert not math.isnan(table.checks[0].value)
