"""The loaded release, read back from the database as bundle tables (dict rows keyed by the
bundle's columns, values written as the bundle writes them), for `drugatlas data diff` and the
check `drugatlas data load` makes before it puts a new bundle live.

The database is the reference, not the bundle folder that was loaded: `data build` replaces
the bundle folder, so after a build the database is the only copy of what the public sees.
"""
from __future__ import annotations

from typing import Iterable

from drugatlas.pipeline import bundle

from . import bundle_rows
from .models import DataRelease, Jurisdiction, Observation, Source

CHUNK = 20_000


def latest() -> DataRelease | None:
    return DataRelease.objects.order_by("-loaded_at", "-id").first()


def rows(table: str) -> Iterable[dict]:
    """Rows of one bundle table as the database holds them."""
    if table == "observations":
        fields = ("measure_id", "jurisdiction_id", "period", "value", "flags", "source_id")
        for measure, place, period, value, flags, source in Observation.objects.values_list(
                *fields).iterator(chunk_size=CHUNK):
            yield {"measure": measure, "jurisdiction": place, "period": period,
                   "value": bundle.fmt_number(value), "flags": flags, "source": source}
    elif table == "sources":
        yield from Source.objects.order_by("id").values(*bundle.columns("sources"))
    elif table == "jurisdictions":
        for fips, abbr, name, kind, parent in Jurisdiction.objects.values_list(
                "fips", "abbr", "name", "kind", "parent_id"):
            yield {"fips": fips, "abbr": abbr, "name": name, "kind": kind, "parent": parent or ""}
    elif table in ("laws", "bills", "bill_events"):
        yield from bundle_rows.legal_rows()[table]
    else:
        raise ValueError(f"no table {table!r} in a loaded release")
