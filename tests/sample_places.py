"""The one factory for places, measures, sources and figures in tests.

The sample modules (atlas/atlas_sample.py, atlas/map_sample.py, reinvest/reinvest_sample.py,
updates/updates_helpers.py) build their rows with it, and a test takes it as the `places`
fixture (tests/conftest.py):

    nation = places.nation()
    places.real_states()                                  # the 50 states and DC, as in the bundle
    zz = places.made_up_state("52", "ZZ", "Testland")     # a FIPS and code no real state has
    north = places.county(zz, "52001", "North County")
    src = places.source("test-x", "Test FBI", "Arrests (test)", "https://example.org/x")
    places.obs(zz, "drug_arrests", "2022", 8109, src)

Every call is idempotent (get or update), so the rows sit beside the real bundle when it is
loaded; tests roll them back.
"""
from __future__ import annotations

from drugatlas import measures as measure_list
from drugatlas.atlas.models import Jurisdiction, Measure, Observation, Source
from drugatlas.sources.common import NATION_FIPS, STATES


def ensure_measures() -> None:
    """Every measure of drugatlas/measures.py, as the loader writes them."""
    for m in measure_list.MEASURES:
        Measure.objects.get_or_create(slug=m.slug, defaults={
            "label": m.label, "unit": m.unit, "description": m.description,
            "caveats": m.caveats, "topic": m.topic})


def nation() -> Jurisdiction:
    return Jurisdiction.objects.get_or_create(fips=NATION_FIPS, defaults={
        "abbr": "US", "name": "United States", "kind": Jurisdiction.NATION})[0]


def real_states() -> dict[str, Jurisdiction]:
    """The 50 states and DC with their real FIPS codes, under the nation; by USPS code."""
    us = nation()
    return {abbr: Jurisdiction.objects.update_or_create(fips=fips, defaults={
        "abbr": abbr, "name": name, "kind": Jurisdiction.STATE, "parent": us})[0]
        for fips, (abbr, name) in STATES.items()}


def state(abbr: str) -> Jurisdiction:
    """A real state by USPS code (created with the others if absent)."""
    found = Jurisdiction.objects.filter(abbr=abbr, kind=Jurisdiction.STATE).first()
    return found or real_states()[abbr]


def made_up_state(fips: str, abbr: str, name: str) -> Jurisdiction:
    """A state no real one collides with (choose a FIPS and code the bundle does not use)."""
    return Jurisdiction.objects.update_or_create(fips=fips, defaults={
        "abbr": abbr, "name": name, "kind": Jurisdiction.STATE, "parent": nation()})[0]


def county(state: Jurisdiction, fips: str, name: str) -> Jurisdiction:
    return Jurisdiction.objects.update_or_create(fips=fips, defaults={
        "name": name, "kind": Jurisdiction.COUNTY, "parent": state})[0]


def source(sid: str, publisher: str, title: str, url: str, **extra) -> Source:
    defaults = {"publisher": publisher, "title": title, "url": url,
                "file": extra.pop("file", f"{sid}/file.csv"), **extra}
    return Source.objects.update_or_create(id=sid, defaults=defaults)[0]


def obs(place: Jurisdiction | str, slug: str, period: str, value, src: Source, flags: str = ""):
    """One figure (a place or its FIPS code); None is "no data", never zero."""
    where = {"jurisdiction_id": place} if isinstance(place, str) else {"jurisdiction": place}
    return Observation.objects.update_or_create(
        **where, measure_id=slug, period=period,
        defaults={"value": value, "flags": flags, "source": src})[0]
