"""Invalidate cached pages and API answers when legal records, measures or sources change.

Cached answers are keyed by the data version (drugatlas.atlas.cache), so a new version makes
everything cached before unreachable. Inside a transaction (an admin save, a data load) the
version is bumped after the commit: bumping earlier could let another process cache the old
rows under the new version before the change is visible.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from drugatlas.atlas.cache import bump_data_version

WATCHED_MODELS = ("LawStatus", "Bill", "BillEvent", "Measure", "Source")


def data_changed(sender, using=None, **kwargs) -> None:
    # Outside a transaction on_commit runs at once. A bump is one small cache write, so a load
    # that saves many rows in one transaction costs a few milliseconds more, not worth merging.
    transaction.on_commit(bump_data_version, using=using)


def connect() -> None:
    from django.apps import apps

    for name in WATCHED_MODELS:
        model = apps.get_model("atlas", name)
        post_save.connect(data_changed, sender=model, dispatch_uid=f"bump-version-save-{name}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"bump-version-delete-{name}")
