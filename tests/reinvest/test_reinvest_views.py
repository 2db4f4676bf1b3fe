"""The calculator page, its assumptions page and the API twin,
through Django's test client on a real database."""
from __future__ import annotations

from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

import htmlpage
from drugatlas.atlas.models import CostAssumption
from drugatlas.reinvest import model

pytestmark = pytest.mark.django_db


def page(client, query: str = "", status: int = 200) -> str:
    response = client.get("/reinvest/" + query)
    assert response.status_code == status, response.content.decode()[:2000]
    return unescape(response.content.decode())


def api(client, query: str, status: int = 200) -> dict:
    response = client.get("/api/v1/reinvest" + query)
    assert response.status_code == status, response.content.decode()[:2000]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def permalink_of(html: str) -> str:
    return htmlpage.attr(html, "a#permalink-link", "href")


def test_start_page_offers_the_states(client, reinvest_data):
    html = page(client)
    assert "Choose a state to begin" in html
    assert '<option value="QE">Estimia</option>' in html
    assert 'id="reinvest-results"' not in html


def test_estimated_arrests_are_labelled_with_year_and_sources(client, reinvest_data):
    html = page(client, "?state=qe")
    assert "What ending possession arrests could fund in Estimia" in html
    assert ">estimate<" in html
    # 10,000 drug arrests in 2024 x 87.8% (2022) = 8,780; the 2025 "no data" row is skipped.
    assert "Estimate: 10,000 drug arrests in Estimia in 2024 (Arrests by State (test))" in html
    assert "87.8%" in html and "in 2022" in html and "about 8,780 possession arrests" in html
    assert "The latest possession count for Estimia is 9,000 in 2016" in html
    assert "In 2016, possession made up 90% of Estimia's drug arrests" in html
    assert "cover 88.5% of residents" in html
    assert "incomplete, as the publisher notes" in html  # the flag of the 2024 figure is said
    assert "Possession was not a crime in Estimia from 2021-02-01 to 2024-08-31" in html
    assert 'value="8780"' in html  # the form starts from it


def test_a_recent_possession_count_is_used_as_is(client, reinvest_data):
    html = page(client, "?state=QC")
    assert "5,000 arrests for drug possession in Countland in 2024" in html
    assert ">estimate<" not in html


def test_results_chart_table_steps_and_caveats(client, reinvest_data):
    html = page(client, "?state=QE")
    # Accessible chart: title, desc and a table twin, one bar per stage.
    chart = htmlpage.one(html, "svg.chart#reinvest-chart")
    assert (chart["role"], chart["aria-labelledby"]) == ("img", "reinvest-chart-title reinvest-chart-desc")
    assert "<title id=\"reinvest-chart-title\">Annual cost of possession arrests by stage, " \
           "Estimia (2024 dollars)</title>" in html
    assert html.count('<g class="bar">') == len(model.STAGES)
    assert "<caption>Annual cost of possession arrests by stage" in html
    for label in ("Police time", "Jail booking", "Pretrial detention", "Courts",
                  "Public defense", "Probation"):
        assert label in html
    # Step by step, with numbers.
    assert "2.5 hours × $39.21 an hour = <strong>$98.03</strong>" in html
    assert "8,780 arrests × $2,839 per arrest" in html
    # What it buys, each with its unit cost and source year.
    assert "outpatient treatment episodes" in html and "$3,613 per episode" in html
    assert "two-dose naloxone kits" in html
    # Honesty.
    assert "order-of-magnitude" in html and "not cash in a budget" in html
    assert "sources give" in html  # a range, where the sources give one
    assert "no cited figure" in html  # courts and probation


def test_permalink_holds_every_input_and_reproduces_the_page(client, reinvest_data):
    html = page(client, "?state=QE&arrests=12000&officer_hours=3&treatment=4000")
    link = permalink_of(html)
    query = dict(parse_qsl(urlsplit(link).query))
    assert set(query) == {"state", "dollars", *(p.name for p in model.PARAMS)}
    assert query["arrests"] == "12000" and query["officer_hours"] == "3"
    again = page(client, link[len("/reinvest/"):])
    assert permalink_of(again) == link
    steps = lambda h: htmlpage.texts(h, "li[data-step]")  # noqa: E731
    assert steps(again) == steps(html) and steps(html)
    assert "You changed the arrest count: the calculation uses 12,000." in html
    # The API gives the same numbers for the same query.
    data = api(client, link[len("/reinvest/"):])
    assert data["inputs"]["arrests"] == 12000 and data["inputs"]["treatment"] == 4000
    assert data["permalink"] == link


