"""What the public changelog lists: accepted corrections, editors' edits, data releases.

Nothing here names a person: no reporter email, no editor account.
"""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from drugatlas.atlas import releases as release_words
from drugatlas.atlas.models import Bill, DataRelease, LawStatus
from drugatlas.corrections.models import Correction

LIMIT = 100
TOPIC_LABELS = dict(LawStatus.TOPICS)
# Bookkeeping fields that change on every save and tell a reader nothing.
_UNINTERESTING = {"updated_at", "origin"}


def _changed_fields(record) -> list[str]:
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous, excluded_fields=_UNINTERESTING)
    return [change.field for change in delta.changes]


def _place_name(record) -> str:
    # History outlives places: a load may drop a place an old record still names.
    return record.jurisdiction.name if record.jurisdiction else record.jurisdiction_id


def _law_edit(record) -> dict:
    return {
        "date": record.history_date,
        "kind": "law",
        "item": f"{_place_name(record)}: {_(TOPIC_LABELS.get(record.topic, record.topic))}",
        "url": "",
        "action": {"+": "added", "~": "changed", "-": "removed"}[record.history_type],
        "fields": _changed_fields(record) if record.history_type == "~" else [],
        "reason": record.history_change_reason or "",
        "status": record.status,
        "citations": [c.strip() for c in record.citations.splitlines() if c.strip()],
    }


def _bill_edit(record) -> dict:
    return {
        "date": record.history_date,
        "kind": "bill",
        "item": f"{_place_name(record)}: "
                + " — ".join(filter(None, (record.number, record.title))),
        "url": reverse("legislation:bill", args=[record.key]) if record.history_type != "-" else "",
        "action": {"+": "added", "~": "changed", "-": "removed"}[record.history_type],
        "fields": _changed_fields(record) if record.history_type == "~" else [],
        "reason": record.history_change_reason or "",
        "status": record.status,
        "citations": [c.strip() for c in record.citations.splitlines() if c.strip()],
    }


def editor_edits(limit: int = LIMIT) -> list[dict]:
    """Edits made in the admin (origin "editor"), newest first; loads are data releases."""
    laws = (LawStatus.history.filter(origin=LawStatus.EDITOR, history_user__isnull=False)
            .select_related("jurisdiction").order_by("-history_date")[:limit])
    bills = (Bill.history.filter(origin=LawStatus.EDITOR, history_user__isnull=False)
             .select_related("jurisdiction").order_by("-history_date")[:limit])
    edits = [_law_edit(r) for r in laws] + [_bill_edit(r) for r in bills]
    edits.sort(key=lambda e: e["date"], reverse=True)
    return edits[:limit]


def build() -> dict:
    return {
        "corrections": list(Correction.objects.published()[:LIMIT]),
        "edits": editor_edits(),
        "releases": [{"release": r, "lines": release_words.source_lines(
            release_words.news_sources(r.changes))} for r in DataRelease.objects.all()[:LIMIT]],
    }


def as_json(entries: dict) -> dict:
    return {
        "corrections": [{
            "id": c.pk,
            "accepted": c.resolved_at.isoformat() if c.resolved_at else None,
            "reported": c.created_at.isoformat(),
            "page": c.page,
            "subject": c.subject,
            "problem": c.problem,
            "change": c.public_note,
            "source_url": c.source_url,
        } for c in entries["corrections"]],
        "edits": [{**e, "date": e["date"].isoformat()} for e in entries["edits"]],
        "releases": [{
            "version": e["release"].version,
            "loaded_at": e["release"].loaded_at.isoformat(),
            "summary": e["release"].summary,
            "counts": e["release"].counts,
            "changes": e["lines"],
        } for e in entries["releases"]],
    }
