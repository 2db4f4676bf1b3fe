"""State-laws reader: dated intervals, harm-reduction layers, bills, bad input and PROVENANCE."""
from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter, defaultdict

import pytest

from drugatlas import laws_vocabulary as vocab
from drugatlas.sources import laws, laws_bills_pass3, laws_statutes
from drugatlas.sources.laws_bills import bill_status
from drugatlas.sources.laws_changes import Implication, classify
from drugatlas.sources.records import SourceError

D = dt.date
# Unknown before the first dated source (the supplement's 2011 felony), never copied back.
OREGON_POSSESSION = [
    ("unknown", None, D(2010, 12, 31)),
    ("felony", D(2011, 1, 1), D(2017, 7, 31)),
    ("misdemeanor", D(2017, 8, 1), D(2021, 1, 31)),
    ("not_criminalized", D(2021, 2, 1), D(2024, 8, 31)),
    ("misdemeanor", D(2024, 9, 1), None),
]


def _history(result, abbr: str, topic: str):
    found = [law for law in result.laws if law.abbr == abbr and law.topic == topic]
    return sorted(found, key=lambda law: law.valid_from or D.min)


def _spans(result, abbr: str, topic: str):
    return [(law.status, law.valid_from, law.valid_to) for law in _history(result, abbr, topic)]


def _as_of(result, topic: str, day: dt.date) -> dict[str, object]:
    return {law.abbr: law for law in result.laws if law.topic == topic
            and (law.valid_from is None or law.valid_from <= day)
            and (law.valid_to is None or day <= law.valid_to)}


def _bill(result, key: str):
    (bill,) = [b for b in result.bills if b.key == key]
    return bill


@pytest.fixture(scope="module")
def real(raw_dir):
    return laws.read(raw_dir)


# --- the small fixture -------------------------------------------------------------------

def test_fixture_oregon_possession_is_dated_with_citations(fixtures_dir):
    result = laws.read(fixtures_dir)
    assert _spans(result, "OR", "possession") == OREGON_POSSESSION
    history = _history(result, "OR", "possession")
    assert all(law.citations for law in history[1:]) and not history[0].citations
    # Dates keep their precision: 2011 is a year, HB 2355 a month (August 2017).
    assert [law.valid_from_precision for law in history[1:3]] == ["year", "month"]
    assert [law.valid_to_precision for law in history[:2]] == ["year", "month"]
    felony = history[1]
    assert felony.statute.startswith("ORS 475.752(3)") and "Class B felony" in felony.grade
    # The statute is the primary citation of the interval statutes.csv describes.
    now = history[-1]
    assert now.statute_url and now.citations[0] == now.statute_url
    assert now.grade and now.max_penalty


def test_fixture_sources_name_each_file(fixtures_dir):
    result = laws.read(fixtures_dir)
    assert [s.file for s in result.sources] == [
        "state-laws/possession_paraphernalia.csv", "state-laws/law_changes.csv",
        "state-laws/harm_reduction_laws.csv", "state-laws/decrim_bills.csv",
        "state-laws/statutes.csv", "drugatlas/sources/research/law_changes_supplement.csv",
        "state-laws/bills_pass3.csv"]
    for source in result.sources:
        assert source.publisher == "Drug Policy Atlas legal research"
        assert source.licence == "CC BY 4.0 (project research; each cell cites its sources)"
        assert "not legal advice" in source.caveats
        assert (fixtures_dir / source.file).is_file() or source.sha256
    assert {law.source for law in result.laws} <= {s.id for s in result.sources}


def test_change_with_prior_class_dates_both_sides(fixtures_dir):
    # HI 2017: "reduced from class C felony to a violation ... (per 2017 blog)", a year-only date.
    result = laws.read(fixtures_dir)
    before, after = _history(result, "HI", "paraphernalia")
    assert (before.status, before.valid_to, before.confidence) == ("felony", D(2016, 12, 31), "low")
    assert (after.status, after.valid_from) == ("not_criminalized", D(2017, 1, 1))
    assert after.valid_from_precision == before.valid_to_precision == "year"
    assert "month not known" in after.research_note
    assert after.statute == "HRS 329-43.5(a)"


