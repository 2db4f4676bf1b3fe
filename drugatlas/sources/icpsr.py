"""FBI UCR county-level arrest data as processed by ICPSR/NACJD: drug arrests with the
possession/sale and drug-type split, for counties (1986-2016) and states.

Two raw folders hold column-renamed extracts of ICPSR's Part 1 county files ("Arrests, All
Ages"), one CSV per year, plus the state sums of those files:
- icpsr-ucr-county-arrests: 1986, 1988-1992, 1994-2008;
- icpsr-ucr-county-arrests-2010-2016: 2010, 2012, 2016, and for 2016 also Part 5, the state
  police and other statewide agencies allocated to counties by population share.

How the figures are treated:
- From 1994 ICPSR imputes arrests for agencies that reported under 12 months: every count and
  covered population from 1994 on is flagged "imputed".
- No reporting is no data, never zero: a missing-coded cell, a county where no agency reported
  (coverage 0 and no arrests of any kind), and a state-year the state file flags as having no
  reporting agency (then its counties too) come back as None with "no_reporting".
- No split is no data, never zero: where a total is above 0 but every part of its split is 0
  (agencies that reported only a total: Illinois 1995-2005, Cook County 2000 with 58,697 drug
  arrests), the parts come back as None with "no_breakdown" (SPLITS). So do the parts of a
  part that was not split.
- "low_coverage" where ICPSR's coverage indicator (1994+) or the covered share of the county
  population (before 1994) is under 50%, or where the state file flags low coverage.
- "no_coverage" (and "low_coverage") on a state-year with arrests whose coverage indicator is
  0 (DC 2010, 2012, 2016: the Metro Transit Police only): the counts stand, the pipeline gives
  no rate per covered resident, as for Table 69's agencies without a population.
- "partial" on the possession/sale and drug-type figures where they add up to under 90% of the
  total (agencies that report only a total), for counties and states alike whatever the state
  file's own flag says, and on everything where county records are missing.
- County codes 777 and 999 (agencies without a county, statewide agencies) are left out of the
  county figures, as are units merged or split since (RETIRED_COUNTIES); renamed units move to
  today's code (RENAMED_COUNTIES).
- Counties: Part 1 only, every year. Part 5 arrests are spread over counties by population, not
  by where they happened, so they are left out of the county figures.
- States: total arrests, covered population and agencies are the FBI Table 69 series's job
  (fbi_table69), so the state figures under the common arrest measures are given only for
  years without a Table 69 file (1986-2007 and 2016). In Table 69 years (2008, 2010, 2012)
  the state sums are a series of their own (SUM_MEASURES: total, possession, sale, under the
  sources "icpsr-state-sums-<years>", basis "ICPSR county-level sums"): ICPSR's imputed
  figures count more than Table 69's reporting agencies (NY 2010: possession 165,211, Table
  69's total 62,519), so they never share a line with Table 69's. West Virginia 2010: 6,195
  possession and 1,638 sale arrests of 7,986. ``read(..., all_state_years=True)`` gives every
  state-year under the common measures instead, for a pipeline that chooses by basis itself.
  For 2016 the statewide agencies (Part 5) are added to
  the state figures, as Table 69 counts state police too. Summed county agency counts repeat
  multi-county agencies, so no state agency count is given.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from drugatlas.measures import LOW_COVERAGE_PERCENT

from . import fbi_table69
from .common import STATES, parse_count, read_csv
from .records import Obs, ReadResult, SourceError, SourceInfo

PUBLISHER = ("U.S. Department of Justice, Federal Bureau of Investigation, Uniform Crime "
             "Reporting Program; distributed by ICPSR/NACJD")
LICENCE = (
    "FBI Uniform Crime Reporting Program, county-level detailed arrest data, via ICPSR/NACJD; "
    "aggregated figures published with attribution; not redistributed as a bulk file. "
    "ICPSR's terms of use bind users not to redistribute the data without ICPSR's written "
    "agreement and to use them solely for research or statistical purposes; only aggregated "
    "counts from column-renamed extracts are used here, and the same FBI counts are public "
    "through the FBI Crime Data Explorer.")
NACJD_URL = "http://www.icpsr.umich.edu/icpsrweb/NACJD/"
SERIES_TITLE = ("Uniform Crime Reporting Program Data [United States]: County-Level Detailed "
                "Arrest and Offense Data")


@dataclass(frozen=True)
class Folder:
    name: str
    state_file: str
    years: str  # the span the folder covers, for ids and titles
    retrieved: str  # snapshot date of the repository the ICPSR files were taken from
    origin: str
    retrieved_by_year: dict[int, str] = field(default_factory=dict)  # where repos differ
    sums_years: str = ""  # the years Table 69 covers too, for the id of their state sums

    def retrieved_for(self, year: int | None = None) -> str:
        return self.retrieved_by_year.get(year, self.retrieved)


FOLDERS = (
    Folder("icpsr-ucr-county-arrests", "ucr_state_drug_arrests_from_icpsr_county_1986_2008.csv",
           "1986-2008", "2013-07-29",
           "fixed-width ICPSR files in GitHub maliabadi/ucr-json (c4a24419)", sums_years="2008"),
    Folder("icpsr-ucr-county-arrests-2010-2016",
           "ucr_state_drug_arrests_from_icpsr_county_2010_2012_2016.csv", "2010-2016",
           "2020-10-01",
           "ICPSR .rda files in GitHub j-hagedorn/openBH (2010, 2012) and "
           "JoeMitchellNelson/location-preferences (2016), MD5s matching ICPSR's manifest",
           {2010: "2020-04-23", 2012: "2020-04-23"}, "2010-2012"),
)
# Studies with a versioned DOI named in the PROVENANCE; the others link to the study page.
STUDY_DOIS = {"35019": "https://doi.org/10.3886/ICPSR35019.v1",
              "37059": "https://doi.org/10.3886/ICPSR37059.v3"}

# Measure slug -> column of the extracts (state files, county files; "stwide_" + column in Part 5).
COUNTS = {
    "drug_arrests": "drug_total",
    "drug_arrests_sale": "sale_total",
    "drug_arrests_sale_opium_cocaine": "sale_opium_cocaine",
    "drug_arrests_sale_marijuana": "sale_marijuana",
    "drug_arrests_sale_synthetic_narcotics": "sale_synthetic_narcotics",
    "drug_arrests_sale_other_drugs": "sale_other_dangerous_nonnarcotic",
    "drug_arrests_possession": "poss_total",
    "drug_arrests_possession_opium_cocaine": "poss_opium_cocaine",
    "drug_arrests_possession_marijuana": "poss_marijuana",
    "drug_arrests_possession_synthetic_narcotics": "poss_synthetic_narcotics",
    "drug_arrests_possession_other_drugs": "poss_other_dangerous_nonnarcotic",
}
BREAKDOWN = tuple(m for m in COUNTS if m != "drug_arrests")
# The state sums of Table 69 years, as a series of their own (see the module docstring).
SUM_MEASURES = {"drug_arrests": "drug_arrests_icpsr_sum",
                "drug_arrests_possession": "drug_arrests_possession_icpsr_sum",
                "drug_arrests_sale": "drug_arrests_sale_icpsr_sum"}
# Counties get the totals and the possession/sale split; the drug-type split stays at state level
# (a county's drug-type cells are small, noisy imputations, and they would triple the bundle).
COUNTY_MEASURES = ("drug_arrests", "drug_arrests_possession", "drug_arrests_sale",
                   "arrest_population_covered", "arrest_reporting_agencies")
ALL_COUNTY_MEASURES = (*COUNTS, "arrest_population_covered", "arrest_reporting_agencies")
IMPUTATION_FROM = 1994  # ICPSR's imputation of non-reporters starts here (a break in series)
BREAKDOWN_SHARE = 0.9  # sale + possession under 90% of the total: the split is incomplete
NO_DATA = frozenset({"no_reporting"})
NO_BREAKDOWN = frozenset({"no_breakdown"})
NO_COVERAGE = frozenset({"no_coverage", "low_coverage"})
# A whole and the parts it splits into, outermost first.
SPLITS = (
    ("drug_arrests", ("drug_arrests_sale", "drug_arrests_possession")),
    ("drug_arrests_sale", tuple(m for m in COUNTS if m.startswith("drug_arrests_sale_"))),
    ("drug_arrests_possession",
     tuple(m for m in COUNTS if m.startswith("drug_arrests_possession_"))),
)

# County codes that are not counties: 777 = agencies with no county (tribal, transit, ...),
# 999 = statewide agencies (state police). Their arrests count in the state sums only.
NOT_COUNTIES = ("777", "999")
# Same territory, new code: ICPSR kept the old one.
RENAMED_COUNTIES = {
    "12025": "12086",  # Dade County FL became Miami-Dade (1997)
    "46113": "46102",  # Shannon County SD became Oglala Lakota (2015)
    "02270": "02158",  # Wade Hampton Census Area AK became Kusilvak (2015)
}
# Merged into or split among today's counties: no county of today to show them on.
RETIRED_COUNTIES = {
    "02010": "Aleutian Islands Census Area AK (split 1987)",
    "02140": "Kobuk Census Area AK (became Northwest Arctic Borough 02188, 1986)",
    "02160": "Kuskokwim Census Area AK (split 1986)",
    "02201": "Prince of Wales-Outer Ketchikan Census Area AK (split 2008)",
    "02231": "Skagway-Yakutat-Angoon Census Area AK (split 1992)",
    "02232": "Skagway-Hoonah-Angoon Census Area AK (split 2007)",
    "02280": "Wrangell-Petersburg Census Area AK (split 2008)",
    "30113": "Yellowstone National Park MT (merged 1997)",
    "46131": "Washabaugh County SD (merged 1983)",
    "51123": "Nansemond County VA (merged 1974)",
    "51515": "Bedford city VA (merged 2013)",
    "51560": "Clifton Forge city VA (merged 2001)",
    "51780": "South Boston city VA (merged 1995)",
}

COUNTY_COLUMNS = ("year", "icpsr_study", "fips_state", "fips_county", "fips", "state_abbr",
                  "pop_covered", "n_agencies", "coverage_indicator", "all_arrests",
                  *COUNTS.values())
STATE_COLUMNS = ("state_abbr", "fips_state", "year", "icpsr_study", "pop_covered",
                 "pop_weighted_coverage_indicator", "quality_flag",
                 *COUNTS.values())
STATEWIDE_COLUMNS = ("year", "icpsr_study", "fips_state", "fips_county", "fips", "state_abbr",
                     *(f"stwide_{c}" for c in COUNTS.values()))

# The state files' quality_flag words, by what they mean for the figures.
NO_REPORTING_WORDS = {"no_agency_reported_counts_are_not_real_zeros", "no_data"}
LOW_COVERAGE_WORDS = {"low_coverage_lt50", "low_coverage_under_50"}
BREAKDOWN_WORDS = {"sale_poss_breakdown_mostly_missing", "breakdown_under_90pct_of_total"}
MISSING_RECORDS = re.compile(r"\d+_county_records_missing")


@dataclass
class StateRow:
    """One state-year of a state file: Part 1 sums by column, and what its quality flag says."""

    values: dict[str, float | None]
    no_reporting: bool = False
    low_coverage: bool = False
    breakdown_incomplete: bool = False
    records_missing: bool = False
    row: int | None = None
    statewide: dict[str, float] = field(default_factory=dict)  # Part 5 sums (2016)
    coverage: float | None = None  # ICPSR's population-weighted coverage indicator, 0-100


def read(raw_dir: Path, county_measures: tuple[str, ...] = COUNTY_MEASURES,
         all_state_years: bool = False) -> ReadResult:
    """Counties for every year; states for the years without Table 69, or every state-year
    of the state files where ``all_state_years`` (see the module docstring)."""
    raw_dir = Path(raw_dir)
    result = ReadResult()
    for folder in FOLDERS:
        base = raw_dir / folder.name
        state_path = base / folder.state_file
        states = state_rows(state_path)
        for path in sorted(base.glob("county/ucr_county_statewide_allocated_drug_arrests_*.csv")):
            year, study, sums = statewide_sums(path)
            result.sources.append(_statewide_source(raw_dir, path, folder, year, study))
            for fips, values in sums.items():
                if (fips, year) in states:
                    states[(fips, year)].statewide = values
                elif any(values.values()):
                    raise SourceError(path, f"statewide arrests for {STATES[fips][0]} {year}, "
                                            f"a state-year missing from {folder.state_file}")
        source = _state_source(raw_dir, state_path, folder, states, all_state_years)
        result.sources.append(source)
        skip = () if all_state_years else fbi_table69.YEARS
        result.observations += _state_observations(states, source.id, skip)
        sums = None if all_state_years else _sums_source(raw_dir, state_path, folder, states)
        if sums:
            result.sources.append(sums)
            result.observations += _table69_year_sums(states, sums.id)
        no_agency = {key for key, row in states.items() if row.no_reporting}
        for path in sorted(base.glob("county/ucr_county_drug_arrests_*.csv")):
            info, observations = read_county_file(raw_dir, path, folder, no_agency,
                                                  county_measures)
            result.sources.append(info)
            result.observations += observations
    return result


def state_rows(path: Path) -> dict[tuple[str, int], StateRow]:
    """A state file's rows by (state FIPS, year), Part 1 values as published."""
    rows: dict[tuple[str, int], StateRow] = {}
    for row_no, line in read_csv(path, STATE_COLUMNS):
        fips = _state(path, row_no, line["fips_state"], line["state_abbr"])
        year = _year(path, row_no, line["year"])
        if (fips, year) in rows:
            raise SourceError(path, f"second row for {STATES[fips][0]} {year} (first at row "
                                    f"{rows[(fips, year)].row})", row_no, "fips_state")
        state = StateRow({column: parse_count(path, row_no, column, line[column])
                          for column in ("pop_covered", *COUNTS.values())}, row=row_no,
                         coverage=parse_count(path, row_no, "pop_weighted_coverage_indicator",
                                              line["pop_weighted_coverage_indicator"]))
        for word in filter(None, (w.strip() for w in line["quality_flag"].split(";"))):
            if word in NO_REPORTING_WORDS:
                state.no_reporting = True
            elif word in LOW_COVERAGE_WORDS:
                state.low_coverage = True
            elif word in BREAKDOWN_WORDS:
                state.breakdown_incomplete = True
            elif MISSING_RECORDS.fullmatch(word):
                state.records_missing = True
            else:
                raise SourceError(path, f"unknown quality flag {word!r}", row_no, "quality_flag")
        rows[(fips, year)] = state
    return rows


