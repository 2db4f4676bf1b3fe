"""`data diff` on small tables: new periods, revisions and their size, values that went away,
legal records, the flagged changes `data load` refuses, and the text and JSON forms."""
from __future__ import annotations

import json

import pytest

from drugatlas.pipeline import diff

VSRR = "nchs-vsrr-provisional-overdose"
DEATHS = "overdose_deaths_12mo_provisional"


def obs(measure, place, period, value, flags="provisional", source=VSRR):
    return {"measure": measure, "jurisdiction": place, "period": period, "value": value,
            "flags": flags, "source": source}


def source(id_=VSRR, **fields):
    return {"id": id_, "publisher": "CDC NCHS", "title": "VSRR Provisional Drug Overdose Death "
            "Counts", "url": "https://data.cdc.gov/x", "file": "cdc/v.csv",
            "retrieved": "2025-07-17", "sha256": "a", "licence": "", "caveats": "", **fields}


PLACES = [{"fips": f, "abbr": a, "name": n, "kind": k, "parent": ""} for f, a, n, k in (
    ("00", "US", "United States", "nation"), ("39", "OH", "Ohio", "state"),
    ("48", "TX", "Texas", "state"), ("39035", "", "Cuyahoga County", "county"))]

LAW = {"jurisdiction": "39", "topic": "possession", "status": "felony", "valid_from": "",
       "valid_to": "", "statute": "ORC 2925.11", "citations": "https://codes.ohio.gov/x",
       "confidence": "high", "note": "", "source": "state-laws-possession", "origin": "bundle"}
BILL = {"key": "oh-2025-hb1", "jurisdiction": "39", "number": "HB 1", "session": "2025",
        "title": "Decriminalize", "summary": "", "status": "introduced",
        "status_date": "2025-02-01", "citations": "https://x", "confidence": "high", "note": "",
        "threshold": "", "penalty": "", "diversion": "", "funding": "", "sponsors": "",
        "source": "state-laws-decrim-bills", "origin": "bundle"}
EVENT = {"bill_key": "oh-2025-hb1", "date": "2025-02-01", "action": "Introduced",
         "status": "introduced", "url": ""}


def tables(observations=(), sources=(source(),), laws=(), bills=(), events=()):
    data = {"observations": observations, "sources": sources, "jurisdictions": PLACES,
            "laws": laws, "bills": bills, "bill_events": events}
    return lambda table: [dict(row) for row in data[table]]


OLD = [obs(DEATHS, "00", "2024-01", "100000"), obs(DEATHS, "39", "2024-01", "5000"),
       obs(DEATHS, "48", "2024-01", "4000"), obs(DEATHS, "39", "2024-12", "3000"),
       obs(DEATHS, "48", "2024-12", "4100"),
       obs("overdose_deaths_12mo_methadone", "39", "2024-12", "5"),
       obs("overdose_death_rate_crude", "39", "2024", "25.0", source="derived"),
       obs(DEATHS, "39035", "2024-12", "800"), obs(DEATHS, "48", "2024-11", "", "suppressed")]
NEW = [obs(DEATHS, "00", "2024-01", "100000"), obs(DEATHS, "39", "2024-01", "5000"),
       obs(DEATHS, "48", "2024-01", "4000"),
       obs(DEATHS, "39", "2024-12", "3750"),  # +25%: flagged
       obs(DEATHS, "48", "2024-12", "4180"),  # +2%: not flagged
       obs("overdose_deaths_12mo_methadone", "39", "2024-12", "12"),  # +140% but only 7 deaths
       obs("overdose_death_rate_crude", "39", "2024", "30.0", source="derived"),  # +20%, a rate
       obs(DEATHS, "48", "2024-11", "3900"),  # was suppressed: filled
       obs(DEATHS, "00", "2025-01", "98000"), obs(DEATHS, "39", "2025-01", "4200"),
       obs(DEATHS, "48", "2025-01", "3950"), obs(DEATHS, "39035", "2025-01", "", "suppressed")]
# Cuyahoga 2024-12 (800) is gone from NEW: a value that disappeared.


@pytest.fixture(scope="module")
def changes():
    new_sources = [source(retrieved="2025-09-14", sha256="b"), source("derived")]
    return diff.compare(tables(OLD, [source(), source("derived")]), tables(NEW, new_sources),
                        old_label="loaded", new_label="bundle", old_version="v1",
                        new_version="v2")


def _measure(changes, slug, source_id=VSRR):
    s = next(s for s in changes["sources"] if s["id"] == source_id)
    return next(m for m in s["measures"] if m["measure"] == slug)


def test_new_period_counts_states_updated_and_keeps_a_year_earlier(changes):
    vsrr = next(s for s in changes["sources"] if s["id"] == VSRR)
    summary = vsrr["summary"]
    assert summary["new_periods"] == ["2025-01"]
    assert summary["newest_period"] == {"old": "2024-12", "new": "2025-01"}
    assert summary["states_updated"] == 2, "Ohio and Texas; not the nation, not a county"
    assert summary["places_updated"] == 3, "with the nation; Cuyahoga has no data"
    assert summary["revised_periods"] == ["2024-11", "2024-12"]
    ohio = next(r for r in _measure(changes, DEATHS)["added"] if r["place"] == "39")
    assert ohio == {"place": "39", "period": "2025-01", "value": 4200, "flags": "provisional",
                    "new_period": True, "year_earlier": 5000}


