"""The pipeline on the real raw files: it reproduces the committed bundle byte for byte, and a
broken raw file stops the build with a clear message, leaving the bundle and the database as
they were."""
from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from drugatlas.atlas.models import Observation
from drugatlas.pipeline import build

NCHS_STATE = "nchs_drug_poisoning_state/NCHS_-_Drug_Poisoning_Mortality_by_State__United_States.csv"
CENSUS_2024 = "census_popest/NST-EST2024-ALLDATA.csv"


@pytest.fixture(scope="module")
def rebuilt(raw_dir):
    return build.build_files(raw_dir, bundle_dir=settings.BUNDLE_DIR)


def test_rebuild_reproduces_the_committed_bundle(rebuilt):
    bundle_dir = settings.BUNDLE_DIR
    for name, data in rebuilt.files.items():
        assert (bundle_dir / name).read_bytes() == data, f"{name} differs from a rebuild"
    assert sorted(p.name for p in bundle_dir.iterdir()) == sorted(rebuilt.files)


def _mirror(raw_dir: Path, tmp_path: Path) -> Path:
    """A copy of the raw folder made of symlinks, so one file can be replaced cheaply."""
    mirror = tmp_path / "raw"
    for path in raw_dir.rglob("*"):
        if path.is_file():
            target = mirror / path.relative_to(raw_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(path, target)
    return mirror


def _edit_csv(mirror: Path, name: str, edit) -> None:
    path = mirror / name
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    edit(rows)
    path.unlink()
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _cell(rows, match: dict, column: str, value):
    header = rows[0]
    for row in rows[1:]:
        if all(row[header.index(k)] == v for k, v in match.items()):
            row[header.index(column)] = value
            return
    raise AssertionError(f"no row matches {match}")


WV_2017 = {"State": "West Virginia", "Year": "2017", "Sex": "Both Sexes", "Age Group": "All Ages"}


def _rename_column(rows):
    rows[0][rows[0].index("POPESTIMATE2024")] = "POPEST2024"


def _duplicate_row(rows):
    header = rows[0]
    row = next(r for r in rows[1:] if all(r[header.index(k)] == v for k, v in WV_2017.items()))
    rows.append(list(row))


def _drop_wyoming(rows):
    rows[:] = [r for r in rows if "Wyoming" not in r]


BROKEN = {
    "changed header": (CENSUS_2024, _rename_column, ["NST-EST2024-ALLDATA.csv", "POPESTIMATE2024"]),
    "unknown state": (NCHS_STATE, lambda rows: _cell(rows, WV_2017, "State", "West Virginnia"),
                      ["NCHS_-_Drug_Poisoning", "row", "West Virginnia"]),
    "negative count": (NCHS_STATE, lambda rows: _cell(rows, WV_2017, "Deaths", "-974"),
                       ["NCHS_-_Drug_Poisoning", "row", "Deaths"]),
    "non-numeric count": (NCHS_STATE, lambda rows: _cell(rows, WV_2017, "Deaths", "n/a"),
                          ["NCHS_-_Drug_Poisoning", "row", "Deaths"]),
    "duplicate key": (NCHS_STATE, _duplicate_row, ["NCHS_-_Drug_Poisoning", "row", "duplicate"]),
    "count without population": (CENSUS_2024, _drop_wyoming, ["row", "population"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_raw_file_stops_build_and_changes_nothing(case, raw_dir, tmp_path):
    name, edit, expected = BROKEN[case]
    mirror = _mirror(raw_dir, tmp_path)
    _edit_csv(mirror, name, edit)
    bundle_copy = tmp_path / "bundle"
    shutil.copytree(settings.BUNDLE_DIR, bundle_copy)
    before = {p.name: p.read_bytes() for p in bundle_copy.iterdir()}
    observations_before = Observation.objects.count()

    with pytest.raises(CommandError) as error:
        call_command("data", "build", raw=mirror, bundle=bundle_copy, verbosity=0)

    message = str(error.value)
    assert "nothing was changed" in message
    for part in expected:
        assert part.lower() in message.lower(), f"{part!r} not in {message!r}"
    assert {p.name: p.read_bytes() for p in bundle_copy.iterdir()} == before
    assert Observation.objects.count() == observations_before


def test_data_dictionary_is_current():
    from drugatlas.pipeline import datadoc

    assert datadoc.path().read_text() == datadoc.render(settings.BUNDLE_DIR), \
        "docs/data.md is stale: run `drugatlas data docs`"


def test_rebuild_keeps_rows_editors_exported(raw_dir, tmp_path):
    from drugatlas.pipeline import bundle

    edited = tmp_path / "bundle"
    shutil.copytree(settings.BUNDLE_DIR, edited)
    rows = list(bundle.read_table(edited, "laws"))
    oregon = next(r for r in rows if r["jurisdiction"] == "41" and r["topic"] == "possession"
                  and r["valid_from"] == "2024-09-01")
    oregon.update(note="Checked against the enrolled bill.", origin="editor")
    (edited / "laws.csv").write_bytes(bundle.table_bytes("laws", rows))

    laws = build.build_files(raw_dir, bundle_dir=edited).files["laws.csv"].decode()
    assert "Checked against the enrolled bill." in laws
    assert laws.count("41,possession,misdemeanor,2024-09-01") == 1