def statewide_sums(path: Path) -> tuple[int, str, dict[str, dict[str, float]]]:
    """Part 5 (statewide agencies allocated to counties): year, ICPSR study, and sums by state
    FIPS and column."""
    year = _file_year(path)
    study = ""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(COUNTS.values(), 0.0))
    seen: set[str] = set()
    for row_no, line in read_csv(path, STATEWIDE_COLUMNS):
        fips = _county_fips(path, row_no, line, year, seen)
        study = line["icpsr_study"].strip()
        for column in COUNTS.values():
            value = parse_count(path, row_no, f"stwide_{column}", line[f"stwide_{column}"],
                                allow_blank=False)
            sums[fips[:2]][column] += value
    return year, study, dict(sums)


def read_county_file(raw_dir: Path, path: Path, folder: Folder,
                     no_agency: set[tuple[str, int]] = frozenset(),
                     measures: tuple[str, ...] = ALL_COUNTY_MEASURES,
                     ) -> tuple[SourceInfo, list[Obs]]:
    """One year's county file: its SourceInfo and observations for today's counties."""
    year = _file_year(path)
    observations: list[Obs] = []
    seen: set[str] = set()  # codes as in the file
    emitted: set[str] = set()  # codes of today's counties
    studies: set[str] = set()
    source_id = f"icpsr-county-{year}"
    for row_no, line in read_csv(path, COUNTY_COLUMNS):
        fips = _county_fips(path, row_no, line, year, seen)
        studies.add(line["icpsr_study"].strip())
        if fips[2:] in NOT_COUNTIES or fips in RETIRED_COUNTIES:
            continue
        fips = RENAMED_COUNTIES.get(fips, fips)
        if fips in emitted:
            raise SourceError(path, f"county {fips} appears twice (once under its old code)",
                              row_no, "fips")
        emitted.add(fips)
        observations += _county_observations(path, row_no, line, fips, year, source_id,
                                             (fips[:2], year) in no_agency, measures)
    if len(studies) > 1:
        raise SourceError(path, f"several ICPSR studies in one year's file: {sorted(studies)}",
                          None, "icpsr_study")
    study = studies.pop() if studies else ""
    info = SourceInfo(
        id=source_id, publisher=PUBLISHER,
        title=f"{SERIES_TITLE}, {year} (ICPSR {study.lstrip('0')}), Part 1: arrests, all ages "
              f"- county drug-arrest extract",
        url=_study_url(study), file=str(path.relative_to(raw_dir)), licence=LICENCE,
        caveats=_county_caveats(year, folder), retrieved=folder.retrieved_for(year))
    return info, observations


