"""Open data that validates: the bundle and every /data/ download pass `frictionless validate`,
and the downloads hold no ICPSR county rows (they stay on the pages and in the filtered API)."""
from __future__ import annotations

import csv
import json

import pytest
from django.conf import settings

frictionless = pytest.importorskip("frictionless")

COUNTY_RATE = "drug_arrest_rate_county_crude"

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (settings.BUNDLE_DIR / "datapackage.json").exists(),
                                 reason="the data bundle has not been built")]


def _errors(report) -> list:
    return [e.message for task in report.tasks for e in task.errors] + [
        e.message for e in report.errors]


def test_the_committed_bundle_validates():
    report = frictionless.validate(str(settings.BUNDLE_DIR / "datapackage.json"))
    assert report.valid, _errors(report)[:5]


def test_every_download_validates_and_holds_no_icpsr_county_rows(client, tmp_path):
    package = client.get("/data/datapackage.json")
    assert package.status_code == 200
    descriptor = json.loads(b"".join(package.streaming_content))
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    assert all(r["profile"] == "tabular-data-resource" for r in descriptor["resources"])
    for resource in descriptor["resources"]:
        response = client.get(f"/data/{resource['path']}")
        assert response.status_code == 200
        (tmp_path / resource["path"]).write_bytes(b"".join(response.streaming_content))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, _errors(report)[:5]

    with (tmp_path / "observations.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert not [r for r in rows if len(r["jurisdiction"]) == 5
                and r["source"].startswith("icpsr-county")]
    assert any(r["source"].startswith("icpsr-state") for r in rows)  # state sums stay
    assert any(len(r["jurisdiction"]) == 5 for r in rows)  # other county rows stay
    # The county crude arrest rate is made from ICPSR counts: it carries their source, so it
    # leaves the download with them (drugatlas/api/downloads.py).
    assert not [r for r in rows if r["measure"] == COUNTY_RATE]
    with (settings.BUNDLE_DIR / "observations.csv").open(encoding="utf-8", newline="") as f:
        stored = [r for r in csv.DictReader(f) if r["measure"] == COUNTY_RATE]
    assert len(stored) > 9000 and all(r["source"].startswith("icpsr-county") for r in stored)


def test_icpsr_county_rows_stay_in_the_filtered_api_with_attribution(client):
    data = client.get("/api/v1/observations?measure=drug_arrests&jurisdiction=17031"
                      "&start=2000&end=2000").json()
    assert data["rows"][0]["value"] == 58697
    source = data["sources"][data["rows"][0]["source"]]
    assert "ICPSR" in source["publisher"] or "ICPSR" in source["title"]


def test_the_county_crude_rate_stays_in_the_filtered_api_with_attribution(client):
    data = client.get(f"/api/v1/observations?measure={COUNTY_RATE}&kind=county"
                      "&start=2012&end=2012&limit=10000").json()
    assert data["count"] > 3000  # every county with a count and a population that year
    cook = next(r for r in data["rows"] if r["fips"] == "17031")
    count = client.get("/api/v1/observations?measure=drug_arrests&jurisdiction=17031"
                       "&start=2012&end=2012").json()["rows"][0]
    assert cook["value"] is not None and cook["source"] == count["source"]
    assert cook["flags"] == count["flags"]
    source = data["sources"][cook["source"]]
    assert "ICPSR" in source["publisher"] or "ICPSR" in source["title"]


def test_the_data_folder_points_to_the_list_of_files(client):
    response = client.get("/data/")
    assert response.status_code == 302 and response["Location"] == "/sources/#files"
