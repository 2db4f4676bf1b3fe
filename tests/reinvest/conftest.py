"""Fixtures for the calculator's view tests: cited cost rows and three made-up states."""
from __future__ import annotations

import pytest

import reinvest_sample


@pytest.fixture
def reinvest_data(db):
    reinvest_sample.add_cost_rows()
    return reinvest_sample.add_states()