def _county_observations(path: Path, row_no: int, line: dict, fips: str, year: int,
                         source: str, state_unreported: bool,
                         measures: tuple[str, ...]) -> list[Obs]:
    values = {m: _count(path, row_no, c, line[c]) for m, c in COUNTS.items()}
    values["arrest_population_covered"] = _count(path, row_no, "pop_covered",
                                                 line["pop_covered"])
    agencies = _count(path, row_no, "n_agencies", line["n_agencies"])
    imputed = year >= IMPUTATION_FROM
    if agencies is not None or imputed:  # agency counts start with the 1994 files
        values["arrest_reporting_agencies"] = agencies
    all_arrests = _count(path, row_no, "all_arrests", line["all_arrests"])
    coverage = _county_coverage(path, row_no, line, values["arrest_population_covered"])
    if state_unreported or (coverage == 0 and all_arrests == 0):
        # No agency reported: the zeros in the file are not counts.
        values = dict.fromkeys(values)
    unsplit = _unsplit(values)
    values.update(dict.fromkeys(unsplit))
    low = coverage is not None and coverage < LOW_COVERAGE_PERCENT
    whole = _flags(imputed=imputed, low_coverage=low)
    split = _flags(imputed=imputed, low_coverage=low, partial=_split_incomplete(values))
    period = str(year)
    observations = []
    for measure, value in values.items():
        if measure not in measures:
            continue
        if value is None:
            flags = NO_BREAKDOWN if measure in unsplit else NO_DATA
        elif measure in BREAKDOWN:
            flags = split
        elif measure == "arrest_reporting_agencies":
            flags = _flags(low_coverage=low)  # a count of agencies is not imputed
        else:
            flags = whole
        observations.append(Obs(fips, measure, period, value, source, flags, row_no))
    return observations


