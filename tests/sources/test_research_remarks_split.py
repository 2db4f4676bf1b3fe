"""The rule that keeps research remarks out of what a reader sees (issue 9): a bracketed
clause or a clause/sentence naming how a value was found goes to the research note."""
from __future__ import annotations

from pathlib import Path

import pytest

from drugatlas.sources.laws_bills_pass3 import _record, read_bills_pass3
from drugatlas.sources.laws_text import public_cell, public_clauses, public_note, public_number

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"


@pytest.mark.parametrize(("text", "public", "note"), [
    ("Del. Ruth (first name not confirmed in retrieved pages)", "Del. Ruth",
     "first name not confirmed in retrieved pages"),
    ("HB 1057 (Senate cross-file drafted as 4lr3454; number not seen)",
     "HB 1057 (Senate cross-file drafted as 4lr3454)", "number not seen"),
    ("S3600 introduced (late January or early February; exact date not seen)",
     "S3600 introduced (late January or early February)", "exact date not seen"),
    ("Introduced (date inferred from session start; check OLIS)", "Introduced",
     "date inferred from session start; check OLIS"),
    ("Passed House (Open States lists 2024-03-02)", "Passed House", "Open States lists 2024-03-02"),
    ("Reclassifying possession (short description; formal title not seen)",
     "Reclassifying possession", "short description; formal title not seen"),
    ("Rep. Carol Ammons (D-Urbana)", "Rep. Carol Ammons (D-Urbana)", ""),
])
def test_bracketed_remarks_are_cut_clause_by_clause(text, public, note):
    assert public_cell(text) == (public, note)


def test_a_clause_naming_the_research_is_cut_from_a_free_text_cell():
    text = "Sen. Gustavo Rivera (S3600); Assembly sponsor of A4929 not confirmed"
    assert public_clauses(text) == ("Sen. Gustavo Rivera (S3600)",
                                    "Assembly sponsor of A4929 not confirmed")
    assert public_clauses("Not confirmed in retrieved pages")[0] == ""


@pytest.mark.parametrize("text", [
    "none found (announced reintroduction of the Drug Policy Reform Act)",
    "none (campaign proposal 'DC Drug Policy Reform Act of 2021'; no Council bill number found)",
])
def test_a_number_with_nothing_public_left_is_blank(text):
    number, note = public_number(text)
    assert number == "" and text in note


def test_a_statute_note_keeps_the_law_and_drops_how_it_was_read():
    note = ("Statute text seen for 481.115: possession of under 1 g is a state jail felony. "
            "Firm pages confirm PG3 and PG4 small amounts start at Class A.")
    public, research = public_note(note)
    assert public == "Possession of under 1 g is a state jail felony."
    assert "Statute text seen for 481.115" in research and "Firm pages" in research
    public, _ = public_note("Nolo, Super Lawyers and a WV firm: possession is a misdemeanor. "
                            "Efforts in 2023-24 to make it a felony failed.")
    assert public == "Efforts in 2023-24 to make it a felony failed."
    public, _ = public_note("Pass 4: Statute text seen (flawfinder.ai mirror, updated "
                            "2026-03): ORS 475.794 (2)(a) makes possession a misdemeanor.")
    assert public == "ORS 475.794 (2)(a) makes possession a misdemeanor."


@pytest.mark.skipif(not (RAW / "state-laws" / "bills_pass3.csv").exists(), reason="no raw data")
def test_the_bills_of_the_third_pass_keep_their_remarks_for_editors():
    records = {b.key: _record(b) for b in read_bills_pass3(RAW)}
    oregon = records["or-2024-hb4002"]
    assert "check OLIS" in oregon.research_note and "Open States" in oregon.research_note
    assert not any("OLIS" in e.action or "Open States" in e.action for e in oregon.events)
    assert "stored" not in records["us-2023-dpra-announced"].summary
    assert records["us-2023-dpra-announced"].number == ""
