"""Values this project computes from the sources' counts, never mixing places or years.

- overdose_death_rate_crude: VSRR reported 12-month-ending deaths for December of a year,
  per 100,000 Census residents of the same place and year (states and the nation).
- national drug arrests for years the FBI's national file does not cover (2017 on): the sum of
  the states' FBI Table 69 figures of that year (its reporting agencies only), flagged partial.
- drug_arrest_rate: drug arrests per 100,000 residents of the reporting agencies' jurisdictions
  (same place, same year, same source).
- arrest_coverage_share: covered population / Census population of the same place and year.
  Under 50% flags the year's arrest figures from the same source "low_coverage". Not published
  where the covered population is imputed: ICPSR counts the agencies it estimated for (and
  multi-county agencies in full), so the share says nothing about reporting and runs to 178%;
  the reader flags ICPSR's own coverage indicator instead. Under 50% is still flagged.
  Where agencies reported but none has a resident population (DC's Metro Transit Police,
  Florida's tribal police in 2021; ICPSR's coverage indicator 0) coverage cannot be measured:
  the counts are flagged "low_coverage" and no rate is given, flagged "no_coverage", whichever
  the source.
- drug_arrest_rate_county_crude: a county's drug arrests per 100,000 Census residents of the
  same county and year, to the measure's precision (half away from zero, as pages show it).
  ICPSR's county counts include estimates for agencies that did not report, so no covered
  population exists to divide by: the rate is crude. Only where the county has a population
  that year (no population, no rate; never 0); a count with no value gives a rate with no
  value. The rate keeps the count's flags (imputed, low_coverage...) and source, so the
  downloads leave it out wherever they leave out the count (api/downloads.py). The county
  pages and the API read it; nothing recomputes it.
"""
from __future__ import annotations

from dataclasses import replace

from drugatlas import formatting, measures
from drugatlas.measures import LOW_COVERAGE_PERCENT
from drugatlas.sources.records import Obs, SourceError

NO_DATA_REASONS = {"no_reporting", "not_published", "suppressed", "no_breakdown", "limited_data"}
COUNTY_CRUDE_ARREST_RATE = "drug_arrest_rate_county_crude"


def _index(observations: list[Obs], measure: str) -> dict[tuple[str, str], Obs]:
    return {(o.fips, o.period): o for o in observations if o.measure == measure}


def _population_years(population: dict[tuple[str, str], Obs]) -> dict[int, tuple[int, int]]:
    """For each FIPS length (2 = nation/state, 5 = county), the first and last year of population."""
    spans: dict[int, tuple[int, int]] = {}
    for fips, period in population:
        n, year = len(fips), int(period)
        lo, hi = spans.get(n, (year, year))
        spans[n] = (min(lo, year), max(hi, year))
    return spans


NATIONAL_SUM_MEASURES = ("drug_arrests", "arrest_population_covered", "arrest_reporting_agencies")
TABLE69_SOURCE_PREFIX = "fbi-cius-table69-"


def national_table69_sums(observations: list[Obs]) -> list[Obs]:
    """U.S. arrest figures summed from the states' Table 69 rows, for years with no U.S. row."""
    have = {(o.measure, o.period) for o in observations if o.fips == "00"}
    sums: dict[tuple[str, str], tuple[float, str]] = {}
    for o in observations:
        if (len(o.fips) == 2 and o.fips != "00" and o.measure in NATIONAL_SUM_MEASURES
                and o.source.startswith(TABLE69_SOURCE_PREFIX)
                and (o.measure, o.period) not in have and o.value is not None):
            total, _ = sums.get((o.measure, o.period), (0.0, o.source))
            sums[(o.measure, o.period)] = (total + o.value, o.source)
    return [Obs("00", measure, period, total, source, frozenset({"partial"}))
            for (measure, period), (total, source) in sorted(sums.items())]