@functools.cache
def _flags(imputed: bool = False, low_coverage: bool = False, partial: bool = False) -> frozenset:
    """Shared flag sets: a read makes a million observations from a handful of combinations."""
    names = {"imputed": imputed, "low_coverage": low_coverage, "partial": partial}
    return frozenset(name for name, on in names.items() if on)


def _unsplit(values: dict[str, float | None]) -> set[str]:
    """The parts of a split the publisher did not give (SPLITS): a whole above 0 whose parts
    are all 0, and the parts of such parts."""
    missing: set[str] = set()
    for whole, parts in SPLITS:
        if whole in missing or (values.get(whole) and all(values.get(p) == 0 for p in parts)):
            missing.update(parts)
    return missing


def _count(path: Path, row_no: int, column: str, text: str) -> float | None:
    """parse_count, with a shortcut for the plain digits that almost every cell holds."""
    if text.isascii() and text.isdigit():
        return float(text)
    return parse_count(path, row_no, column, text)


def _state_observations(states: dict[tuple[str, int], StateRow], source: str,
                        skip_years=()) -> list[Obs]:
    observations: list[Obs] = []
    years = sorted({year for _, year in states})
    for year in years:
        # A state's split must share its total's basis: ICPSR's split is imputed (all agencies)
        # while Table 69 counts reporters only, so the default skips Table 69 years.
        if year in skip_years:
            continue
        measures = ["drug_arrests", "arrest_population_covered", *BREAKDOWN]
        for fips in sorted(STATES):
            state = states.get((fips, year))
            if state is None or state.no_reporting:
                # Absent (every county record missing-coded) or no agency reported.
                row = state.row if state else None
                observations += [Obs(fips, m, str(year), None, source, NO_DATA, row)
                                 for m in measures]
                continue
            values = _with_statewide(state)
            by_measure = {m: values[COUNTS.get(m, "pop_covered")] for m in measures}
            unsplit = _unsplit(by_measure)
            imputed = year >= IMPUTATION_FROM
            whole = _flags(imputed, state.low_coverage, state.records_missing)
            split = _flags(imputed, state.low_coverage,
                           state.records_missing or state.breakdown_incomplete
                           or _split_incomplete(by_measure))
            if state.coverage == 0:
                # Arrests, but from agencies with no resident population (DC's Metro Transit
                # Police): counts stand, a rate per covered resident cannot be given.
                whole, split = whole | NO_COVERAGE, split | NO_COVERAGE
            for measure in measures:
                value = None if measure in unsplit else by_measure[measure]
                if value is None:
                    flags = NO_BREAKDOWN if measure in unsplit else NO_DATA
                else:
                    flags = split if measure in BREAKDOWN else whole
                observations.append(Obs(fips, measure, str(year), value, source, flags,
                                        state.row))
    return observations


