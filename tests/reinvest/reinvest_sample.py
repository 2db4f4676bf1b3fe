"""Cited cost rows and made-up states for the calculator's tests.

`COST_ROWS` copies, from the real unit_costs.csv, the rows the defaults use (plus the CPI,
the possession shares and one low-confidence row), so model tests run without a database and
view tests without the bundle. The states use FIPS codes no real state has (03, 07, 14) and
postal-like codes no state uses, so they sit beside the real bundle without colliding:

    QE "Estimia"   drug arrests 2024 newer than possession 2016 -> an estimate
    QC "Countland" possession 2024 as recent as drug arrests -> a count
    QN "Nodatia"   no arrest figures at all
"""
from __future__ import annotations

import datetime as dt

import sample_places
from drugatlas.atlas.models import CostAssumption, Jurisdiction, LawStatus
from drugatlas.reinvest import defaults as d
from drugatlas.reinvest.model import Cited

CPI = {2010: 218.056, 2011: 224.939, 2012: 229.594, 2013: 232.957, 2014: 236.736,
       2015: 237.017, 2016: 240.007, 2017: 245.12, 2018: 251.107, 2019: 255.657,
       2020: 258.811, 2021: 270.97, 2022: 292.655, 2023: 304.702, 2024: 313.689}
SHARES = {2019: 0.867, 2020: 0.867, 2022: 0.878}

# key, kind, value, unit, year, confidence, abbr
_ROWS = (
    (d.NYC_HOURS, "enforcement", 2.5, "officer-hours per arrest", 2012, "medium", "NY"),
    (d.HARRIS_HOURS, "enforcement", 4, "officer-hours per arrest", 2017, "medium", "TX"),
    (d.HARRIS_POLICE_TOTAL, "enforcement", 1384800, "USD per year (40,000 patrol hours)", 2017,
     "medium", "TX"),
    (d.POLICE_WAGE, "enforcement", 32.35, "USD per hour", 2020, "medium", ""),
    (d.MARICOPA_BOOKING, "enforcement", 285.94, "USD per booking", 2016, "medium", "AZ"),
    (d.HARRIS_BOOKING, "enforcement", 800, "USD per booking", 2017, "medium", "TX"),
    (d.HARRIS_LAB, "enforcement", 179, "USD per case", 2017, "medium", "TX"),
    (d.HARRIS_JAIL_DAYS, "enforcement", 7.98, "days per case", 2017, "medium", "TX"),
    (d.HELD_ON_ANY_DAY, "enforcement", 137000, "persons (at least)", 2015, "high", ""),
    (d.POSSESSION_ARRESTS_2015, "enforcement", 1250000, "arrests per year (more than)", 2015,
     "high", ""),
    (d.PEW_JAIL_YEAR, "enforcement", 34000, "USD per person-year", 2017, "high", ""),
    (d.MCLENNAN_JAIL_DAY, "enforcement", 60, "USD per jail-day", 2018, "medium", "TX"),
    (d.PRETRIAL_2022, "enforcement", 0.7, "fraction of jail population", 2022, "high", ""),
    (d.PRETRIAL_2019, "enforcement", 0.65, "fraction of jail population", 2019, "high", ""),
    (d.HARRIS_PROSECUTION, "enforcement", 478, "USD per case", 2017, "medium", "TX"),
    (d.DEFENDER_SPENDING, "enforcement", 2400000000, "USD per year", 2007, "medium", ""),
    (d.PROBATION_LOW, "enforcement", 1300, "USD per person-year", 2008, "medium", ""),
    (d.PROBATION_HIGH, "enforcement", 2800, "USD per person-year", 2008, "medium", ""),
    (d.HARRIS_DIVERSION, "enforcement", 35135520, "USD over 2 years", 2019, "medium", "TX"),
    ("indigent-defense-cost-per-case-ga-2007", "enforcement", 615, "USD per case", 2007, "low",
     "GA"),
    (d.OUTPATIENT, "service", 2823, "USD per episode (avg 18 weeks)", 2017, "medium", ""),
    (d.METHADONE, "service", 6552, "USD per patient-year", 2016, "high", ""),
    (d.HOUSING_SERVICES, "service", 10000, "USD per person-year", 2023, "medium", ""),
    (d.HOUSING_SERVICES_HIGH, "service", 15000, "USD per person-year", 2023, "medium", ""),
    (d.HOUSING_RENT, "service", 1200, "USD per family-month (slightly less than)", 2013,
     "medium", ""),
    (d.TRANSITIONAL_JOBS, "service", 4200, "USD per participant", 2008, "medium", "NY"),
    (d.PEER_WAGE, "service", 16.36, "USD per hour", 2015, "medium", ""),
    (d.NALOXONE, "service", 44.99, "USD per two-dose kit", 2023, "high", ""),
    (d.SSP_SMALL, "service", 400000, "USD first year incl. start-up", 2016, "high", ""),
    *((f"cpi-u-annual-average-us-{y}", "cpi", v, "index (1982-84=100)", y,
       "high" if y == 2024 else "medium", "") for y, v in CPI.items()),
    *((f"share-of-drug-abuse-violation-arrests-that-are-for-possession-us-{y}", "share", v,
       "fraction of drug arrests", y, "medium", "") for y, v in SHARES.items()),
)


