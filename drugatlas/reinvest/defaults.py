"""The calculator's default figures, chosen from the cited CostAssumption rows by key.

Each input's default names the rows it is built from (keys as made by
drugatlas/sources/costs.py: item, geography and year), how they combine, and, where the
sources give one, a range. Dollar figures are brought to one year with the shipped CPI-U rows
(CPI[target] / CPI[dollar year]). The choices follow the "candidate defaults" table of the
raw folder's PROVENANCE.md:

    officer_hours    2.5 h, NYC minimum (range to 4 h, Harris County TX)
    officer_wage     $32.35/h BLS median police wage, May 2020 (range to Harris's $34.62/h)
    booking          $285.94, Maricopa County AZ, FY2016 (range to Harris's $800 fee)
    lab              $179 crime-lab test, Harris County TX
    jail_days        7.98 days, Harris misdemeanor marijuana cases (range to ~40 days: 137,000
                     people held on any day for possession x 365 / 1.25 million arrests a year)
    jail_day_cost    $34,000 per jail bed-year / 365, Pew, 2017 (range from $60/day, a TX county)
    pretrial_share   70% of the jail population unconvicted, BJS midyear 2022
    prosecution      $478 per misdemeanor marijuana case, Harris County TX
    court            none found: $0, said as a model assumption (the total is an undercount)
    defense          $2.4 billion / 6 million cases, public defender offices, BJS 2007
    probation_years  none found: 0, said as a model assumption
    probation_cost   $1,300 per person-year, CEPR, 2008 dollars (range to $2,800)
    treatment        $2,823 outpatient episode, French et al. in 2017 dollars
    moud             $6,552 methadone patient-year, NIDA (2016 dollars assumed)
    housing          CSH tenancy supports $10,000 (2023) + HUD voucher rent $1,200 x 12 (2013)
    jobs             $4,200 per participant, CEO transitional jobs (2008 dollars assumed)
    peer             $16.36/h full-time peer specialist wage x 2,080 hours (2015)
    naloxone         $44.99 two-dose OTC kit, 2023 MSRP
    ssp              $0.4 million, small rural comprehensive syringe services program, 2016

Low-confidence rows are never used (PROVENANCE: "Do not use these rows as defaults"): a row
below medium confidence counts as missing. A missing row leaves its input without a default,
and the page asks the visitor for a figure instead of inventing one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from drugatlas.atlas import cache
from drugatlas.atlas.models import CostAssumption

from . import model
from .model import Cited, Default, gettext_noop

USABLE_CONFIDENCE = ("high", "medium")
HOURS_PER_YEAR = 2080  # full-time: 52 weeks x 40 hours
DEFENDER_CASES_2007 = 6_000_000  # "964 public defender offices handled 6 million caseloads"

# Row keys (drugatlas/sources/costs.py: slug of item, geography, year).
NYC_HOURS = "police-officer-time-per-marijuana-possession-arrest-minimum-ny-2012"
HARRIS_HOURS = "police-officer-time-per-misdemeanor-marijuana-arrest-tx-2017"
HARRIS_POLICE_TOTAL = "police-cost-of-misdemeanor-marijuana-arrests-county-total-tx-2017"
HARRIS_POLICE_HOURS_TOTAL = 40_000  # "USD per year (40,000 patrol hours)", the row's unit
POLICE_WAGE = "police-and-detectives-median-hourly-wage-us-2020"
MARICOPA_BOOKING = "jail-booking-cost-per-person-az-2016"
HARRIS_BOOKING = "jail-booking-fee-per-case-tx-2017"
HARRIS_LAB = "crime-lab-analysis-per-drug-case-single-exhibit-tx-2017"
HARRIS_JAIL_DAYS = "average-jail-days-per-misdemeanor-marijuana-case-tx-2017"
HELD_ON_ANY_DAY = "people-behind-bars-on-any-given-day-for-drug-possession-us-2015"
POSSESSION_ARRESTS_2015 = "drug-possession-arrests-per-year-national-us-2015"
PEW_JAIL_YEAR = "local-jail-cost-per-occupied-bed-per-year-us-2017"
MCLENNAN_JAIL_DAY = "jail-cost-per-day-county-jail-tx-2018"
PRETRIAL_2022 = "share-of-jail-population-unconvicted-pretrial-us-2022"
PRETRIAL_2019 = "share-of-jail-population-unconvicted-pretrial-us-2019"
HARRIS_PROSECUTION = "prosecution-cost-per-misdemeanor-marijuana-case-tx-2017"
DEFENDER_SPENDING = "public-defender-office-spending-national-total-us-2007"
PROBATION_LOW = "probation-or-parole-cost-per-person-per-year-low-end-us-2008"
PROBATION_HIGH = "probation-or-parole-cost-per-person-per-year-high-end-us-2008"
OUTPATIENT = "outpatient-non-methadone-treatment-episode-us-2017"
METHADONE = "methadone-treatment-otp-per-patient-year-us-2016"
HOUSING_SERVICES = "supportive-housing-services-tenancy-supports-per-person-year-low-us-2023"
HOUSING_SERVICES_HIGH = "supportive-housing-services-tenancy-supports-per-person-year-high-us-2023"
HOUSING_RENT = "long-term-housing-subsidy-voucher-per-family-month-us-2013"
TRANSITIONAL_JOBS = "transitional-employment-program-cost-per-participant-ny-2008"
PEER_WAGE = "peer-support-specialist-average-hourly-wage-full-time-us-2015"
NALOXONE = "naloxone-nasal-spray-two-dose-carton-otc-retail-us-2023"
SSP_SMALL = "comprehensive-syringe-services-program-first-year-cost-small-rural-250-clients-us-2016"
HARRIS_DIVERSION = ("spending-redirected-by-pre-charge-misdemeanor-marijuana-diversion-2-years-"
                    "tx-2019")
HARRIS_DIVERTED_PEOPLE = 9_000  # "more than 9,000 people diverted", in the row's note


@dataclass(frozen=True)
class Formula:
    """A figure built from cited rows: `combine` gets each row's value (CPI-adjusted for money)."""

    keys: tuple[str, ...]
    method: str
    combine: Callable[[Mapping[str, float]], float] | None = None  # None: the one row as is

    def apply(self, values: Mapping[str, float]) -> float:
        return self.combine(values) if self.combine else values[self.keys[0]]


