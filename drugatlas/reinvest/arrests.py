"""The arrest count a state's calculation starts from, read from the loaded observations.

The latest possession count (ICPSR county files, to 2016) is used when it is at least as
recent as the latest count of all drug arrests (FBI Table 69, to 2024); otherwise possession
arrests are estimated as drug arrests times the cited national possession share, and the page
labels the figure an estimate. See `model.choose_baseline`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from drugatlas.atlas.models import Jurisdiction, LawStatus, Observation, Source

from .defaults import Defaults
from .model import ArrestFigure, Baseline, choose_baseline

POSSESSION, DRUG_ARRESTS, SALE = "drug_arrests_possession", "drug_arrests", "drug_arrests_sale"
COVERAGE = "arrest_coverage_share"


@dataclass(frozen=True)
class StateArrests:
    """The baseline plus what a reader needs to judge it."""

    baseline: Baseline
    sources: dict[str, Source]
    coverage: float | None = None  # % of residents covered by reporting agencies, baseline year
    state_possession_share: tuple[float, int] | None = None  # (share, year) from the state's split
    # Periods of the baseline year when possession was not a crime: a national share then
    # overstates possession arrests. (valid_from, valid_to) pairs, None = open.
    decriminalized: tuple[tuple[dt.date | None, dt.date | None], ...] = ()


def latest(place: Jurisdiction, measure: str) -> ArrestFigure | None:
    """The latest calendar year with a value (no data is skipped, never read as zero)."""
    for obs in (Observation.objects.filter(jurisdiction=place, measure_id=measure,
                                           value__isnull=False).order_by("-period")):
        if len(obs.period) == 4 and obs.period.isdigit():
            return ArrestFigure(obs.value, int(obs.period), tuple(obs.flag_list()),
                                obs.source_id, measure)
    return None


def _value(place: Jurisdiction, measure: str, year: int) -> float | None:
    obs = Observation.objects.filter(jurisdiction=place, measure_id=measure,
                                     period=str(year)).first()
    return obs.value if obs else None


def for_state(place: Jurisdiction, defaults: Defaults) -> StateArrests:
    possession = latest(place, POSSESSION)
    drug = latest(place, DRUG_ARRESTS)
    baseline = choose_baseline(possession, drug, defaults.shares)
    if baseline.arrests is not None:
        # Whole arrests, as the form shows them, so the permalink reproduces the figure.
        baseline = Baseline(round(baseline.arrests), baseline.year, baseline.method,
                            baseline.possession, baseline.drug_arrests, baseline.share)
    ids = {f.source for f in (possession, drug) if f}
    sources = {s.id: s for s in Source.objects.filter(id__in=ids)}
    coverage = _value(place, COVERAGE, baseline.year) if baseline.method == "estimate" else None
    own_share = None
    if possession is not None:
        sale = _value(place, SALE, possession.year)
        if sale is not None and possession.value + sale > 0:
            own_share = (possession.value / (possession.value + sale), possession.year)
    decriminalized = ()
    if baseline.method == "estimate":
        decriminalized = _not_criminalized(place, baseline.year)
    return StateArrests(baseline, sources, coverage, own_share, decriminalized)


def _not_criminalized(place: Jurisdiction, year: int) -> tuple:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    laws = LawStatus.objects.filter(jurisdiction=place, topic="possession",
                                    status="not_criminalized")
    return tuple((law.valid_from, law.valid_to) for law in laws
                 if (law.valid_from is None or law.valid_from <= end)
                 and (law.valid_to is None or law.valid_to >= start))