def test_blank_fields_use_their_defaults_and_commas_are_read(client, reinvest_data):
    blank = api(client, "?state=QE&officer_hours=&arrests=20,000&booking=$300")
    assert blank["inputs"]["officer_hours"] == 2.5
    assert blank["inputs"]["arrests"] == 20000 and blank["inputs"]["booking"] == 300


@pytest.mark.parametrize("query, words", [
    ("?state=QE&arrests=abc", "Possession arrests a year: enter a number"),
    ("?state=QE&arrests=-5", "Possession arrests a year cannot be negative."),
    ("?state=QE&arrests=1e12", "Possession arrests a year must be at most 10,000,000."),
    ("?state=QE&jail_days=nan", "Days in jail per arrest: enter a number"),
    ("?state=QE&booking=inf", "Jail booking per arrest: enter a number"),
    ("?state=QE&treatment=0", "Outpatient treatment episode must be more than 0"),
    ("?state=QE&reduction=150", "Share of these arrests ended must be at most 100."),
    ("?state=QN", "There is no drug arrest figure for Nodatia in our data"),
])
def test_bad_inputs_get_a_message_and_a_400(client, reinvest_data, query, words):
    html = page(client, query, status=400)
    assert words in html
    assert 'role="alert"' in html and "Nothing was calculated" in html
    assert 'aria-invalid="true"' in html
    data = api(client, query, status=400)
    assert words in data["error"]


@pytest.mark.parametrize("query, words", [
    ("?state=ZZZ", "Unknown state “ZZZ”"),
    ("?state=<script>", "Unknown state"),
    ("?state=QE&dollars=1999", "dollars must be a year with a CPI figure (2010-2024)"),
    ("?state=QE&dollars=twenty", "dollars must be a year with a CPI figure"),
])
def test_unknown_state_or_dollar_year_is_a_400(client, reinvest_data, query, words):
    response = client.get("/reinvest/" + query)
    assert response.status_code == 400
    assert words in unescape(response.content.decode())
    assert b"<script>" not in response.content
    assert words in api(client, query, status=400)["error"]


def test_a_state_without_data_works_with_a_users_own_count(client, reinvest_data):
    html = page(client, "?state=QN&arrests=4000")
    assert "4,000 arrests × " in html


def test_no_state_but_own_arrests(client, reinvest_data):
    html = page(client, "?arrests=10000")
    assert "Arrests: your own figure." in html
    assert "10,000 arrests × " in html
    assert api(client, "?arrests=10000")["state"] is None


def test_api_needs_a_state_or_arrests(client, reinvest_data):
    assert "Give a state" in api(client, "", status=400)["error"]


def test_api_payload(client, reinvest_data):
    data = api(client, "?state=QE")
    assert data["state"] == {"abbr": "QE", "name": "Estimia"}
    assert data["dollars_year"] == 2024
    assert data["arrests"]["method"] == "estimate" and data["arrests"]["year"] == 2024
    r = data["results"]
    assert r["annual_cost"] == pytest.approx(r["cost_per_arrest"] * 8780)
    assert r["savings_low"] <= r["savings"] <= r["savings_high"]
    assert [s["key"] for s in r["stages"]] == [s.key for s in model.STAGES]
    assert {f["key"] for f in r["could_fund"]} == {s.key for s in model.SERVICES}
    booking = data["defaults"]["booking"]
    assert booking["sources"][0]["year"] == 2016 and booking["confidence"] == "medium"
    assert data["cpi"]["values"]["2024"] == 313.689
    assert data["caveats"] and data["steps"]


def test_other_dollar_year(client, reinvest_data):
    data = api(client, "?state=QE&dollars=2015")
    assert data["dollars_year"] == 2015
    assert data["inputs"]["booking"] == pytest.approx(285.94 * 237.017 / 240.007, abs=0.01)


def test_only_get(client, reinvest_data):
    assert client.post("/reinvest/", {"state": "QE"}).status_code == 405
    assert client.head("/reinvest/?state=QE").status_code == 200


def test_without_cost_figures_the_page_says_so(client, reinvest_data):
    CostAssumption.objects.all().delete()
    html = page(client, "?state=QE", status=503)
    assert "The cost figures are not loaded yet" in html
    assert api(client, "?state=QE", status=503)["error"]
    assert client.get("/reinvest/assumptions/").status_code == 503


def test_assumptions_page(client, reinvest_data):
    html = page(client, "assumptions/")
    for p in model.PARAMS:
        if p.name != "arrests":
            assert p.label in html
    assert "CUUR0000SA0" in html and "313.689" in html
    assert "not used: low confidence" in html  # the Georgia blog figure
    assert "no cited figure" in html
    assert "understates" in html  # pre-2010 dollars
    assert "87.8%" in html
