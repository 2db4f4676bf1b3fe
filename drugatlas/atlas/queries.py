"""What the database knows about a place, a layer or a year, as plain data.

No labels, no sentences, no formatting: the state page (`profile.py`), the API's state profile,
the map's layers (`maps/layers.py`) and the county pages ask here and word the answer
themselves, so each fact is looked up one way. Derived numbers (rates, shares) are read as
the pipeline stored them (`pipeline/derive.py`), never recomputed here or in a view: the
counties' crude arrest rate too (`COUNTY_ARREST_RATE`).

- `place_facts(place)`: a place's yearly series per measure, the latest value of each measure,
  its legal records (history and in force), what a conviction carries there and its bills;
  each part loaded on first use.
- `latest_value(fips, measure)`, `value_at(fips, measure, period)`: one figure (headlines).
- `state_values(measures, period)`: one period of some measures for every state (map layers).
- `state_laws_in_force(topic, as_of)`: each state's record in force on a date (law layers).
- `county_table(state, measures, period)`: one row per county of a state with its values.
- `county_years`, `county_arrest_rates`, `county_series`: the county pages' other reads.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Max, OuterRef, Q, Subquery

from drugatlas import clock
from drugatlas.atlas import consequences
from drugatlas.atlas.models import Bill, Jurisdiction, LawStatus, Observation, Source
from drugatlas.pipeline.derive import COUNTY_CRUDE_ARREST_RATE

NATION_FIPS = "00"
COUNTY_BIN_MEASURE = "overdose_death_rate_county_bin"


@dataclass(frozen=True)
class SourceRef:
    id: str
    publisher: str
    title: str
    url: str

    @classmethod
    def of(cls, source) -> "SourceRef":
        return cls(source.id, source.publisher, source.title, source.url)


class Value:
    """One observation: plain columns and its source, no model row."""

    __slots__ = ("measure_id", "period", "value", "flags", "source_id", "source")

    def __init__(self, measure_id, period, value, flags, source_id, source=None):
        self.measure_id, self.period, self.value = measure_id, period, value
        self.flags, self.source_id, self.source = flags or "", source_id, source

    def flag_list(self) -> list[str]:
        return [f for f in self.flags.split(",") if f]

    @property
    def basis(self) -> str:
        return basis_key(self.source_id, self.flag_list())


def year_of(period: str) -> int | None:
    """The calendar year a period stands for: "2017" or a 12-month period ending "2017-12"."""
    if len(period) == 4 and period.isdigit():
        return int(period)
    if len(period) == 7 and period.endswith("-12"):
        return int(period[:4])
    return None


# How a series was counted (its basis): a change of basis (FBI Table 69's reporting agencies,
# ICPSR's imputed county sums, the national file; final or provisional) breaks a chart's line,
# and "highest" compares only values of one basis. Files of one publisher that count the same
# way share a basis.
BASIS_FAMILIES = (("nchs-drug-poisoning-state", "nchs-final"), ("cdc-sosmap", "nchs-final"),
                  ("nchs-final", "nchs-final"), ("nchs-dc-overdose", "nchs-final"),
                  ("nchs-quoted", "nchs-final"), ("nchs-vsrr", "nchs-vsrr"),
                  ("icpsr-state-sums", "icpsr-state-sums"))
BASIS_QUALIFIER_FLAGS = ("imputed", "provisional")  # flags that say how a value was made


def basis_key(source_id: str, flags) -> str:
    """A series' basis: its source family (the year dropped from yearly tables, except the
    ICPSR state files, whose 2016 adds statewide agencies) and how the value was made."""
    family = source_id if source_id.startswith("icpsr-state") else re.sub(
        r"-\d{4}$", "", source_id)
    family = next((f for prefix, f in BASIS_FAMILIES if source_id.startswith(prefix)), family)
    return "+".join([family, *(q for q in BASIS_QUALIFIER_FLAGS if q in set(flags))])


# Yearly periods only ("YYYY", or 12 months ending December "YYYY-12"), chosen by the database:
# monthly periods can outnumber yearly ones ten to one.
YEARLY = ~Q(period__contains="-") | Q(period__endswith="-12")


def _sources(ids) -> dict[str, SourceRef]:
    return {k: SourceRef.of(s) for k, s in Source.objects.in_bulk(set(ids)).items()}


class Observations:
    """A place's observations by measure and year (periods "YYYY" or "YYYY-12")."""

    def __init__(self, place: Jurisdiction, slugs):
        self.by_measure: dict[str, dict[int, Value]] = defaultdict(dict)
        rows = list(Observation.objects.filter(YEARLY, jurisdiction=place, measure_id__in=slugs)
                    .values_list("measure_id", "period", "value", "flags", "source_id"))
        sources = _sources(r[4] for r in rows)
        for measure_id, period, value, flags, source_id in rows:
            year = year_of(period)
            if year is not None:
                self.by_measure[measure_id][year] = Value(measure_id, period, value, flags,
                                                          source_id, sources[source_id])

    def get(self, slug: str, year: int) -> Value | None:
        return self.by_measure.get(slug, {}).get(year)

    def value(self, slug: str, year: int) -> float | None:
        obs = self.get(slug, year)
        return obs.value if obs else None

    def latest_year(self, slug: str, final_only: bool = False) -> int | None:
        """The latest year with a value (optionally leaving out provisional values)."""
        years = [y for y, o in self.by_measure.get(slug, {}).items() if o.value is not None
                 and not (final_only and "provisional" in o.flag_list())]
        return max(years) if years else None

    def years_with_values(self, slug: str) -> list[int]:
        return sorted(y for y, o in self.by_measure.get(slug, {}).items() if o.value is not None)

    def series(self, slug: str) -> dict[int, float | None]:
        return {y: o.value for y, o in sorted(self.by_measure.get(slug, {}).items())}

    def flagged(self, slug: str, *flags: str) -> frozenset[int]:
        return frozenset(y for y, o in self.by_measure.get(slug, {}).items()
                         if set(flags) & set(o.flag_list()))

    def sources(self, *slugs: str) -> list[SourceRef]:
        found = {o.source_id: o.source for s in slugs for o in self.by_measure.get(s, {}).values()}
        return [src for _, src in sorted(found.items())]