def _label(key: str) -> str:
    return key.rsplit("-", 2)[0].replace("-", " ").capitalize()


COST_ROWS: tuple[Cited, ...] = tuple(
    Cited(key, _label(key), float(value), unit, year, f"https://example.org/{key[:40]}",
          confidence, f"Source: Test Publisher, {_label(key)}, {year}. Quote: “{value}”.", abbr,
          "", kind)
    for key, kind, value, unit, year, confidence, abbr in _ROWS)

STATES = {"QE": ("03", "Estimia"), "QC": ("07", "Countland"), "QN": ("14", "Nodatia")}


def add_cost_rows() -> None:
    for c in COST_ROWS:
        CostAssumption.objects.update_or_create(key=c.key, defaults={
            "kind": c.kind, "value": c.value, "unit": c.unit, "year": c.year, "label": c.label,
            "citation": c.citation, "confidence": c.confidence, "note": c.note, "abbr": c.abbr})


def add_states() -> dict[str, Jurisdiction]:
    sample_places.ensure_measures()
    places = {abbr: sample_places.made_up_state(fips, abbr, name)
              for abbr, (fips, name) in STATES.items()}
    fbi = sample_places.source("test-reinvest-fbi", "Test FBI", "Arrests by State (test)",
                               "https://example.org/fbi", file="fbi/test.xls")
    icpsr = sample_places.source("test-reinvest-icpsr", "Test ICPSR", "County arrests (test)",
                                 "https://example.org/icpsr", file="icpsr/test.csv")
    obs = sample_places.obs

    est = places["QE"]
    obs(est, "drug_arrests_possession", "2016", 9000, icpsr, "imputed")
    obs(est, "drug_arrests_sale", "2016", 1000, icpsr, "imputed")
    obs(est, "drug_arrests", "2023", 11000, fbi)
    obs(est, "drug_arrests", "2024", 10000, fbi, "partial")
    obs(est, "drug_arrests", "2025", None, fbi, "no_reporting")  # no data is never the latest
    obs(est, "arrest_coverage_share", "2024", 88.5, fbi)
    LawStatus.objects.create(jurisdiction=est, topic="possession", status="not_criminalized",
                             valid_from=dt.date(2021, 2, 1), valid_to=dt.date(2024, 8, 31),
                             citations="https://example.org/law", confidence="high")
    count = places["QC"]
    obs(count, "drug_arrests_possession", "2024", 5000, icpsr)
    obs(count, "drug_arrests", "2024", 6000, fbi)
    return places
