"""NCHS final overdose deaths and age-adjusted rates after 2018: states 2019-2022, the nation
2019-2024, and the state rates NCHS quoted for 2023.

Final data (NVSS final mortality, by state of residence, ICD-10 X40-X44, X60-X64, X85,
Y10-Y14; rates per 100,000, age-adjusted to the 2000 U.S. standard population), so no value
here carries the "provisional" flag. Five files in two raw folders, one SourceInfo each, so
every value names the file it came from:

* cdc-sosmap-overdose-1999-2021/data-table.csv, the CDC "Drug Overdose Mortality by State"
  download as committed (YEAR, STATE, RATE, DEATHS, URL), 50 states, no DC. Only 2019-2021
  are read (FINAL_STATE_YEARS): earlier years repeat the NCHS state file and the 2014-2018
  map copy (its 2014 AZ and AR rows are swapped here too). Each row's URL must name its state
  in its folder or file name (a shifted row would not).
* cdc-sosmap-overdose-1999-2021/dc_supplement.csv: DC 2019 and 2021 rates as NCHS printed them
  (quoted), and DC deaths 2019-2021 derived by the compiler as the U.S. final count minus the
  50 states: flagged "estimated". DC's 2020 rate is blank there, so none is given.
* nchs-overdose-rates-2019-2024/national_final_age_adjusted_rates_2019_2024.csv: the U.S. rate
  2019-2024 and deaths 2021-2024 (2019 and 2020 deaths are blank: not verified, not given).
* nchs-overdose-rates-2019-2024/cdc_sosmap_2022_page_excerpt_*.txt: the 2022 state table as a
  mirror of the CDC page printed it, read from the text as published: a state name line, then
  rate and deaths glued together ("31.51,492" is 31.5 and 1,492; a rate printed without a
  decimal point has two digits: "303,849" is 30 and 3,849). The year is not printed: the 51
  deaths must sum to the U.S. final 2022 count of the national file, which makes it 2022 and
  proves every row was split right.
* nchs-overdose-rates-2019-2024/state_age_adjusted_rates_quoted_2019_2023.csv: rates NCHS
  quoted in its publications. Where a file above has the same state and year the two must
  agree (a check); otherwise the quote is the value (2023: WV, DC, NE, SD).
"""
from __future__ import annotations

import re
from pathlib import Path

from drugatlas import formatting

from .common import FIPS_BY_NAME, NATION_FIPS, STATES, parse_count, read_csv, state_fips
from .nchs import DEATHS, LICENCE, PUBLISHER, RATE, _rate
from .records import Obs, ReadResult, SourceError, SourceInfo
from .unique_obs import UniqueObservations

SOSMAP_FOLDER = "cdc-sosmap-overdose-1999-2021"
RATES_FOLDER = "nchs-overdose-rates-2019-2024"
FINAL_STATE_YEARS = ("2019", "2020", "2021")
EXCERPT_YEAR = "2022"
SOSMAP_PAGE = "https://www.cdc.gov/nchs/state-stats/deaths/drug-overdose.html"
ESTIMATED = frozenset({"estimated"})
FINAL = frozenset()  # final data: no flag


def _source(**fields) -> SourceInfo:
    return SourceInfo(publisher=PUBLISHER, licence=LICENCE, **fields)


SOSMAP = _source(
    id="cdc-sosmap-drug-overdose-state-1999-2021",
    title="Drug Overdose Mortality by State (Stats of the States), final data, 50 states, "
          "1999, 2005 and 2014-2021",
    url=SOSMAP_PAGE, file=f"{SOSMAP_FOLDER}/data-table.csv",
    caveats="The CDC page's CSV download, unchanged, as committed to GitHub "
            "Ilissagarcia/OpioidCapstone (commit 44e1e767, 2023-12-11). Used for 2019-2021 "
            "only. No DC row and no U.S. row: the 50 states' deaths fall short of the U.S. "
            "final totals by 311 (2019), 424 (2020) and 450 (2021), DC's deaths.",
    retrieved="2023-12-11")
DC_SUPPLEMENT = _source(
    id="nchs-dc-overdose-2019-2021",
    title="District of Columbia overdose deaths and age-adjusted rates, 2019-2021 (compiled "
          "from NCHS publications)",
    url="https://www.cdc.gov/nchs/products/databriefs.htm", file=f"{SOSMAP_FOLDER}/dc_supplement.csv",
    caveats="DC rates as NCHS printed them (Health E-Stat 2019; MMWR QuickStats 72(11):e293 "
            "for 2021), read in quotations; no 2020 rate was found. Deaths are derived: the "
            "U.S. final count minus the 50 states of the CDC state file (the 2020 U.S. count, "
            "91,799 from NCHS Data Brief 428, was not re-verified).")