def test_harm_reduction_year_gives_a_no_interval_before(fixtures_dir):
    result = laws.read(fixtures_dir)
    assert _spans(result, "AK", "good_samaritan") == [
        ("no", None, D(2013, 12, 31)), ("yes", D(2014, 1, 1), None)]
    # A dated law_changes row refines the year of harm_reduction_laws.csv to the day.
    strips = _history(result, "HI", "test_strips")
    assert [(s.status, s.valid_from) for s in strips] == [("not_legal", None),
                                                          ("legal", D(2023, 6, 22))]
    assert "https://www.hawaiipublicradio.org/local-news/2023-06-23/fentanyl-testing-physician-" \
           "training-among-measures-signed-into-law" in strips[1].citations
    # The research file's words are for editors; nothing is shown as a research note.
    assert "Research file: 'legal (excluded from paraphernalia definition)'" in \
        strips[1].research_note
    assert strips[1].note == ""


def test_change_that_sets_no_status_stays_a_note(fixtures_dir):
    before_110 = _history(laws.read(fixtures_dir), "OR", "possession")[2]
    assert "2020-11-03: Measure 110 approved by voters" in before_110.research_note
    assert "approved by voters" not in before_110.note


def test_fixture_bills_are_the_third_pass(fixtures_dir):
    result = laws.read(fixtures_dir)
    measure = _bill(result, "or-2020-measure110")
    assert (measure.status, measure.status_date) == ("repealed", D(2024, 9, 1))
    assert measure.replaces == "or-2020-measure-110"  # the first file's key: old links redirect
    assert [(e.date, e.status) for e in measure.events][:2] == [
        (D(2020, 11, 3), "enacted"), (D(2021, 2, 1), "in_effect")]
    mass = _bill(result, "ma-2021-h2119")
    assert mass.official_url == "https://malegislature.gov/Bills/192/H2119.Html"
    assert mass.citations[0] == mass.official_url
    # A year-only event keeps its precision.
    assert [(e.date, e.precision) for e in mass.events][1] == (D(2021, 1, 1), "year")
    # RI H 6026's content is unconfirmed: withheld from the pages.
    assert "ri-2025-h6026" not in {b.key for b in result.bills}
    assert all(b.note == "" for b in result.bills if b.source == "state-laws-bills-pass3")


def test_decriminalization_layer_follows_the_measure(fixtures_dir):
    assert _spans(laws.read(fixtures_dir), "OR", "decriminalization") == [
        ("enacted", D(2020, 11, 3), D(2021, 1, 31)),
        ("in_effect", D(2021, 2, 1), D(2024, 8, 31)),
        ("none", D(2024, 9, 1), None)]


# --- bad input ---------------------------------------------------------------------------

@pytest.fixture
def edited_laws(edited_raw, fixtures_dir):
    """The four fixture files in a temporary raw folder, one of them edited (see edited_raw)."""
    def make(source, old: str, new: str):
        raw = edited_raw(source, old, new)
        for other in (*laws.SOURCES, laws_statutes.SOURCE, laws_bills_pass3.SOURCE):
            if not (raw / other.file).exists():
                shutil.copy(fixtures_dir / other.file, raw / other.file)
        return raw

    return make


def _error(raw) -> SourceError:
    with pytest.raises(SourceError) as err:
        laws.read(raw)
    return err.value


def test_changed_header_is_refused(edited_laws):
    err = _error(edited_laws(laws.CLASSES, "possession_class,", "possession_category,"))
    assert (err.row, err.column) == (0, "possession_class")
    assert err.file.endswith("possession_paraphernalia.csv")


def test_unknown_state_is_refused(edited_laws):
    err = _error(edited_laws(laws.CHANGES, "OR,2021-02-01,", "OX,2021-02-01,"))
    assert (err.row, err.column) == (5, "state_abbr")
    assert "OX" in err.message


def test_nation_is_not_a_state_here(edited_laws):
    err = _error(edited_laws(laws.HARM_REDUCTION, "AK,Alaska,", "US,Alaska,"))
    assert (err.row, err.column) == (1, "state_abbr")


