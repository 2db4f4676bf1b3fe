"""Loading the bundle: one transaction, editor changes kept, a broken bundle changes nothing."""
from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from drugatlas.atlas.models import DataRelease, LawStatus, Observation
from drugatlas.atlas import loading as load

pytestmark = pytest.mark.django_db


def test_loaded_bundle_is_recorded_as_a_release():
    release = DataRelease.objects.latest()
    assert release.counts["observations"] == Observation.objects.count() > 100_000


def test_reloading_the_same_version_is_skipped():
    assert load.load_bundle().skipped


def test_broken_bundle_leaves_previous_data(tmp_path):
    broken = tmp_path / "bundle"
    shutil.copytree(settings.BUNDLE_DIR, broken)
    with (broken / "observations.csv").open("a") as f:
        f.write("drug_arrests,54,2017,not-a-number,,fbi-table69-2017\n")
    before = Observation.objects.count(), DataRelease.objects.count()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("data", "load", bundle=broken, force=True, verbosity=0)
    assert (Observation.objects.count(), DataRelease.objects.count()) == before


def test_editor_change_survives_a_reload():
    law = LawStatus.objects.filter(jurisdiction__abbr="OR", topic="possession").order_by(
        "valid_from").last()
    law.note = "Checked against the enrolled bill by an editor."
    law.origin = LawStatus.EDITOR
    law.save()
    report = load.load_bundle(force=True)
    law.refresh_from_db()
    assert law.note == "Checked against the enrolled bill by an editor."
    assert any("OR" in item or "41" in item for item in report.kept_editor_changes)
