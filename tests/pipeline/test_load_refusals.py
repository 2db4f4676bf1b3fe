"""`data load` refuses a bad bundle whole, naming file, row and column, and the data loaded
before keep serving; `data build` names the raw file that is cut short."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from drugatlas.atlas.models import DataRelease, Observation
from drugatlas.pipeline import bundle as bundle_files
from drugatlas.sources.common import read_csv
from drugatlas.sources.records import SourceError

ROOT = Path(__file__).resolve().parents[2]


def copy_bundle(tmp_path) -> Path:
    bundle = tmp_path / "bundle"
    shutil.copytree(settings.BUNDLE_DIR, bundle)
    return bundle


def rehash(bundle: Path) -> None:
    """What a buggy build would write: datapackage.json agreeing with the changed files."""
    bundle_files.rehash(bundle)


def edit_observation(bundle: Path, measure: str, fips: str, value: str, column: int = 3) -> int:
    """Set one value of measure/fips in observations.csv; returns its line number."""
    lines = (bundle / "observations.csv").read_text().split("\n")
    for n, line in enumerate(lines):
        fields = line.split(",")
        if fields[0] == measure and fields[1] == fips and fields[3]:
            fields[column] = value
            lines[n] = ",".join(fields)
            (bundle / "observations.csv").write_text("\n".join(lines))
            return n + 1
    raise AssertionError("no such row")


def refused(bundle: Path) -> str:
    before = (Observation.objects.count(), DataRelease.objects.count(),
              Observation.objects.filter(measure_id="population", value__lt=0).count())
    with pytest.raises(CommandError) as error:
        call_command("data", "load", bundle=bundle, force=True, accept_revisions=True, verbosity=0)
    after = (Observation.objects.count(), DataRelease.objects.count(),
             Observation.objects.filter(measure_id="population", value__lt=0).count())
    assert after == before and before[2] == 0
    message = str(error.value)
    assert "nothing was changed (the data loaded before keep serving)" in message
    return message


@pytest.mark.django_db
def test_a_population_of_minus_5_is_refused(tmp_path, client):
    bundle = copy_bundle(tmp_path)
    line = edit_observation(bundle, "population", "41", "-5")
    rehash(bundle)
    message = refused(bundle)
    assert f"observations.csv, row {line}, column 'value': negative population: -5" in message
    assert client.get("/api/v1/states/or").status_code == 200  # still serving


@pytest.mark.django_db
@pytest.mark.parametrize("measure, fips, value, column, problem", [
    ("overdose_death_rate_age_adjusted", "41", "250000", 3, "is above 100,000"),
    ("population", "41", "lots", 3, "not a number: 'lots'"),
    ("population", "41", "no_such_measure", 0, "unknown measure 'no_such_measure'"),
    ("population", "41", "99", 1, "unknown place '99'"),
    ("population", "41", "2020-13", 2, "malformed period '2020-13'"),
])
def test_values_outside_the_rules_are_refused(tmp_path, measure, fips, value, column, problem):
    bundle = copy_bundle(tmp_path)
    line = edit_observation(bundle, measure, fips, value, column)
    rehash(bundle)
    message = refused(bundle)
    assert f"observations.csv, row {line}, column '" in message and problem in message


@pytest.mark.django_db
def test_a_truncated_file_is_refused_by_its_hash(tmp_path):
    bundle = copy_bundle(tmp_path)
    data = (bundle / "observations.csv").read_bytes()
    (bundle / "observations.csv").write_bytes(data[:len(data) // 2])
    message = refused(bundle)
    assert f"observations.csv: {len(data) // 2:,} bytes where datapackage.json says {len(data):,}" \
        in message


@pytest.mark.django_db
def test_a_hand_edited_file_is_refused(tmp_path):
    bundle = copy_bundle(tmp_path)
    data = (bundle / "observations.csv").read_bytes()
    at = data.index(b"\npopulation,41,") + len(b"\npopulation,41,2010,")
    digit = b"1" if data[at:at + 1] != b"1" else b"2"
    (bundle / "observations.csv").write_bytes(data[:at] + digit + data[at + 1:])  # same size
    assert "differs from the SHA-256 in datapackage.json" in refused(bundle)


def test_the_command_prints_one_line_and_no_traceback(tmp_path):
    bundle = copy_bundle(tmp_path)
    edit_observation(bundle, "population", "41", "-5")
    rehash(bundle)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "DRUGATLAS_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "drugatlas.settings"}
    env.pop("REDIS_URL", None)

    def data_load(*extra):
        return subprocess.run([sys.executable, "manage.py", "data", "load", "--bundle",
                               str(bundle), "-v", "0", *extra], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env,
                   check=True, timeout=300)
    done = data_load()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "observations.csv, row" in done.stderr and "negative population: -5" in done.stderr
    assert "Traceback" in data_load("--traceback").stderr


def test_a_raw_csv_cut_short_is_named_with_its_row(tmp_path):
    published = tmp_path / "rates.csv"
    published.write_text('State,Year,Rate,Unit\nAlabama,2005,11.8,"per 100,000"\n'
                         'Alaska,2005,13.0,"per 100,000"\n')
    text = published.read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text[:text.rindex("per") + 3])  # inside the last quoted field
    with pytest.raises(SourceError, match=r"cut.csv, row 2: not readable as CSV"):
        list(read_csv(cut, ["State"]))
    cut.write_text(text[:text.rindex(",13.0")])  # the last row has 2 of 4 fields
    with pytest.raises(SourceError, match=r"cut.csv, row 2, column 'Rate': the row has 2 fields"):
        list(read_csv(cut, ["State"]))
    assert len(list(read_csv(published, ["State"]))) == 2


@pytest.mark.rawdata
def test_build_blames_the_truncated_nchs_file(tmp_path, raw_dir):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    nchs = raw / "nchs_drug_poisoning_state" / \
        "NCHS_-_Drug_Poisoning_Mortality_by_State__United_States.csv"
    os.chmod(nchs, 0o644)
    nchs.write_bytes(nchs.read_bytes()[:5000])
    with pytest.raises(CommandError) as error:
        call_command("data", "build", raw=raw, bundle=tmp_path / "bundle", verbosity=0)
    assert "NCHS_-_Drug_Poisoning_Mortality_by_State__United_States.csv, row 26" in str(error.value)
    assert "table69" not in str(error.value)