def derive(observations: list[Obs], files: dict[str, str]) -> list[Obs]:
    """The input plus derived observations, with coverage flags added to arrest figures."""
    national = national_table69_sums(observations)
    observations = observations + national
    population = _index(observations, "population")
    spans = _population_years(population)

    def population_for(o: Obs, year: str) -> float | None:
        """Population of the count's place and year; a gap inside the Census span is an error."""
        p = population.get((o.fips, year))
        if p is not None:
            return p.value
        lo, hi = spans.get(len(o.fips), (0, -1))
        if lo <= int(year) <= hi:
            raise SourceError(files.get(o.source, o.source),
                              f"{o.measure} for {o.fips} in {year} has no Census population "
                              f"for the same place and year", o.row)
        return None

    derived: list[Obs] = []

    # Crude provisional overdose rates from VSRR December counts (states and the nation).
    for o in observations:
        if o.measure != "overdose_deaths_12mo_provisional" or not o.period.endswith("-12"):
            continue
        year = o.period[:4]
        pop = population_for(o, year)
        if pop is None:
            continue
        value = None if o.value is None or not pop else round(o.value / pop * 100_000, 2)
        derived.append(Obs(o.fips, "overdose_death_rate_crude", year, value, o.source,
                           frozenset(o.flags | {"provisional"}), o.row))

    # Arrest rate per covered resident and the covered share of the Census population.
    covered = _index(observations, "arrest_population_covered")
    low: set[tuple[str, str, str]] = set()  # (fips, period, source) of under-covered counts
    uncovered: set[tuple[str, str, str]] = set()  # ... of counts by agencies with no residents
    for key, c in covered.items():
        fips, year = key
        if not c.value or "no_coverage" in c.flags:
            if not set(c.flags) & NO_DATA_REASONS:
                low.add((fips, year, c.source))  # reported, but by no resident population
                uncovered.add((fips, year, c.source))
            continue
        pop = population_for(c, year) if len(year) == 4 else None
        if not pop:
            continue
        share = round(c.value / pop * 100, 1)
        flags = set(c.flags) - {"no_reporting"}
        if share < LOW_COVERAGE_PERCENT:
            flags.add("low_coverage")
            low.add((fips, year, c.source))
        if "imputed" in c.flags:
            continue  # under half even with imputed agencies is low; the share itself is not
        derived.append(Obs(fips, "arrest_coverage_share", year, share, c.source,
                           frozenset(flags), c.row))
    for o in observations:
        if o.measure != "drug_arrests":
            continue
        c = covered.get((o.fips, o.period))
        flags = set(o.flags) | ({"low_coverage"} if (o.fips, o.period, o.source) in low else set())
        if c is None:
            continue
        if o.value is None:
            value = None  # the count's own flag says why (no agency reported, not published)
            if not flags & NO_DATA_REASONS:
                flags.add("no_reporting")
        elif not c.value or "no_coverage" in c.flags:
            value = None  # no covered population to divide by; the count is flagged above
            flags.add("no_coverage")
        else:
            value = round(o.value / c.value * 100_000, 1)
        derived.append(Obs(o.fips, "drug_arrest_rate", o.period, value, o.source,
                           frozenset(flags), o.row))

    # Mark arrest counts from low-coverage years, so no table shows them without the caveat.
    # Only counts of the same source: another publisher's count of the same year (NY DCJS,
    # the ICPSR possession split) has its own coverage.
    def coverage_flags(o: Obs) -> set[str]:
        key = (o.fips, o.period, o.source)
        return ({"low_coverage"} if key in low else set()) | (
            {"no_coverage"} if key in uncovered and o.value is not None else set())

    marked = [replace(o, flags=frozenset(o.flags | coverage_flags(o)))
              if o.measure.startswith("drug_arrests") and coverage_flags(o) else o
              for o in observations]
    return marked + derived + county_crude_arrest_rates(marked, population)


def county_crude_arrest_rates(observations: list[Obs],
                              population: dict[tuple[str, str], Obs]) -> list[Obs]:
    """Counties' drug arrests per 100,000 residents of the same county and year, from the
    counts as flagged above."""
    decimals = measures.get(COUNTY_CRUDE_ARREST_RATE).precision
    out = []
    for o in observations:
        if o.measure != "drug_arrests" or len(o.fips) != 5 or not o.period.isdigit():
            continue
        p = population.get((o.fips, o.period))
        if p is None or not p.value:
            continue  # no residents to divide by: no rate, and the page says "no data"
        flags = set(o.flags)
        if o.value is None:
            value = None  # the count's own flag says why
            if not flags & NO_DATA_REASONS:
                flags.add("no_reporting")
        else:
            value = formatting.rounded_number(o.value / p.value * 100_000, decimals)
        out.append(Obs(o.fips, COUNTY_CRUDE_ARREST_RATE, o.period, value, o.source,
                       frozenset(flags), o.row))
    return out