def latest_values(place: Jurisdiction, slugs) -> dict[str, Value]:
    """Each measure's latest period with a value (any period, monthly included), in order of
    `slugs`: two queries, however many measures."""
    newest = (Observation.objects.filter(jurisdiction=place, measure_id__in=slugs,
                                         value__isnull=False)
              .values_list("measure_id").annotate(last=Max("period")))
    wanted = Q()
    for measure_id, period in newest:
        wanted |= Q(measure_id=measure_id, period=period)
    if not wanted:
        return {}
    rows = {r[0]: Value(*r) for r in Observation.objects.filter(wanted, jurisdiction=place)
            .values_list("measure_id", "period", "value", "flags", "source_id")}
    return {slug: rows[slug] for slug in slugs if slug in rows}


def newest_month_and_year_before(place: Jurisdiction, slug: str
                                 ) -> tuple[Value | None, Value | None]:
    """The newest period with a value when it is a month other than December ("2025-03"),
    and the same month a year earlier (None where absent): at most two rows read."""
    newest = latest_value(place.fips, slug)
    if newest is None or len(newest.period) != 7 or newest.period.endswith("-12"):
        return None, None
    year, month = newest.period.split("-")
    return newest, value_at(place.fips, slug, f"{int(year) - 1}-{month}")


def latest_value(fips: str, measure: str, *, december_only: bool = False,
                 final_only: bool = False) -> Value | None:
    """A place's newest value of a measure (its source joined); optionally only 12-month
    periods ending December, or only values not flagged provisional."""
    qs = Observation.objects.filter(jurisdiction_id=fips, measure_id=measure, value__isnull=False)
    if december_only:
        qs = qs.filter(period__endswith="-12")
    if final_only:  # flags are a comma-separated list
        qs = qs.exclude(flags__contains="provisional")
    row = qs.order_by("-period").values_list(*_JOINED).first()
    return _joined(row) if row else None