def _table69_years(states: dict[tuple[str, int], StateRow]) -> list[int]:
    return sorted({year for _, year in states} & set(fbi_table69.YEARS))


def _table69_year_sums(states: dict[tuple[str, int], StateRow], source: str) -> list[Obs]:
    """Total, possession and sale of the Table 69 years, under SUM_MEASURES."""
    skip = {year for _, year in states} - set(_table69_years(states))
    return [replace(o, measure=SUM_MEASURES[o.measure])
            for o in _state_observations(states, source, skip) if o.measure in SUM_MEASURES]


def _with_statewide(state: StateRow) -> dict[str, float | None]:
    """Part 1 plus the statewide agencies (Part 5) where the year has them.

    Where Part 5 repeats Part 1 figure for figure (DC 2016: the Metro Transit Police is in
    both), it is the same agency counted twice, so nothing is added.
    """
    values = dict(state.values)
    if not state.statewide or all(state.statewide[c] == values[c] for c in COUNTS.values()):
        return values
    for column, extra in state.statewide.items():
        if values[column] is not None:
            values[column] += extra
    return values


def _split_incomplete(values: dict[str, float | None]) -> bool:
    total, sale, possession = (values["drug_arrests"], values["drug_arrests_sale"],
                               values["drug_arrests_possession"])
    if not total or sale is None or possession is None:
        return False
    return sale + possession < BREAKDOWN_SHARE * total