@pytest.mark.parametrize("source, old, new, row, column", [
    (laws.CHANGES, "OR,2021-02-01,", "OR,2021-02-30,", 5, "date"),
    (laws.CHANGES, "AK,2016,", "AK,circa 2016,", 1, "date"),
    (laws.BILLS, ",2020-11-03,", ",Nov 3 2020,", 1, "status_date"),
    (laws.CLASSES, ",2024-09-01,", ",2024-9-1,", 3, "as_of"),
    (laws.HARM_REDUCTION, "yes,2014,", "yes,2014?,", 1, "good_samaritan_year"),
])
def test_bad_date_is_refused(edited_laws, source, old, new, row, column):
    err = _error(edited_laws(source, old, new))
    assert (err.row, err.column) == (row, column)


@pytest.mark.parametrize("source, old, new, row, column", [
    (laws.CLASSES, "HI,Hawaii,", "OR,Oregon,", 3, "state_abbr"),
    (laws.HARM_REDUCTION, "HI,Hawaii,", "AK,Alaska,", 2, "state_abbr"),
    (laws.BILLS, "ME,LD 967,2021,", "OR,Ballot Measure 110,2020,", 2, "bill"),
    (laws.CHANGES, "OR,2020-11-03,Measure 110 approved by voters,",
     "OR,2021-02-01,Measure 110 in effect: personal-use possession a Class E violation ($100 fine)"
     " - decriminalized,", 5, "change"),
])
def test_duplicate_key_is_refused(edited_laws, source, old, new, row, column):
    err = _error(edited_laws(source, old, new))
    assert (err.row, err.column) == (row, column)
    assert "duplicate" in err.message


@pytest.mark.parametrize("source, old, new, row, column", [
    (laws.CLASSES, "OR,Oregon,misdemeanor,", "OR,Oregon,misdemeanour,", 3, "possession_class"),
    (laws.HARM_REDUCTION, "legal (excluded from paraphernalia definition)", "perhaps", 2,
     "fentanyl_test_strips_status"),
    (laws.BILLS, "ballot measure passed; later partly repealed", "pondered", 1, "status"),
    (laws.CHANGES, "https://docslib.org/doc/1409181", "docslib.org/doc/1409181", 1, "source_url"),
])
def test_unreadable_cell_is_refused(edited_laws, source, old, new, row, column):
    err = _error(edited_laws(source, old, new))
    assert (err.row, err.column) == (row, column)


def test_status_without_a_source_is_refused(edited_laws):
    url = "https://www.scribd.com/doc/252428227/DPA-Fact-Sheet-State-based-Overdose-Prevention-" \
          "Legislation-Jan2015-pdf"
    err = _error(edited_laws(laws.HARM_REDUCTION, f"yes,2014,{url},", "yes,2014,,"))
    assert (err.row, err.column) == (1, "good_samaritan_source")


# --- reading change sentences and bill statuses ------------------------------------------

@pytest.mark.parametrize("text, implies, unread", [
    ("Proposition 47 reclassified drug possession from felony to misdemeanor",
     [Implication("possession", "misdemeanor", "felony")], []),
    ("SB 91 reclassified drug possession as a misdemeanor",
     [Implication("possession", "misdemeanor")], []),
    ("State v. Blake: Washington Supreme Court struck down strict-liability felony possession "
     "statute (no state possession crime until SB 5476)",
     [Implication("possession", "not_criminalized", "felony")], []),
    ("Drug paraphernalia possession/delivery and drug residue decriminalized; syringe services "
     "authorized (2023 omnibus public safety law)",
     [Implication("paraphernalia", "not_criminalized"), Implication("syringe_services", "yes")],
     []),
    ("SB 174 signed: fentanyl test strips decriminalized (in effect July 2023); also raised "
     "penalties for fentanyl manufacture/distribution", [Implication("test_strips", "legal")], []),
    # Not read: no change of class, marijuana only, a failed bill, no topic.
    ("AB 236 (2019 Justice Reinvestment) revised possession penalties (category E felony for "
     "1st/2nd offense Sched I-IV)", [], ["possession"]),
    ("HB 165 replaced jail penalties for marijuana paraphernalia with civil fines", [],
     ["paraphernalia"]),
    ("LD 967 (all-drug decriminalization) failed in Senate 14-18 after passing House", [],
     ["possession"]),
    ("Measure 110 approved by voters", [], ["possession"]),
])
def test_change_sentences(text, implies, unread):
    assert classify(text) == (tuple(implies), tuple(unread))


