"""/legislation/: the list with its filters, the page per bill, and their JSON/CSV twins."""
from __future__ import annotations

import csv
import io

import pytest

import htmlpage
from drugatlas.atlas.models import Bill

pytestmark = pytest.mark.django_db


def keys(response) -> set[str]:
    return {b["key"] for b in response.json()["bills"]}


def test_list_shows_state_dc_and_federal_bills_without_javascript(client, bills):
    response = client.get("/legislation/")
    assert response.status_code == 200
    html = response.content.decode()
    for bill in bills.values():
        assert f'href="/legislation/{bill.key}/"' in html
    assert "Federal (U.S. Congress)" in html and "District of Columbia" in html
    # Filters are a GET form and plain links: nothing needs a script.
    assert '<form method="get"' in html
    assert 'href="?jurisdiction=VT"' in html and 'href="?status=repealed"' in html
    # Scripts only enhance (the footer's state filter, closing the filters on a phone).
    assert {(s.get("type"), s.get("src")) for s in htmlpage.select(html, "script")} <= {
        ("module", "/static/js/signup.js"), ("module", "/static/js/collapse-narrow.js")}


def test_json_and_csv_twins_list_the_same_bills(client, bills):
    as_json = client.get("/legislation/", {"format": "json"})
    assert as_json["Content-Type"].startswith("application/json")
    listed = keys(as_json)
    assert {b.key for b in bills.values()} <= listed
    as_csv = client.get("/legislation/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert {r["key"] for r in rows} == listed
    federal = next(r for r in rows if r["key"] == "test-us-hr-1")
    assert federal["jurisdiction"] == "US" and federal["status_date"] == "2021-06-17"


@pytest.mark.parametrize("code", ["VT", "vt", "50"])
def test_filter_by_jurisdiction_accepts_usps_or_fips(client, bills, code):
    response = client.get("/legislation/", {"jurisdiction": code, "format": "json"})
    assert "test-vt-h-1" in keys(response)
    assert {b["jurisdiction"] for b in response.json()["bills"]} == {"VT"}


def test_filter_federal(client, bills):
    response = client.get("/legislation/", {"jurisdiction": "US", "format": "json"})
    assert "test-us-hr-1" in keys(response)
    assert all(b["level"] == "federal" for b in response.json()["bills"])


def test_filter_by_status_and_session(client, bills):
    by_status = client.get("/legislation/", {"status": "repealed", "format": "json"}).json()
    assert "test-or-measure-1" in {b["key"] for b in by_status["bills"]}
    assert {b["status"] for b in by_status["bills"]} == {"repealed"}
    by_session = client.get("/legislation/", {"session": "2023-2024", "format": "json"}).json()
    assert "test-vt-h-1" in {b["key"] for b in by_session["bills"]}
    assert {b["session"] for b in by_session["bills"]} == {"2023-2024"}


def test_filter_by_year_counts_any_action_that_year(client, bills):
    # The measure's status date is 2024, but it also passed (2020) and took effect (2021).
    for year in ("2020", "2021", "2024"):
        assert "test-or-measure-1" in keys(client.get("/legislation/", {"year": year, "format": "json"}))
    in_2023 = keys(client.get("/legislation/", {"year": "2023", "format": "json"}))
    assert "test-vt-h-1" in in_2023 and "test-or-measure-1" not in in_2023


def test_filters_combine_and_unknown_values_match_nothing(client, bills):
    both = keys(client.get("/legislation/", {"jurisdiction": "OR", "year": "2020", "format": "json"}))
    assert "test-or-measure-1" in both
    assert keys(client.get("/legislation/", {"jurisdiction": "VT", "status": "repealed",
                                             "format": "json"})) == set()
    response = client.get("/legislation/", {"year": "twenty", "status": "nonsense"})
    assert response.status_code == 200
    assert "No bill matches these filters." in response.content.decode()


def test_facets_count_bills_and_mark_the_active_filter(client, bills):
    html = client.get("/legislation/", {"jurisdiction": "VT"}).content.decode()
    assert 'href="?jurisdiction=VT" aria-current="true"' in html
    assert 'Remove filter Vermont' in html
    assert '<option value="VT" selected>' in html


def test_bill_page_has_timeline_provisions_citations_confidence_and_note(client, bills):
    measure = bills["measure"]
    response = client.get(f"/legislation/{measure.key}/")
    assert response.status_code == 200
    html = response.content.decode()
    # One entry per action, oldest first.
    positions = [html.index(a) for a in ("Passed by voters", "Took effect", "Repealed by HB 1")]
    assert positions == sorted(positions)
    assert "1 g heroin" in html and "$100 civil fine" in html
    # Only what is known: no "Not researched" for diversion or funding, which are blank.
    assert "Not researched" not in html and "Diversion and treatment" not in html
    assert 'href="https://example.org/statute/m1"' in html
    assert 'href="https://example.org/news/m1"' in html
    assert "High" in html and "Partly repealed in 2024." in html
    assert "/corrections/new/?page=%2Flegislation%2Ftest-or-measure-1%2F" in html


def test_bill_page_by_row_id_and_canonical_key(client, bills):
    measure = bills["measure"]
    response = client.get(f"/legislation/{measure.pk}/")
    assert response.status_code == 200
    assert f'/legislation/{measure.key}/"' in response.content.decode()  # canonical link
    assert client.get("/legislation/no-such-bill/").status_code == 404
    assert client.get("/legislation/999999999/").status_code == 404


def test_bill_json_twin(client, bills):
    data = client.get(f"/legislation/{bills['measure'].key}/", {"format": "json"}).json()
    assert data["jurisdiction"] == "OR" and data["status"] == "repealed"
    assert [e["date"] for e in data["events"]] == ["2020-11-03", "2021-02-01", "2024-09-01"]
    assert data["citations"] == ["https://example.org/statute/m1", "https://example.org/news/m1"]
    provisions = {p["field"]: p["text"] for p in data["provisions"]}
    assert provisions == {"threshold": "1 g heroin", "penalty": "$100 civil fine"}


def test_bill_without_events_or_date_says_so(client, bills):
    html = client.get(f"/legislation/{bills['dc'].key}/").content.decode()
    assert "No actions recorded yet" in html
    assert "Not researched" not in html and "What it would do" not in html


def test_dates_known_to_the_year_or_month_are_shown_so(client, bills):
    Bill.objects.filter(pk=bills["vermont"].pk).update(status_date_precision="year")
    bills["vermont"].events.update(precision="month")
    html = client.get(f"/legislation/{bills['vermont'].key}/").content.decode()
    assert '<time datetime="2023">2023</time>' in html
    assert '<time datetime="2023-01">2023-01</time>' in html
    assert "2023-05-01" not in html and "2023-01-10" not in html
    data = client.get(f"/legislation/{bills['vermont'].key}/", {"format": "json"}).json()
    assert (data["status_date"], data["events"][0]["date"]) == ("2023", "2023-01")
    listing = client.get("/legislation/", {"format": "json", "jurisdiction": "VT"}).json()
    (mine,) = [b for b in listing["bills"] if b["key"] == bills["vermont"].key]
    assert mine["status_date"] == "2023"


def test_an_earlier_key_of_a_bill_redirects_to_its_page(client, bills):
    Bill.objects.filter(pk=bills["measure"].pk).update(replaces="or-2020-old-key")
    response = client.get("/legislation/or-2020-old-key/")
    assert response.status_code == 301
    assert response["Location"] == f"/legislation/{bills['measure'].key}/"


def test_text_is_escaped(client, bills):
    Bill.objects.filter(pk=bills["vermont"].pk).update(
        title="<script>alert(1)</script>", summary="'; DROP TABLE atlas_bill; --")
    for url in ("/legislation/", f"/legislation/{bills['vermont'].key}/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert Bill.objects.filter(key="test-vt-h-1").exists()


def test_an_edit_shows_at_once(client, bills, django_capture_on_commit_callbacks):
    url = f"/legislation/{bills['vermont'].key}/"
    assert "Title of test-vt-h-1" in client.get(url).content.decode()
    assert "Title of test-vt-h-1" in client.get("/legislation/").content.decode()
    bill = bills["vermont"]
    bill.title = "Renamed by an editor"
    with django_capture_on_commit_callbacks(execute=True):
        bill.save()
    assert "Renamed by an editor" in client.get(url).content.decode()
    assert "Renamed by an editor" in client.get("/legislation/").content.decode()


def test_pages_in_spanish(client, bills):
    html = client.get("/es/legislation/").content.decode()
    assert "Legislación de despenalización" in html and "Federal (Congreso de EE. UU.)" in html
    html = client.get(f"/es/legislation/{bills['measure'].key}/").content.decode()
    assert "Qué haría" in html and "Derogado" in html and "No investigado" not in html
    # The data twins keep the stable English labels.
    data = client.get("/es/legislation/", {"format": "json"}).json()
    assert "Repealed" in {b["status_label"] for b in data["bills"]}
