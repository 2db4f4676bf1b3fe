"""Every data page has JSON and CSV twins (drugatlas/twins.py): `?format=json` parses,
`?format=csv` parses with a header row, the HTML page names both in a `Link: rel=alternate`
header and in `<link rel="alternate">`, every target answers 200, and an unknown format is a
400 that says which formats exist. In both languages, through real HTTP on the loaded bundle."""
from __future__ import annotations

import ast
import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.test import Client

import drugatlas

from drugatlas.atlas.models import Bill, Jurisdiction, Observation

pytestmark = pytest.mark.django_db

FIXED = ["/", "/?layer=overdose&year=2019", "/?layer=possession&as_of=2020-01-01",
         "/states/tx/", "/states/us/", "/states/wv/counties/",
         "/states/wv/counties/?layer=arrests", "/legislation/", "/legislation/?status=enacted",
         "/sources/", "/changes/", "/reinvest/", "/reinvest/?state=OR", "/reinvest/assumptions/"]
LINK = re.compile(r'<([^>]+)>; rel="alternate"; type="([^"]+)"')


def data_pages() -> list[str]:
    """The fixed pages, a county page and a bill page (from the loaded data)."""
    county = (Observation.objects.filter(jurisdiction__kind=Jurisdiction.COUNTY,
                                         measure_id="drug_arrests")
              .select_related("jurisdiction__parent").first())
    bill = Bill.objects.order_by("key").first()
    pages = list(FIXED)
    if county:
        pages.append(county.jurisdiction.get_absolute_url())
    if bill:
        pages.append(bill.get_absolute_url())
    return pages


def alternates(response) -> dict[str, str]:
    return {kind: url for url, kind in LINK.findall(response["Link"])}


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize("lang", ["", "/es"])
def test_every_data_page_has_working_twins(atlas_db, lang):
    client = Client()
    pages = data_pages()
    assert any("/counties/" in p and p.rstrip("/").split("/")[-1].isdigit() for p in pages)
    assert any(p.startswith("/legislation/") and p != "/legislation/" and "?" not in p
               for p in pages)
    for page in pages:
        url = lang + page
        html = client.get(url)
        assert html.status_code == 200, url
        found = alternates(html)
        assert set(found) == {"application/json", "text/csv"}, (url, html["Link"])
        assert "Access-Control-Allow-Origin" not in html, url  # the page itself is not data
        body = html.content.decode()
        for target in found.values():
            assert f'href="{target.replace("&", "&amp;")}"' in body, (url, target)
            assert target.startswith(f"{lang}/"), (url, target)

        as_json = client.get(found["application/json"])
        assert as_json.status_code == 200, found["application/json"]
        assert as_json["Content-Type"] == "application/json"
        assert as_json["Access-Control-Allow-Origin"] == "*"
        assert isinstance(json.loads(as_json.content), dict)
        back = alternates(as_json)
        assert set(back) == {"text/html", "text/csv"} and back["text/csv"] == found["text/csv"]

        as_csv = client.get(found["text/csv"])
        assert as_csv.status_code == 200, found["text/csv"]
        assert as_csv["Content-Type"].startswith("text/csv")
        assert as_csv["Access-Control-Allow-Origin"] == "*"
        assert as_csv["Content-Disposition"].startswith("attachment; filename=")
        rows = read_csv(as_csv)
        assert rows and rows[0] and all(rows[0]), (url, rows[:1])
        assert all(len(r) == len(rows[0]) for r in rows), url
        assert client.get(alternates(as_csv)["text/html"]).status_code == 200

        refused = client.get(url + ("&" if "?" in url else "?") + "format=xml")
        assert refused.status_code == 400, url
        assert "csv, json" in refused.content.decode(), url


def test_twins_are_cached_and_answer_304(atlas_db):
    client = Client()
    first = client.get("/states/tx/?format=csv")
    assert first["ETag"] and "public" in first["Cache-Control"]
    again = client.get("/states/tx/?format=csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_json_is_text_not_escapes(atlas_db):
    body = Client().get("/es/states/tx/?format=json").content.decode()
    assert "\\u00" not in body and "ó" in body


def test_bad_parameters_answer_in_the_form_asked_for(atlas_db):
    client = Client()
    as_json = client.get("/states/wv/counties/?layer=nope&format=json")
    assert as_json.status_code == 400
    assert "layer=overdose" in json.loads(as_json.content)["error"]
    as_csv = client.get("/?layer=nope&format=csv")
    assert as_csv.status_code == 400 and as_csv["Content-Type"].startswith("text/plain")
    assert "nope" in as_csv.content.decode()
    page = client.get("/?layer=nope")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_state_csv_is_the_trend_table(atlas_db):
    client = Client()
    rows = read_csv(client.get("/states/tx/?format=csv"))
    profile = client.get("/states/tx/?format=json").json()
    assert rows[0] == ["measure", "year", "value", "flags", "sources"]
    assert len(rows) - 1 == sum(len(series) for series in profile["trends"].values())
    arrests = {r[1]: r[2] for r in rows if r[0] == "drug_arrests"}
    assert arrests == {year: "" if value is None else str(value)
                       for year, value in profile["trends"]["drug_arrests"].items()}


def test_reinvest_does_not_import_the_api():
    """The API serves the calculator (it imports reinvest); reinvest never imports the API."""
    root = Path(drugatlas.__file__).parent
    for path in (root / "reinvest").rglob("*.py"):
        tree = ast.parse(path.read_text())
        names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [n for n in names if n.startswith("drugatlas.api")], path
