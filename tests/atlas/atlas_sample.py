"""A small, made-up state ("Testland", ZZ, FIPS 52: no real state uses it) for page tests.

Its rows sit beside the real bundle when that is loaded and never collide with it; tests roll
them back. Values are chosen so each honesty rule can be checked: a zero, a year with no
reporting agency, a low-coverage year, provisional values, a law that changed twice.
"""
from __future__ import annotations

import datetime as dt

from sample_places import ensure_measures, obs, source

import sample_places
from drugatlas.atlas.models import Bill, BillEvent, LawStatus

STATE_FIPS, STATE_ABBR, STATE_NAME = "52", "ZZ", "Testland"
COUNTY_RATE = "drug_arrest_rate_county_crude"


def build() -> dict:
    ensure_measures()
    nation = sample_places.nation()
    state = sample_places.made_up_state(STATE_FIPS, STATE_ABBR, STATE_NAME)
    north = sample_places.county(state, "52001", "North County")
    south = sample_places.county(state, "52003", "South County")
    east = sample_places.county(state, "52005", "East County")

    fbi = source("test-fbi-t69", "Test FBI", "Arrests by State (test)", "https://example.org/fbi",
                 sha256="ab" * 32, retrieved="2025-11-02", licence="Public domain",
                 caveats="Reported arrests only.")
    icpsr = source("test-icpsr", "Test ICPSR", "County arrests (test)",
                   "https://example.org/icpsr", licence="Attribution to ICPSR/NACJD")
    nchs = source("test-nchs", "Test NCHS", "Drug poisoning mortality (test)",
                  "https://example.org/nchs")
    vsrr = source("test-vsrr", "Test NCHS", "Provisional overdose counts (test)",
                  "https://example.org/vsrr")
    census = source("test-census", "Test Census", "Population (test)", "https://example.org/census")
    laws = source("test-laws", "Test research", "State laws (test)", "https://example.org/laws")

    # Arrests: 2021 low coverage, 2022 a full year, 2023 no agency reported (no data, not 0).
    for year, arrests, rate, share, covered, flags in (
            (2021, 900, 450.0, 40.0, 200_000, "low_coverage"),
            (2022, 8109, 524.3, 88.0, 1_546_698, ""),
    ):
        obs(state, "drug_arrests", str(year), arrests, fbi, flags)
        obs(state, "drug_arrest_rate", str(year), rate, fbi, flags)
        obs(state, "arrest_coverage_share", str(year), share, fbi, flags)
        obs(state, "arrest_population_covered", str(year), covered, fbi)
    obs(state, "drug_arrests", "2023", None, fbi, "no_reporting")
    obs(state, "drug_arrests_possession", "2016", 5000, icpsr, "imputed")
    obs(state, "drug_arrests_sale", "2016", 0, icpsr, "imputed")  # a real zero
    obs(state, "drug_arrests", "2016", 5000, icpsr, "imputed")

    # Overdose: final age-adjusted 2017-2018, provisional 2019; crude provisional 2022-2023.
    obs(state, "overdose_deaths", "2017", 974, nchs)
    obs(state, "overdose_death_rate_age_adjusted", "2017", 57.8, nchs)
    obs(state, "overdose_deaths", "2018", 702, nchs)
    obs(state, "overdose_death_rate_age_adjusted", "2018", 42.4, nchs)
    obs(state, "overdose_death_rate_age_adjusted", "2019", 52.8, nchs, "provisional")
    obs(state, "overdose_deaths_12mo_provisional", "2022-12", 1400, vsrr, "provisional")
    obs(state, "overdose_deaths_12mo_provisional", "2023-12", 1350, vsrr, "provisional")
    obs(state, "overdose_deaths_12mo_provisional", "2023-06", 1390, vsrr, "provisional")
    obs(state, "overdose_death_rate_crude", "2022", 79.1, vsrr, "provisional")
    obs(state, "overdose_death_rate_crude", "2023", 76.3, vsrr, "provisional")
    obs(state, "overdose_deaths_12mo_synthetic_opioids", "2023-12", 1100, vsrr, "provisional")
    obs(state, "overdose_deaths_12mo_heroin", "2023-12", None, vsrr, "provisional,suppressed")

    # The nation, for the comparison table (update_or_create: the bundle may hold these).
    obs(nation, "drug_arrest_rate", "2022", 300.0, fbi)
    obs(nation, "overdose_death_rate_age_adjusted", "2017", 21.7, nchs)
    obs(nation, "overdose_death_rate_age_adjusted", "2019", 21.6, nchs, "provisional")
    obs(nation, "overdose_death_rate_crude", "2023", 31.9, vsrr, "provisional")

    # Counties: overdose bins 2015-2016; arrests with population for 2016 only. The crude
    # rate is stored as the pipeline makes it (pipeline/derive.py): count / population of the
    # same county and year, with the count's source and flags; none without a population.
    obs(north, "overdose_death_rate_county_bin", "2016", 30.0, nchs, "binned")
    obs(south, "overdose_death_rate_county_bin", "2016", 0.0, nchs, "binned")
    obs(north, "overdose_death_rate_county_bin", "2015", 12.0, nchs, "binned")
    obs(north, "drug_arrests", "2016", 250, icpsr, "imputed")
    obs(north, "population", "2016", 50_000, census)
    obs(north, COUNTY_RATE, "2016", 500.0, icpsr, "imputed")  # 250 / 50,000 * 100,000
    obs(south, "drug_arrests", "2016", 0, icpsr, "imputed")
    obs(south, "population", "2016", 20_000, census)
    obs(south, COUNTY_RATE, "2016", 0.0, icpsr, "imputed")  # a real zero
    obs(east, "population", "2016", 10_000, census)  # no count: no rate
    obs(north, "drug_arrests", "2012", 100, icpsr, "imputed")  # no population: no rate

    # Possession: felony, then decriminalized, then a misdemeanor again.
    for start, end, status, confidence in (
            (None, dt.date(2021, 1, 31), "felony", "high"),
            (dt.date(2021, 2, 1), dt.date(2024, 8, 31), "not_criminalized", "high"),
            (dt.date(2024, 9, 1), None, "misdemeanor", "medium"),
    ):
        LawStatus.objects.create(jurisdiction=state, topic="possession", status=status,
                                 valid_from=start, valid_to=end, confidence=confidence,
                                 citations="https://example.org/law-a\nhttps://www.example.com/b",
                                 statute="Test Code 1-2-3", note=f"Test note {status}",
                                 statute_url="https://example.org/law-a",
                                 grade=f"Class A {status}", max_penalty="up to 1 year",
                                 research_note=f"Working note {status}", source=laws)
    LawStatus.objects.create(jurisdiction=state, topic="paraphernalia", status="unknown",
                             citations="https://example.org/para", confidence="unknown",
                             source=laws)
    LawStatus.objects.create(jurisdiction=state, topic="good_samaritan", status="yes",
                             valid_from=dt.date(2019, 7, 1), citations="https://example.org/gs",
                             confidence="medium", source=laws)
    LawStatus.objects.create(jurisdiction=state, topic="adult_use_marijuana", status="yes",
                             valid_from=dt.date(2022, 1, 1), valid_from_precision="year",
                             citations="https://example.org/mj", confidence="medium", source=laws)
    bill = Bill.objects.create(key="zz-2020-measure-1", jurisdiction=state, number="Measure 1",
                               session="2020", title="Test Treatment and Recovery Act",
                               status="repealed", status_date=dt.date(2024, 9, 1),
                               citations="https://example.org/measure-1", confidence="high",
                               summary="Made possession a violation.", source=laws)
    BillEvent.objects.create(bill=bill, date=dt.date(2020, 11, 3), action="Approved by voters",
                             status="enacted")
    BillEvent.objects.create(bill=bill, date=dt.date(2021, 2, 1), action="In effect",
                             status="in_effect")
    return {"state": state, "nation": nation, "counties": (north, south, east),
            "sources": {"fbi": fbi, "icpsr": icpsr, "nchs": nchs, "vsrr": vsrr,
                        "census": census, "laws": laws}}
