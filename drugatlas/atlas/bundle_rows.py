"""Bundle rows to model fields and back, column by column as drugatlas/pipeline/schema.py
declares them: a column is the model field of the same name (or the column's `field`; "a__b"
reads through a relation). A new column needs no code here: declare it and add the field.

Used by the load (loading.py), `data export-laws` (export_legal_records) and the loaded
release's tables (loaded_release.py).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import models

from drugatlas.pipeline import bundle, export
from drugatlas.pipeline.schema import TABLES

from .models import Bill, BillEvent, CostAssumption, LawStatus

MODELS: dict[str, type[models.Model]] = {
    "laws": LawStatus, "bills": Bill, "bill_events": BillEvent, "costs": CostAssumption}


def _python(field: models.Field, text: str):
    """A bundle cell as the field's value."""
    if field.is_relation:
        return text or None
    if isinstance(field, models.DateField):
        return dt.date.fromisoformat(text) if text else None
    if isinstance(field, models.FloatField):
        return float(text) if text != "" else None
    if isinstance(field, models.IntegerField):
        return int(text) if text else None
    return text


def field_values(table: str, row: dict) -> dict:
    """A bundle row as model field values (attname -> value), empty cells read as the column's
    declared default. Columns through a relation ("a__b") are left to the caller."""
    meta = MODELS[table]._meta
    values = {}
    for column in TABLES[table].columns:
        if "__" in column.model_field:
            continue
        field = meta.get_field(column.model_field)
        text = row.get(column.name, "") or column.default
        values[field.attname] = _python(field, text)
    return values


def _value(obj: models.Model, path: str):
    *through, last = path.split("__")
    for name in through:
        obj = getattr(obj, name)
    return getattr(obj, obj._meta.get_field(last).attname)


def _lines(text: str) -> str:
    """One entry per line (editors may paste Windows line ends or blank lines)."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def row(table: str, obj: models.Model) -> dict[str, str]:
    """A model instance as a bundle row, written as the bundle writes it."""
    out = {}
    for column in TABLES[table].columns:
        text = bundle.cell(column, _value(obj, column.model_field))
        out[column.name] = _lines(text) if column.lines else text
    return bundle.with_defaults(table, out)


def legal_rows(**only) -> dict[str, list[dict]]:
    """The database's laws, bills and bill events as bundle rows, in the bundle's order.

    only: a filter for laws and bills (e.g. origin="editor"); events follow their bills."""
    laws = LawStatus.objects.filter(**only)
    bills = Bill.objects.filter(**only)
    # Row id order is bundle order (the load inserts events as listed); editors' additions follow.
    events = BillEvent.objects.filter(bill__in=bills).select_related("bill").order_by("id")
    return export.ordered({"laws": [row("laws", law) for law in laws],
                           "bills": [row("bills", bill) for bill in bills],
                           "bill_events": [row("bill_events", event) for event in events]})


def export_legal_records(bundle_dir: Path) -> int:
    """`data export-laws`: write laws, bills and bill events from the database into the bundle;
    return the row count."""
    return export.write_legal_tables(bundle_dir, legal_rows())
