"""A lighter load: only the indexes queries use, references checked by the loader in bulk,
fresh planner statistics at the end (PostgreSQL)."""
from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from drugatlas.atlas.models import DataRelease, Observation
from drugatlas.atlas import loading as load
from drugatlas.pipeline import bundle

pytestmark = pytest.mark.django_db

TABLE = Observation._meta.db_table


def small_bundle(tmp_path, extra_first_rows=(), keep=3000):
    """The committed bundle with only its first observations (and some rows put first)."""
    target = tmp_path / "bundle"
    shutil.copytree(settings.BUNDLE_DIR, target)
    path = target / "observations.csv"
    with (settings.BUNDLE_DIR / "observations.csv").open(encoding="utf-8") as f:
        lines = [next(f) for _ in range(keep + 1)]
    path.write_text(lines[0] + "".join(extra_first_rows) + "".join(lines[1:]), encoding="utf-8")
    bundle.rehash(target)  # datapackage.json agrees with the cut file (the load checks first)
    return target


def test_observation_table_carries_only_the_indexes_queries_use():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    indexed = {tuple(c["columns"]) for c in constraints.values()
               if (c["index"] or c["unique"]) and not c["primary_key"]}
    assert indexed == {("measure_id", "jurisdiction_id", "period"),
                       ("jurisdiction_id", "measure_id", "period"), ("source_id",)}
    # No single-column place or measure index, no text-pattern (_like) copies, and no
    # per-row foreign-key trigger: the loader checks references itself.
    assert not [name for name in constraints if name.endswith("_like")]
    assert not [name for name, c in constraints.items() if c["foreign_key"]]


def test_load_refuses_an_observation_of_an_unknown_place(tmp_path):
    bundle = small_bundle(tmp_path, ["drug_arrests,99999,2017,12,,fbi-table69-2017\n"])
    before = Observation.objects.count(), DataRelease.objects.count()
    with pytest.raises(CommandError, match=r"nothing was changed.*unknown place '99999'"):
        call_command("data", "load", bundle=bundle, force=True, accept_revisions=True,
                     verbosity=0)
    assert (Observation.objects.count(), DataRelease.objects.count()) == before


@pytest.mark.parametrize("row, what", [
    ("no_such_measure,54,2017,12,,fbi-table69-2017\n", "measure 'no_such_measure'"),
    ("drug_arrests,54,2017,12,,no-such-source\n", "source 'no-such-source'"),
])
def test_load_refuses_unknown_measures_and_sources(tmp_path, row, what):
    with pytest.raises(ValueError, match=f"unknown {what}"):
        load.load_bundle(small_bundle(tmp_path, [row]), force=True)


def test_load_shows_progress(tmp_path):
    steps = []
    load.load_bundle(small_bundle(tmp_path), force=True, progress=steps.append)
    shown = [s for s in steps if s.startswith("observations: ")]
    assert shown and steps.index("observations") < steps.index(shown[0])
    assert shown[0] in ("observations: 3,000 rows", "observations: 100% of 0 MB")


def test_load_refuses_a_value_that_is_not_a_number(tmp_path):
    bundle = small_bundle(tmp_path, ["drug_arrests,54,1900,many,,fbi-table69-2017\n"])
    with pytest.raises(ValueError, match="observations.csv"):
        load.load_bundle(bundle, force=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's")
def test_postgresql_load_ends_with_analyze(tmp_path):
    def last_analyze():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s",
                           [TABLE])
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")  # the transaction's start: ANALYZE comes after it
        started = cursor.fetchone()[0]
    steps = []
    load.load_bundle(small_bundle(tmp_path), force=True, progress=steps.append)
    assert steps[-1] == "analyzing"
    assert last_analyze() is not None and last_analyze() >= started