def _county_coverage(path: Path, row_no: int, line: dict, covered: float | None) -> float | None:
    """Percent of the county's people whose agencies reported: ICPSR's indicator from 1994,
    the covered share of the county population before (None where the file cannot tell)."""
    indicator = parse_count(path, row_no, "coverage_indicator", line["coverage_indicator"])
    if indicator is not None:
        return indicator
    if covered == 0:
        return 0.0
    county = parse_count(path, row_no, "county_pop_total", line.get("county_pop_total", ""))
    if covered is None or not county:
        return None
    return covered / county * 100


def _county_fips(path: Path, row_no: int, line: dict, year: int, seen: set[str]) -> str:
    """The five-digit FIPS of a county row, checked against its parts; a repeat is an error."""
    if _year(path, row_no, line["year"]) != year:
        raise SourceError(path, f"year {line['year']!r} in the file for {year}", row_no, "year")
    state = _state(path, row_no, line["fips_state"], line["state_abbr"])
    county, fips = line["fips_county"].strip(), line["fips"].strip()
    if not (len(county) == 3 and county.isdigit()):
        raise SourceError(path, f"county code is not 3 digits: {county!r}", row_no,
                          "fips_county")
    if fips != state + county:
        raise SourceError(path, f"FIPS {fips!r} does not match state {state} and county "
                                f"{county}", row_no, "fips")
    if fips in seen:
        raise SourceError(path, f"county {fips} appears twice", row_no, "fips")
    seen.add(fips)
    return fips


def _state(path: Path, row_no: int, fips: str, abbr: str) -> str:
    fips = (fips or "").strip()
    if fips not in STATES:
        raise SourceError(path, f"unknown state FIPS {fips!r}", row_no, "fips_state")
    if (abbr or "").strip() != STATES[fips][0]:
        raise SourceError(path, f"state code {abbr!r} does not match FIPS {fips}", row_no,
                          "state_abbr")
    return fips


def _year(path: Path, row_no: int, value: str) -> int:
    text = (value or "").strip()
    if not (text.isdigit() and len(text) == 4):
        raise SourceError(path, f"not a year: {value!r}", row_no, "year")
    return int(text)


def _file_year(path: Path) -> int:
    match = re.search(r"_(\d{4})\.csv$", path.name)
    if not match:
        raise SourceError(path, "file name does not end in _<YEAR>.csv")
    return int(match.group(1))


