"""bills_pass3.csv reader: statuses mapped by the table, dated events, what each bill replaces."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from drugatlas import laws_vocabulary as vocab
from drugatlas.formatting import date_text
from drugatlas.sources import laws_bills_pass3 as pass3
from drugatlas.sources.laws_bills import read_bills
from drugatlas.sources.records import SourceError

D = dt.date


def by_key(bills):
    return {b.key: b for b in bills}


@pytest.fixture(scope="module")
def fixture_bills(fixtures_dir):
    return by_key(pass3.read_bills_pass3(fixtures_dir))


# --- the status table --------------------------------------------------------------------

def test_every_file_status_maps_to_a_project_status():
    assert vocab.RESEARCH_BILL_STATUS == {
        "introduced": "introduced", "in_committee": "introduced",
        "passed_one_chamber": "advanced", "passed_both": "advanced",
        "enacted": "enacted", "approved_by_voters": "enacted",
        "vetoed": "failed", "died": "failed", "withdrawn": "failed",
        "rejected_by_voters": "failed"}
    assert set(vocab.RESEARCH_BILL_STATUS.values()) <= set(vocab.BILL_STATUS_VALUES)


@pytest.mark.parametrize("action, stage", [
    ("Bill unveiled by Reps. Watson Coleman and Bush with the Drug Policy Alliance", "announced"),
    ("Introduced in House; referred to Judiciary and seven other committees", "introduced"),
    ("117th Congress ended; bill died in committee", "failed"),
    ("118th Congress ended; no introduced bill found", "failed"),
    ("Passed House, 77-62", "advanced"),
    ("Reported favorably by the joint committee", "advanced"),
    ("Special session: passed Senate 43-6 and House 83-13; signed by Gov. Jay Inslee", "enacted"),
    ("Approved by voters, 1,333,268 yes (58.46%) to 947,313 no", "enacted"),
    ("Took effect (December 2024)", "in_effect"),
    ("HB 4002 signed, repealing the decriminalization part", "repealed"),
    ("Decriminalization ended; possession again a crime", "repealed"),
    ("HB 4002 signed; initiatives not pursued", "failed"),
    ("Signature deadline passed (324,516 valid signatures were needed)", ""),
    ("Division of the Budget fiscal note issued to the committee", ""),
    ("Introduced in the Senate (year inferred from the 2026-07-01 effective date)", "introduced"),
])
def test_event_stages(action, stage):
    assert pass3.event_stage(action) == stage


# --- the fixture -------------------------------------------------------------------------

def test_status_kept_and_mapped(fixture_bills):
    ma = fixture_bills["ma-2021-h2119"]
    assert (ma.file_status, ma.status) == ("died", "failed")
    assert date_text(ma.status_date, ma.status_date_precision) == "2023-01"
    me = fixture_bills["me-2021-ld967"]
    assert (me.status, me.status_date, me.status_date_precision) == ("failed", D(2021, 6, 30),
                                                                     "day")


def test_later_stage_of_an_enacted_measure(fixture_bills):
    measure = fixture_bills["or-2020-measure110"]
    assert (measure.file_status, measure.status, measure.status_date) == (
        "approved_by_voters", "repealed", D(2024, 9, 1))
    sb5536 = fixture_bills["wa-2023-sb5536"]
    assert (sb5536.status, sb5536.status_date) == ("in_effect", D(2023, 7, 1))
    prop36 = fixture_bills["ca-2024-prop36"]
    assert date_text(prop36.status_date, prop36.status_date_precision) == "2024-12"
    assert prop36.status == "in_effect"


def test_proposals_and_unconfirmed_bills(fixture_bills):
    dpra = fixture_bills["us-2023-dpra-announced"]
    assert (dpra.abbr, dpra.file_status, dpra.status, dpra.listing) == (
        "US", "died", "announced", "proposal")
    assert dpra.status_date == D(2023, 6, 17)  # the announcement
    assert dpra.official_url == "" and dpra.other_urls
    ri = fixture_bills["ri-2025-h6026"]
    assert (ri.bill_type, ri.listing) == ("unconfirmed", "withheld")


def test_events_keep_their_precision(fixture_bills):
    ma = fixture_bills["ma-2021-h2119"].events
    assert [date_text(e.date, e.precision) for e in ma] == ["2021-02-19", "2021", "2022",
                                                            "2023-01"]
    assert [e.stage for e in ma] == ["introduced", "introduced", "advanced", "failed"]
    assert ma[0].action.startswith("Filed as House Docket 3439")


def test_structured_fields_and_sources(fixture_bills):
    ma = fixture_bills["ma-2021-h2119"]
    assert ma.official_url == "https://malegislature.gov/Bills/192/H2119.Html"
    assert ma.session == "2021–2022 regular session"
    assert (ma.confidence, ma.source) == ("high", "state-laws-bills-pass3")
    sb5536 = fixture_bills["wa-2023-sb5536"]
    for field in ("summary", "possession_change", "penalty_replacement", "sponsors"):
        assert getattr(sb5536, field), field


def test_replaces_names_the_old_key(fixtures_dir, fixture_bills):
    old = {b.key for b in read_bills(fixtures_dir / "state-laws" / "decrim_bills.csv", "x")}
    assert fixture_bills["or-2020-measure110"].replaces == "or-2020-measure-110"
    assert fixture_bills["me-2021-ld967"].replaces == "me-2021-ld-967"
    assert {b.replaces for b in fixture_bills.values()} - {""} == old
    assert fixture_bills["wa-2023-sb5536"].replaces == ""


# --- bad input ---------------------------------------------------------------------------

@pytest.fixture
def edited_bills(edited_raw, fixtures_dir):
    def make(old: str, new: str):
        raw = edited_raw(pass3.SOURCE, old, new)
        (raw / "state-laws" / "decrim_bills.csv").write_bytes(
            (fixtures_dir / "state-laws" / "decrim_bills.csv").read_bytes())
        return raw
    return make


def _error(raw) -> SourceError:
    with pytest.raises(SourceError) as err:
        pass3.read_bills_pass3(raw)
    return err.value


@pytest.mark.parametrize("old, new, row, column, message", [
    ("bill_id,jurisdiction", "id,jurisdiction", 0, "bill_id", "missing column"),
    ("ma-2021-h2119,MA", "ma-2021-h2119,ME", 3, "bill_id", "does not start with 'me'"),
    ("ma-2021-h2119,MA", "MA 2021 H2119,MA", 3, "bill_id", "not a bill id"),
    (",died,2023-01,", ",dead,2023-01,", 3, "status", "unknown status"),
    (",died,2023-01,", ",died,2023-13,", 3, "status_date", "not a date"),
    ("justice,decriminalization,Rep. Liz", "justice,legalization,Rep. Liz", 3,
     "bill_type", "unknown bill type"),
    ('"[{""date"": ""2021-02-19""', '"[{""day"": ""2021-02-19""', 3, "events", "event 1"),
    ('"[{""date"": ""2021-02-19""', '"[{""date"": ""2021-02-29""', 3, "events", "not a date"),
    ('"[{""date"": ""2021-02-19""', '"[{""date"": ""2022-02-19""', 3, "events",
     "comes before"),
    ('"[{""date"": ""2021-02-19""', '"{{""date"": ""2021-02-19""', 3, "events", "not JSON"),
    ("Existing row 3 ('H.2119')", "Existing row 2 ('H.2119')", 3, "change_from_existing",
     "is ME 'LD 967'"),
    ("Existing row 3 ('H.2119')", "Existing row 9 ('H.2119')", 3, "change_from_existing",
     "no row 9"),
    ("Existing row 3 ('H.2119')", "Row 3", 3, "change_from_existing", "expected"),
    (",high,Existing row 3", ",sure,Existing row 3", 3, "confidence", "unknown confidence"),
    ("https://malegislature.gov/Bills/192/H2119.Html", "malegislature.gov/H2119", 3,
     "official_url", "not a URL"),
])
def test_bad_cell_names_file_row_and_column(edited_bills, old, new, row, column, message):
    err = _error(edited_bills(old, new))
    assert (err.row, err.column) == (row, column)
    assert message in err.message
    assert err.file.endswith("state-laws/bills_pass3.csv")


def test_an_old_bill_is_replaced_once(fixtures_dir, tmp_path):
    (tmp_path / "state-laws").mkdir()
    for name in ("decrim_bills.csv", "bills_pass3.csv"):
        text = (fixtures_dir / "state-laws" / name).read_text(encoding="utf-8")
        if name == "bills_pass3.csv":  # Maine's row made a second successor of H.2119
            text = text.replace("me-2021-ld967,ME", "ma-2021-ld967,MA", 1).replace(
                "Existing row 2 ('LD 967')", "Existing row 3 ('H.2119')", 1)
        (tmp_path / "state-laws" / name).write_text(text, encoding="utf-8")
    err = _error(tmp_path)
    assert (err.row, err.column) == (4, "change_from_existing")
    assert "duplicate 'ma-2021-h-2119' (first at row 3)" in err.message


# --- the real file -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(raw_dir):
    return pass3.read_bills_pass3(raw_dir)


@pytest.mark.rawdata
def test_real_counts_match_provenance(real):
    assert len(real) == 53
    assert Counter(b.bill_type for b in real) == {
        "decriminalization": 32, "defelonization": 7, "recriminalization": 7, "study": 2,
        "narrow": 2, "proposal_not_introduced": 2, "unconfirmed": 1}
    assert Counter(b.confidence for b in real) == {"high": 14, "medium": 30, "low": 9}
    # The 33 bills of decrim_bills.csv re-researched, each once, plus 20 it missed.
    assert sum(1 for b in real if b.replaces) == 33
    assert sum(1 for b in real if not b.replaces) == 20
    assert Counter(b.file_status for b in real) == {
        "died": 36, "enacted": 5, "in_committee": 5, "withdrawn": 3, "approved_by_voters": 2,
        "passed_both": 1, "introduced": 1}
    assert Counter(b.status for b in real) == {
        "failed": 37, "introduced": 6, "in_effect": 3, "enacted": 3, "announced": 2,
        "advanced": 1, "repealed": 1}
    assert Counter(b.listing for b in real) == {"bill": 50, "proposal": 2, "withheld": 1}
    assert sum(len(b.events) for b in real) == 154


@pytest.mark.rawdata
def test_real_replaces_every_old_bill_once(raw_dir, real):
    old = {b.key for b in read_bills(raw_dir / "state-laws" / "decrim_bills.csv", "x")}
    assert {b.replaces for b in real if b.replaces} == old
    bills = by_key(real)
    assert bills["ny-2025-s3600"].replaces == "ny-2025-s3600-a4929"
    assert bills["dc-2021-drug-policy-reform-proposal"].replaces == \
        "dc-2021-district-of-columbia-drug-policy-reform-act-of-2021"


@pytest.mark.rawdata
def test_real_corrections_named_in_provenance(real):
    bills = by_key(real)
    h422 = bills["vt-2021-h422"].events[0]  # introduced March 2021, not 2021-05-26
    assert (date_text(h422.date, h422.precision), h422.stage) == ("2021-03", "introduced")
    assert bills["me-2021-ld967"].title == ("An Act To Make Possession of Scheduled Drugs for "
                                            "Personal Use a Civil Penalty")
    s604 = bills["ri-2021-s604"].events[0]
    assert (s604.date, s604.stage) == (D(2021, 3, 11), "introduced")
    assert bills["tx-2023-hb4914"].replaces == ""  # the bill behind the DPA map's Texas "Yes"
    assert bills["us-2021-hr4020"].official_url.startswith("https://www.congress.gov/")
    assert bills["us-2021-hr4020"].session == "117th Congress"


@pytest.mark.rawdata
def test_real_statuses_and_events_are_in_the_vocabulary(real):
    for bill in real:
        assert bill.status in vocab.BILL_STATUS_VALUES
        assert bill.bill_type in vocab.BILL_TYPE_VALUES
        assert bill.official_url or bill.other_urls
        assert {e.stage for e in bill.events} <= {"", *vocab.BILL_STATUS_VALUES}
        assert all(e.precision in ("day", "month", "year") for e in bill.events)
    stages = Counter(e.stage for b in real for e in b.events)
    assert stages[""] == 14
    bills = by_key(real)
    assert [e.stage for e in bills["or-2024-hb4002"].events] == [
        "introduced", "introduced", "", "advanced", "advanced", "enacted", "in_effect"]


@pytest.mark.rawdata
def test_real_source_is_the_file_read(raw_dir):
    source = pass3.SOURCE.with_checksum(raw_dir)
    assert len(source.sha256) == 64 and source.retrieved == "2026-12-05"
    assert source.licence == "CC BY 4.0 (project research; each cell cites its sources)"
    assert "not legal advice" in source.caveats.lower()
