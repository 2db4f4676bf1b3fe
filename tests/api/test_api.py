"""The v1 API on the real bundle: published figures come back exactly; bad input is a 400."""
from __future__ import annotations

import csv
import io
import re

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


# --- Paging and known parameters -------------------------------------------------------------

def test_unknown_parameters_are_named_in_a_400(client):
    response = client.get("/api/v1/observations?measure=population&limt=5&zz=1")
    assert response.status_code == 400
    message = response.json()["error"]
    assert "'limt'" in message and "'zz'" in message and "limit" in message
    assert client.get("/api/v1/measures?x=1").status_code == 400
    assert client.get("/api/v1/states/or?lang=es").status_code == 400


def test_observations_are_paged_with_links_and_total(client):
    url = "/api/v1/observations?measure=population"
    first = client.get(url)
    data = first.json()
    total = data["count"]
    assert total > 40000 and data["limit"] == 1000 and len(data["rows"]) == 1000
    assert first["X-Total-Count"] == str(total)
    assert 'rel="next"' in first["Link"] and 'rel="prev"' not in first["Link"]
    page = client.get(url + "&limit=10&offset=20")
    rows = page.json()["rows"]
    assert len(rows) == 10 and rows == data["rows"][20:30]
    links = dict((rel, u) for u, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', page["Link"]))
    assert links["prev"].endswith("limit=10&offset=10") and links["next"].endswith("offset=30")
    assert client.get(links["last"]).json()["rows"][-1] == client.get(
        url + f"&limit=1&offset={total - 1}").json()["rows"][0]
    # Parameter order and repeats of known ones do not make another answer.
    assert client.get("/api/v1/observations?offset=20&limit=10&measure=population").content == \
        page.content
    for bad in ("limit=0", "limit=10001", "limit=x", "offset=-1"):
        assert client.get(f"{url}&{bad}").status_code == 400, bad


def test_csv_streams_a_whole_measure(client):
    response = client.get("/api/v1/observations?measure=population&format=csv")
    assert response.streaming and response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) - 1 == int(response["X-Total-Count"]) > 40000
    paged = client.get("/api/v1/observations?measure=population&format=csv&limit=5")
    assert len(b"".join(paged.streaming_content).decode().splitlines()) == 6


def test_laws_and_bills_are_paged(client):
    laws = client.get("/api/v1/laws?topic=possession&as_of=2025-01-01&limit=5").json()
    assert len(laws["laws"]) == 5 and laws["count"] >= 51
    bills = client.get("/api/v1/bills?limit=2")
    assert len(bills.json()["bills"]) <= 2 and "X-Total-Count" in bills


@pytest.mark.parametrize("query, message", [
    ("/api/v1/laws?topic=possession&as_of=20220101", "as_of must be a date as YYYY-MM-DD"),
    ("/api/v1/laws?topic=possession&as_of=2022-W01-1", "as_of must be a date as YYYY-MM-DD"),
    ("/api/v1/laws?topic=possession&as_of=2022-1-1", "as_of must be a date as YYYY-MM-DD"),
    ("/api/v1/laws?topic=possession&as_of=", "as_of is empty"),
    ("/api/v1/laws?topic=", "topic is empty"),
    ("/api/v1/bills?since=2024-02-30", "since must be a date as YYYY-MM-DD"),
    ("/api/v1/bills?since=", "since is empty"),
    ("/api/v1/observations?measure=drug_arrests&start=", "start is empty"),
    ("/api/v1/observations?measure=drug_arrests&jurisdiction=", "jurisdiction is empty"),
    ("/api/v1/observations?measure=", "measure is empty"),
    ("/api/v1/jurisdictions?kind=", "kind is empty"),
])
def test_dates_exactly_as_documented_and_no_empty_values(client, query, message):
    response = client.get(query)
    assert response.status_code == 400, query
    assert message in response.content.decode()


def test_the_map_page_takes_only_documented_dates(client):
    assert client.get("/?layer=possession&as_of=2022-01-01").status_code == 200
    assert client.get("/?layer=possession&as_of=20220101").status_code == 400