@dataclass(frozen=True)
class Spec:
    param: str
    default: Formula | None  # None: no cited figure exists, use `assumed` and say so
    low: Formula | None = None
    high: Formula | None = None
    assumed: float | None = None
    scale: float = 1.0  # shares are fractions in the rows and percentages in the calculator


SPECS: tuple[Spec, ...] = (
    Spec("officer_hours",
         Formula((NYC_HOURS,), gettext_noop(
             "As printed: the minimum average time one New York City officer spends on a "
             "marijuana possession arrest (2002-2012); the authors call it very low and "
             "conservative.")),
         high=Formula((HARRIS_HOURS,), gettext_noop(
             "Harris County (TX) officers report 4 hours per marijuana arrest."))),
    Spec("officer_wage",
         Formula((POLICE_WAGE,), gettext_noop(
             "BLS median hourly wage of police and detectives, May 2020. Wage only: benefits "
             "and overhead would raise it.")),
         high=Formula((HARRIS_POLICE_TOTAL,), gettext_noop(
             "Derived: Harris County's $1,384,800 police cost ÷ the 40,000 patrol hours it "
             "covers, at local hourly compensation."),
             lambda v: v[HARRIS_POLICE_TOTAL] / HARRIS_POLICE_HOURS_TOTAL)),
    Spec("booking",
         Formula((MARICOPA_BOOKING,), gettext_noop(
             "As printed: Maricopa County (AZ) jail booking cost, FY2015-16. A local figure: "
             "no national booking cost was found.")),
         high=Formula((HARRIS_BOOKING,), gettext_noop("Harris County (TX) jail booking fee."))),
    Spec("lab",
         Formula((HARRIS_LAB,), gettext_noop(
             "As printed: Harris County (TX) crime-lab cost of analyzing a single-exhibit drug "
             "case. A local figure."))),
    Spec("jail_days",
         Formula((HARRIS_JAIL_DAYS,), gettext_noop(
             "As printed: average jail days per misdemeanor marijuana case in Harris County "
             "(TX). Felony possession cases are held longer.")),
         high=Formula((HELD_ON_ANY_DAY, POSSESSION_ARRESTS_2015), gettext_noop(
             "Derived: 137,000 people behind bars on any day for drug possession × 365 days ÷ "
             "1.25 million possession arrests a year (Human Rights Watch and ACLU, about 2015). "
             "Includes prison."),
             lambda v: v[HELD_ON_ANY_DAY] * 365 / v[POSSESSION_ARRESTS_2015])),
    Spec("jail_day_cost",
         Formula((PEW_JAIL_YEAR,), gettext_noop(
             "Derived: Pew's average annual cost of a jail bed, $34,000 in 2017, ÷ 365 days. "
             "An average cost, not the marginal cost of one more day."),
             lambda v: v[PEW_JAIL_YEAR] / 365),
         low=Formula((MCLENNAN_JAIL_DAY,), gettext_noop(
             "McLennan County (TX) jail cost per day, FY2018."))),
    Spec("pretrial_share",
         Formula((PRETRIAL_2022,), gettext_noop(
             "As printed: 70% of the people in local jails at midyear 2022 were unconvicted "
             "(all offenses). Used to split jail days into pretrial and after conviction.")),
         low=Formula((PRETRIAL_2019,), gettext_noop("BJS, midyear 2019: 65%.")),
         scale=100),
    Spec("prosecution",
         Formula((HARRIS_PROSECUTION,), gettext_noop(
             "As printed: Harris County (TX) District Attorney's cost per misdemeanor marijuana "
             "case. Prosecution only; courts and defense are separate stages."))),
    Spec("court", None, assumed=0.0),
    Spec("defense",
         Formula((DEFENDER_SPENDING,), gettext_noop(
             "Derived: $2.4 billion spent by public defender offices in 2007 ÷ the 6 million "
             "cases they handled (all case types, BJS census summary). No authoritative "
             "per-case figure was found."),
             lambda v: v[DEFENDER_SPENDING] / DEFENDER_CASES_2007)),
    Spec("probation_years", None, assumed=0.0),
    Spec("probation_cost",
         Formula((PROBATION_LOW,), gettext_noop(
             "As printed: the low end of CEPR's average probation or parole cost, $1,300 to "
             "$2,800 a year.")),
         high=Formula((PROBATION_HIGH,), gettext_noop("CEPR, high end: $2,800 a year."))),
    Spec("treatment",
         Formula((OUTPATIENT,), gettext_noop(
             "As printed: non-methadone outpatient treatment episode (about 18 weeks), French, "
             "Popovici and Tapsell (2008) restated in 2017 dollars by a newspaper."))),
    Spec("moud",
         Formula((METHADONE,), gettext_noop(
             "As printed: a year of methadone treatment with psychosocial and medical support in "
             "a certified program (NIDA, federal estimates; 2016 dollars assumed)."))),
    Spec("housing",
         Formula((HOUSING_SERVICES, HOUSING_RENT), gettext_noop(
             "Derived: CSH tenancy-support services, low end $10,000 a person-year (2023), plus "
             "a HUD housing voucher at $1,200 a month × 12 (2013), each adjusted for inflation "
             "first."),
             lambda v: v[HOUSING_SERVICES] + 12 * v[HOUSING_RENT])),
    Spec("jobs",
         Formula((TRANSITIONAL_JOBS,), gettext_noop(
             "As printed: cost per participant of the Center for Employment Opportunities' "
             "transitional jobs program, New York City (dollar year not stated; 2008 assumed)."))),
    Spec("peer",
         Formula((PEER_WAGE,), gettext_noop(
             "Derived: average full-time peer support specialist wage, $16.36 an hour (2016 "
             "survey), × 2,080 hours. Wage only."),
             lambda v: v[PEER_WAGE] * HOURS_PER_YEAR)),
    Spec("naloxone",
         Formula((NALOXONE,), gettext_noop(
             "As printed: retail price of over-the-counter Narcan, two doses (2023). Public "
             "programs buy for less."))),
    Spec("ssp",
         Formula((SSP_SMALL,), gettext_noop(
             "As printed: modeled first-year cost, start-up included, of a comprehensive syringe "
             "services program in a small rural area serving 250 clients (CDC authors)."))),
)
SPEC_BY_PARAM = {s.param: s for s in SPECS}

