"""Collateral consequences through the pipeline: reader -> bundle -> database, as law records.

The counts are the PROVENANCE's after-cleaning figures (collateral-consequences/PROVENANCE.md).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from drugatlas import laws_vocabulary as vocab
from drugatlas.atlas.models import LawStatus
from drugatlas.atlas import loading as load
from drugatlas.pipeline import bundle
from drugatlas.sources import consequences
from drugatlas.sources.registry import READERS

TOPICS = tuple(vocab.CONSEQUENCE_TOPICS)
AL = "01"


def bundle_rows():
    from django.conf import settings
    return [r for r in bundle.read_table(settings.BUNDLE_DIR, "laws") if r["topic"] in TOPICS]


def current(rows):
    """(topic, status) counts of the intervals still open."""
    return Counter((r["topic"], r["status"]) for r in rows if not r["valid_to"])


def test_the_reader_is_registered():
    assert "consequences" in READERS


def test_the_bundle_holds_the_provenance_counts():
    now = current(bundle_rows())
    assert (now["snap_drug_felony_ban", "full_ban"], now["snap_drug_felony_ban", "modified_ban"],
            now["snap_drug_felony_ban", "no_ban"], now["snap_drug_felony_ban", "unknown"]) == (
        1, 15, 12, 23)
    assert sum(n for (t, s), n in now.items()
               if t == "tanf_drug_felony_ban" and s != "unknown") == 12
    assert now["license_suspension_drug", "yes"] == 4
    assert now["license_suspension_drug", "no"] == 47
    assert now["felony_voting", "unknown"] == 0
    assert (now["possession_record_relief", "automatic"], now["possession_record_relief", "petition"],
            now["possession_record_relief", "limited"], now["possession_record_relief", "none"]) == (
        10, 27, 11, 1)


def test_a_known_value_is_unknown_before_its_date_and_cites_its_sources():
    al = [r for r in bundle_rows() if r["jurisdiction"] == AL
          and r["topic"] == "license_suspension_drug"]
    assert [(r["status"], r["valid_from"], r["valid_to"], r["confidence"]) for r in al] == [
        ("unknown", "", "2021-09-30", "unknown"), ("yes", "2021-10-01", "", "medium")]
    assert "https://www.prisonpolicy.org/driving/" in al[1]["citations"].splitlines()
    assert al[1]["source"] == consequences.SOURCE.id
    assert (al[0]["valid_to_precision"], al[1]["valid_from_precision"]) == ("month", "month")


def test_unknown_stays_one_open_unknown_interval_and_never_a_value():
    al_tanf = [r for r in bundle_rows() if r["jurisdiction"] == AL
               and r["topic"] == "tanf_drug_felony_ban"]
    assert [(r["status"], r["valid_from"], r["valid_to"], r["confidence"]) for r in al_tanf] == [
        ("unknown", "", "", "unknown")]


def test_research_notes_stay_out_of_the_bundle():
    # The notes column is for editors (PROVENANCE): none of its wording reaches a record.
    notes = " ".join(r["note"] for r in bundle_rows())
    assert "from memory" not in notes and "placeholder" not in notes
    assert "Moral Turpitude" not in notes


@pytest.mark.django_db
def test_the_load_makes_them_law_records():
    laws = LawStatus.objects.filter(topic__in=TOPICS)
    assert laws.count() == len(bundle_rows())
    al = LawStatus.objects.as_of(dt.date(2026, 12, 1)).get(
        jurisdiction__abbr="AL", topic="license_suspension_drug")
    assert (al.status, al.confidence, al.source_id) == ("yes", "medium", consequences.SOURCE.id)
    assert al.history.count() >= 1  # history is kept like every legal record's


@pytest.mark.django_db
def test_an_editors_change_survives_a_reload():
    law = LawStatus.objects.as_of(dt.date(2026, 12, 1)).get(
        jurisdiction__abbr="AL", topic="tanf_drug_felony_ban")
    law.status, law.confidence = "modified_ban", "high"
    law.citations = "https://example.org/al-tanf-rule"
    law.origin = LawStatus.EDITOR
    law.full_clean()
    law.save()
    report = load.load_bundle(force=True)
    law.refresh_from_db()
    assert (law.status, law.origin) == ("modified_ban", LawStatus.EDITOR)
    assert report.kept_editor_changes


@pytest.mark.django_db
def test_an_editor_must_use_the_questions_vocabulary():
    from django.core.exceptions import ValidationError

    law = LawStatus.objects.filter(topic="felony_voting").first()
    law.status = "felony"
    with pytest.raises(ValidationError, match="status"):
        law.full_clean()


def test_every_bundle_source_fits_the_database_columns():
    # PostgreSQL refuses what SQLite stores: check the lengths here, on either database.
    from django.conf import settings

    from drugatlas.atlas.models import Source

    for row in bundle.read_table(settings.BUNDLE_DIR, "sources"):
        for column in ("id", "publisher", "title", "url", "file", "retrieved", "sha256"):
            limit = Source._meta.get_field(column).max_length
            assert len(row[column]) <= limit, (row["id"], column, len(row[column]), limit)
