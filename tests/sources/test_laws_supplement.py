"""The project's law-change supplement: Oregon before HB 2355, and the file's rules."""
from __future__ import annotations

import datetime as dt

import pytest

from drugatlas.formatting import date_text
from drugatlas.sources import laws_supplement
from drugatlas.sources.records import SourceError

D = dt.date


@pytest.fixture(scope="module")
def records():
    return laws_supplement.read_supplement()


def test_oregon_possession_was_a_felony_before_hb_2355(records):
    oregon = [r for r in records if (r.abbr, r.topic) == ("OR", "possession")]
    felony, misdemeanor = oregon
    assert (felony.status, felony.date_basis) == ("felony", "attested")
    assert date_text(felony.valid_from, felony.precision) == "2011"
    assert "ORS 475.854 (heroin)" in felony.statute
    assert felony.grade.startswith("A felony for any amount of a Schedule I or II drug")
    assert (misdemeanor.status, misdemeanor.date_basis) == ("misdemeanor", "effective")
    assert date_text(misdemeanor.valid_from, misdemeanor.precision) == "2017-08"
    assert "Oregon Laws 2017, chapter 706" in misdemeanor.statute
    assert misdemeanor.change_act.startswith("HB 2355 (2017)")
    assert misdemeanor.max_penalty == "up to 364 days and $6,250"
    assert ("https://olis.oregonlegislature.gov/liz/2017R1/Measures/Overview/HB2355"
            in misdemeanor.citations)
    # The felony held on 2016-01-01: inside [2011, 2017-08).
    assert felony.valid_from <= D(2016, 1, 1) < misdemeanor.valid_from


def test_every_row_is_cited(records):
    assert records
    for r in records:
        assert r.citations and all(u.startswith(("http://", "https://")) for u in r.citations)
        assert r.confidence in ("high", "medium", "low")
        assert r.source == laws_supplement.SOURCE_ID and r.note


def test_source_info_is_checksummed():
    info = laws_supplement.source_info()
    assert info.file == "drugatlas/sources/research/law_changes_supplement.csv"
    assert len(info.sha256) == 64
    assert "own research" in info.caveats


def test_the_header_comment_says_what_the_file_is():
    head = laws_supplement.SUPPLEMENT.read_text().splitlines()[0]
    assert head.startswith("# Drug Policy Atlas: law-change supplement")


# --- bad input ---------------------------------------------------------------------------

@pytest.fixture
def edited(tmp_path):
    def make(old: str, new: str):
        text = laws_supplement.SUPPLEMENT.read_text(encoding="utf-8")
        assert old in text, old
        path = tmp_path / "supplement.csv"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path
    return make


@pytest.mark.parametrize("old, new, row, column, message", [
    ("state_abbr,topic,status", "state,topic,status", 0, "state_abbr", "missing column"),
    ("OR,possession,felony", "OR,possession,felonious", 1, "status", "not a class"),
    ("OR,possession,felony", "OR,possession,unknown", 1, "status", "not a class"),
    ("OR,possession,felony", "OR,posesion,felony", 1, "topic", "unknown topic"),
    ("OR,possession,felony", "OZ,possession,felony", 1, "state_abbr", "unknown state"),
    ("felony,2011,attested", "felony,2011-13,attested", 1, "valid_from", "not a date"),
    ("felony,2011,attested", "felony,,attested", 1, "valid_from", "needs the date"),
    ("felony,2011,attested", "felony,2011,assumed", 1, "date_basis", "'effective' or"),
    ("felony,2011,attested", "felony,2018,attested", 2, "valid_from", "out of time order"),
    ("felony,2011,attested", "felony,2017-08,attested", 2, "valid_from", "duplicate"),
    (",https://legiscan.com/OR/text/HB2674/2011 ;", ",legiscan.com/OR/text/HB2674/2011 ;", 1,
     "citations", "not a URL"),
    (",medium,\"Before HB 2355", ",likely,\"Before HB 2355", 1, "confidence",
     "unknown confidence"),
])
def test_bad_cell_names_file_row_and_column(edited, old, new, row, column, message):
    path = edited(old, new)
    with pytest.raises(SourceError) as err:
        laws_supplement.read_supplement(path)
    assert (err.value.row, err.value.column) == (row, column)
    assert message in err.value.message
    assert err.value.file == str(path)


def test_a_row_without_sources_is_refused(edited):
    text = laws_supplement.SUPPLEMENT.read_text()
    line = next(x for x in text.splitlines() if x.startswith("OR,possession,felony"))
    citations = next(part for part in line.split(",") if part.startswith("https://legiscan"))
    path = edited(citations, "")
    with pytest.raises(SourceError, match="without a source") as err:
        laws_supplement.read_supplement(path)
    assert err.value.column == "citations"