NATIONAL = _source(
    id="nchs-final-overdose-national-2019-2024",
    title="U.S. drug overdose deaths and age-adjusted death rates, final data, 2019-2024 "
          "(NCHS Data Briefs 394, 428, 457, 491 and 522, MMWR QuickStats, and the NCHS report "
          "on 2024)",
    url="https://www.cdc.gov/nchs/products/databriefs/db522.htm",
    file=f"{RATES_FOLDER}/national_final_age_adjusted_rates_2019_2024.csv",
    caveats="A table compiled from NCHS publications, each value checked in two places. "
            "Deaths for 2019 and 2020 were not verified and are not given. The 2024 count "
            "(79,384) is read from reports of NCHS's January 2026 release; another report "
            "gives 79,385.")
STATES_2022 = _source(
    id="cdc-sosmap-drug-overdose-state-2022",
    title="Drug Overdose Mortality by State (Stats of the States), 2022: 50 states and DC",
    url=SOSMAP_PAGE,
    file=f"{RATES_FOLDER}/cdc_sosmap_2022_page_excerpt_news.mixedtimes.com_3k9V.txt",
    caveats="The data table of the CDC page as a third-party mirror (news.mixedtimes.com) "
            "printed it; the year is not printed, but the 51 death counts sum to the NCHS "
            "final U.S. count for 2022 (107,941). Rates were checked for consistency with "
            "2021 and 2023, not against a second copy.")
QUOTED = _source(
    id="nchs-quoted-state-overdose-rates-2019-2023",
    title="State age-adjusted overdose death rates quoted in NCHS publications, 2019, 2021 and "
          "2023 (Health E-Stats, MMWR QuickStats)",
    url="https://www.cdc.gov/nchs/data/hestat/drug-overdose/drug-overdose-2022-2023.htm",
    file=f"{RATES_FOLDER}/state_age_adjusted_rates_quoted_2019_2023.csv",
    caveats="Only the highest and lowest states NCHS named in its text. Used as values only "
            "for 2023 (WV, DC, NE, SD); for 2019 and 2021 they check the state files.")
SOURCES = (SOSMAP, DC_SUPPLEMENT, NATIONAL, STATES_2022, QUOTED)

GLUED = (re.compile(r"(?P<rate>\d{1,3}\.\d)(?P<deaths>[1-9]\d{0,2}(?:,\d{3})*)"),
         re.compile(r"(?P<rate>\d{2})(?P<deaths>[1-9]\d{0,2}(?:,\d{3})*)"))


def read(raw_dir: Path) -> ReadResult:
    raw_dir = Path(raw_dir)
    observations = UniqueObservations()
    _read_sosmap(raw_dir / SOSMAP.file, observations)
    _read_dc(raw_dir / DC_SUPPLEMENT.file, observations)
    national_deaths = _read_national(raw_dir / NATIONAL.file, observations)
    _read_excerpt(raw_dir / STATES_2022.file, national_deaths.get(EXCERPT_YEAR), observations)
    _read_quoted(raw_dir / QUOTED.file, observations)
    return ReadResult(sources=list(SOURCES), observations=observations.items)


def _year(path: Path, n: int, column: str, text: str) -> str:
    text = (text or "").strip()
    if not (len(text) == 4 and text.isdigit()):
        raise SourceError(path, f"not a year: {text!r}", n, column)
    return text


def _add(path, observations, fips, year, source, n, deaths=None, rate=None,
         columns=("DEATHS", "RATE"), deaths_flags=FINAL, rate_flags=FINAL):
    if deaths is not None:
        observations.add(path, Obs(fips, DEATHS, year, deaths, source, deaths_flags, n),
                         columns[0])
    if rate is not None:
        observations.add(path, Obs(fips, RATE, year, rate, source, rate_flags, n), columns[1])


def _read_sosmap(path: Path, observations: UniqueObservations) -> None:
    found: dict[str, set[str]] = {year: set() for year in FINAL_STATE_YEARS}
    for n, row in read_csv(path, ("YEAR", "STATE", "RATE", "DEATHS", "URL")):
        year = _year(path, n, "YEAR", row["YEAR"])
        fips = state_fips(path, n, "STATE", row["STATE"])
        name = STATES[fips][1] if fips in STATES else ""
        page = re.fullmatch(r"/nchs/pressroom/states/([a-z]+)/([a-z]+)\.htm", row["URL"].strip())
        # The folder or the file names the state ("tenessee/tennessee.htm" is CDC's own).
        names = {name.lower().replace(" ", ""), row["STATE"].strip().lower()}
        if fips == NATION_FIPS or not page or not names & set(page.groups()):
            raise SourceError(path, f"the row's page {row['URL']!r} is not {row['STATE']}'s", n,
                              "URL")
        if year not in FINAL_STATE_YEARS:
            continue
        deaths = parse_count(path, n, "DEATHS", row["DEATHS"], allow_blank=False)
        rate = _rate(path, n, "RATE", row["RATE"])
        if rate is None:
            raise SourceError(path, "blank rate", n, "RATE")
        _add(path, observations, fips, year, SOSMAP.id, n, deaths, rate)
        found[year].add(fips)
    for year, states in found.items():
        if len(states) != 50:
            raise SourceError(path, f"{len(states)} states for {year}, expected the 50 states",
                              None, "STATE")