def test_revisions_carry_old_new_and_size_and_large_ones_are_flagged(changes):
    revised = {r["place"]: r for r in _measure(changes, DEATHS)["revised"]}
    assert revised["39"] == {"place": "39", "period": "2024-12", "old": 3000, "new": 3750,
                             "change": 750, "relative": 0.25, "flagged": True}
    assert revised["48"]["relative"] == 0.0195 and not revised["48"]["flagged"]
    small = _measure(changes, "overdose_deaths_12mo_methadone")["revised"][0]
    assert small["relative"] == 1.4 and not small["flagged"], "a count that moved by under 10"
    rate = _measure(changes, "overdose_death_rate_crude", "derived")["revised"][0]
    assert rate["flagged"], "a rate is judged on its relative change alone"


def test_values_that_went_away_are_flagged_and_no_data_filled_is_not(changes):
    removed = _measure(changes, DEATHS)["removed"]
    assert removed == [{"place": "39035", "period": "2024-12", "old": 800,
                        "flags": "provisional", "why": "gone", "flagged": True}]
    filled = _measure(changes, DEATHS)["filled"]
    assert [(r["place"], r["period"], r["value"]) for r in filled] == [("48", "2024-11", 3900)]


def test_source_record_changes_are_listed(changes):
    vsrr = next(s for s in changes["sources"] if s["id"] == VSRR)
    assert vsrr["changed_fields"] == {"retrieved": ["2025-07-17", "2025-09-14"],
                                      "sha256": ["a", "b"]}
    assert vsrr["retrieved"] == {"old": "2025-07-17", "new": "2025-09-14"}


def test_flagged_changes_and_the_loads_refusal(changes):
    items = diff.flagged(changes)
    assert [(i["kind"], i["measure"], i["place"]) for i in items] == [
        ("removed", DEATHS, "39035"), ("revised", DEATHS, "39"),
        ("revised", "overdose_death_rate_crude", "39")]
    assert changes["totals"]["flagged"] == 3
    reason = diff.refusal(changes)
    assert reason.startswith("2 revision(s) beyond 10% and 1 value(s) that disappeared")
    assert "Cuyahoga County 2024-12: 800 -> gone" in reason
    assert "--accept-revisions" in reason


def test_threshold_is_a_parameter():
    loose = diff.compare(tables(OLD), tables(NEW), threshold=0.5)
    assert [i["kind"] for i in diff.flagged(loose)] == ["removed"]


def test_identical_tables_have_no_changes():
    same = diff.compare(tables(OLD), tables(OLD))
    assert same["sources"] == [] and diff.refusal(same) is None
    assert "No changes." in diff.render_text(same)


def test_nothing_loaded_means_everything_is_new():
    first = diff.compare(diff.no_tables, tables(NEW))
    assert first["totals"]["added"] == len(NEW) and diff.refusal(first) is None


def test_legal_records_added_changed_and_removed():
    old = tables(laws=[LAW, {**LAW, "topic": "paraphernalia", "status": "misdemeanor"}],
                 bills=[BILL], events=[EVENT])
    new = tables(laws=[{**LAW, "valid_to": "2025-04-08"},
                       {**LAW, "valid_from": "2025-04-09", "status": "misdemeanor"}],
                 bills=[{**BILL, "status": "enacted", "status_date": "2025-04-01"}],
                 events=[EVENT, {**EVENT, "date": "2025-04-01", "action": "Signed",
                                 "status": "enacted"}])
    legal = diff.compare(old, new)["legal"]
    assert [(law["topic"], law["valid_from"], law["status"]) for law in legal["laws"]["added"]] \
        == [("possession", "2025-04-09", "misdemeanor")]
    assert legal["laws"]["changed"] == [{"jurisdiction": "39", "topic": "possession",
                                         "valid_from": "", "editor_owned": False,
                                         "fields": {"valid_to": ["", "2025-04-08"]}}]
    assert [law["topic"] for law in legal["laws"]["removed"]] == ["paraphernalia"]
    bill = legal["bills"]["changed"][0]
    assert bill["fields"]["status"] == ["introduced", "enacted"]
    assert [e["action"] for e in bill["events_added"]] == ["Signed"]


def test_text_names_places_periods_and_sizes(changes):
    text = diff.render_text(changes)
    assert "Changes from loaded (v1) to bundle (v2)" in text
    assert ("through 2025-01 (was 2024-12): 1 new period(s) (2025-01), 2 states updated; "
            "2 earlier period(s) revised") in text
    assert "! overdose_deaths_12mo_provisional, Ohio 2024-12: 3,000 -> 3,750 (+750, +25.0%)" \
        in text
    assert "new 2025-01: 3 value(s), e.g. United States 98,000" in text
    assert "3 change(s) flagged" in text


def test_json_form_round_trips(changes):
    assert json.loads(json.dumps(changes)) == changes
    assert changes["format"] == 1 and changes["places"]["39035"] == "Cuyahoga County"


def test_release_summary_keeps_summaries_and_new_figures_only(changes):
    summary = diff.release_summary(changes)
    vsrr = next(s for s in summary["sources"] if s["id"] == VSRR)
    assert vsrr["summary"]["states_updated"] == 2
    deaths = next(m for m in vsrr["measures"] if m["measure"] == DEATHS)
    assert deaths["new_figures"] == [
        {"place": "00", "period": "2025-01", "value": 98000, "year_earlier": 100000},
        {"place": "39", "period": "2025-01", "value": 4200, "year_earlier": 5000},
        {"place": "48", "period": "2025-01", "value": 3950, "year_earlier": 4000}]
    assert "revised" not in deaths and deaths["counts"]["revised"] == 2
    assert summary["places"] == {"00": "United States", "39": "Ohio", "48": "Texas"}
    assert json.loads(json.dumps(summary)) == summary
