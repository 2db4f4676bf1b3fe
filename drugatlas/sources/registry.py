"""The readers the pipeline runs, in order. Census comes first: it defines the places.

The laws reader runs the statute-first readers too (statutes.csv, bills_pass3.csv, the
law-change supplement). docs/readers.md lists the readers and what registering each changed.
"""
from __future__ import annotations

import importlib

READERS = (
    "census",  # population, states and counties
    "nchs",  # final state overdose deaths and rates, 2018 (SOS map), 2019-2020 quarterly, counties
    "nchs_final",  # final rates and deaths 2019-2024 (nation), 2019-2022 (states); replace nchs's
    "vsrr",  # provisional 12-month-ending counts by drug class
    "fbi_table69",  # state drug arrests 2008-2024 but 2016
    "icpsr",  # county and state arrests with possession/sale split, 1986-2016
    "fbi_cde",  # national reported drug arrests 1994-2016
    "fbi_table43a",  # national drug arrests by race and ethnicity 2004-2024 (no 2016, 2021)
    "ct",  # Connecticut drug arrests by race
    "ny_dcjs",  # New York adult drug felony/misdemeanor arrests by county
    "news21",  # marijuana possession arrest rates by race
    "laws",  # statutes, possession/paraphernalia history, harm-reduction laws, bills
    "costs",  # reinvestment calculator unit costs
    "consequences",  # collateral consequences of a drug conviction (SNAP, TANF, licence, vote, relief)
)


def load(name: str):
    return importlib.import_module(f"drugatlas.sources.{name}")
