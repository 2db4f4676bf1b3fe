"""The one list of measures: slug, label, unit, description and caveats.

Everything that names a measure (readers, pipeline, API, docs, datapackage.json) reads it here.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MeasureInfo:
    slug: str
    label: str
    unit: str
    description: str
    caveats: str = ""
    topic: str = ""  # population | health | enforcement
    decimals: int | None = None  # digits shown after the point; None = from the unit

    @property
    def precision(self) -> int:
        """Digits after the decimal point wherever this measure's values are shown.

        Counts and people are whole; overdose rates and ratios keep one decimal (as NCHS
        publishes them); arrest rates and percentages are whole numbers, as the FBI and the
        DPA map print them. drugatlas.formatting rounds to this, half away from zero.
        """
        if self.decimals is not None:
            return self.decimals
        return UNIT_DECIMALS.get(self.unit, 0)


# Precision by unit, unless a measure declares its own.
UNIT_DECIMALS = {"deaths per 100,000": 1, "ratio": 1, "arrests per 100,000": 0, "percent": 0}

# Arrest figures from agencies covering less than this share of residents (arrest_coverage_share)
# are flagged "low_coverage" by the readers and the pipeline, and hatched on the map.
LOW_COVERAGE_PERCENT = 50.0


_ARREST_CAVEAT = (
    "Counts only arrests reported to the FBI by agencies that submitted data; agencies covering "
    "part of the population may be missing, so compare the covered population before comparing "
    "states or years. A person arrested several times counts several times."
)
_ICPSR_CAVEAT = (
    "From the FBI's county-level arrest files as processed by ICPSR/NACJD; from 1994 ICPSR imputes "
    "arrests for agencies that did not report, so totals are estimates, not reported counts."
)

MEASURES: tuple[MeasureInfo, ...] = (
    MeasureInfo("population", "Resident population", "people",
                "Census Bureau estimate of the resident population on July 1.",
                "Vintage 2019 estimates for 2010-2019, Vintage 2024 (states) and Vintage 2022 "
                "(counties) from 2020; the vintages are not bridged. States 1999-2009: the "
                "Census-based populations NCHS used for its overdose rates.", "population"),
    MeasureInfo("overdose_deaths", "Drug overdose deaths", "deaths",
                "Deaths whose underlying cause is drug poisoning (ICD-10 X40-X44, X60-X64, X85, "
                "Y10-Y14), by state of residence, calendar year.",
                "Final NCHS counts: states to 2022 (DC 2019-2021 estimated from the U.S. total), "
                "the nation to 2024.", "health"),
    MeasureInfo("overdose_death_rate_age_adjusted", "Overdose deaths per 100,000 (age-adjusted)",
                "deaths per 100,000",
                "Age-adjusted drug overdose death rate, standardized to the 2000 U.S. population.",
                "Final NCHS rates: states to 2022 (and the 2023 rates NCHS quoted for a few "
                "states), the nation to 2024. Where no final rate exists (DC 2020) the NCHS "
                "provisional estimate is given, labelled provisional.", "health"),
    MeasureInfo("overdose_deaths_12mo_provisional", "Overdose deaths, 12 months ending (reported)",
                "deaths",
                "Provisional count of drug overdose deaths in the 12 months ending with the "
                "period's month, as reported to NCHS (VSRR).",
                "Provisional and incomplete for recent months. VSRR reports New York City apart "
                "from the rest of New York; New York State here is their sum. Suppressed counts "
                "are no data.", "health"),
    MeasureInfo("overdose_deaths_12mo_predicted", "Overdose deaths, 12 months ending (predicted)",
                "deaths",
                "NCHS's provisional count adjusted for reporting delay (VSRR predicted value).",
                "A model estimate, not a count.", "health"),
    MeasureInfo("overdose_death_rate_crude", "Overdose deaths per 100,000 (crude, provisional)",
                "deaths per 100,000",
                "Reported 12-month-ending provisional deaths for the 12 months ending December, "
                "divided by the Census population of the same place and year.",
                "Crude, not age-adjusted: do not compare with age-adjusted rates. Provisional.",
                "health"),
    MeasureInfo("drug_arrests", "Drug arrests", "arrests",
                "Arrests for drug abuse violations (UCR offense 18: possession, sale and "
                "manufacturing of all drugs), all ages, reported by law-enforcement agencies.",
                _ARREST_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_possession", "Drug possession arrests", "arrests",
                "Arrests for possession of drugs (UCR 18E-18H).", _ICPSR_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_sale", "Drug sale and manufacturing arrests", "arrests",
                "Arrests for sale or manufacturing of drugs (UCR 18A-18D).", _ICPSR_CAVEAT,
                "enforcement"),
    MeasureInfo("drug_arrests_under_18", "Drug arrests of people under 18", "arrests",
                "Drug abuse violation arrests of people under 18 (FBI Table 69).", _ARREST_CAVEAT,
                "enforcement"),
    MeasureInfo("drug_arrest_rate", "Drug arrests per 100,000 residents covered",
                "arrests per 100,000",
                "Drug arrests divided by the population of the reporting agencies' jurisdictions, "
                "times 100,000.", _ARREST_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrest_rate_county_crude",
                "County drug arrests per 100,000 residents (crude)", "arrests per 100,000",
                "Counties: drug arrests made by the county's agencies divided by the county's "
                "Census population of the same year, times 100,000; only where the count and "
                "the population are for the same county and year (computed by this project).",
                "Crude: not adjusted for age or for reporting coverage. Arrests are counted "
                "where they happen, not where the arrested people live, and a person arrested "
                "twice counts twice. " + _ICPSR_CAVEAT, "enforcement", decimals=1),
    MeasureInfo("arrest_population_covered", "Population covered by reporting agencies", "people",
                "Residents of the jurisdictions of the agencies that reported arrests.",
                "As estimated by the FBI (Table 69) or ICPSR.", "enforcement"),
    MeasureInfo("arrest_coverage_share", "Share of residents covered by reporting agencies",
                "percent",
                "Population covered by reporting agencies divided by the Census population of the "
                "same place and year, in percent.",
                "Over 100 can occur where FBI and Census population estimates differ.",
                "enforcement"),
    MeasureInfo("arrest_reporting_agencies", "Reporting agencies", "agencies",
                "Number of law-enforcement agencies whose arrest data are included.", "",
                "enforcement"),
)

# ICPSR's state sums in the years FBI Table 69 covers: a series of their own, never one line
# with Table 69's reported counts (drugatlas/sources/icpsr.py).
_ICPSR_SUM_CAVEAT = (
    "ICPSR county-level sums (imputed), 2008, 2010 and 2012: state sums of the FBI's county "
    "arrest files as processed by ICPSR/NACJD, with estimates for agencies that did not report "
    "and without state police. Another basis than FBI Table 69's reported arrests for the same "
    "years (New York 2010: 174,493 here, 62,519 in Table 69): compare only with each other.")
MEASURES += (
    MeasureInfo("drug_arrests_icpsr_sum", "Drug arrests, ICPSR county-level sums (imputed)",
                "arrests", "Drug abuse violation arrests (UCR 18), all ages: the sum of a "
                "state's ICPSR county records, for years FBI Table 69 also covers.",
                _ICPSR_SUM_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_possession_icpsr_sum",
                "Drug possession arrests, ICPSR county-level sums (imputed)", "arrests",
                "Arrests for possession of drugs (UCR 18E-18H): the sum of a state's ICPSR "
                "county records, for years FBI Table 69 also covers.", _ICPSR_SUM_CAVEAT,
                "enforcement"),
    MeasureInfo("drug_arrests_sale_icpsr_sum",
                "Drug sale and manufacturing arrests, ICPSR county-level sums (imputed)",
                "arrests", "Arrests for sale or manufacturing of drugs (UCR 18A-18D): the sum "
                "of a state's ICPSR county records, for years FBI Table 69 also covers.",
                _ICPSR_SUM_CAVEAT, "enforcement"),
)

# Drug-type splits of arrests (ICPSR county files and FBI CDE national file).
_DRUG_TYPES = (
    ("opium_cocaine", "opium or cocaine and their derivatives"),
    ("marijuana", "marijuana"),
    ("synthetic_narcotics", "synthetic narcotics"),
    ("other_drugs", "other dangerous non-narcotic drugs"),
)
MEASURES += tuple(
    MeasureInfo(f"drug_arrests_{kind}_{key}", f"Drug {kind} arrests: {label}", "arrests",
                f"Arrests for {kind} of {label} (UCR 18{letter}).", _ICPSR_CAVEAT, "enforcement")
    for kind, letters in (("possession", "EFGH"), ("sale", "ABCD"))
    for (key, label), letter in zip(_DRUG_TYPES, letters)
)

# Overdose deaths by drug class (VSRR, 12 months ending). A death may involve several classes.
_DRUG_CLASSES = (
    ("opioids", "opioids (T40.0-T40.4, T40.6)"),
    ("heroin", "heroin (T40.1)"),
    ("natural_semisynthetic_opioids", "natural and semi-synthetic opioids (T40.2)"),
    ("methadone", "methadone (T40.3)"),
    ("synthetic_opioids", "synthetic opioids other than methadone, mostly fentanyl (T40.4)"),
    ("cocaine", "cocaine (T40.5)"),
    ("psychostimulants", "psychostimulants with abuse potential, mostly methamphetamine (T43.6)"),
)
MEASURES += tuple(
    MeasureInfo(f"overdose_deaths_12mo_{key}", f"Overdose deaths involving {label.split(' (')[0]}, "
                "12 months ending", "deaths",
                f"Provisional 12-month-ending count of overdose deaths involving {label} (VSRR).",
                "Provisional. A death involving several drugs counts in each class, so classes do "
                "not add up to the total. States differ in how completely drugs are specified on "
                "death certificates.", "health")
    for key, label in _DRUG_CLASSES
)

MEASURES += (
    MeasureInfo("overdose_death_rate_county_bin", "County overdose death rate (model-based range)",
                "deaths per 100,000",
                "NCHS model-based age-adjusted county drug-poisoning death rate, published only as "
                "one of 16 ranges; the value is the lower bound of the range.",
                "A small-area model estimate, binned; stops in 2016.", "health"),
    MeasureInfo("drug_arrests_white", "Drug arrests of white people", "arrests",
                "Drug arrests of people recorded as white (UCR race categories).",
                "UCR counts most Hispanic arrestees as white.", "enforcement"),
    MeasureInfo("drug_arrests_black", "Drug arrests of Black people", "arrests",
                "Drug arrests of people recorded as Black.", "", "enforcement"),
    MeasureInfo("drug_arrests_adult_felony", "Adult drug felony arrests (NY DCJS)", "arrests",
                "Fingerprintable adult (18+) arrests whose top charge is a drug felony.",
                "DCJS definition: adults only, fingerprintable offenses; differs from FBI UCR.",
                "enforcement"),
    MeasureInfo("drug_arrests_adult_misdemeanor", "Adult drug misdemeanor arrests (NY DCJS)",
                "arrests",
                "Fingerprintable adult (18+) arrests whose top charge is a drug misdemeanor.",
                "DCJS definition: adults only, fingerprintable offenses; differs from FBI UCR.",
                "enforcement"),
    MeasureInfo("marijuana_possession_arrest_rate", "Marijuana possession arrests per 100,000",
                "arrests per 100,000", "Marijuana possession arrests per 100,000 residents "
                "(News21 from FBI UCR and Census).",
                "Not adjusted for reporting coverage: sudden drops are reporting gaps.",
                "enforcement"),
    MeasureInfo("marijuana_possession_arrest_rate_white",
                "Marijuana possession arrests per 100,000 white residents", "arrests per 100,000",
                "Marijuana possession arrests of white people per 100,000 white residents.",
                "Race not tracked before 1990.", "enforcement"),
    MeasureInfo("marijuana_possession_arrest_rate_black",
                "Marijuana possession arrests per 100,000 Black residents", "arrests per 100,000",
                "Marijuana possession arrests of Black people per 100,000 Black residents.",
                "Race not tracked before 1990.", "enforcement"),
    MeasureInfo("marijuana_possession_black_white_ratio",
                "Black/white ratio of marijuana possession arrest rates", "ratio",
                "Black rate divided by white rate.", "Race not tracked before 1990.",
                "enforcement"),
)

# National drug arrests by race and ethnicity (FBI Crime in the United States, Table 43A).
_RACE_TABLE_CAVEAT = (
    "National arrests reported by the agencies that gave race data to the FBI for 12 months "
    "(Crime in the United States, Table 43A), not national estimates: coverage changes by year "
    "(10,466-13,980 agencies, 209-301 million people). No table for 2016 or 2021; 2019 on is "
    "affected by the move to NIBRS. UCR counts most Hispanic arrestees as white.")
_ETHNICITY_CAVEAT = ("Ethnicity is reported by fewer agencies than race (from 2013), so these "
                     "counts do not add up to the race total.")
MEASURES += (
    MeasureInfo("drug_arrests_race_total", "Drug arrests with race recorded", "arrests",
                "Drug abuse violation arrests of people of every race, as Table 43A totals them "
                "(the base of its race shares).", _RACE_TABLE_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_american_indian",
                "Drug arrests of American Indian or Alaska Native people", "arrests",
                "Drug arrests of people recorded as American Indian or Alaska Native.",
                _RACE_TABLE_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_asian", "Drug arrests of Asian people", "arrests",
                "Drug arrests of people recorded as Asian (a category from 2013).",
                _RACE_TABLE_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_pacific_islander",
                "Drug arrests of Native Hawaiian or Pacific Islander people", "arrests",
                "Drug arrests of people recorded as Native Hawaiian or Other Pacific Islander "
                "(a category from 2013).", _RACE_TABLE_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_asian_pacific_islander",
                "Drug arrests of Asian or Pacific Islander people", "arrests",
                "Drug arrests of people recorded as Asian or Pacific Islander (the FBI's single "
                "category to 2012).", _RACE_TABLE_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_ethnicity_total", "Drug arrests with ethnicity recorded",
                "arrests", "Drug arrests of people whose ethnicity the agencies reported.",
                _ETHNICITY_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_hispanic", "Drug arrests of Hispanic or Latino people", "arrests",
                "Drug arrests of people recorded as Hispanic or Latino.", _ETHNICITY_CAVEAT,
                "enforcement"),
    MeasureInfo("drug_arrests_not_hispanic", "Drug arrests of people not Hispanic or Latino",
                "arrests", "Drug arrests of people recorded as not Hispanic or Latino.",
                _ETHNICITY_CAVEAT, "enforcement"),
    MeasureInfo("drug_arrests_race_agencies", "Agencies reporting arrests by race", "agencies",
                "Law-enforcement agencies whose 12 months of arrest data by race are in Table "
                "43A.", "", "enforcement"),
    MeasureInfo("drug_arrests_race_population_covered",
                "Population covered by agencies reporting arrests by race", "people",
                "FBI estimate of the population of the jurisdictions of the agencies in Table "
                "43A.", "", "enforcement"),
)

# The nation's non-Hispanic Black residents, to set beside the Black share of drug arrests.
_BLACK_POPULATION_CAVEAT = (
    "Census bridged-race estimates as NCHS published them with its overdose data, the nation "
    "only, 1999-2017. Non-Hispanic Black only: the FBI counts Black arrestees of any ethnicity, "
    "so this share is a slightly low comparison for them.")
MEASURES += (
    MeasureInfo("population_non_hispanic_black", "Non-Hispanic Black residents", "people",
                "Census estimate of the resident population that is Black and not Hispanic.",
                _BLACK_POPULATION_CAVEAT, "population"),
    MeasureInfo("population_share_non_hispanic_black",
                "Share of residents who are non-Hispanic Black", "percent",
                "Non-Hispanic Black residents divided by all residents of the same year, from "
                "the same NCHS file, in percent.", _BLACK_POPULATION_CAVEAT, "population",
                decimals=1),
)

BY_SLUG = {m.slug: m for m in MEASURES}


def get(slug: str) -> MeasureInfo:
    return BY_SLUG[slug]
