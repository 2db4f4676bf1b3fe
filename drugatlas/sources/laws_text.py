"""Helpers shared by the laws reader's parts (laws, laws_changes, laws_harm_reduction, laws_bills):
partial dates, citation lists, statute names, clauses, and chaining statuses into intervals.

Dates in the research files are as precise as the sources were: "2016", "2023-06" or
"2021-02-01". A date known only to the year is taken as 1 January of that year, one known only
to the month as the 1st of that month, and the record's note says which ("month not known").
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from drugatlas.formatting import parse_date_text
from drugatlas.laws_vocabulary import UNKNOWN, is_valid

from .common import NATION_FIPS, STATES, state_fips
from .records import LawInterval, SourceError

MONTHS = {name: n for n, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
# A date as written in running text: 2022-03-01, 2023-07 or "July 2023".
TEXT_DATE = rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}-\d{{2}}(?!\d)|(?:{_MONTH_NAME})\.? \d{{4}}"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year; ``date`` is its first day."""

    date: dt.date
    precision: str  # "day" | "month" | "year"
    raw: str

    def caveat(self) -> str:
        """What the note should say about the precision ("" for an exact day)."""
        if self.precision == "year":
            return f"Date known only to the year ({self.raw}); taken as 1 January, month not known."
        if self.precision == "month":
            return f"Date known only to the month ({self.raw}); taken as the 1st, day not known."
        return ""


def parse_date(file: Path | str, row: int, column: str, text: str) -> PartialDate:
    """YYYY, YYYY-MM or YYYY-MM-DD; anything else is a SourceError naming the cell."""
    raw = (text or "").strip()
    if re.fullmatch(r"\d{4}", raw):
        return PartialDate(dt.date(int(raw), 1, 1), "year", raw)
    found = parse_text_date(raw)
    if found is None or found.raw != raw:
        raise SourceError(file, f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}", row, column)
    return found


def dated(file: Path | str, row: int, column: str, text: str) -> tuple[dt.date | None, str]:
    """A date cell as (first day, precision) by formatting.parse_date_text: "2021" ->
    (2021-01-01, "year"), "2021-07" -> month, "2021-07-09" -> day; blank -> (None, "").

    Unlike parse_date, the precision travels with the date instead of a note, so pages can
    write "2021" rather than 1 January. Anything else is a SourceError naming the cell.
    """
    raw = (text or "").strip()
    if not raw:
        return None, ""
    try:
        return parse_date_text(raw)
    except ValueError:
        raise SourceError(file, f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}", row,
                          column) from None


def parse_text_date(text: str) -> PartialDate | None:
    """The first date in ``text`` in any of the forms TEXT_DATE accepts, or None."""
    match = re.search(TEXT_DATE, text, re.IGNORECASE)
    if not match:
        return None
    raw = match.group(0)
    try:
        if ISO_DAY.fullmatch(raw):
            return PartialDate(dt.date.fromisoformat(raw), "day", raw)
        if raw[:4].isdigit() and len(raw) == 7:
            return PartialDate(dt.date(int(raw[:4]), int(raw[5:]), 1), "month", raw)
        month, year = raw.rstrip(".").split()[0].rstrip(".").lower(), int(raw.split()[-1])
        return PartialDate(dt.date(year, MONTHS[month], 1), "month", raw)
    except (ValueError, KeyError):
        return None


def parse_year(file: Path | str, row: int, column: str, text: str) -> int | None:
    """A four-digit year; blank or "unknown" -> None; anything else a SourceError."""
    raw = (text or "").strip()
    if raw in ("", "unknown"):
        return None
    if re.fullmatch(r"(19|20)\d\d", raw):
        return int(raw)
    raise SourceError(file, f"not a year: {text!r}", row, column)


def year_start(year: int) -> PartialDate:
    return PartialDate(dt.date(year, 1, 1), "year", str(year))


_EFFECTIVE = re.compile(rf"\b(?:effective|in effect|took effect)\s+(?:on\s+)?({TEXT_DATE})",
                        re.IGNORECASE)
_SINCE = re.compile(rf"\bsince\s+({TEXT_DATE})", re.IGNORECASE)


def effective_date(text: str) -> PartialDate | None:
    """The date a text says a law took effect ("effective 2022-03-01", "in effect July 2023")."""
    match = _EFFECTIVE.search(text or "")
    return parse_text_date(match.group(1)) if match else None


def since_date(text: str) -> PartialDate | None:
    """The date in "operating since Dec 2021"."""
    match = _SINCE.search(text or "")
    return parse_text_date(match.group(1)) if match else None


