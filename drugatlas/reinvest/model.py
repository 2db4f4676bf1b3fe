"""The reinvestment calculator: what possession arrests cost a year, and what that could fund.

Pure Python, no Django, so the page, the API and the tests all run the very same arithmetic.

    inputs = Inputs(arrests=20_000, officer_hours=2.5, officer_wage=39.2, ...)
    result = calculate(inputs)                  # one estimate
    low, high = range_inputs(inputs, ranges)    # where sources give a range
    result = calculate(inputs, low=low, high=high)

The chain, per possession arrest (all dollars in one year's dollars, see `cpi_factor`):

    police       = officer hours x officer cost per hour
    booking      = booking cost
    lab          = crime-lab test
    pretrial     = days held x pretrial share x jail cost per day
    jail         = days held x (1 - pretrial share) x jail cost per day
    prosecution  = prosecution cost per case     (one case per arrest)
    courts       = court cost per case
    defense      = public defense cost per case
    probation    = years of probation per arrest x probation cost per year

    cost per arrest = the sum;  annual cost = arrests x cost per arrest
    savings         = annual cost x share of arrests ended
    could fund      = savings / unit cost, for each service on its own (alternatives, not a sum)

These are gross costs avoided, built from average costs: a small cut in arrests frees staff
time and jail beds before it frees budget cash. The figures are rough, order-of-magnitude
estimates, and the page says so.

Step texts are English templates marked with `gettext_noop`, so `makemessages` collects them
and the view can translate them; the numbers are filled in after translation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Mapping

from drugatlas import formatting


def gettext_noop(text: str) -> str:
    """Marks a string for translation without translating it here (no Django in this module)."""
    return text


# Kinds of number, so the presenter knows how to format each one.
MONEY, COUNT, NUMBER, PERCENT = "money", "count", "number", "percent"


@dataclass(frozen=True)
class Param:
    """One adjustable input: what it means, its unit and its allowed range."""

    name: str
    label: str
    unit: str
    group: str  # "arrests" | "stage" | "service"
    kind: str  # MONEY | COUNT | NUMBER | PERCENT
    maximum: float
    step: float
    minimum: float = 0.0
    positive: bool = False  # must be above zero (unit costs divide the savings)
    help: str = ""


PARAMS: tuple[Param, ...] = (
    Param("arrests", gettext_noop("Possession arrests a year"), gettext_noop("arrests"),
          "arrests", COUNT, 10_000_000, 1,
          help=gettext_noop("Arrests for drug possession in one year in the state.")),
    Param("reduction", gettext_noop("Share of these arrests ended"), "%", "arrests", PERCENT,
          100, 1, help=gettext_noop("100% means no one is arrested for possession any more.")),
    Param("officer_hours", gettext_noop("Police officer time per arrest"),
          gettext_noop("hours"), "stage", NUMBER, 200, 0.1),
    Param("officer_wage", gettext_noop("Police officer cost per hour"), gettext_noop("$ an hour"),
          "stage", MONEY, 1_000, 0.01),
    Param("booking", gettext_noop("Jail booking per arrest"), "$", "stage", MONEY, 100_000, 0.01),
    Param("lab", gettext_noop("Crime-lab drug test per arrest"), "$", "stage", MONEY, 100_000,
          0.01),
    Param("jail_days", gettext_noop("Days in jail per arrest"), gettext_noop("days"), "stage",
          NUMBER, 3_650, 0.1),
    Param("jail_day_cost", gettext_noop("Jail cost per day"), gettext_noop("$ a day"), "stage",
          MONEY, 10_000, 0.01),
    Param("pretrial_share", gettext_noop("Share of jail days before trial"), "%", "stage",
          PERCENT, 100, 1),
    Param("prosecution", gettext_noop("Prosecution per case"), "$", "stage", MONEY, 1_000_000,
          0.01),
    Param("court", gettext_noop("Court (judges, clerks) per case"), "$", "stage", MONEY,
          1_000_000, 0.01),
    Param("defense", gettext_noop("Public defense per case"), "$", "stage", MONEY, 1_000_000,
          0.01),
    Param("probation_years", gettext_noop("Years of probation per arrest, on average"),
          gettext_noop("years"), "stage", NUMBER, 20, 0.01,
          help=gettext_noop("Averaged over all arrests: 0.25 means one in four arrests ends in "
                            "a year of probation.")),
    Param("probation_cost", gettext_noop("Probation cost per person per year"), "$", "stage",
          MONEY, 1_000_000, 0.01),
    Param("treatment", gettext_noop("Outpatient treatment episode"), "$", "service", MONEY,
          100_000_000, 0.01, positive=True),
    Param("moud", gettext_noop("Methadone treatment, one patient-year"), "$", "service", MONEY,
          100_000_000, 0.01, positive=True),
    Param("housing", gettext_noop("Supportive housing, one person-year (rent and services)"), "$",
          "service", MONEY, 100_000_000, 0.01, positive=True),
    Param("jobs", gettext_noop("Transitional jobs program, one participant"), "$", "service",
          MONEY, 100_000_000, 0.01, positive=True),
    Param("peer", gettext_noop("Peer-support worker, one year full time (wage)"), "$", "service",
          MONEY, 100_000_000, 0.01, positive=True),
    Param("naloxone", gettext_noop("Naloxone kit (two doses)"), "$", "service", MONEY,
          100_000_000, 0.01, positive=True),
    Param("ssp", gettext_noop("Syringe services program, first year (small, 250 clients)"), "$",
          "service", MONEY, 100_000_000, 0.01, positive=True),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}


@dataclass(frozen=True)
class Inputs:
    """Every number the calculator uses, in `dollars_year` dollars. Percentages are 0-100."""

    dollars_year: int
    arrests: float
    reduction: float
    officer_hours: float
    officer_wage: float
    booking: float
    lab: float
    jail_days: float
    jail_day_cost: float
    pretrial_share: float
    prosecution: float
    court: float
    defense: float
    probation_years: float
    probation_cost: float
    treatment: float
    moud: float
    housing: float
    jobs: float
    peer: float
    naloxone: float
    ssp: float

    def __post_init__(self):
        problems = input_errors({p.name: getattr(self, p.name) for p in PARAMS})
        if problems:
            raise ValueError("; ".join(f"{name}: {message}" for name, message in problems.items()))

    def values(self) -> dict[str, float]:
        return {p.name: getattr(self, p.name) for p in PARAMS}


def input_errors(values: Mapping[str, float]) -> dict[str, str]:
    """What is wrong with each value, by parameter name (empty when all are acceptable)."""
    errors = {}
    for name, value in values.items():
        p = PARAM_BY_NAME[name]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value) \
                or math.isinf(value):
            errors[name] = "must be a number"
        elif value < p.minimum:
            errors[name] = "cannot be negative"
        elif p.positive and value <= 0:
            errors[name] = "must be more than 0"
        elif value > p.maximum:
            errors[name] = "must be at most " + formatting.number(p.maximum)
    return errors


# --- Inflation ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Adjustment:
    """How a figure from one year's dollars was brought to another's."""

    factor: float
    from_year: int  # the year whose CPI was used (may differ from the figure's year: see note)
    to_year: int
    note: str = ""


def cpi_factor(cpi: Mapping[int, float], from_year: int | None, to_year: int) -> Adjustment:
    """CPI[to] / CPI[from]. Years outside the shipped series use its nearest end, and say so.

    A figure in dollars older than the series is adjusted from the series' first year only,
    which understates it; the note says so, so the page can.
    """
    if to_year not in cpi:
        raise ValueError(f"no CPI figure for {to_year}")
    if from_year is None:
        return Adjustment(1.0, to_year, to_year, gettext_noop("no dollar year: not adjusted"))
    first, last = min(cpi), max(cpi)
    used, note = from_year, ""
    if from_year < first:
        used = first
        note = gettext_noop("CPI before {first} is not shipped: adjusted from {first} only, so "
                            "this understates the cost in today's dollars").format(first=first)
    elif from_year > last:
        used = last
        note = gettext_noop("no CPI after {last}: adjusted from {last}").format(last=last)
    return Adjustment(cpi[to_year] / cpi[used], used, to_year, note)


# --- Provenance of defaults -----------------------------------------------------------------

@dataclass(frozen=True)
class Cited:
    """One cited figure a default is built from (a CostAssumption row, as plain data)."""

    key: str
    label: str
    value: float
    unit: str
    year: int | None  # the dollar year (or reference year for non-dollar figures)
    citation: str
    confidence: str
    note: str = ""
    abbr: str = ""
    source: str = ""
    kind: str = ""  # enforcement | service | share | cpi


@dataclass(frozen=True)
class Default:
    """The default of one input: its value in target-year dollars and how it was reached."""

    param: str
    value: float | None  # None = no cited figure found, so there is no default
    method: str  # how the cited figures became the value, in words
    sources: tuple[Cited, ...] = ()
    low: float | None = None  # where the sources give a range
    high: float | None = None
    range_method: str = ""
    cited: bool = True  # False: a model assumption with no source (said on the page)
    notes: tuple[str, ...] = ()  # CPI caveats and the like

    @property
    def confidence(self) -> str:
        """The weakest confidence among the figures used."""
        order = ("high", "medium", "low")
        levels = [s.confidence for s in self.sources if s.confidence in order]
        return max(levels, key=order.index) if levels else ""


# --- The arithmetic -------------------------------------------------------------------------

@dataclass(frozen=True)
class Quantity:
    value: float
    kind: str  # MONEY | COUNT | NUMBER | PERCENT


@dataclass(frozen=True)
class Step:
    """One line of arithmetic: a text template, the numbers it names, and its result."""

    key: str
    label: str
    text: str  # e.g. "{officer_hours} hours × {officer_wage} an hour"
    args: dict[str, Quantity]
    result: Quantity


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    text: str
    per_arrest: Callable[[Inputs], float]
    uses: tuple[str, ...]


def _pretrial(i: Inputs) -> float:
    return i.jail_days * i.pretrial_share / 100 * i.jail_day_cost


def _sentenced(i: Inputs) -> float:
    return i.jail_days * (100 - i.pretrial_share) / 100 * i.jail_day_cost


STAGES: tuple[Stage, ...] = (
    Stage("police", gettext_noop("Police time"),
          gettext_noop("{officer_hours} hours × {officer_wage} an hour"),
          lambda i: i.officer_hours * i.officer_wage, ("officer_hours", "officer_wage")),
    Stage("booking", gettext_noop("Jail booking"), gettext_noop("{booking} per booking"),
          lambda i: i.booking, ("booking",)),
    Stage("lab", gettext_noop("Crime-lab testing"), gettext_noop("{lab} per test"),
          lambda i: i.lab, ("lab",)),
    Stage("pretrial", gettext_noop("Pretrial detention"),
          gettext_noop("{jail_days} days × {pretrial_share} before trial × {jail_day_cost} a day"),
          _pretrial, ("jail_days", "pretrial_share", "jail_day_cost")),
    Stage("jail", gettext_noop("Jail days after conviction"),
          gettext_noop("{jail_days} days × {sentenced_share} after conviction × "
                       "{jail_day_cost} a day"),
          _sentenced, ("jail_days", "pretrial_share", "jail_day_cost")),
    Stage("prosecution", gettext_noop("Prosecution"), gettext_noop("{prosecution} per case"),
          lambda i: i.prosecution, ("prosecution",)),
    Stage("courts", gettext_noop("Courts"), gettext_noop("{court} per case"),
          lambda i: i.court, ("court",)),
    Stage("defense", gettext_noop("Public defense"), gettext_noop("{defense} per case"),
          lambda i: i.defense, ("defense",)),
    Stage("probation", gettext_noop("Probation"),
          gettext_noop("{probation_years} years × {probation_cost} a year"),
          lambda i: i.probation_years * i.probation_cost, ("probation_years", "probation_cost")),
)


@dataclass(frozen=True)
class Service:
    key: str  # the Inputs field holding its unit cost
    label: str  # what one unit is, in the plural
    unit: str


SERVICES: tuple[Service, ...] = (
    Service("treatment", gettext_noop("outpatient treatment episodes"),
            gettext_noop("per episode")),
    Service("moud", gettext_noop("patient-years of methadone treatment for opioid use disorder"),
            gettext_noop("per patient-year")),
    Service("housing", gettext_noop("people housed for a year in supportive housing"),
            gettext_noop("per person-year")),
    Service("jobs", gettext_noop("places in a transitional jobs program"),
            gettext_noop("per participant")),
    Service("peer", gettext_noop("full-time peer-support workers for a year"),
            gettext_noop("per worker-year")),
    Service("naloxone", gettext_noop("two-dose naloxone kits"), gettext_noop("per kit")),
    Service("ssp", gettext_noop("small syringe services programs for their first year"),
            gettext_noop("per program")),
)


@dataclass(frozen=True)
class StageCost:
    key: str
    label: str
    per_arrest: float
    annual: float


@dataclass(frozen=True)
class Funded:
    key: str
    label: str
    unit: str
    unit_cost: float
    count: float  # how many the savings pay for, if all of them went to this one service
    count_low: float | None = None
    count_high: float | None = None


@dataclass(frozen=True)
class Result:
    inputs: Inputs
    stages: tuple[StageCost, ...]
    per_arrest: float
    annual_cost: float
    savings: float
    funded: tuple[Funded, ...]
    steps: tuple[Step, ...]
    savings_low: float | None = None
    savings_high: float | None = None
    annual_cost_low: float | None = None
    annual_cost_high: float | None = None

    @property
    def has_range(self) -> bool:
        return self.savings_low is not None and (self.savings_low != self.savings_high)


def _q(inputs: Inputs, name: str) -> Quantity:
    return Quantity(getattr(inputs, name), PARAM_BY_NAME[name].kind)


def _totals(i: Inputs) -> tuple[list[StageCost], float, float, float]:
    stages = [StageCost(s.key, s.label, s.per_arrest(i), s.per_arrest(i) * i.arrests)
              for s in STAGES]
    per_arrest = sum(s.per_arrest for s in stages)
    annual = i.arrests * per_arrest
    return stages, per_arrest, annual, annual * i.reduction / 100


def calculate(inputs: Inputs, low: Inputs | None = None, high: Inputs | None = None) -> Result:
    """The whole calculation, with every step spelled out; `low`/`high` give a range."""
    stages, per_arrest, annual, savings = _totals(inputs)
    steps: list[Step] = []
    for stage, cost in zip(STAGES, stages):
        args = {name: _q(inputs, name) for name in stage.uses}
        if stage.key == "jail":
            args["sentenced_share"] = Quantity(100 - inputs.pretrial_share, PERCENT)
        steps.append(Step(stage.key, stage.label, stage.text, args,
                          Quantity(cost.per_arrest, MONEY)))
    steps.append(Step("per_arrest", gettext_noop("Cost per possession arrest"),
                      gettext_noop("sum of the stages above"), {},
                      Quantity(per_arrest, MONEY)))
    steps.append(Step("annual", gettext_noop("Cost of possession arrests a year"),
                      gettext_noop("{arrests} arrests × {per_arrest} per arrest"),
                      {"arrests": _q(inputs, "arrests"), "per_arrest": Quantity(per_arrest, MONEY)},
                      Quantity(annual, MONEY)))
    steps.append(Step("savings", gettext_noop("Costs avoided a year"),
                      gettext_noop("{annual} × {reduction} of arrests ended"),
                      {"annual": Quantity(annual, MONEY), "reduction": _q(inputs, "reduction")},
                      Quantity(savings, MONEY)))

    savings_low = savings_high = annual_low = annual_high = None
    if low is not None and high is not None:
        _, _, annual_low, savings_low = _totals(low)
        _, _, annual_high, savings_high = _totals(high)

    funded = []
    for service in SERVICES:
        unit_cost = getattr(inputs, service.key)
        count = savings / unit_cost
        funded.append(Funded(
            service.key, service.label, service.unit, unit_cost, count,
            None if savings_low is None else savings_low / unit_cost,
            None if savings_high is None else savings_high / unit_cost))
        steps.append(Step(f"fund_{service.key}", service.label,
                          gettext_noop("{savings} ÷ {unit_cost} {unit}"),
                          {"savings": Quantity(savings, MONEY),
                           "unit_cost": Quantity(unit_cost, MONEY)},
                          Quantity(count, COUNT)))
    return Result(inputs, tuple(stages), per_arrest, annual, savings, tuple(funded), tuple(steps),
                  savings_low, savings_high, annual_low, annual_high)


# Inputs that only split a cost between stages, so a range in them moves no total.
SPLIT_ONLY = frozenset({"pretrial_share"})


def range_inputs(inputs: Inputs, ranges: Mapping[str, tuple[float | None, float | None]]
                 ) -> tuple[Inputs, Inputs]:
    """Inputs for the low and the high end, where sources give a range for a stage.

    The user's own value always stays inside the range: low = min(value, cited low) and
    high = max(value, cited high). Only the cost stages vary; unit costs of services are
    different services, not an uncertainty about one.
    """
    lows, highs = {}, {}
    for name, (lo, hi) in ranges.items():
        if PARAM_BY_NAME[name].group != "stage" or name in SPLIT_ONLY:
            continue
        value, p = getattr(inputs, name), PARAM_BY_NAME[name]
        lows[name] = max(min(value, lo), p.minimum) if lo is not None else value
        highs[name] = min(max(value, hi), p.maximum) if hi is not None else value
    return replace(inputs, **lows), replace(inputs, **highs)


@dataclass(frozen=True)
class ArrestFigure:
    """One observed arrest count: its value, year, flags and source id."""

    value: float
    year: int
    flags: tuple[str, ...] = ()
    source: str = ""
    measure: str = ""


@dataclass(frozen=True)
class Baseline:
    """Where the arrest count comes from: a count, or drug arrests times a possession share."""

    arrests: float | None
    year: int | None
    method: str  # "count" | "estimate" | "none"
    possession: ArrestFigure | None = None  # the latest possession count
    drug_arrests: ArrestFigure | None = None  # the latest count of all drug arrests
    share: Cited | None = None  # the possession share used for an estimate


def choose_baseline(possession: ArrestFigure | None, drug_arrests: ArrestFigure | None,
                    shares: Mapping[int, Cited]) -> Baseline:
    """Pick the arrest figure to start from.

    The most recent figure wins and a direct possession count wins a tie. When drug arrests are
    newer, possession arrests are estimated as drug arrests times the national possession
    share of the nearest year at or before theirs (else the earliest share there is).
    """
    if possession is not None and (drug_arrests is None or possession.year >= drug_arrests.year):
        return Baseline(possession.value, possession.year, "count", possession, drug_arrests)
    if drug_arrests is not None and shares:
        earlier = [y for y in shares if y <= drug_arrests.year]
        share = shares[max(earlier)] if earlier else shares[min(shares)]
        return Baseline(drug_arrests.value * share.value, drug_arrests.year, "estimate",
                        possession, drug_arrests, share)
    return Baseline(None, None, "none", possession, drug_arrests)