ASSUMPTION_METHODS = {
    "court": gettext_noop(
        "No cited cost per court case was found, so courts count as $0 unless you enter a "
        "figure. The total is an undercount."),
    "probation_years": gettext_noop(
        "No cited figure was found for how often, or for how long, a possession arrest leads "
        "to probation, so probation counts as 0 unless you enter a figure."),
    "reduction": gettext_noop(
        "A choice, not a finding: 100% asks what ending possession arrests would free up."),
}


@dataclass(frozen=True)
class Check:
    """A top-down figure to set beside the bottom-up cost per arrest (not added to it)."""

    label: str
    value: float | None
    method: str
    sources: tuple[Cited, ...]


@dataclass(frozen=True)
class Defaults:
    """Every default for one dollar year, with the rows, CPI and shares it came from."""

    dollars_year: int | None
    cpi: dict[int, float]
    by_param: dict[str, Default]
    shares: dict[int, Cited]  # possession share of drug arrests, by year
    rows: tuple[Cited, ...]  # every CostAssumption row, for the assumptions page
    used_keys: frozenset[str]
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def available(self) -> bool:
        return self.dollars_year is not None

    @property
    def cpi_years(self) -> list[int]:
        return sorted(self.cpi)

    def value(self, param: str) -> float | None:
        d = self.by_param.get(param)
        return d.value if d else None

    def ranges(self) -> dict[str, tuple[float | None, float | None]]:
        return {p: (d.low, d.high) for p, d in self.by_param.items()
                if d.low is not None or d.high is not None}