def _study_url(study: str) -> str:
    study = study.lstrip("0")
    return STUDY_DOIS.get(study, f"https://www.icpsr.umich.edu/web/NACJD/studies/{study}"
                          if study else NACJD_URL)


def _county_caveats(year: int, folder: Folder) -> str:
    method = ("ICPSR imputes arrests for agencies reporting 0-11 months (3-11 months scaled by "
              "12/months, 0-2 months estimated from similar agencies), so counts are estimates."
              if year >= IMPUTATION_FROM else
              "Before 1994 ICPSR scaled agencies reporting 6-11 months and dropped those "
              "reporting under 6 months (and their population); a break in series in 1994.")
    return (f"{method} Part 1 only: state police and other statewide agencies (ICPSR Parts 5-7) "
            f"are not in the county figures. Counts are the FBI's UCR data as processed by "
            f"ICPSR, not official FBI releases. Pseudo-county codes 777 and 999 (agencies "
            f"without a county, statewide agencies) are counted only in state sums. Extract "
            f"columns renamed from the {folder.origin}.")


def _state_source(raw_dir: Path, path: Path, folder: Folder,
                  states: dict[tuple[str, int], StateRow],
                  all_state_years: bool = False) -> SourceInfo:
    extra = ""
    if any(state.statewide for state in states.values()):
        extra = (" For 2016 the statewide agencies (ICPSR Part 5, the allocated-statewide file "
                 "in the same folder) are added to the state figures, except where Part 5 "
                 "repeats Part 1 (DC).")
    return SourceInfo(
        id=f"icpsr-state-{folder.years}", publisher=PUBLISHER,
        title=f"{SERIES_TITLE}, {folder.years}: state sums of the county drug-arrest extracts",
        url=NACJD_URL, file=str(path.relative_to(raw_dir)), licence=LICENCE,
        caveats=("Sums of ICPSR Part 1 county records, which leave out state police and other "
                 "statewide agencies, so they run below FBI state estimates; from 1994 they "
                 "include ICPSR's imputation for non-reporting agencies, so they run above FBI "
                 "Table 69, which counts reporting agencies only. " + (
                     "Every state-year of the file is read, Table 69 years included: do not "
                     "set these figures beside Table 69's in one series." if all_state_years
                     else "State totals are given here only for years without a Table 69 "
                          "file.") + extra),
        retrieved=folder.retrieved)


def _sums_source(raw_dir: Path, path: Path, folder: Folder,
                 states: dict[tuple[str, int], StateRow]) -> SourceInfo | None:
    """The source of the Table 69 years' state sums (a basis of their own), if the file has
    such years."""
    years = _table69_years(states)
    if not years:
        return None
    listed = ", ".join(map(str, years))
    return SourceInfo(
        id=f"icpsr-state-sums-{folder.sums_years}", publisher=PUBLISHER,
        title=f"{SERIES_TITLE}, {listed}: state sums of the county drug-arrest extracts "
              f"(ICPSR county-level sums, imputed)",
        url=NACJD_URL, file=str(path.relative_to(raw_dir)), licence=LICENCE,
        caveats=(f"State sums of ICPSR Part 1 county records for {listed}, years FBI Table 69 "
                 "also covers: drug arrests, possession and sale. ICPSR includes estimates for "
                 "agencies that did not report and leaves out state police, so these figures "
                 "are on another basis than Table 69's (New York 2010: 174,493 arrests here, "
                 "62,519 in Table 69, which lacks the NYPD). They are a series of their own: "
                 "compare them only with each other."),
        retrieved=folder.retrieved_for(years[0]))


def _statewide_source(raw_dir: Path, path: Path, folder: Folder, year: int,
                      study: str) -> SourceInfo:
    return SourceInfo(
        id=f"icpsr-county-statewide-{year}", publisher=PUBLISHER,
        title=f"{SERIES_TITLE}, {year}, Part 5: allocated statewide data for arrests, all ages",
        url=_study_url(study), file=str(path.relative_to(raw_dir)),
        licence=LICENCE,
        caveats=("State police and other statewide agencies' arrests, allocated by ICPSR to "
                 "counties by population share; used only in state totals."),
        retrieved=folder.retrieved_for(year))
