"""The v1 API on the real bundle: published figures come back exactly; bad input is a 400."""
from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return response


def rows(client, url):
    return get(client, url).json()["rows"]


def test_us_provisional_overdose_deaths_december_2021(client):
    url = "/api/v1/observations?measure=overdose_deaths_12mo_{}&jurisdiction=US&start=2021&end=2021"
    reported = {r["period"]: r for r in rows(client, url.format("provisional"))}
    predicted = {r["period"]: r for r in rows(client, url.format("predicted"))}
    assert reported["2021-12"]["value"] == 107573
    assert "provisional" in reported["2021-12"]["flags"]
    assert predicted["2021-12"]["value"] == 109099


def test_west_virginia_2017_age_adjusted_rate(client):
    [row] = rows(client, "/api/v1/observations?measure=overdose_death_rate_age_adjusted"
                         "&jurisdiction=WV&start=2017&end=2017")
    assert row["value"] == 57.8 and row["jurisdiction"] == "WV"


def test_california_2019_table69(client):
    def one(measure):
        [row] = rows(client, f"/api/v1/observations?measure={measure}&jurisdiction=CA"
                             "&start=2019&end=2019")
        return row
    assert one("drug_arrests")["value"] == 212417
    assert one("arrest_reporting_agencies")["value"] == 717
    assert one("drug_arrests")["source"].startswith("fbi")


def test_florida_2000_arrests_are_no_data_not_zero(client):
    [row] = rows(client, "/api/v1/observations?measure=drug_arrests&jurisdiction=FL"
                         "&start=2000&end=2000")
    assert row["value"] is None and "no_reporting" in row["flags"]


def test_observations_csv(client):
    response = get(client, "/api/v1/observations?measure=drug_arrests&kind=state"
                           "&start=2022&end=2022&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    texas = next(r for r in table if r["jurisdiction"] == "TX")
    assert texas["period"] == "2022" and texas["source"] and int(texas["value"]) > 0


def test_fips_codes_and_counties(client):
    by_fips = rows(client, "/api/v1/observations?measure=population&jurisdiction=54&start=2019&end=2019")
    assert by_fips[0]["value"] == 1792147
    county = rows(client, "/api/v1/observations?measure=population&jurisdiction=54047")
    assert county and all(r["fips"] == "54047" for r in county)


def test_laws_as_of_follow_oregons_changes(client):
    def oregon(date):
        laws = get(client, f"/api/v1/laws?topic=possession&as_of={date}").json()["laws"]
        [law] = [x for x in laws if x["jurisdiction"] == "OR"]
        return law
    assert oregon("2020-06-01")["status"] == "misdemeanor"
    assert oregon("2021-02-01")["status"] == "not_criminalized"
    assert oregon("2024-08-31")["status"] == "not_criminalized"
    law = oregon("2024-09-01")
    assert law["status"] == "misdemeanor" and law["citations"] and law["confidence"]
    every_state = get(client, "/api/v1/laws?topic=possession&as_of=2025-01-01").json()["laws"]
    assert len(every_state) == 51


def test_measures_jurisdictions_bills_state_profile(client):
    measures = {m["slug"]: m for m in get(client, "/api/v1/measures").json()["measures"]}
    assert {"population", "drug_arrests", "overdose_death_rate_crude"} <= set(measures)
    assert measures["drug_arrests"]["sources"] and measures["drug_arrests"]["caveats"]
    places = get(client, "/api/v1/jurisdictions").json()["jurisdictions"]
    assert len([p for p in places if p["kind"] == "state"]) == 51
    counties = get(client, "/api/v1/jurisdictions?kind=county&state=WV").json()["jurisdictions"]
    assert len(counties) == 55
    bills = get(client, "/api/v1/bills?jurisdiction=OR").json()["bills"]
    assert any("110" in b["number"] for b in bills)
    profile = get(client, "/api/v1/states/wv").json()
    assert profile["jurisdiction"]["name"] == "West Virginia"
    assert profile["latest"]["population"]["period"] == "2024"
    get(client, "/api/v1/states/zz", status=404)


@pytest.mark.parametrize("url, message", [
    ("/api/v1/observations", "measure is required"),
    ("/api/v1/observations?measure=nope", "unknown measure"),
    ("/api/v1/observations?measure=population&jurisdiction=XX", "unknown jurisdiction"),
    ("/api/v1/observations?measure=population&start=20x1", "four-digit year"),
    ("/api/v1/observations?measure=population&start=2020&end=2010", "after end"),
    ("/api/v1/observations?measure=population&format=xml", "unknown format"),
    ("/api/v1/laws?topic=possession&as_of=2021-13-45", "YYYY-MM-DD"),
    ("/api/v1/laws?topic=weather", "unknown topic"),
    ("/api/v1/bills?status=lost", "unknown status"),
    ("/api/v1/bills?since=yesterday", "YYYY-MM-DD"),
    ("/api/v1/jurisdictions?kind=planet", "unknown kind"),
    ("/api/v1/observations?measure=population&jurisdiction=%27%3B%20DROP%20TABLE", "unknown jurisdiction"),
])
def test_bad_parameters_are_400_with_a_message(client, url, message):
    response = get(client, url, status=400)
    assert message in response.json()["error"]


def test_openapi_and_docs(client):
    spec = get(client, "/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/observations" in spec["paths"]
    assert b"/api/v1/observations" in get(client, "/api/v1/docs/").content


def test_bulk_download(client):
    import json

    response = get(client, "/data/datapackage.json")
    package = json.loads(b"".join(response.streaming_content))
    assert {r["name"] for r in package["resources"]} >= {"observations", "laws", "sources"}
    get(client, "/data/settings.py", status=404)