@pytest.mark.parametrize("text, status", [
    ("introduced (in Assembly Codes committee)", "introduced"),
    ("filed", "introduced"),
    ("announced (introduction not verified)", "announced"),
    ("proposal by #DecrimPovertyDC", "announced"),
    ("reported favorably by Joint Committee", "advanced"),
    ("passed Senate committee (advanced)", "advanced"),
    ("enacted in amended form (NOT decriminalization)", "enacted"),
    ("did not pass chamber", "failed"),
    ("died in committee", "failed"),
    ("later partly repealed", "repealed"),
    ("no stage named", None),
])
def test_bill_status_words(text, status):
    assert bill_status(text) == status


# --- the real files ----------------------------------------------------------------------

def test_oregon_possession_history(real):
    assert _spans(real, "OR", "possession") == OREGON_POSSESSION
    history = _history(real, "OR", "possession")
    assert all(law.citations for law in history[1:])
    kxl = "https://www.kxl.com/changes-to-measure-110-headed-to-house-floor/"
    assert kxl in history[-1].citations[1:]  # secondary, after the statute page
    assert _as_of(real, "possession", D(2016, 1, 1))["OR"].status == "felony"
    assert _spans(real, "OR", "decriminalization")[1] == (
        "in_effect", D(2021, 2, 1), D(2024, 8, 31))


def test_washington_possession_history(real):
    # Blake (Feb 2021), SB 5476 (year-only row, dated by the row on the same act), SB 5536.
    assert _spans(real, "WA", "possession") == [
        ("felony", None, D(2021, 1, 31)),
        ("not_criminalized", D(2021, 2, 1), D(2021, 5, 12)),
        ("misdemeanor", D(2021, 5, 13), D(2023, 6, 30)),
        ("misdemeanor", D(2023, 7, 1), None)]


def test_intervals_are_contiguous_and_do_not_overlap(real):
    by_key = defaultdict(list)
    for law in real.laws:
        by_key[law.abbr, law.topic].append(law)
    for (abbr, topic), history in by_key.items():
        history.sort(key=lambda law: law.valid_from or D.min)
        assert history[-1].valid_to is None, (abbr, topic)
        if topic != "decriminalization":  # Measure 110's layer starts with the vote
            assert history[0].valid_from is None, (abbr, topic)
        for before, after in zip(history, history[1:]):
            assert after.valid_from == before.valid_to + dt.timedelta(days=1), (abbr, topic)


def test_every_state_has_every_topic(real):
    topics = set(vocab.TOPICS) - {"decriminalization"}
    have = {(law.abbr, law.topic) for law in real.laws}
    assert len({abbr for abbr, _ in have}) == 51
    for abbr in {abbr for abbr, _ in have}:
        assert topics <= {t for a, t in have if a == abbr}, abbr
    assert {law.abbr for law in real.laws if law.topic == "decriminalization"} == {"OR"}


def test_every_known_status_cites_a_url(real):
    for law in real.laws:
        assert all(url.startswith(("http://", "https://")) for url in law.citations)
        if law.status != vocab.UNKNOWN:
            assert law.citations, law
        else:
            assert law.confidence == vocab.UNKNOWN
    for bill in real.bills:
        assert bill.citations and all(e.url == bill.citations[0] for e in bill.events)


def test_every_class_in_force_is_cited_to_its_statute(real):
    for topic in ("possession", "paraphernalia"):
        for abbr, law in _as_of(real, topic, D(2026, 1, 1)).items():
            assert law.statute and law.grade, (abbr, topic)
            if law.statute_url:
                assert law.citations[0] == law.statute_url, (abbr, topic)
            assert not any("worldpopulationreview" in url for url in law.citations[:1]), abbr


def test_every_status_is_in_the_vocabulary(real):
    for law in real.laws:
        assert vocab.is_valid(law.topic, law.status), law
        assert law.confidence in vocab.CONFIDENCE
    for bill in real.bills:
        assert bill.status in vocab.BILL_STATUS_VALUES
        assert {e.status for e in bill.events} <= set(vocab.BILL_STATUS_VALUES)
        assert bill.confidence in vocab.CONFIDENCE


