"""Property tests of the calculator (hypothesis): monotone in arrests, zero in, zero out,
nothing negative, and the range always holds the central estimate."""
from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from drugatlas.reinvest import model

REL = 1e-9


def _value(p: model.Param):
    low = 0.01 if p.positive else p.minimum
    return st.floats(min_value=low, max_value=p.maximum, allow_nan=False, allow_infinity=False)


inputs = st.builds(model.Inputs, dollars_year=st.just(2024),
                   **{p.name: _value(p) for p in model.PARAMS})
ranges = st.dictionaries(
    st.sampled_from([p.name for p in model.PARAMS if p.group == "stage"]),
    st.tuples(st.none() | st.floats(0, 1000), st.none() | st.floats(0, 1000)), max_size=6)


@settings(max_examples=200, deadline=None)
@given(inputs, st.floats(0, 10_000_000), st.floats(0, 10_000_000))
def test_savings_grow_weakly_with_arrests(base, a, b):
    fewer, more = sorted((a, b))
    low = model.calculate(replace(base, arrests=fewer))
    high = model.calculate(replace(base, arrests=more))
    assert low.annual_cost <= high.annual_cost
    assert low.savings <= high.savings
    for f_low, f_high in zip(low.funded, high.funded):
        assert f_low.count <= f_high.count


@settings(max_examples=200, deadline=None)
@given(inputs)
def test_zero_arrests_give_zero_savings(base):
    r = model.calculate(replace(base, arrests=0))
    assert r.annual_cost == 0 and r.savings == 0
    assert all(s.annual == 0 for s in r.stages)
    assert all(f.count == 0 for f in r.funded)


@settings(max_examples=300, deadline=None)
@given(inputs, ranges)
def test_nothing_is_negative_and_the_range_holds_the_estimate(base, cited):
    low, high = model.range_inputs(base, cited)
    r = model.calculate(base, low, high)
    numbers = [r.per_arrest, r.annual_cost, r.savings, r.savings_low, r.savings_high,
               *(s.per_arrest for s in r.stages), *(s.annual for s in r.stages),
               *(f.count for f in r.funded), *(s.result.value for s in r.steps)]
    assert all(n >= 0 for n in numbers)
    assert r.savings_low <= r.savings * (1 + REL)
    assert r.savings <= r.savings_high * (1 + REL)
    assert r.savings <= r.annual_cost * (1 + REL)