def value_at(fips: str, measure: str, period: str) -> Value | None:
    """A place's value of a measure in one period (None where there is no row)."""
    row = (Observation.objects.filter(jurisdiction_id=fips, measure_id=measure, period=period)
           .values_list(*_JOINED).first())
    return _joined(row) if row else None


_JOINED = ("measure_id", "period", "value", "flags", "source_id", "source__publisher",
           "source__title", "source__url")


def _joined(row) -> Value:
    m, p, v, f, s, publisher, title, url = row
    return Value(m, p, v, f, s, SourceRef(s, publisher, title, url))


def in_force(law: LawStatus, day: dt.date) -> bool:
    """The record's interval holds the day (`LawStatus.objects.as_of`, in Python)."""
    return ((law.valid_from is None or law.valid_from <= day)
            and (law.valid_to is None or law.valid_to >= day))


class PlaceFacts:
    """What we know about one place. Each part is one or two queries, run when first read."""

    def __init__(self, place: Jurisdiction, measures=()):
        self.place = place
        self.measures = tuple(measures)

    @cached_property
    def observations(self) -> Observations:
        """Yearly series of each measure."""
        return Observations(self.place, self.measures)

    @cached_property
    def latest(self) -> dict[str, Value]:
        """The latest period with a value of each measure (monthly periods included)."""
        return latest_values(self.place, self.measures)

    @cached_property
    def laws(self) -> list[LawStatus]:
        """Every legal record of the place (each topic's dated intervals), in the model's order."""
        return list(LawStatus.objects.filter(jurisdiction=self.place)
                    .select_related("jurisdiction", "source"))

    def laws_in_force(self, day: dt.date | None = None) -> list[LawStatus]:
        day = day or clock.today()
        return [law for law in self.laws if in_force(law, day)]

    def consequences(self, day: dt.date | None = None):
        """What a first possession conviction carries here on the day (atlas.consequences),
        from the records already loaded."""
        day = day or clock.today()
        return consequences.for_state(self.place, day, self.laws_in_force(day))

    @cached_property
    def bills(self) -> list[Bill]:
        return list(Bill.objects.filter(jurisdiction=self.place).select_related("jurisdiction")
                    .prefetch_related("events"))


def place_facts(place: Jurisdiction, measures=()) -> PlaceFacts:
    return PlaceFacts(place, measures)


def nation() -> Jurisdiction | None:
    return Jurisdiction.objects.filter(fips=NATION_FIPS).first()


# --- Layers: one period for every state -------------------------------------------------

def states() -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(kind=Jurisdiction.STATE).order_by("name"))


def state_values(measures, period: str) -> dict[tuple[str, str], Value]:
    """{(state fips, measure): value} for one period (one query, sources joined)."""
    rows = (Observation.objects.filter(measure_id__in=list(measures), period=period,
                                       jurisdiction__kind=Jurisdiction.STATE)
            .values_list("jurisdiction_id", "measure_id", "period", "value", "flags",
                         "source_id", "source__publisher", "source__title", "source__url"))
    return {(fips, m): Value(m, p, v, f, s, SourceRef(s, pub, title, url))
            for fips, m, p, v, f, s, pub, title, url in rows}


def state_layer_periods(measures) -> list[str]:
    """Periods with at least one state value of the measures."""
    return list(_state_rows(measures).values_list("period", flat=True).distinct())


def state_layer_values(measures) -> list[float]:
    """Every state value of the measures, all periods (legend breaks)."""
    return list(_state_rows(measures).values_list("value", flat=True))


def state_layer_sources(measures) -> list[Source]:
    """The sources of the measures' state values, by id."""
    ids = (Observation.objects.filter(measure_id__in=list(measures),
                                      jurisdiction__kind=Jurisdiction.STATE)
           .values_list("source_id", flat=True).distinct())
    return list(Source.objects.filter(id__in=list(ids)).order_by("id"))


def _state_rows(measures):
    return Observation.objects.filter(measure_id__in=list(measures),
                                      jurisdiction__kind=Jurisdiction.STATE, value__isnull=False)