def test_vocabulary_values_used_by_the_data(real):
    used = {(law.topic, law.status) for law in real.laws}
    unused = {(t.slug, s.value) for t in vocab.TOPICS.values() for s in t.statuses} - used
    # Values the research does not (yet) reach, kept so editors and maps can say them.
    assert unused == {
        ("naloxone", "no"), ("adult_use_marijuana", "unknown"),
        ("overdose_prevention_centers", "unknown"), ("decriminalization", "introduced"),
        ("decriminalization", "advanced")}
    bill_statuses = {e.status for b in real.bills for e in b.events}
    assert bill_statuses == set(vocab.BILL_STATUS_VALUES)


def test_current_classes_match_provenance(real):
    # PROVENANCE (fourth pass of statutes.csv): possession 25 high, 25 medium, 1 low (SC);
    # paraphernalia unknown 0 and not_criminalized 18.
    possession = _as_of(real, "possession", D(2025, 12, 31))
    paraphernalia = _as_of(real, "paraphernalia", D(2025, 12, 31))
    assert len(possession) == len(paraphernalia) == 51
    assert Counter(law.status for law in possession.values()) == {
        "misdemeanor": 24, "both": 14, "felony": 13}
    assert Counter(law.confidence for law in possession.values()) == {
        "high": 25, "medium": 25, "low": 1}
    assert possession["SC"].confidence == "low"
    assert Counter(law.status for law in paraphernalia.values()) == {
        "misdemeanor": 30, "not_criminalized": 18, "both": 2, "felony": 1}
    assert (possession["ID"].status, possession["KY"].status) == ("both", "both")
    assert possession["AL"].statute == "Ala. Code § 13A-12-212(a)(1), (b)"
    assert (possession["AL"].valid_from, possession["AL"].valid_from_precision) == (
        D(2016, 1, 30), "day")


def test_history_before_reforms(real):
    on = D(2010, 1, 1)
    possession = _as_of(real, "possession", on)
    assert {a: possession[a].status for a in ("CA", "RI", "WA", "OR", "AK", "CT", "UT", "OK")} == {
        # Only a class a change names as the one it replaced holds before it; Oregon's
        # first dated source is 2011, so 2010 is unknown, not the later class copied back.
        "CA": "felony", "RI": "felony", "WA": "felony", "OR": "unknown",
        # "reclassified as a misdemeanor" does not say the class before: not guessed.
        "AK": "unknown", "CT": "unknown", "UT": "unknown", "OK": "unknown"}


def test_harm_reduction_matches_provenance(real):
    now = D(2025, 7, 1)
    good_samaritan = _as_of(real, "good_samaritan", now)
    assert {law.status for law in good_samaritan.values()} == {"yes"}  # WY in effect 2025-07-01
    assert _as_of(real, "good_samaritan", D(2025, 6, 30))["WY"].status == "no"
    laws = [law for law in real.laws if law.topic == "good_samaritan" and law.status == "yes"]
    dated = {law.abbr for law in laws if law.date_basis != "attested"}
    assert len(dated) == 25 + 8  # years known for 25; a 2016-12-02..2018-07-01 range for 8
    # The other 18 have no date: known only from the source's "as of 2024-02", unknown before.
    attested = {law.abbr: (law.valid_from, law.valid_from_precision) for law in laws
                if law.date_basis == "attested"}
    assert len(attested) == 18 and attested["TX"] == (D(2024, 2, 1), "month")
    assert all(law.valid_from for law in laws)
    assert _as_of(real, "good_samaritan", D(2010, 1, 1))["TX"].status == "unknown"
    ranged = {law.abbr for law in real.laws if law.topic == "good_samaritan"
              and law.status == "unknown" and law.valid_from is not None}
    assert ranged == {"AZ", "ID", "IA", "MO", "MT", "NE", "SC", "SD"}
    researched = D(2026, 11, 23)  # the file's research day: the date of its undated cells
    assert Counter(law.status for law in _as_of(real, "test_strips", researched).values()) == {
        "legal": 24, "not_legal": 3, "unknown": 24}
    # Five legal cells carry no date: before the research day they are not known.
    assert Counter(law.status for law in _as_of(real, "test_strips", now).values()) == {
        "legal": 19, "not_legal": 3, "unknown": 29}
    assert Counter(law.status for law in _as_of(real, "syringe_services", researched).values()) \
        == {"unknown": 38, "no": 11, "yes": 2}
    centers = _as_of(real, "overdose_prevention_centers", now)
    assert {a for a, law in centers.items() if law.status != "none"} == {"RI", "MN", "VT", "NY"}
    assert centers["NY"].status == "operating"
    assert _history(real, "RI", "overdose_prevention_centers")[1].valid_from == D(2022, 3, 1)
    assert Counter(law.status for law in _as_of(real, "adult_use_marijuana", now).values()) == {
        "yes": 25, "no": 26}
    assert {law.status for law in _as_of(real, "naloxone", researched).values()} == {"yes"}
    assert {law.status for law in _as_of(real, "naloxone", now).values()} == {"unknown"}