def _read_dc(path: Path, observations: UniqueObservations) -> None:
    columns = ("year", "state_abbr", "rate", "deaths", "rate_source", "deaths_source")
    for n, row in read_csv(path, columns):
        year = _year(path, n, "year", row["year"])
        fips = state_fips(path, n, "state_abbr", row["state_abbr"])
        if fips != "11":
            raise SourceError(path, f"a DC supplement row for {row['state_abbr']!r}", n,
                              "state_abbr")
        deaths = parse_count(path, n, "deaths", row["deaths"])
        if deaths is not None and not row["deaths_source"].strip().startswith("DERIVED"):
            raise SourceError(path, "deaths without the note that says how they were derived",
                              n, "deaths_source")
        _add(path, observations, fips, year, DC_SUPPLEMENT.id, n, deaths,
             _rate(path, n, "rate", row["rate"]), ("deaths", "rate"), deaths_flags=ESTIMATED)


def _read_national(path: Path, observations: UniqueObservations) -> dict[str, float]:
    """The U.S. rows; returns the deaths by year, which check the 2022 state table."""
    deaths_by_year: dict[str, float] = {}
    columns = ("year", "deaths", "age_adjusted_rate_per_100k", "nchs_publication")
    for n, row in read_csv(path, columns):
        year = _year(path, n, "year", row["year"])
        rate = _rate(path, n, "age_adjusted_rate_per_100k", row["age_adjusted_rate_per_100k"])
        if rate is None:
            raise SourceError(path, "blank rate", n, "age_adjusted_rate_per_100k")
        if not row["nchs_publication"].strip():
            raise SourceError(path, "a value without its NCHS publication", n,
                              "nchs_publication")
        deaths = parse_count(path, n, "deaths", row["deaths"])
        if deaths is not None:
            deaths_by_year[year] = deaths
        _add(path, observations, NATION_FIPS, year, NATIONAL.id, n, deaths, rate,
             ("deaths", "age_adjusted_rate_per_100k"))
    return deaths_by_year


def _read_excerpt(path: Path, national_deaths: float | None,
                  observations: UniqueObservations) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise SourceError(path, "file not found") from None
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("LocationSort")) + 1
        end = lines.index("Skipped data table.")
    except (StopIteration, ValueError):
        raise SourceError(path, "no data table between 'Location...' and 'Skipped data "
                                "table.'") from None
    body = lines[start:end]
    if len(body) % 2:
        raise SourceError(path, "a state name without its figures", end, "Location")
    total, seen = 0.0, {}
    for i in range(0, len(body), 2):
        name_line, value_line = start + i + 1, start + i + 2  # 1-based line numbers
        fips = FIPS_BY_NAME.get(body[i].strip().lower())
        if fips is None or fips == NATION_FIPS:
            raise SourceError(path, f"not a state: {body[i]!r}", name_line, "Location")
        if fips in seen:
            raise SourceError(path, f"{body[i]!r} appears twice (first at line {seen[fips]})",
                              name_line, "Location")
        seen[fips] = name_line
        rate, deaths = _split_glued(path, value_line, body[i + 1].strip())
        total += deaths
        _add(path, observations, fips, EXCERPT_YEAR, STATES_2022.id, value_line, deaths, rate,
             ("Deaths", "Death Rate"))
    if len(seen) != len(STATES):
        missing = sorted(STATES[f][0] for f in set(STATES) - set(seen))
        raise SourceError(path, f"no row for {', '.join(missing)}", None, "Location")
    if national_deaths is None or total != national_deaths:
        raise SourceError(path, f"the deaths sum to {formatting.number(total)}, not the U.S. final "
                                f"{EXCERPT_YEAR} count ({national_deaths}): a row was misread "
                                f"or the table is of another year", None, "Deaths")


def _split_glued(path: Path, line: int, text: str) -> tuple[float, float]:
    """ "31.51,492" -> (31.5, 1492.0); "303,849" -> (30.0, 3849.0) (see the module doc)."""
    for pattern in GLUED:
        match = pattern.fullmatch(text)
        if match:
            return (float(match["rate"]),
                    parse_count(path, line, "Deaths", match["deaths"], allow_blank=False))
    raise SourceError(path, f"cannot split {text!r} into a rate and a count of deaths", line,
                      "Death Rate")


def _read_quoted(path: Path, observations: UniqueObservations) -> None:
    have = {(o.fips, o.period): o for o in observations.items if o.measure == RATE}
    columns = ("year", "state", "age_adjusted_rate_per_100k", "quoted_in", "url")
    for n, row in read_csv(path, columns):
        year = _year(path, n, "year", row["year"])
        fips = state_fips(path, n, "state", row["state"])
        rate = _rate(path, n, "age_adjusted_rate_per_100k", row["age_adjusted_rate_per_100k"])
        if rate is None:
            raise SourceError(path, "blank rate", n, "age_adjusted_rate_per_100k")
        other = have.get((fips, year))
        if other is None:
            _add(path, observations, fips, year, QUOTED.id, n, rate=rate,
                 columns=("", "age_adjusted_rate_per_100k"))
        elif other.value != rate:
            raise SourceError(path, f"NCHS quoted {rate} for {row['state']} {year}; "
                                    f"{other.source} gives {other.value}", n,
                              "age_adjusted_rate_per_100k")