def state_laws_in_force(topic: str, as_of: dt.date, states_only: bool = True
                        ) -> dict[str, LawStatus]:
    """Each place's record of the topic in force on the date. Where intervals overlap on the
    date, the one that began last is in force."""
    laws = LawStatus.objects.as_of(as_of).filter(topic=topic).select_related("source")
    if states_only:
        laws = laws.filter(jurisdiction__kind=Jurisdiction.STATE)
    current: dict[str, LawStatus] = {}
    for law in sorted(laws, key=lambda x: x.valid_from or dt.date.min):
        current[law.jurisdiction_id] = law
    return current


def state_bills() -> list[Bill]:
    """Every state's bills with their events (the decriminalization layer's stages)."""
    return list(Bill.objects.filter(jurisdiction__kind=Jurisdiction.STATE)
                .prefetch_related("events").select_related("jurisdiction"))


def sources_by_id(ids):
    """The sources named, by id (a page's source list)."""
    return Source.objects.filter(id__in=set(ids))


# --- Counties of a state ---------------------------------------------------------------

@dataclass
class CountyRow:
    fips: str
    name: str
    values: dict[str, Value]


def _county_observations(state: Jurisdiction, slug: str):
    return Observation.objects.filter(jurisdiction__parent=state,
                                      jurisdiction__kind=Jurisdiction.COUNTY, measure_id=slug)


def county_table(state: Jurisdiction, measures, period: str) -> list[CountyRow]:
    """Every county of the state by name, each with its values of the measures in the period:
    one query, one row per county."""
    columns = {}
    for i, slug in enumerate(measures):
        same = Observation.objects.filter(jurisdiction=OuterRef("fips"), measure_id=slug,
                                          period=period)
        for column in ("value", "flags", "source_id"):
            columns[f"m{i}_{column}"] = Subquery(same.values(column)[:1])
    counties = (Jurisdiction.objects.filter(parent=state, kind=Jurisdiction.COUNTY)
                .order_by("name").annotate(**columns)
                .values("fips", "name", *columns))
    rows = []
    for c in counties:
        values = {}
        for i, slug in enumerate(measures):
            source_id = c[f"m{i}_source_id"]
            if source_id is not None:  # a row of the measure exists (its value may be None)
                values[slug] = Value(slug, period, c[f"m{i}_value"], c[f"m{i}_flags"], source_id)
        rows.append(CountyRow(c["fips"], c["name"], values))
    return rows


COUNTY_ARRESTS, COUNTY_POPULATION = "drug_arrests", "population"
COUNTY_ARREST_RATE = COUNTY_CRUDE_ARREST_RATE  # stored by the pipeline (pipeline/derive.py)


def county_years(state: Jurisdiction, measure: str) -> list[int]:
    """Calendar years in which some county of the state has a value of the measure."""
    periods = (_county_observations(state, measure).filter(value__isnull=False)
               .exclude(period__contains="-").values_list("period", flat=True).distinct())
    return sorted(int(p) for p in periods if len(p) == 4 and p.isdigit())


def county_arrest_years(state: Jurisdiction) -> list[int]:
    """Years in which some county of the state has a crude arrest rate (a count and a
    population of the same county and year)."""
    return county_years(state, COUNTY_ARREST_RATE)


def county_arrest_rates(state: Jurisdiction) -> list[float]:
    """Every yearly crude arrest rate of the state's counties, as stored (legend breaks)."""
    return list(_county_observations(state, COUNTY_ARREST_RATE).filter(value__isnull=False)
                .exclude(period__contains="-").values_list("value", flat=True))


def county_series(county: Jurisdiction, measures) -> dict[int, dict[str, Value]]:
    """{year: {measure: value}} of one county, yearly periods only."""
    out: dict[int, dict[str, Value]] = defaultdict(dict)
    rows = (Observation.objects.filter(jurisdiction=county, measure_id__in=list(measures))
            .values_list("measure_id", "period", "value", "flags", "source_id"))
    for measure_id, period, value, flags, source_id in rows:
        if len(period) == 4 and period.isdigit():
            out[int(period)][measure_id] = Value(measure_id, period, value, flags, source_id)
    return dict(out)