def test_every_change_row_is_used_or_noted(real, raw_dir):
    from drugatlas.sources.laws_changes import read_changes
    changes = read_changes(raw_dir / "state-laws" / "law_changes.csv")
    assert len(changes) == 33
    for change in changes:
        mine = [law for law in real.laws if law.abbr == change.abbr]
        assert any(change.citations[0] in law.citations or change.text in law.research_note
                   for law in mine), change.text


def test_bills_match_provenance(real):
    # bills_pass3.csv: 53 bills, RI H 6026 withheld (content unconfirmed).
    assert len(real.bills) == len({b.key for b in real.bills}) == 52
    assert Counter(b.status for b in real.bills) == {
        "failed": 36, "introduced": 6, "in_effect": 3, "enacted": 3, "announced": 2,
        "advanced": 1, "repealed": 1}
    ny = _bill(real, "ny-2025-s3600")
    assert ny.replaces == "ny-2025-s3600-a4929"
    assert _bill(real, "ma-2021-h2119").official_url.startswith("https://malegislature.gov/")
    assert ny.session == "2025–2026 regular session"
    assert all("retrieved excerpts" not in b.summary and "Reddit" not in b.summary
               for b in real.bills)


def test_dpa_map_values_for_comparison(raw_dir):
    values = laws.dpa_map_values(raw_dir)
    assert len(values) == 51
    assert Counter(v["basis"] for v in values.values()) == {
        "stated_in_table": 27, "inferred_from_table_sort_order": 12, "not_retrieved": 12}
    inferred = [v for v in values.values() if v["basis"] == "inferred_from_table_sort_order"]
    assert {v["possession"] for v in inferred} == {"felony"}
    assert values["KY"]["possession"] == "felony"  # the statute reading says "both"
    assert values["OR"] == {
        "possession": "misdemeanor", "paraphernalia": "not_criminalized",
        "decrim_legislation_introduced": "yes", "basis": "stated_in_table",
        "citations": ("https://worldpopulationreview.com/state-rankings/controlled-substance-laws-"
                      "by-state", "https://drugpolicy.org/decrim"),
        "possession_sort_order_constraint": ""}
    assert values["WA"]["possession_sort_order_constraint"] == "misdemeanor_or_felony"
    assert Counter(v["decrim_legislation_introduced"] for v in values.values()) == {
        "unknown": 24, "no": 19, "yes": 8}


def test_vocabulary_helpers():
    assert [s.label for s in vocab.legend("possession")] == [
        "Not criminalized", "Misdemeanor", "Both misdemeanor & felony", "Felony",
        "Not in this atlas for this date"]
    assert vocab.rank("possession", "felony") == 3
    assert vocab.rank("possession", vocab.UNKNOWN) is None
    assert vocab.label("overdose_prevention_centers", "operating") == "Operating without state law"
    assert vocab.bill_status_label("in_effect") == "In effect"
    with pytest.raises(KeyError):
        vocab.label("possession", "civil")
    with pytest.raises(KeyError):
        vocab.topic("cannabis")


def test_an_interval_ends_as_precisely_as_the_next_begins(real):
    before, after = _history(real, "OR", "adult_use_marijuana")
    assert (after.valid_from, after.valid_from_precision) == (D(2014, 1, 1), "year")
    assert (before.valid_to, before.valid_to_precision) == (D(2013, 12, 31), "year")
    for law in real.laws:
        assert law.valid_from is None or law.valid_from_precision in ("day", "month", "year")
        assert law.valid_to is None or law.valid_to_precision in ("day", "month", "year")
