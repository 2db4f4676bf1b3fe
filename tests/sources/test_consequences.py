"""Collateral consequences reader: unknown stays unknown, dates with their precision and basis."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from drugatlas import laws_vocabulary as vocab
from drugatlas.formatting import date_text
from drugatlas.sources import consequences
from drugatlas.sources.records import SourceError

D = dt.date
TOPICS = tuple(q.topic for q in consequences.QUESTIONS)


def by_key(records):
    return {(r.abbr, r.topic): r for r in records}


@pytest.fixture(scope="module")
def fixture_records(fixtures_dir):
    return by_key(consequences.read_consequences(fixtures_dir, every_state=False))


def test_vocabulary_of_the_five_questions():
    assert tuple(vocab.CONSEQUENCE_TOPICS) == TOPICS
    assert [s.value for s in vocab.legend("snap_drug_felony_ban")] == [
        "no_ban", "modified_ban", "full_ban", "unknown"]
    assert vocab.rank("snap_drug_felony_ban", "unknown") is None  # never the mildest value
    assert vocab.label("license_suspension_drug", "yes") == "License suspended for drug offenses"
    assert [s.value for s in vocab.legend("felony_voting")] == [
        "never_lose", "restored_on_release", "restored_after_parole_probation",
        "restored_after_sentence_plus", "permanent_for_some", "unknown"]
    assert [s.value for s in vocab.legend("possession_record_relief")] == [
        "automatic", "petition", "limited", "none", "unknown"]
    # Kept apart from the law layers; LawStatus takes both (LAW_TOPICS).
    assert not set(vocab.CONSEQUENCE_TOPICS) & set(vocab.TOPICS)
    assert set(vocab.LAW_TOPICS) == set(vocab.TOPICS) | set(vocab.CONSEQUENCE_TOPICS)


def test_unknown_stays_unknown_with_the_sources_checked(fixture_records):
    tanf = fixture_records[("AL", "tanf_drug_felony_ban")]
    assert (tanf.status, tanf.confidence, tanf.valid_from, tanf.date_basis) == (
        "unknown", "unknown", None, "")
    assert tanf.citations[0].startswith("https://knowledgecenter.csg.org/")


def test_year_of_the_rule_is_an_effective_date(fixture_records):
    voting = fixture_records[("MN", "felony_voting")]
    assert (voting.status, voting.valid_from, voting.precision, voting.date_basis) == (
        "restored_on_release", D(2023, 1, 1), "year", "effective")
    assert date_text(voting.valid_from, voting.precision) == "2023"
    texas = fixture_records[("TX", "license_suspension_drug")]
    assert (texas.status, texas.date_basis, texas.as_of) == ("yes", "effective", "2023-11")


def test_without_a_year_the_source_date_is_attested(fixture_records):
    relief = fixture_records[("MN", "possession_record_relief")]
    assert (relief.status, relief.date_basis) == ("automatic", "attested")
    assert date_text(relief.valid_from, relief.precision) == "2024-07"
    license_ = fixture_records[("AL", "license_suspension_drug")]
    assert (license_.status, license_.as_of, license_.date_basis) == ("yes", "2021-10+",
                                                                      "attested")
    assert date_text(license_.valid_from, license_.precision) == "2021-10"
    snap = fixture_records[("AZ", "snap_drug_felony_ban")]
    assert date_text(snap.valid_from, snap.precision) == "2022"


def test_shown_detail_apart_from_research_notes(fixture_records):
    relief = fixture_records[("MN", "possession_record_relief")]
    assert relief.note.startswith("Clean Slate (2023, effective 1 Jan 2025)")
    assert fixture_records[("MN", "felony_voting")].note == ""
    assert "placeholder" in fixture_records[("AL", "tanf_drug_felony_ban")].research_note
    assert all(r.source == "collateral-consequences" for r in fixture_records.values())


def test_every_state_is_required_by_default(fixtures_dir):
    with pytest.raises(SourceError, match="no row for CA, CO, CT, DC") as err:
        consequences.read_consequences(fixtures_dir)
    assert err.value.column == "state_abbr"


# --- bad input ---------------------------------------------------------------------------

def _error(raw) -> SourceError:
    with pytest.raises(SourceError) as err:
        consequences.read_consequences(raw, every_state=False)
    return err.value


@pytest.mark.parametrize("old, new, row, column, message", [
    ("state_abbr,snap_drug_felony_ban", "state,snap_drug_felony_ban", 0, "state_abbr",
     "missing column"),
    ("AL,modified_ban,", "AL,partial_ban,", 1, "snap_drug_felony_ban", "is not one of"),
    ("AL,modified_ban,", "AK,modified_ban,", 2, "state_abbr", "duplicate"),
    (",medium,unknown,,", ",middling,unknown,,", 1, "snap_confidence", "unknown confidence"),
    ("permanent_for_some,2017,", "permanent_for_some,17,", 1, "voting_year", "not a year"),
    ("permanent_for_some,2017,", "permanent_for_some,2027,", 1, "voting_year",
     "after the date its source speaks for"),
    ("snap=2023-12;tanf=2023-12;lic=2021-10+;vote=2026-01;rel=2024-07",
     "snap=2023-12;tanf=2023-12;lic=2021-10+;vote=2026-01", 1, "as_of", "expected the keys"),
    ("snap=2023-12;tanf=2023-12;lic=2021-10+;vote=2026-01;rel=2024-07",
     "snap=2023-13;tanf=2023-12;lic=2021-10+;vote=2026-01;rel=2024-07", 1, "as_of",
     "not a date"),
    ("snap=2023-12;tanf=2023-12;lic=2021-10+;vote=2026-01;rel=2024-07",
     "snap=Dec 2023;tanf=2023-12;lic=2021-10+;vote=2026-01;rel=2024-07", 1, "as_of",
     "unreadable part"),
])
def test_bad_cell_names_file_row_and_column(edited_raw, old, new, row, column, message):
    err = _error(edited_raw(consequences.SOURCE, old, new))
    assert (err.row, err.column) == (row, column)
    assert message in err.message
    assert err.file.endswith("collateral-consequences/collateral_consequences.csv")


def test_a_value_needs_a_source(edited_raw, fixtures_dir):
    text = (fixtures_dir / consequences.FILE).read_text()
    snap_sources = ("https://felonsguide.com/which-states-allow-and-ban-snap-food-stamps-for-"
                    "people-with-felony-drug-convictions.html ; https://clasp.org/publications/"
                    "report/brief/no-more-double-punishments ; https://ccresourcecenter.org/"
                    "national-snap-tanf-drug-felony-study/")
    assert f"AL,modified_ban,,{snap_sources}," in text
    err = _error(edited_raw(consequences.SOURCE, f"AL,modified_ban,,{snap_sources},",
                            "AL,modified_ban,,,"))
    assert (err.row, err.column, err.message) == (1, "snap_sources", "a value without a source")


def test_a_year_for_an_unknown_value_is_refused(edited_raw):
    err = _error(edited_raw(consequences.SOURCE, ",medium,unknown,,", ",medium,unknown,2019,"))
    assert (err.row, err.column) == (1, "tanf_year")


# --- the real file -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(raw_dir):
    return consequences.read_consequences(raw_dir)


def _counts(records, topic):
    return Counter(r.status for r in records if r.topic == topic)


@pytest.mark.rawdata
def test_real_counts_after_cleaning_match_provenance(real):
    assert len(real) == 51 * 5
    # SNAP known for 28 (full 1, modified 15, none 12); TANF for 12.
    assert _counts(real, "snap_drug_felony_ban") == {
        "full_ban": 1, "modified_ban": 15, "no_ban": 12, "unknown": 23}
    assert sum(n for s, n in _counts(real, "tanf_drug_felony_ban").items() if s != "unknown") \
        == 12
    assert _counts(real, "tanf_drug_felony_ban")["unknown"] == 39
    # License suspension known for 51; still suspending: AL, AR, FL, TX.
    assert _counts(real, "license_suspension_drug") == {"no": 47, "yes": 4}
    assert {r.abbr for r in real if r.topic == "license_suspension_drug"
            and r.status == "yes"} == {"AL", "AR", "FL", "TX"}
    # Voting 51 (NCSL's 23 / 15 / 10 with DC, ME, VT never losing it), all high.
    assert _counts(real, "felony_voting") == {
        "restored_on_release": 23, "restored_after_parole_probation": 15,
        "permanent_for_some": 9, "restored_after_sentence_plus": 1, "never_lose": 3}
    assert {r.abbr for r in real if r.status == "never_lose"} == {"DC", "ME", "VT"}
    assert {r.confidence for r in real if r.topic == "felony_voting"} == {"high"}
    # Record relief 49 (automatic 10, petition 27, limited 11, none 1).
    assert _counts(real, "possession_record_relief") == {
        "automatic": 10, "petition": 27, "limited": 11, "none": 1, "unknown": 2}


@pytest.mark.rawdata
def test_real_cleaning_left_no_low_confidence_value(real):
    """Every low-confidence SNAP, TANF and relief value became unknown; 27 details blanked."""
    assert [r for r in real if r.confidence == "low"] == []
    unknown = [r for r in real if r.status == "unknown"]
    assert len(unknown) == 23 + 39 + 2
    assert all(r.confidence == "unknown" and r.valid_from is None for r in unknown)
    relief = [r for r in real if r.topic == "possession_record_relief"]
    assert sum(1 for r in relief if r.note) == 51 - 27


@pytest.mark.rawdata
def test_real_dates(real):
    records = by_key(real)
    assert Counter(r.date_basis for r in real) == {"attested": 137, "effective": 54, "": 64}
    assert all(r.valid_from is not None for r in real if r.status != "unknown")
    ne = records[("NE", "felony_voting")]
    assert (date_text(ne.valid_from, ne.precision), ne.date_basis) == ("2024", "effective")
    va = records[("VA", "possession_record_relief")]
    assert (va.status, date_text(va.valid_from, va.precision)) == ("petition", "2026-07")
    assert records[("AL", "license_suspension_drug")].status == "yes"  # issue 14's example
    for r in real:
        assert vocab.is_valid(r.topic, r.status)
        assert r.status == "unknown" or r.citations


@pytest.mark.rawdata
def test_real_source_is_the_file_read(raw_dir):
    source = consequences.SOURCE.with_checksum(raw_dir)
    assert len(source.sha256) == 64 and source.retrieved == "2026-12-05"
    assert source.licence == "CC BY 4.0 (project research; each cell cites its sources)"
    assert "not legal advice" in source.caveats.lower()
