"""One declaration per bundle table: every declared legal column goes bundle -> database ->
export -> bundle unchanged, and a new bills column needs only its declaration and its field."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import connection, models, transaction

from drugatlas.atlas import bundle_rows, loading
from drugatlas.atlas.bundle_rows import export_legal_records
from drugatlas.atlas.models import Bill, Jurisdiction, Source
from drugatlas.pipeline import bundle, export, schema, verify
from drugatlas.sources.records import Place, SourceInfo

pytestmark = pytest.mark.django_db

SOURCE = "test-round-trip"
KEY = "test-round-trip-hb-1"

# Columns whose values must come from a vocabulary or point at another row; every other column
# gets a text of its own ("<column> of the test row"), so a new column is covered unasked.
GIVEN = {
    "laws": {"jurisdiction": "00", "topic": "possession", "status": "misdemeanor",
             "valid_from": "2021-07-01", "valid_from_precision": "month", "date_basis": "attested",
             "valid_to": "2023-12-31", "valid_to_precision": "year",
             "statute_url": "https://example.org/statute",
             "citations": "https://example.org/statute\nhttps://example.org/news",
             "confidence": "low", "source": SOURCE, "origin": "editor"},
    "bills": {"key": KEY, "jurisdiction": "00", "status": "advanced", "status_date": "2025-03-04",
              "status_date_precision": "month", "official_url": "https://example.org/hb1",
              "citations": "https://example.org/hb1\nhttps://example.org/hb1-news",
              "confidence": "low", "bill_type": "defelonization", "replaces": "test-old-key",
              "source": SOURCE, "origin": "editor"},
    "bill_events": {"bill_key": KEY, "date": "2025-02-01", "precision": "month",
                    "status": "introduced", "url": "https://example.org/hb1-intro"},
}


def full_row(table: str) -> dict[str, str]:
    """A row with a value in every declared column, none of them the column's default."""
    return {c.name: GIVEN[table].get(c.name, f"{c.name} of the test row")
            for c in schema.TABLES[table].columns}


@pytest.fixture
def small_bundle(tmp_path):
    """The database's places, sources and legal records (no observations), plus one law, bill
    and event whose every column holds a value."""
    Source.objects.get_or_create(id=SOURCE, defaults={
        "publisher": "Test", "title": "Test legal research", "url": "https://example.org",
        "file": "state-laws/test.csv"})
    places = [Place(j.fips, j.name, j.kind, j.abbr) for j in Jurisdiction.objects.all()]
    sources = [SourceInfo(s.id, s.publisher, s.title, s.url, s.file, s.licence, s.caveats,
                          s.retrieved, s.sha256) for s in Source.objects.all()]
    path = tmp_path / "bundle"
    bundle.write(path, bundle.render(places, sources, [], [], [], []))
    legal = bundle_rows.legal_rows()
    for table in schema.LEGAL_TABLES:
        legal[table].append(full_row(table))
    for table, rows in export.ordered(legal).items():
        (path / schema.TABLES[table].path).write_bytes(bundle.table_bytes(table, rows))
    bundle.rehash(path)
    return path


def round_trip(path):
    """Bundle -> database (the load's own checks and legal step) -> export into the bundle; the
    test rows as they come back. The three files must come back byte for byte."""
    files = {t: (path / schema.TABLES[t].path).read_bytes() for t in schema.LEGAL_TABLES}
    verify.verify(path)
    with transaction.atomic():
        assert loading._load_legal_records(path) == []
    export_legal_records(path)
    for table, data in files.items():
        assert (path / schema.TABLES[table].path).read_bytes() == data, table
    return {table: [r for r in bundle.read_table(path, table)
                    if KEY in (r.get("key"), r.get("bill_key")) or r.get("source") == SOURCE]
            for table in schema.LEGAL_TABLES}


def test_the_test_rows_fill_every_declared_column():
    for table in schema.LEGAL_TABLES:
        row = full_row(table)
        for column in schema.TABLES[table].columns:
            assert row[column.name] and row[column.name] != column.default, (table, column.name)


def test_every_legal_column_survives_bundle_database_export_bundle(small_bundle):
    rows = round_trip(small_bundle)
    for table in schema.LEGAL_TABLES:
        assert rows[table] == [full_row(table)], table
    bill = Bill.objects.get(key=KEY)
    assert (bill.status_date, bill.diversion) == (dt.date(2025, 3, 4), "diversion of the test row")


@pytest.fixture
def new_bill_column(monkeypatch):
    """Adding a column to bills as a change would: its declaration in pipeline/schema.py, the
    model field (on Bill and on its history, as the migration would), the migration's ALTER
    TABLE. Nothing else. Undone after the test (the schema change rolls back with the test)."""
    name = "ballot_title"
    bills = schema.TABLES["bills"]
    column = schema.Column(name, "string", "The title printed on the ballot")
    monkeypatch.setitem(schema.TABLES, "bills", dataclasses.replace(
        bills, columns=bills.columns + (column,)))
    added = []
    for model in (Bill, Bill.history.model):
        field = models.TextField(blank=True, default="")
        model.add_to_class(name, field)
        added.append((model, field))
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(model._meta.db_table)} "
                           f"ADD COLUMN {connection.ops.quote_name(name)} text NOT NULL DEFAULT ''")
    yield name
    for model, field in added:
        model._meta.local_fields.remove(field)
        model._meta._expire_cache()
        delattr(model, name)


def test_a_new_bill_column_is_one_declaration_and_a_field(new_bill_column, small_bundle):
    assert new_bill_column in bundle.columns("bills")
    rows = round_trip(small_bundle)
    assert rows["bills"] == [full_row("bills")]
    assert rows["bills"][0][new_bill_column] == f"{new_bill_column} of the test row"
    assert getattr(Bill.objects.get(key=KEY), new_bill_column) == f"{new_bill_column} of the test row"
    # The editors' policy compares it too: a bundle that changes it is reported, not applied.
    Bill.objects.filter(key=KEY).update(**{new_bill_column: "Edited"})
    with transaction.atomic():
        kept = loading._load_legal_records(small_bundle)
    assert kept == [f"bill {KEY}: editor's version kept; bundle differs in {new_bill_column}"]
