"""Values that pages translate at run time, written out so that makemessages can find them.

measures.py builds many measure labels with f-strings, which xgettext cannot read, and pages
translate them with ``gettext(label)``; confidence levels are stored as plain words ("high")
and translated where shown. MEASURE_LABELS and MEASURE_UNITS must match measures.MEASURES:
tests/atlas/test_spanish.py checks it and prints the lines to add when a measure changes.
"""
from django.utils.translation import gettext_noop

CONFIDENCE_LEVELS = (
    gettext_noop("high"),
    gettext_noop("medium"),
    gettext_noop("low"),
    gettext_noop("unknown"),
)

MEASURE_UNITS = (
    gettext_noop("people"),
    gettext_noop("deaths"),
    gettext_noop("deaths per 100,000"),
    gettext_noop("arrests"),
    gettext_noop("arrests per 100,000"),
    gettext_noop("percent"),
    gettext_noop("agencies"),
    gettext_noop("ratio"),
)

MEASURE_LABELS = (
    gettext_noop("Resident population"),
    gettext_noop("Drug overdose deaths"),
    gettext_noop("Overdose deaths per 100,000 (age-adjusted)"),
    gettext_noop("Overdose deaths, 12 months ending (reported)"),
    gettext_noop("Overdose deaths, 12 months ending (predicted)"),
    gettext_noop("Overdose deaths per 100,000 (crude, provisional)"),
    gettext_noop("Drug arrests"),
    gettext_noop("Drug possession arrests"),
    gettext_noop("Drug sale and manufacturing arrests"),
    gettext_noop("Drug arrests of people under 18"),
    gettext_noop("Drug arrests per 100,000 residents covered"),
    gettext_noop("County drug arrests per 100,000 residents (crude)"),
    gettext_noop("Population covered by reporting agencies"),
    gettext_noop("Share of residents covered by reporting agencies"),
    gettext_noop("Reporting agencies"),
    gettext_noop("Drug arrests, ICPSR county-level sums (imputed)"),
    gettext_noop("Drug possession arrests, ICPSR county-level sums (imputed)"),
    gettext_noop("Drug sale and manufacturing arrests, ICPSR county-level sums (imputed)"),
    gettext_noop("Drug possession arrests: opium or cocaine and their derivatives"),
    gettext_noop("Drug possession arrests: marijuana"),
    gettext_noop("Drug possession arrests: synthetic narcotics"),
    gettext_noop("Drug possession arrests: other dangerous non-narcotic drugs"),
    gettext_noop("Drug sale arrests: opium or cocaine and their derivatives"),
    gettext_noop("Drug sale arrests: marijuana"),
    gettext_noop("Drug sale arrests: synthetic narcotics"),
    gettext_noop("Drug sale arrests: other dangerous non-narcotic drugs"),
    gettext_noop("Overdose deaths involving opioids, 12 months ending"),
    gettext_noop("Overdose deaths involving heroin, 12 months ending"),
    gettext_noop("Overdose deaths involving natural and semi-synthetic opioids, 12 months ending"),
    gettext_noop("Overdose deaths involving methadone, 12 months ending"),
    gettext_noop("Overdose deaths involving synthetic opioids other than "
                 "methadone, mostly fentanyl, 12 months ending"),
    gettext_noop("Overdose deaths involving cocaine, 12 months ending"),
    gettext_noop("Overdose deaths involving psychostimulants with abuse "
                 "potential, mostly methamphetamine, 12 months ending"),
    gettext_noop("County overdose death rate (model-based range)"),
    gettext_noop("Drug arrests of white people"),
    gettext_noop("Drug arrests of Black people"),
    gettext_noop("Adult drug felony arrests (NY DCJS)"),
    gettext_noop("Adult drug misdemeanor arrests (NY DCJS)"),
    gettext_noop("Marijuana possession arrests per 100,000"),
    gettext_noop("Marijuana possession arrests per 100,000 white residents"),
    gettext_noop("Marijuana possession arrests per 100,000 Black residents"),
    gettext_noop("Black/white ratio of marijuana possession arrest rates"),
    gettext_noop("Drug arrests with race recorded"),
    gettext_noop("Drug arrests of American Indian or Alaska Native people"),
    gettext_noop("Drug arrests of Asian people"),
    gettext_noop("Drug arrests of Native Hawaiian or Pacific Islander people"),
    gettext_noop("Drug arrests of Asian or Pacific Islander people"),
    gettext_noop("Drug arrests with ethnicity recorded"),
    gettext_noop("Drug arrests of Hispanic or Latino people"),
    gettext_noop("Drug arrests of people not Hispanic or Latino"),
    gettext_noop("Agencies reporting arrests by race"),
    gettext_noop("Population covered by agencies reporting arrests by race"),
    gettext_noop("Non-Hispanic Black residents"),
    gettext_noop("Share of residents who are non-Hispanic Black"),
)