def cited(row: CostAssumption) -> Cited:
    return Cited(row.key, row.label, row.value, row.unit, row.year, row.citation, row.confidence,
                 row.note, row.abbr, row.source_id or "", row.kind)


def _round(param: str, value: float) -> float:
    """Defaults are rounded as the form shows them, so a permalink reproduces them exactly."""
    kind = model.PARAM_BY_NAME[param].kind
    digits = {model.MONEY: 2, model.PERCENT: 1, model.COUNT: 0}.get(kind, 2)
    return round(value, digits)


def _evaluate(formula: Formula, rows: Mapping[str, Cited], cpi: dict[int, float], year: int,
              money: bool) -> tuple[float | None, tuple[Cited, ...], tuple[str, ...]]:
    """The formula's value in `year` dollars, the rows used and any CPI caveats.

    None when a row is missing or below medium confidence: such a row is never a default.
    """
    used = [rows.get(k) for k in formula.keys]
    if any(r is None or r.confidence not in USABLE_CONFIDENCE for r in used):
        return None, (), ()
    values, notes = {}, []
    for row in used:
        factor = 1.0
        if money:
            adjustment = model.cpi_factor(cpi, row.year, year)
            factor = adjustment.factor
            if adjustment.note:
                notes.append(f"{row.label} ({row.year}): {adjustment.note}")
        values[row.key] = row.value * factor
    return formula.apply(values), tuple(used), tuple(notes)


