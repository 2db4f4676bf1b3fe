"""Which legal records editors own, read from the database for the load.

The policy (what owning means, what a load keeps and reports) is
drugatlas/pipeline/editors.py; this module only answers it from the tables and their history:
records saved in the admin (origin "editor"), every identity such a law ever had (so a re-dated
law is not duplicated by a load), and records a signed-in person deleted (loads delete with no
user), which a load must not bring back.
"""
from __future__ import annotations

from drugatlas.pipeline.editors import EDITOR, EditorOwned, law_key

from . import bundle_rows
from .models import Bill, LawStatus


def _person_deleted(history):
    """History records of rows a signed-in person deleted (loads delete with no user)."""
    return history.filter(history_type="-", history_user__isnull=False)


def editor_owned_keys() -> EditorOwned:
    owned = EditorOwned()
    editor_law_ids = set(LawStatus.objects.filter(origin=EDITOR).values_list("id", flat=True))
    for row in LawStatus.objects.filter(id__in=editor_law_ids).values(
            "jurisdiction_id", "topic", "valid_from"):
        owned.laws.add(law_key(row["jurisdiction_id"], row["topic"], row["valid_from"]))
    # Every identity an editor's law ever had, so a re-dated law is not duplicated by a load.
    past = LawStatus.history.filter(id__in=editor_law_ids)
    deleted_ids = set(_person_deleted(LawStatus.history).values_list("id", flat=True))
    deleted_ids -= set(LawStatus.objects.filter(id__in=deleted_ids).values_list("id", flat=True))
    for row in (past | LawStatus.history.filter(id__in=deleted_ids)).values(
            "jurisdiction_id", "topic", "valid_from"):
        owned.laws.add(law_key(row["jurisdiction_id"], row["topic"], row["valid_from"]))

    owned.bills.update(Bill.objects.filter(origin=EDITOR).values_list("key", flat=True))
    deleted_keys = set(_person_deleted(Bill.history).values_list("key", flat=True))
    owned.bills.update(deleted_keys - set(Bill.objects.filter(key__in=deleted_keys)
                                          .values_list("key", flat=True)))
    return owned


def editor_rows() -> dict[str, list[dict]]:
    """The editors' records as they stand, as bundle rows."""
    return bundle_rows.legal_rows(origin=EDITOR)
