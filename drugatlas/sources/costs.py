"""Reinvestment calculator defaults (raw folder reinvestment-costs/unit_costs.csv).

One CostRecord per row: an enforcement or service unit cost, a possession share of drug
arrests, or a CPI-U annual average, each quoted from the source named on its row.

* ``value`` is the number as printed (shares as fractions, dollar totals written out).
* ``year`` is the row's dollars_year: the year the dollars are in, or for non-dollar rows
  (hours, days, counts, shares, CPI) the data or reference year.
* ``abbr`` is the state for state-specific figures (county and city figures carry their state;
  the note names the place), "" for national ones.
* ``citation`` is the page the number was read on; the note starts with the original
  publisher, title and year and the verbatim quote, then the row's own note.
* ``key`` is built from the item, geography and year ("jail-cost-per-day-county-jail-tx-2017"),
  so it is stable as long as the row is.
"""
from __future__ import annotations

import re
from pathlib import Path

from drugatlas.laws_vocabulary import RESEARCH_CONFIDENCE as CONFIDENCE
from .common import NATION_FIPS, STATES, parse_count, read_csv, state_fips
from .records import CostRecord, ReadResult, SourceError, SourceInfo

FILE = "reinvestment-costs/unit_costs.csv"
KINDS = ("enforcement", "service", "share", "cpi")
COLUMNS = ("item", "category", "value", "unit", "dollars_year", "geography", "source_title",
           "publisher", "source_url", "published_year", "quote", "note", "confidence")

SOURCE = SourceInfo(
    id="reinvestment-unit-costs",
    publisher="Drug Policy Atlas research (figures quoted from Vera, BJS, NIDA, HUD, BLS, Cato, "
              "ACLU, Pew, state fiscal offices and others, as cited on each row)",
    title="Reinvestment calculator unit costs, possession shares and CPI-U, 2001-2024",
    url="",
    file=FILE,
    licence="CC BY 4.0 (project research; each row quotes and cites its source)",
    caveats=(
        "Every value is a number printed in the cited source; nothing is estimated. Sources were "
        "read as stored excerpts, sometimes in a reproduction (the note says which). Most "
        "corrections figures are averages, not marginal costs: a small cut in arrests saves less "
        "in the short run. NYC, Harris County and ACLU figures are marijuana-specific; Miron, "
        "ACLU and Pew totals are alternatives to the unit-cost chain, not additions to it. "
        "Low-confidence rows should not be used as defaults. Adjust dollars with CPI[target] / "
        "CPI[dollars_year]; CPI rows cover 2010-2024 only (2010-2023 read in reproductions of the "
        "BLS series). The 2016 possession share covers reporting agencies only; 2022 is a "
        "NIBRS-era estimate not strictly comparable with earlier years."),
)


def read(raw_dir: Path) -> ReadResult:
    path = Path(raw_dir) / FILE
    costs, seen = [], {}
    for n, row in read_csv(path, COLUMNS):
        cost = _cost(path, n, row)
        if cost.key in seen:
            raise SourceError(path, f"duplicate key {cost.key!r} (same item, geography and year "
                                    f"as row {seen[cost.key]})", n, "item")
        seen[cost.key] = n
        costs.append(cost)
    return ReadResult(sources=[SOURCE], costs=costs)


def _cost(path: Path, n: int, row: dict) -> CostRecord:
    kind = row["category"].strip()
    if kind not in KINDS:
        raise SourceError(path, f"unknown category {kind!r}; expected one of {', '.join(KINDS)}",
                          n, "category")
    value = parse_count(path, n, "value", row["value"], allow_blank=False)
    if kind == "share" and value > 1:
        raise SourceError(path, f"a share must be a fraction (0.867, not 86.7): {row['value']!r}",
                          n, "value")
    year_text = row["dollars_year"].strip()
    if not re.fullmatch(r"(19|20)\d\d", year_text):
        raise SourceError(path, f"not a year: {year_text!r}", n, "dollars_year")
    fips = state_fips(path, n, "geography", row["geography"])
    abbr = "" if fips == NATION_FIPS else STATES[fips][0]
    confidence = row["confidence"].strip()
    if confidence not in CONFIDENCE:
        raise SourceError(path, f"unknown confidence {confidence!r}", n, "confidence")
    url = row["source_url"].strip()
    if not url.startswith(("http://", "https://")):
        raise SourceError(path, f"not a URL: {url!r}", n, "source_url")
    item = row["item"].strip()
    if not item:
        raise SourceError(path, "blank item", n, "item")
    return CostRecord(
        key=_key(item, abbr or "us", year_text), kind=kind, value=value,
        unit=row["unit"].strip(), year=int(year_text), label=item, citation=url,
        confidence=confidence, note=_note(row), abbr=abbr, source=SOURCE.id)


def _key(item: str, place: str, year: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{item} {place} {year}".lower()).strip("-")[:120]


def _note(row: dict) -> str:
    cited = ", ".join(p for p in (row["publisher"].strip(), row["source_title"].strip(),
                                  row["published_year"].strip()) if p)
    parts = [f"Source: {cited}." if cited else "",
             f"Quote: “{row['quote'].strip()}”." if row["quote"].strip() else "",
             row["note"].strip()]
    return " ".join(p for p in parts if p)
