"""statutes.csv reader: the fixture's rows, bad input, and the PROVENANCE's figures."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from drugatlas import laws_vocabulary as vocab
from drugatlas.formatting import date_text
from drugatlas.sources import laws, laws_statutes
from drugatlas.sources.records import SourceError

D = dt.date


def by_key(records):
    return {(r.abbr, r.topic): r for r in records}


@pytest.fixture(scope="module")
def fixture_rows(fixtures_dir):
    return by_key(laws_statutes.read_statutes(fixtures_dir, every_state=False))


def test_statute_grade_and_penalty_as_written(fixture_rows):
    al = fixture_rows[("AL", "possession")]
    assert (al.status, al.grade, al.statute) == ("felony", "Class D felony",
                                                 "Ala. Code § 13A-12-212(a)(1), (b)")
    assert al.max_penalty == "1-5 years; fine up to $7,500 (Ala. Code § 13A-5-6)"
    assert al.statute_url == ("https://www.lawserver.com/law/state/alabama/al-code/"
                              "alabama_code_13a-12-212")
    assert al.other_urls[0] == "http://www.birminghamcriminallaw.com/important-drug-law-changes/"
    assert (al.confidence, al.source, al.row) == ("high", "state-laws-statutes", 1)


def test_effective_dates_keep_their_precision(fixture_rows):
    al, ak, ri = (fixture_rows[(a, "possession")] for a in ("AL", "AK", "RI"))
    assert (al.effective_since, al.effective_precision) == (D(2016, 1, 30), "day")
    assert (ak.effective_since, ak.effective_precision) == (D(2016, 1, 1), "year")
    assert date_text(ri.effective_since, ri.effective_precision) == "2021"  # not 2021-01-01
    assert "ch. 287" in ri.change_act
    sc = fixture_rows[("SC", "possession")]
    assert (sc.effective_since, sc.effective_precision) == (None, "")


def test_carve_out_keeps_the_literal_class(fixture_rows):
    ak = fixture_rows[("AK", "possession")]
    assert (ak.status, ak.literal_class) == ("misdemeanor", "both")
    assert "GHB" in ak.note
    assert fixture_rows[("AL", "possession")].literal_class == ""


def test_statute_page_may_be_absent_but_not_every_source(fixture_rows):
    wy = fixture_rows[("WY", "paraphernalia")]
    assert (wy.status, wy.statute_url, wy.confidence) == ("not_criminalized", "", "low")
    assert wy.other_urls


def test_every_state_is_required_by_default(fixtures_dir):
    with pytest.raises(SourceError, match="no row for AK paraphernalia, AL paraphernalia, AR "
                                          "possession") as err:
        laws_statutes.read_statutes(fixtures_dir)
    assert err.value.column == "state_abbr"


# --- bad input ---------------------------------------------------------------------------

def _error(raw) -> SourceError:
    with pytest.raises(SourceError) as err:
        laws_statutes.read_statutes(raw, every_state=False)
    return err.value


@pytest.mark.parametrize("old, new, row, column, message", [
    ("state_abbr,topic,class", "state,topic,class", 0, "state_abbr", "missing column"),
    ("AL,possession,felony", "AL,possession,felonious", 1, "class", "not a class"),
    ("AL,possession,felony", "AL,possesion,felony", 1, "topic", "unknown topic"),
    ("AL,possession,felony", "XX,possession,felony", 1, "state_abbr", "unknown state"),
    ("AL,possession,felony", "AK,possession,felony", 2, "topic", "duplicate"),
    ("misdemeanor,both,Class A", "misdemeanor,misdemeanor,Class A", 2, "literal_class",
     "not another class"),
    (",2016-01-30,", ",2016-1-30,", 1, "effective_since", "not a date"),
    (",2016-01-30,", ",2016-02-30,", 1, "effective_since", "not a date"),
    ("https://www.lawserver.com/law/state/alabama/al-code/alabama_code_13a-12-212,",
     "www.lawserver.com/alabama_code_13a-12-212,", 1, "statute_url", "not a URL"),
    (",high,yes,", ",certain,yes,", 1, "confidence", "unknown confidence"),
    (",high,yes,", ",high,maybe,", 1, "agrees_with_existing", "expected yes or no"),
    ("Class D felony,", ",", 1, "grade", "blank grade"),
])
def test_bad_cell_names_file_row_and_column(edited_raw, old, new, row, column, message):
    err = _error(edited_raw(laws_statutes.SOURCE, old, new))
    assert (err.row, err.column) == (row, column)
    assert message in err.message
    assert err.file.endswith("state-laws/statutes.csv")


def test_a_class_needs_a_source(edited_raw, fixtures_dir):
    text = (fixtures_dir / laws_statutes.SOURCE.file).read_text()
    wy = next(line for line in text.splitlines() if line.startswith("WY,paraphernalia"))
    urls = wy.split(",")[-4]  # other_urls (no commas inside)
    assert urls.startswith("https://")
    err = _error(edited_raw(laws_statutes.SOURCE, urls, ""))
    assert (err.column, err.message) == ("other_urls", "a class without a source")


# --- the real file -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(raw_dir):
    return laws_statutes.read_statutes(raw_dir)


@pytest.mark.rawdata
def test_real_counts_match_provenance(real):
    assert len(real) == 102
    assert Counter(r.topic for r in real) == {"possession": 51, "paraphernalia": 51}
    # Fourth pass: possession 25 high, 25 medium, 1 low; paraphernalia 11 / 35 / 5.
    assert Counter(r.confidence for r in real if r.topic == "possession") == {
        "high": 25, "medium": 25, "low": 1}
    assert Counter(r.confidence for r in real if r.topic == "paraphernalia") == {
        "high": 11, "medium": 35, "low": 5}
    assert [r.abbr for r in real if r.topic == "possession" and r.confidence == "low"] == ["SC"]
    rows = by_key(real)
    # Raised to high in the fourth pass; MI and WA gained text but stay medium.
    assert {a: rows[(a, "possession")].confidence for a in ("KY", "MD", "OR", "DC", "MI", "WA")} \
        == {"KY": "high", "MD": "high", "OR": "high", "DC": "high", "MI": "medium",
            "WA": "medium"}


@pytest.mark.rawdata
def test_real_every_class_agrees_with_the_class_file(raw_dir, real):
    """PROVENANCE: under the coding rule every class agrees with possession_paraphernalia.csv."""
    current = {(law.abbr, law.topic): law.status for law in laws.read(raw_dir).laws
               if law.topic in ("possession", "paraphernalia") and law.valid_to is None}
    assert {(r.abbr, r.topic): r.status for r in real} == current
    literal = {(r.abbr, r.literal_class) for r in real if r.literal_class}
    assert literal == {("AK", "both"), ("CO", "both"), ("DC", "both"), ("IL", "both"),
                       ("SC", "misdemeanor")}
    for r in real:
        assert vocab.is_valid(r.topic, r.status) and r.status != vocab.UNKNOWN


@pytest.mark.rawdata
def test_real_dated_changes_from_the_third_pass(real):
    rows = by_key(real)

    def since(abbr, topic):
        r = rows[(abbr, topic)]
        return date_text(r.effective_since, r.effective_precision)

    assert since("CO", "possession") == "2020-03-01"  # HB19-1263
    assert "HB22-1326" in rows[("CO", "possession")].change_act
    assert since("CA", "possession") == "2014-11-05"
    assert "Prop 36" in rows[("CA", "possession")].change_act
    assert since("OK", "possession") == "2017-07-01"
    assert since("NM", "paraphernalia") == "2019-07-01"  # SB 323
    assert since("MN", "paraphernalia") == "2023-08-01"
    assert since("AL", "possession") == "2016-01-30"  # Act 2015-185
    assert since("OR", "possession") == "2024-09-01"  # HB 4002
    assert since("RI", "possession") == "2021"
    assert since("AK", "possession") == "2016"
    assert Counter(r.effective_precision for r in real) == {"": 78, "day": 14, "year": 10}
    assert "2021-10-07" in rows[("NY", "paraphernalia")].change_act


@pytest.mark.rawdata
def test_real_statute_pages_and_sources(real):
    assert all(r.statute and r.grade for r in real)
    assert all(r.statute_url or r.other_urls for r in real)
    assert sum(1 for r in real if r.statute_url) == 82
    assert by_key(real)[("DC", "possession")].statute.startswith("D.C. Code § 48-904.01(d)")
    assert "no state simple-possession offense" in by_key(real)[("WY", "paraphernalia")].grade


@pytest.mark.rawdata
def test_real_source_is_the_file_read(raw_dir):
    source = laws_statutes.SOURCE.with_checksum(raw_dir)
    assert len(source.sha256) == 64 and source.retrieved == "2026-12-05"
    assert source.licence == "CC BY 4.0 (project research; each cell cites its sources)"
    assert "not legal advice" in source.caveats.lower()