def citations(file: Path | str, row: int, column: str, text: str) -> tuple[str, ...]:
    """The URLs of a source cell (joined with " ; " in the research files)."""
    urls = tuple(u.strip() for u in (text or "").split(" ; ") if u.strip())
    for url in urls:
        if not url.startswith(("http://", "https://")) or " " in url:
            raise SourceError(file, f"not a URL: {url!r}", row, column)
    return urls


def merge_citations(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """All URLs of the groups, first occurrence kept, in order."""
    return tuple(dict.fromkeys(url for group in groups for url in group))


# Statute citations as the notes write them: "Ala. Code 13A-12-212(b)", "720 ILCS 570/402(c)".
_CODES = (r"Ala\. Code|A\.R\.S\.|Ark\. Code|Fla\. Stat\.|O\.C\.G\.A\.|HRS|Idaho Code|\d+ ILCS"
          r"|IC|KRS|La\. R\.S\.|MCL|Minn\. Stat\.|RSMo|MCA|Neb\. Rev\. Stat\.|NRS|RSA|N\.J\.S\.A\."
          r"|SDCL|W\. Va\. Code|W\.S\.|Wyo\. Stat\.|RCW|D\.C\. Code|R\.I\. Gen\. Laws")
_STATUTE = re.compile(rf"\b(?:{_CODES}) \d[\w.:/-]*(?:\([\w.]+\))*")


def statutes(text: str) -> str:
    """The statute sections a note names, in order, joined with "; " ("" if none)."""
    found = dict.fromkeys(m.group(0).rstrip(".") for m in _STATUTE.finditer(text or ""))
    return "; ".join(found)[:300]


def clauses(text: str) -> list[str]:
    """Split on semicolons that are not inside brackets: "a (b; c); d" -> ["a (b; c)", "d"]."""
    parts, depth, current = [], 0, []
    for char in text or "":
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == ";" and depth <= 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def abbr_of(file: Path | str, row: int, column: str, text: str, nation: bool = False) -> str:
    """USPS code of a state or DC (or "US" where ``nation``); SourceError for anything else."""
    fips = state_fips(file, row, column, text)
    if fips == NATION_FIPS:
        if nation:
            return "US"
        raise SourceError(file, f"unknown state {text!r} (a state or DC is required)", row, column)
    return STATES[fips][0]


def check_unique(file: Path | str, row: int, column: str, key, seen: dict) -> None:
    """Remember ``key`` for ``row``; a second row with the same key is a SourceError."""
    if key in seen:
        raise SourceError(file, f"duplicate {key!r} (first at row {seen[key]})", row, column)
    seen[key] = row


def join_notes(*parts: str) -> str:
    """Sentences joined with one space, empty parts dropped, each ending in a full stop."""
    out = []
    for part in parts:
        part = (part or "").strip()
        if part:
            out.append(part if part[-1] in ".!?" else part + ".")
    return " ".join(out)


@dataclass(frozen=True)
class Segment:
    """One status in a state's history of a topic; it lasts until the next segment starts."""

    start: dt.date | None  # None: since before our records
    status: str
    citations: tuple[str, ...]
    confidence: str
    note: str
    statute: str = ""
    basis: str = ""  # "attested": a source shows the status on ``start``; when it began is not known
    precision: str = ""  # how precisely ``start`` is known, where the reader knows it


def chain(file: Path | str, abbr: str, topic: str, segments: list[Segment],
          source: str) -> list[LawInterval]:
    """Contiguous, non-overlapping intervals from segments in time order.

    Each interval ends the day before the next one starts; the last is open. An unknown
    status carries confidence "unknown" whatever its cell said.
    """
    for before, after in zip(segments, segments[1:]):
        if after.start is None or (before.start is not None and after.start <= before.start):
            raise SourceError(file, f"{abbr} {topic}: statuses out of order or on the same date "
                                    f"({before.start} then {after.start})")
    intervals = []
    for i, seg in enumerate(segments):
        if not is_valid(topic, seg.status):
            raise SourceError(file, f"{abbr} {topic}: {seg.status!r} is not in the vocabulary")
        end = segments[i + 1].start - dt.timedelta(days=1) if i + 1 < len(segments) else None
        intervals.append(LawInterval(
            abbr=abbr, topic=topic, status=seg.status, valid_from=seg.start, valid_to=end,
            citations=seg.citations,
            confidence=UNKNOWN if seg.status == UNKNOWN else seg.confidence,
            note=seg.note, statute=seg.statute, source=source, date_basis=seg.basis,
            valid_from_precision=seg.precision if seg.start else ""))
    return intervals


def add_note(interval: LawInterval, note: str) -> LawInterval:
    return replace(interval, note=join_notes(interval.note, note))


# How the research was done, as opposed to what the law says: "not shown in retrieved
# excerpts", "per Nolo", "(secondary summary)". Readers see the law; editors see both.
RESEARCH_PROCESS = re.compile(
    r"excerpt|retriev|mirror|search|not (?:displayed|shown|read|re-?verified|verified|seen|found)"
    r"|\bper news\b|law-firm pages"
    r"|text not read|background knowledge|from memory|defense-firm|secondary (?:sources?|pages?"
    r"|summary)|existing file|DPA map|\bper (?:NORML|Nolo|lawserver|an old|defense"
    r"|criminaldefenselawyer|a \d{4}|UNC)|as summarized|believed|\bblog\b"
    # Markers of the later passes (issue 9): how a value was found, guessed or checked.
    r"|\bseen\b|\bconfirm|\binferr?|\bcheck [A-Z]|Open States|\bstored\b|research pass"
    r"|\bthird pass|\bpass \d|\bfirms?\b|firm pages?|\bNolo\b|Super Lawyers|unreliable"
    r"|apparently|\blikely\b|short description|legiplex shows|not restated|outlets:"
    r"|\b(?:none|not) found\b|\bno [\w ]{0,40}found\b", re.IGNORECASE)
# "Statute text seen for 481.115: possession ..." -> "Possession ...": the law, without how it
# was read (the prefix goes to the research note).
_SEEN_PREFIX = re.compile(r"^(?:Pass \d+:\s*)?Statute text seen(?: for [^:]{1,60})?:\s*",
                          re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def _bracketed(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost (...) or [...] group."""
    spans, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([":
            start = i if depth == 0 else start
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def public_cell(text: str) -> tuple[str, str]:
    """A cell without its bracketed research asides, and the asides. Within a bracket only
    the clauses naming the research go: "(cross-filed as SB 1; number not seen)" keeps
    "(cross-filed as SB 1)"; a bracket with nothing else left goes whole."""
    removed = []
    for start, end in reversed(_bracketed(text or "")):
        inside = text[start + 1:end - 1]
        if not RESEARCH_PROCESS.search(inside):
            continue
        parts = clauses(inside)
        kept = [p for p in parts if not RESEARCH_PROCESS.search(p)]
        removed.append("; ".join(p for p in parts if p not in kept))
        if kept:
            text = f"{text[:start]}{text[start]}{'; '.join(kept)}{text[end - 1]}{text[end:]}"
        else:
            text = text[:start].rstrip() + text[end:]
    return (text or "").strip(), "; ".join(reversed(removed))


def public_clauses(text: str) -> tuple[str, str]:
    """A free-text cell (sponsors, a provision) without research asides: bracketed ones as
    in public_cell, then each ";"-separated clause naming the research ("Assembly sponsor not
    confirmed"). "" where nothing public is left."""
    text, aside = public_cell(text)
    parts = clauses(text)
    kept = [p for p in parts if not RESEARCH_PROCESS.search(p)]
    dropped = [aside, *(p for p in parts if p not in kept)]
    return "; ".join(kept), "; ".join(d for d in dropped if d)


def public_number(text: str) -> tuple[str, str]:
    """A bill number without research asides; "" where none is known ("none found (...)")."""
    number, aside = public_cell(text)
    if not number or number.lower().startswith("none") or RESEARCH_PROCESS.search(number):
        return "", join_notes(text.strip() and f"Number: {text.strip()}")
    return number, aside


def public_note(text: str) -> tuple[str, str]:
    """A note's sentences about the law, and those about how it was researched. A sentence
    naming a narrow exception (the coding rule's carve-outs) is always kept."""
    text, asides = public_cell(text)
    keep, drop = [], [asides] if asides else []
    for sentence in _SENTENCE.split(text.strip()):
        prefix = _SEEN_PREFIX.match(sentence)
        if prefix and sentence[prefix.end():]:
            drop.append(prefix.group(0).strip().rstrip(":"))
            rest = sentence[prefix.end():]
            sentence = rest[0].upper() + rest[1:]
        if sentence and (sentence.startswith("Narrow exception")
                         or not RESEARCH_PROCESS.search(sentence)):
            keep.append(sentence)
        elif sentence:
            drop.append(sentence)
    return " ".join(keep), join_notes(*drop)
