"""state-laws/statutes.csv: the statute behind every possession and paraphernalia class.

One row per state (and DC) per topic: the class, the section that sets the grade, the grade in
the statute's own words, the maximum penalty, where the statute text was seen, supporting pages,
the effective date of the latest change where known, and a confidence (PROVENANCE "Third pass"
and "Fourth pass"). Read as the file gives it; nothing is inferred:

* ``class`` follows the project's coding rule (a first offense, a small amount, the mainstream
  drugs); ``literal_class``, where set, is the class a single-drug carve-out gives under the
  literal rule (GHB in Alaska, liquid PCP in DC). Both must be classes of the topic
  (drugatlas.laws_vocabulary).
* ``effective_since`` keeps its precision: "2016", "2021-07" or "2016-01-30"
  (drugatlas.formatting.parse_date_text). Dates written only inside ``change_act`` are left
  there, not parsed.
* ``statute_url`` is the page where the statute text itself was seen, "" where it was not;
  ``other_urls`` are secondary pages. A row needs at least one of them.
* Every state and DC must have both topics, once each.

ReadResult has no place for these records, and the pipeline does not read them yet:
``read_statutes`` returns them, ``SOURCE`` describes the file.
"""
from __future__ import annotations

from pathlib import Path

from drugatlas.laws_vocabulary import RESEARCH_CONFIDENCE as CONFIDENCE
from drugatlas.laws_vocabulary import UNKNOWN, is_valid

from .common import STATES, read_csv
from .laws import FOLDER, LICENCE, PUBLISHER, RESEARCH_CAVEAT
from .laws_text import abbr_of, check_unique, citations, dated
from .records import SourceError, SourceInfo, StatuteRecord

FILE = "statutes.csv"
TOPICS = ("possession", "paraphernalia")
COLUMNS = ("state_abbr", "topic", "class", "literal_class", "grade", "statute", "max_penalty",
           "effective_since", "change_act", "note", "statute_url", "other_urls", "confidence",
           "agrees_with_existing", "disagreement_note")

SOURCE = SourceInfo(
    id="state-laws-statutes", publisher=PUBLISHER,
    title="Statutes grading lowest-level drug possession and paraphernalia, 50 states and DC",
    url="", file=f"{FOLDER}/{FILE}", licence=LICENCE,
    caveats=RESEARCH_CAVEAT + (
        "Statute first: each row names the section that sets the grade and the page where its "
        "text was seen (statute mirrors such as lawserver, justia, public.law, casetext, state "
        "legislature sites); 'high' means the statute's own text stating the grade was seen, "
        "'medium' a reputable secondary source naming the section, 'low' an inference or "
        "conflicting sources. Possession: 25 high, 25 medium, 1 low (South Carolina, whose "
        "first-offense tiers read as misdemeanors while the class stays 'both' until "
        "§ 44-53-375(A) is read). Where the statute text was not seen the statute page is "
        "blank. Notes are paraphrases, not quotations."),
    retrieved="2026-12-05")


def read_statutes(raw_dir: Path, every_state: bool = True) -> list[StatuteRecord]:
    """Every row of statutes.csv, checked; SourceError names the file, row and column.

    ``every_state=False`` skips the check that all 50 states and DC have both topics (for a
    file of a few rows, such as a test's)."""
    path = Path(raw_dir) / SOURCE.file
    records, seen = [], {}
    for n, row in read_csv(path, COLUMNS):
        record = _record(path, n, row)
        check_unique(path, n, "topic", (record.abbr, record.topic), seen)
        records.append(record)
    missing = [f"{abbr} {topic}" for abbr, _ in sorted(STATES.values()) for topic in TOPICS
               if (abbr, topic) not in seen]
    if missing and every_state:
        raise SourceError(path, f"no row for {', '.join(missing)}", None, "state_abbr")
    return records


def _record(path: Path, n: int, row: dict) -> StatuteRecord:
    abbr = abbr_of(path, n, "state_abbr", row["state_abbr"])
    topic = row["topic"].strip()
    if topic not in TOPICS:
        raise SourceError(path, f"unknown topic {topic!r} (one of {', '.join(TOPICS)})", n,
                          "topic")
    status = row["class"].strip()
    if not is_valid(topic, status) or status == UNKNOWN:
        raise SourceError(path, f"not a class of {topic}: {status!r}", n, "class")
    literal = row["literal_class"].strip()
    if literal and (not is_valid(topic, literal) or literal in (status, UNKNOWN)):
        raise SourceError(path, f"literal class {literal!r} is not another class of {topic}", n,
                          "literal_class")
    for column in ("grade", "statute"):
        if not row[column].strip():
            raise SourceError(path, f"blank {column}: every row names its statute and grade", n,
                              column)
    confidence = row["confidence"].strip()
    if confidence not in CONFIDENCE:
        raise SourceError(path, f"unknown confidence {confidence!r}", n, "confidence")
    if row["agrees_with_existing"].strip() not in ("yes", "no"):
        raise SourceError(path, f"expected yes or no, got {row['agrees_with_existing']!r}", n,
                          "agrees_with_existing")
    statute_url = citations(path, n, "statute_url", row["statute_url"])
    if len(statute_url) > 1:
        raise SourceError(path, "one statute page only (others go in other_urls)", n,
                          "statute_url")
    other_urls = citations(path, n, "other_urls", row["other_urls"])
    if not statute_url and not other_urls:
        raise SourceError(path, "a class without a source", n, "other_urls")
    since, precision = dated(path, n, "effective_since", row["effective_since"])
    return StatuteRecord(
        abbr=abbr, topic=topic, status=status, literal_class=literal,
        grade=row["grade"].strip(), statute=row["statute"].strip(),
        max_penalty=row["max_penalty"].strip(), effective_since=since,
        effective_precision=precision, change_act=row["change_act"].strip(),
        note=row["note"].strip(), statute_url=statute_url[0] if statute_url else "",
        other_urls=other_urls, confidence=confidence,
        disagreement_note=row["disagreement_note"].strip(), source=SOURCE.id, row=n)
