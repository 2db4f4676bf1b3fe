"""A rate map shows one measure per year: a crude provisional rate is never coloured on the same
scale beside an age-adjusted final one (2023 has final rates for four places only)."""
from __future__ import annotations

import pytest
from django.conf import settings

from drugatlas.maps import layers

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (settings.BUNDLE_DIR / "laws.csv").exists(),
                                 reason="no data bundle")]


def test_each_overdose_year_uses_one_kind_of_rate(atlas_db):
    layer = layers.LAYERS["overdose"]
    for year in layers.years(layer):
        data = layers.build("overdose", year=year)
        kinds = {note for r in data.rows if r.has_data for note in r.notes
                 if note in ("age-adjusted", "crude")}
        assert len(kinds) <= 1, (year, kinds)
    data = layers.build("overdose", year=2023)
    assert {n for r in data.rows if r.has_data for n in r.notes} >= {"crude"}
    assert sum(r.has_data for r in data.rows) >= 50
