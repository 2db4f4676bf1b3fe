"""State pages: /states/<abbr>/ in HTML and JSON, on a small made-up state and on the real bundle."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

import atlas_sample
import htmlpage

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(db):
    return atlas_sample.build()


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    return htmlpage.text(response)


def test_arrest_sentence_gives_year_coverage_count_rate_and_source(client, sample):
    response = client.get("/states/zz/")
    assert response.status_code == 200
    text = text_of(response)
    assert ("In 2022, agencies covering 88% of the residents of Testland reported 8,109 drug arrests: "
            "524 per 100,000 residents covered.") in text
    # 2023 had no reporting agency: said in words, never shown as 0 arrests.
    assert "No data for 2023" in text
    assert "reported 0 drug arrests" not in text
    html = response.content.decode()
    assert 'href="/sources/#source-test-fbi-t69"' in html


def test_abbreviation_is_case_insensitive_and_unknown_is_404(client, sample):
    assert client.get("/states/ZZ/").status_code == 200
    assert client.get("/states/Zz/").status_code == 200
    missing = client.get("/states/qq/")
    assert missing.status_code == 404
    assert client.get("/states/zzz/").status_code == 404  # no prefix matching
    assert client.get("/states/us/").status_code == 200  # the national page
    assert "No such state" in missing.content.decode()


def test_overdose_figures_final_and_provisional_are_labelled(client, sample):
    text = text_of(client.get("/states/zz/"))
    # The latest final age-adjusted rate (2018), not the 2019 provisional one.
    assert ("In 2018, 702 residents of Testland died of a drug overdose: an age-adjusted rate of "
            "42.4 per 100,000 (final data).") in text
    # Provisional counts are by place of death, not residence: the sentence says "in".
    assert ("In the 12 months ending December 2023, 1,350 overdose deaths in Testland were "
            "reported (provisional): a crude rate of 76.3 per 100,000 residents, not "
            "age-adjusted.") in text


def test_law_history_is_a_dated_timeline_with_citations_and_confidence(client, sample):
    response = client.get("/states/zz/")
    text = text_of(response)
    section = text[text.index("Law history"):]
    felony, decrim, misd = (section.index("Felony"), section.index("Not criminalized"),
                            section.index("Misdemeanor"))
    assert felony < decrim < misd  # oldest first
    assert "2021-02-01 – 2024-08-31" in section
    assert "2024-09-01 – today" in section
    assert "Confidence: high." in section and "Confidence: medium." in section
    html = response.content.decode()
    assert '<a href="https://www.example.com/b" rel="noopener">example.com</a>' in html
    # The law in force today is at a glance, with its start date.
    glance = text[text.index("At a glance"):text.index("Law history")]
    assert "Misdemeanor since 2024-09-01" in glance


def test_the_statute_is_the_primary_citation_and_research_notes_stay_hidden(client, sample):
    response = client.get("/states/zz/")
    text = text_of(response)
    glance = text[text.index("At a glance"):text.index("Law history")]
    # (the statute is a link to its text: the tag leaves a space before the semicolon)
    assert "Statute: Test Code 1-2-3 ; Class A misdemeanor; maximum penalty: up to 1 year" in glance
    section = text[text.index("Law history"):]
    assert ("Statute: Test Code 1-2-3. Grade: Class A misdemeanor. Maximum penalty: up to 1 year. "
            "Statute text (example.org)") in section
    # The statute page is not repeated among the secondary sources.
    assert "Secondary sources: example.com" in section
    assert "Working note" not in text
    # An unknown class is said in words, with no "Confidence: unknown" or "Citations: none".
    assert "Not in this atlas for this date" in section and "Unknown" not in section
    for shown in ("Confidence: unknown", "Citations: none", "Research file"):
        assert shown not in text


def test_trend_charts_are_accessible_svg_with_law_changes_marked(client, sample):
    html = client.get("/states/zz/").content.decode()
    for chart_id in ("chart-arrests", "chart-coverage", "chart-overdose-rate",
                     "chart-overdose-deaths"):
        assert f'id="{chart_id}"' in html
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
    arrests = html[html.index('id="chart-arrests"'):html.index("</svg>", html.index('id="chart-arrests"'))]
    assert "2021-02-01: Drug possession: Not criminalized" in arrests
    assert "2024-09-01: Drug possession: Misdemeanor" in arrests
    assert "<caption>Drug arrests reported in Testland</caption>" in html  # the data table twin
    overdose = html[html.index('id="chart-overdose-rate"'):]
    assert "2019-07-01: 911 Good Samaritan law: Good Samaritan law in force" in overdose


def test_a_date_known_only_to_its_year_is_shown_as_the_year(client, sample):
    html = client.get("/states/zz/").content.decode()
    arrests = html[html.index('id="chart-arrests"'):html.index("</svg>", html.index('id="chart-arrests"'))]
    assert "2022: Adult-use marijuana: Legal for adults" in arrests
    assert "2022-01-01: Adult-use marijuana" not in html
    text = text_of(client.get("/states/zz/"))
    assert "2022 – today Legal for adults" in text


def test_data_tables_say_no_data_and_flags_never_zero(client, sample):
    html = client.get("/states/zz/").content.decode()
    table = html[html.index("<caption>Drug arrests reported in Testland</caption>"):]
    table = table[:table.index("</table>")]
    assert ("<th scope=\"row\">2023</th><td>no data (no agency reported; source checked: "
            "Test FBI)</td>") in table
    assert "900 (low coverage)" in table
    # A real zero stays a zero.
    rows = {htmlpage.text(r, "th"): htmlpage.texts(r, "td") for r in htmlpage.select(table, "tr")
            if htmlpage.select(r, "th[scope=row]")}
    assert rows["2016"][:3] == ["5,000", "5,000", "0"]
    deaths = html[html.index("<caption>Testland: overdose deaths by drug involved"):]
    deaths = deaths[:deaths.index("</table>")]
    assert "no data (suppressed by the publisher; source checked:" in deaths  # heroin


def test_comparison_with_the_nation(client, sample):
    text = text_of(client.get("/states/zz/"))
    section = text[text.index("Testland and the nation"):text.index("Law history")]
    assert "Drug arrests per 100,000 residents covered 524 (2022) 300 (2022)" in section
    # The latest year both have, flagged where provisional.
    assert ("Overdose deaths per 100,000 (age-adjusted) 52.8 (2019) provisional "
            "21.6 (2019) provisional") in section
    assert "76.3 (2023) provisional 31.9 (2023) provisional" in section


def test_comparison_keeps_the_states_latest_year_when_the_nation_lags(client, sample):
    from drugatlas.atlas.models import Observation

    # The nation's arrest rate stops in 2016 in the real data; the state's goes on.
    Observation.objects.filter(jurisdiction_id="00", measure_id="drug_arrest_rate").delete()
    atlas_sample.obs(sample["nation"], "drug_arrest_rate", "2016", 485.0,
                     sample["sources"]["icpsr"])
    text = text_of(client.get("/states/zz/"))
    assert "Drug arrests per 100,000 residents covered 524 (2022) 485 (2016)" in text


def test_bills_with_their_events(client, sample):
    text = text_of(client.get("/states/zz/"))
    section = text[text.index("Decriminalization bills and ballot measures"):]
    assert "Measure 1 (2020) : Test Treatment and Recovery Act" in section
    assert "2020-11-03 Approved by voters" in section
    assert "Repealed 2024-09-01" in section


def test_report_a_problem_and_follow_links(client, sample):
    html = client.get("/states/zz/").content.decode()
    reports = htmlpage.attrs(html, 'a[href^="/corrections/new/?"]', "href")
    assert len(reports) >= 8  # each sentence, chart, comparison row, law topic and bill
    queries = [parse_qs(urlsplit(u).query) for u in reports]
    assert all(q["page"] == ["/states/zz/"] for q in queries)
    whats = [q["what"][0] for q in queries]
    assert "Drug arrests, Testland, 2022" in whats
    assert "Drug possession law history, Testland" in whats
    assert 'href="/updates/?states=ZZ"' in html


def test_json_twin_has_the_same_figures_with_sources(client, sample):
    response = client.get("/states/zz/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["jurisdiction"]["abbr"] == "ZZ"
    arrests = next(s for s in data["statements"] if s["key"] == "arrests")
    assert arrests["figures"][0] == {
        "measure": "drug_arrests", "label": "Drug arrests", "period": "2022", "value": 8109.0,
        "flags": [], "flag_words": [],
        "source": {"id": "test-fbi-t69", "publisher": "Test FBI",
                   "title": "Arrests by State (test)", "url": "https://example.org/fbi"}}
    assert data["trends"]["drug_arrests"]["2023"] is None
    assert data["trend_flags"]["drug_arrests"]["2023"] == ["no_reporting"]
    possession = next(t for t in data["laws"] if t["topic"] == "possession")
    assert [i["status"] for i in possession["intervals"]] == [
        "felony", "not_criminalized", "misdemeanor"]
    assert data["bills"][0]["events"][0]["action"] == "Approved by voters"


def test_print_stylesheet_is_linked_for_print(client, sample):
    html = client.get("/states/zz/").content.decode()
    printing = htmlpage.select(html, 'link[rel="stylesheet"][media="print"]')
    assert [link["href"] for link in printing if link["href"].endswith("css/print.css")]


def test_page_is_cached_until_the_data_change(client, sample):
    from drugatlas.atlas.cache import bump_data_version
    from drugatlas.atlas.models import Observation

    assert "8,109 drug arrests" in text_of(client.get("/states/zz/"))
    Observation.objects.filter(jurisdiction_id="52", measure_id="drug_arrests",
                               period="2022").update(value=8200)
    assert "8,109 drug arrests" in text_of(client.get("/states/zz/"))  # cached
    bump_data_version()
    assert "8,200 drug arrests" in text_of(client.get("/states/zz/"))


def test_a_state_with_no_figures_still_renders(client, db):
    from drugatlas.atlas.models import Jurisdiction

    atlas_sample.ensure_measures()
    Jurisdiction.objects.create(fips="43", abbr="QZ", name="Emptyland", kind="state")
    response = client.get("/states/qz/")
    assert response.status_code == 200
    text = text_of(response)
    assert "No arrest or overdose figures are loaded for Emptyland." in text
    assert "No legal records are loaded for this state." in text


# --- On the real data bundle ---------------------------------------------------------------

bundle = pytest.mark.skipif(not (settings.BUNDLE_DIR / "datapackage.json").exists(),
                            reason="the data bundle has not been built")


@bundle
def test_real_mississippi_arrest_sentence(client):
    # FBI Table 69: 2024 is the latest year; 2023 is the year the issue quotes.
    text = text_of(client.get("/states/ms/"))
    assert ("In 2024, agencies covering 52% of the residents of Mississippi reported 7,523 drug "
            "arrests: 489 per 100,000 residents covered.") in text  # 488.9, rounded
    data = client.get("/states/ms/?format=json").json()
    assert data["trends"]["drug_arrests"]["2023"] == 8109
    assert data["trends"]["drug_arrest_rate"]["2023"] == pytest.approx(524.3, abs=0.1)
    assert data["trends"]["arrest_population_covered"]["2023"] == 1546698


@bundle
def test_real_district_of_columbia_reads_well(client):
    text = text_of(client.get("/states/dc/"))
    assert "of the residents of the District of Columbia reported" in text


@bundle
def test_real_west_virginia_2017_age_adjusted_rate(client):
    data = client.get("/states/wv/?format=json").json()
    assert data["trends"]["overdose_death_rate_age_adjusted"]["2017"] == pytest.approx(57.8, abs=0.05)
    html = client.get("/states/wv/").content.decode()
    assert "<th scope=\"row\">2017</th><td>57.8</td>" in html


@bundle
def test_real_oregon_law_history_has_both_changes(client):
    text = text_of(client.get("/states/or/"))
    section = text[text.index("Law history"):]
    assert "2021-02-01" in section and "Not criminalized" in section
    assert "2024-09-01" in section and "Misdemeanor" in section
    html = client.get("/states/or/").content.decode()
    chart = html[html.index('id="chart-overdose-rate"'):]
    assert "2021-02-01: Drug possession: Not criminalized" in chart
    assert "2024-09-01: Drug possession: Misdemeanor" in chart


@bundle
def test_real_texas_2022_arrests_and_coverage(client):
    data = client.get("/states/tx/?format=json").json()
    assert data["trends"]["drug_arrests"]["2022"] == 84859
    assert data["trends"]["drug_arrest_rate"]["2022"] == pytest.approx(289.6, abs=0.1)
    share = data["trends"]["arrest_coverage_share"]["2022"]
    assert 90 < share <= 101  # 29.3 million covered of about 30 million Texans