def _default(spec: Spec, rows: Mapping[str, Cited], cpi: dict[int, float], year: int) -> Default:
    if spec.default is None:
        return Default(spec.param, spec.assumed, ASSUMPTION_METHODS[spec.param], cited=False)
    money = model.PARAM_BY_NAME[spec.param].kind == model.MONEY
    value, sources, notes = _evaluate(spec.default, rows, cpi, year, money)
    if value is None:
        missing = ", ".join(spec.default.keys)
        return Default(spec.param, None, gettext_noop(
            "The cited figure for this input is not loaded ({keys}); enter your own.")
            .format(keys=missing))
    ends, range_methods, range_sources = {}, [], []
    for end, formula in (("low", spec.low), ("high", spec.high)):
        if formula is None:
            continue
        end_value, end_sources, end_notes = _evaluate(formula, rows, cpi, year, money)
        if end_value is None:
            continue
        ends[end] = _round(spec.param, end_value * spec.scale)
        range_methods.append(formula.method)
        range_sources += end_sources
        notes += end_notes
    return Default(spec.param, _round(spec.param, value * spec.scale), spec.default.method,
                   sources + tuple(range_sources), ends.get("low"), ends.get("high"),
                   " ".join(range_methods), True, tuple(dict.fromkeys(notes)))


def _checks(rows: Mapping[str, Cited], cpi: dict[int, float], year: int) -> tuple[Check, ...]:
    formula = Formula((HARRIS_DIVERSION,), gettext_noop(
        "Harris County (TX) District Attorney: $35,135,520 of arrest, jail, lab and prosecution "
        "costs redirected in two years of pre-charge marijuana diversion, for more than 9,000 "
        "people, so at most this much per person diverted."),
        lambda v: v[HARRIS_DIVERSION] / HARRIS_DIVERTED_PEOPLE)
    value, sources, _ = _evaluate(formula, rows, cpi, year, money=True)
    if value is None:
        return ()
    return (Check(gettext_noop("Harris County diversion, per person diverted"), round(value, 2),
                  formula.method, sources),)


def build(rows: list[Cited], dollars_year: int | None = None) -> Defaults:
    """Defaults from the cited rows, in `dollars_year` dollars (default: the latest CPI year).

    Plain data in, plain data out, so tests can feed rows without a database.
    Raises ValueError for a dollar year the shipped CPI does not cover.
    """
    cpi = {r.year: r.value for r in rows if r.kind == "cpi" and r.year is not None}
    shares = {r.year: r for r in rows if r.kind == "share" and r.year is not None
              and not r.abbr and r.confidence in USABLE_CONFIDENCE}
    if not cpi:
        return Defaults(None, {}, {}, shares, tuple(rows), frozenset())
    year = max(cpi) if dollars_year is None else dollars_year
    if year not in cpi:
        raise ValueError(f"no CPI figure for {year}; dollar years run {min(cpi)}-{max(cpi)}")
    by_key = {r.key: r for r in rows}
    by_param = {spec.param: _default(spec, by_key, cpi, year) for spec in SPECS}
    by_param["reduction"] = Default("reduction", 100.0, ASSUMPTION_METHODS["reduction"],
                                    cited=False)
    used = frozenset(s.key for d in by_param.values() for s in d.sources)
    return Defaults(year, cpi, by_param, shares, tuple(rows), used,
                    _checks(by_key, cpi, year))


def load(dollars_year: int | None = None) -> Defaults:
    """Defaults from the database, cached until the data change."""
    return cache.remember(
        lambda: build([cited(r) for r in CostAssumption.objects.all()], dollars_year),
        "reinvest", "defaults", dollars_year or "latest",
        per_language=False)  # figures; their words are gettext_noop, translated when shown
