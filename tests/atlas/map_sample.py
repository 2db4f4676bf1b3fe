"""Sample rows for the home-map tests and the browser tests' server: a few laws and figures.

Used where the data bundle is absent (and by the view tests always), so the tests do not depend
on the real data: Oregon's possession history, arrest rates with one low-coverage state and
one with no reporting, overdose rates age-adjusted (2017) and crude (2023), national figures.
"""
from __future__ import annotations

import datetime as dt

import sample_places
from drugatlas.atlas.cache import bump_data_version
from drugatlas.atlas.models import LawStatus, Observation


SAMPLE_MEASURES = ("drug_arrest_rate", "arrest_coverage_share", "overdose_death_rate_age_adjusted",
                   "overdose_death_rate_crude")


def add_sample_rows():
    """A few laws and figures for a handful of states; every other state has no data."""
    source = sample_places.source("test-map", "Test Publisher", "Test figures",
                                  "https://example.org/figures", file="test.csv")
    states = sample_places.real_states()
    sample_places.ensure_measures()
    # Start clean where the bundle is loaded too (tests roll these deletions back).
    LawStatus.objects.filter(topic="possession").delete()
    Observation.objects.filter(measure_id__in=SAMPLE_MEASURES).delete()
    Observation.objects.filter(jurisdiction_id="00").delete()

    def law(abbr, status, start=None, end=None, confidence="high"):
        LawStatus.objects.create(jurisdiction=states[abbr], topic="possession", status=status,
                                 valid_from=start, valid_to=end, confidence=confidence,
                                 citations=f"https://law.example.org/{abbr.lower()}\n"
                                           "https://other.example.org/x",
                                 source=source)

    law("OR", "felony", None, dt.date(2021, 1, 31))
    law("OR", "not_criminalized", dt.date(2021, 2, 1), dt.date(2024, 8, 31))
    law("OR", "misdemeanor", dt.date(2024, 9, 1))
    law("TX", "felony")
    law("ID", "both", confidence="low")
    law("MT", "unknown", confidence="unknown")

    def obs(abbr, measure, period, value, flags=""):
        place = sample_places.nation() if abbr == "US" else states[abbr]
        sample_places.obs(place, measure, period, value, source, flags)

    obs("MS", "drug_arrest_rate", "2019", 581.0)
    obs("MS", "arrest_coverage_share", "2019", 96.0)
    obs("TX", "drug_arrest_rate", "2019", 300.5, "low_coverage")
    obs("TX", "arrest_coverage_share", "2019", 41.0, "low_coverage")
    obs("AK", "drug_arrest_rate", "2019", None, "no_reporting")
    obs("WV", "overdose_death_rate_age_adjusted", "2017", 57.8)
    obs("WV", "overdose_death_rate_crude", "2023", 80.1, "provisional")
    obs("NH", "overdose_death_rate_crude", "2023", 0.0, "provisional")  # a real zero is shown
    obs("US", "overdose_deaths_12mo_provisional", "2023-12", 105007, "provisional")
    obs("US", "drug_arrests", "2019", 1558862)
    obs("US", "arrest_coverage_share", "2019", 75.4)
    bump_data_version()
    return source
