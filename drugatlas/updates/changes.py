"""Find what changed in the data: law intervals, bill actions, data releases -> `Change` rows.

Each change gets a key from what it *is*, so reading the same data again adds nothing, and a
data load that deletes and re-creates identical rows is not news. Its `occurred_at` is when it
first appeared in our data (the oldest history record of the same law interval, the bill
event's creation, the release's load), which decides who it is news to: people who were
following by then.
"""
from __future__ import annotations

import hashlib

from django.db.models import Min

from drugatlas import formatting
from drugatlas import laws_vocabulary as vocab
from drugatlas.atlas import releases
from drugatlas.atlas.models import BillEvent, DataRelease, Jurisdiction, LawStatus

from . import links
from .models import Change


def _place(jurisdiction: Jurisdiction) -> tuple[str, str]:
    """(state code, state name); ("", "") for the nation, which is news for every state."""
    if jurisdiction.kind == Jurisdiction.COUNTY and jurisdiction.parent_id:
        jurisdiction = jurisdiction.parent
    if jurisdiction.kind != Jurisdiction.STATE:
        return "", ""
    return jurisdiction.abbr, jurisdiction.name


def law_key(law: LawStatus) -> str:
    # The end date is left out on purpose: closing an interval is not news, the one that
    # follows it is.
    start = law.valid_from.isoformat() if law.valid_from else "-"
    return f"law:{law.jurisdiction_id}:{law.topic}:{start}:{law.status}"


def bill_event_key(event: BillEvent) -> str:
    action = hashlib.sha256(event.action.encode()).hexdigest()[:12]
    day = event.date.isoformat() if event.date else "-"
    return f"bill:{event.bill.key}:{day}:{event.status}:{action}"[:200]


def release_key(release: DataRelease) -> str:
    return f"release:{release.version}"


def _law_first_seen() -> dict:
    """Oldest history date of each law interval, by what it is (rows may have been re-created)."""
    history = LawStatus.history.model.objects.exclude(history_type="-")
    rows = history.values("jurisdiction_id", "topic", "valid_from", "status").annotate(
        first=Min("history_date"))
    return {(r["jurisdiction_id"], r["topic"], r["valid_from"], r["status"]): r["first"] for r in rows}


def _law_changes(known: set[str]):
    first_seen = None
    # "No source found" for a consequence of a conviction is a gap in the research, not a
    # change in the law: it is not news.
    laws = LawStatus.objects.exclude(topic__in=list(vocab.CONSEQUENCE_TOPICS),
                                     status=vocab.UNKNOWN)
    for law in laws.select_related("jurisdiction__parent"):
        key = law_key(law)
        if key in known:
            continue
        if first_seen is None:
            first_seen = _law_first_seen()
        seen = first_seen.get((law.jurisdiction_id, law.topic, law.valid_from, law.status))
        state, state_name = _place(law.jurisdiction)
        yield Change(
            key=key, kind=Change.LAW, topic="laws", state=state, state_name=state_name,
            subject=law.topic, status=law.status, date=law.valid_from,
            # A law known to the year is news "from 2021", never "from 2021-01-01".
            data={"date_precision": law.valid_from_precision or formatting.DAY},
            detail=law.statute[:500], url=links.state_path(state),
            occurred_at=min(seen, law.updated_at) if seen else law.updated_at)


def _bill_changes(known: set[str]):
    events = BillEvent.objects.select_related("bill__jurisdiction__parent")
    for event in events:
        key = bill_event_key(event)
        if key in known:
            continue
        bill = event.bill
        state, state_name = _place(bill.jurisdiction)
        yield Change(
            key=key, kind=Change.BILL_EVENT, topic="bills", state=state, state_name=state_name,
            subject=": ".join(filter(None, (bill.number, bill.title)))[:500], status=event.status, date=event.date,
            data={"date_precision": event.precision or formatting.DAY}, detail=event.action,
            url=links.bill_path(bill), occurred_at=event.created_at)


def _release_changes(known: set[str]):
    """A release's news for everybody (its line per source), and per state its new figures."""
    states = None
    for release in DataRelease.objects.all():
        key = release_key(release)
        if key in known:
            continue  # its figures were recorded with it
        sources = releases.news_sources(release.changes)
        yield Change(
            key=key, kind=Change.RELEASE, topic="data", subject=release.version[:12],
            date=release.loaded_at.date(), detail="" if sources else release.summary,
            data={"sources": sources} if sources else {},
            url=links.changes_path(), occurred_at=release.loaded_at)
        figures = releases.state_figures(release.changes)
        if figures and states is None:
            states = {j.fips: j for j in Jurisdiction.objects.filter(kind=Jurisdiction.STATE)}
        for figure in figures:
            state = (states or {}).get(figure["place"])
            if state is None:
                continue
            yield Change(
                key=f"figures:{release.version}:{state.abbr}:{figure['source']}"[:200],
                kind=Change.FIGURES, topic="data", state=state.abbr, state_name=state.name,
                subject=figure["measure"], date=formatting.parse_date_text(figure["period"])[0],
                data=figure, url=links.state_path(state.abbr), occurred_at=release.loaded_at)


def date_precision(change: Change) -> str:
    """How precisely a change's date is known: as recorded with it, else (changes recorded
    before precisions were) from the law interval it names."""
    if change.data.get("date_precision"):
        return change.data["date_precision"]
    if change.kind == Change.LAW and change.date:
        law = LawStatus.objects.filter(jurisdiction__abbr=change.state, topic=change.subject,
                                       valid_from=change.date, status=change.status).first()
        if law and law.valid_from_precision:
            return law.valid_from_precision
    return formatting.DAY


def date_text(change: Change, language: str) -> str:
    """The change's date in words in the reader's language, as precisely as it is known."""
    return formatting.date_words(change.date, date_precision(change), language)


def collect() -> int:
    """Record every change not yet known; the number recorded."""
    known = set(Change.objects.values_list("key", flat=True))
    new: dict[str, Change] = {}
    for finder in (_law_changes, _bill_changes, _release_changes):
        for change in finder(known):
            new.setdefault(change.key, change)
    # A concurrent run may have recorded some of them: the unique key keeps one of each.
    Change.objects.bulk_create(new.values(), ignore_conflicts=True, batch_size=500)
    return len(new)


def ensure_baseline() -> None:
    """Record the data as it stands if nothing was ever recorded (cheap after the first time)."""
    if not Change.objects.exists():
        collect()
