"""Checks across readers: every record names a known place, measure and source, once."""
from __future__ import annotations

from drugatlas import laws_vocabulary as vocab
from drugatlas import measures
from drugatlas.sources.records import FLAGS, Obs, ReadResult, SourceError


def _where(obs: Obs, files: dict[str, str]) -> tuple[str, int | None]:
    return files.get(obs.source, obs.source), obs.row


def validate(results: dict[str, ReadResult]) -> None:
    """Raise SourceError (file, row, column) on the first record that does not fit."""
    files = {s.id: s.file for r in results.values() for s in r.sources}
    source_ids: set[str] = set()
    for r in results.values():
        for s in r.sources:
            if s.id in source_ids:
                raise SourceError(s.file, f"source id {s.id!r} is used by two files")
            source_ids.add(s.id)
    places = {p.fips for r in results.values() for p in r.places}
    abbrs = {p.abbr for r in results.values() for p in r.places if p.abbr}
    seen: dict[tuple[str, str, str], Obs] = {}
    for r in results.values():
        for o in r.observations:
            file, row = _where(o, files)
            if o.source not in source_ids:
                raise SourceError(file, f"observation names unknown source {o.source!r}", row)
            if o.measure not in measures.BY_SLUG:
                raise SourceError(file, f"unknown measure {o.measure!r}", row)
            if o.fips not in places:
                raise SourceError(file, f"unknown place FIPS {o.fips!r}", row)
            if not _valid_period(o.period):
                raise SourceError(file, f"malformed period {o.period!r}", row)
            if o.value is not None and (o.value != o.value or o.value < 0):
                raise SourceError(file, f"negative or invalid value {o.value!r}", row)
            bad = set(o.flags) - set(FLAGS)
            if bad:
                raise SourceError(file, f"unknown flag(s) {sorted(bad)}", row)
            key = (o.measure, o.fips, o.period)
            if key in seen:
                first = seen[key]
                ffile, frow = _where(first, files)
                raise SourceError(file, f"duplicate value for {o.measure} / {o.fips} / {o.period}"
                                        f" (also in {ffile}, row {frow})", row)
            seen[key] = o
        for law in r.laws:
            file = files.get(law.source, law.source)
            if law.abbr not in abbrs:
                raise SourceError(file, f"unknown state {law.abbr!r}", None, "state_abbr")
            if law.topic not in vocab.LAW_TOPICS or not vocab.is_valid(law.topic, law.status):
                raise SourceError(file, f"{law.abbr} {law.topic}: status {law.status!r} is not "
                                        "in the vocabulary (drugatlas/laws_vocabulary.py)")
            if law.confidence not in vocab.CONFIDENCE:
                raise SourceError(file, f"{law.abbr} {law.topic}: unknown confidence "
                                        f"{law.confidence!r}", None, "confidence")
        for bill in r.bills:
            file = files.get(bill.source, bill.source)
            if bill.abbr not in abbrs:
                raise SourceError(file, f"unknown jurisdiction {bill.abbr!r}", None, "jurisdiction")
            statuses = [bill.status, *(e.status for e in bill.events)]
            if any(s not in vocab.BILL_STATUS_VALUES for s in statuses):
                raise SourceError(file, f"bill {bill.key}: a status is not in the vocabulary "
                                        f"({', '.join(statuses)})", None, "status")


def _valid_period(period: str) -> bool:
    if len(period) == 4:
        return period.isdigit()
    return (len(period) == 7 and period[:4].isdigit() and period[4] == "-"
            and period[5:].isdigit() and 1 <= int(period[5:]) <= 12)
