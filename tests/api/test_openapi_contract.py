"""The OpenAPI document is the API's contract: it is a valid OpenAPI 3.1 document, it lists every
route and the parameters each route checks, docs/api.md shows the same parameters, and live
answers (through real HTTP on the loaded bundle) validate against its response schemas."""
from __future__ import annotations

import re

import jsonschema
import pytest
from django.urls import URLPattern
from openapi_spec_validator import validate

from drugatlas.api import doc_tables, openapi, urls

pytestmark = pytest.mark.django_db

NOT_IN_SPEC = {"openapi.json", "docs/"}  # the document itself and its human page

# A representative request for every (path, status) the document describes.
REQUESTS = [
    ("/jurisdictions", "/api/v1/jurisdictions", 200),
    ("/jurisdictions", "/api/v1/jurisdictions?kind=county&state=WV", 200),
    ("/jurisdictions", "/api/v1/jurisdictions?kind=planet", 400),
    ("/measures", "/api/v1/measures", 200),
    ("/measures", "/api/v1/measures?x=1", 400),
    ("/observations", "/api/v1/observations?measure=drug_arrests&jurisdiction=OR,54047", 200),
    ("/observations", "/api/v1/observations?measure=overdose_death_rate_county_bin&limit=50", 200),
    ("/observations", "/api/v1/observations?measure=drug_arrests&start=1999&end=1999&kind=state",
     200),
    ("/observations", "/api/v1/observations?measure=population&format=csv&limit=3", 200),
    ("/observations", "/api/v1/observations?measure=population&start=2020&end=2010", 400),
    ("/laws", "/api/v1/laws?jurisdiction=OR&history=1", 200),
    ("/laws", "/api/v1/laws?topic=possession&as_of=2022-01-01", 200),
    ("/laws", "/api/v1/laws?as_of=", 400),
    ("/bills", "/api/v1/bills", 200),
    ("/bills", "/api/v1/bills?since=yesterday", 400),
    ("/sources", "/api/v1/sources", 200),
    ("/sources", "/api/v1/sources?limit=1", 400),
    ("/reinvest", "/api/v1/reinvest?state=OR", 200),
    ("/reinvest", "/api/v1/reinvest?state=WV&dollars=2020&reduction=50", 200),
    ("/reinvest", "/api/v1/reinvest?arrests=20000", 200),
    ("/reinvest", "/api/v1/reinvest?state=OR&arrests=-5", 400),
    ("/reinvest", "/api/v1/reinvest", 400),
    ("/states/{abbr}", "/api/v1/states/or", 200),
    ("/states/{abbr}", "/api/v1/states/us", 200),
    ("/states/{abbr}", "/api/v1/states/zz", 404),
    ("/states/{abbr}", "/api/v1/states/or?lang=es", 400),
]


@pytest.fixture(scope="module")
def spec():
    return openapi.spec()


def _spec_path(pattern: URLPattern) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))


def test_the_document_is_valid_openapi(client, spec):
    validate(spec)
    assert client.get("/api/v1/openapi.json").json() == spec


def test_every_route_is_in_the_document_with_the_parameters_it_checks(spec):
    routes = {_spec_path(p): p for p in urls.urlpatterns if str(p.pattern) not in NOT_IN_SPEC}
    assert set(routes) == set(spec["paths"])
    for path, pattern in routes.items():
        documented = {p["name"] for p in spec["paths"][path]["get"]["parameters"]
                      if p["in"] == "query"}
        checked = set(getattr(pattern.callback, "api_params", ()))
        assert documented == checked, path
        in_path = {p["name"] for p in spec["paths"][path]["get"]["parameters"] if p["in"] == "path"}
        assert in_path == set(re.findall(r"{(\w+)}", path)), path


def test_every_json_answer_has_a_schema_with_properties(spec):
    schemas = spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for status, response in item["get"]["responses"].items():
            ref = response["content"]["application/json"]["schema"]["$ref"]
            target = schemas[ref.rsplit("/", 1)[1]]
            assert target["type"] == "object" and target["properties"], (path, status)


def test_every_described_answer_is_requested_below(spec):
    described = {(path, status) for path, item in spec["paths"].items()
                 for status in item["get"]["responses"]}
    assert described == {(path, str(status)) for path, _url, status in REQUESTS}


@pytest.mark.parametrize("path, url, status", REQUESTS, ids=[r[1] for r in REQUESTS])
def test_live_answers_validate_against_the_document(client, spec, path, url, status):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    described = spec["paths"][path]["get"]["responses"][str(status)]["content"]
    headers = spec["paths"][path]["get"]["responses"][str(status)].get("headers", {})
    for name, header in headers.items():
        assert name in response or not header.get("required"), (url, name)
        if name in response:
            jsonschema.validate(response[name], header["schema"])
    media = response["Content-Type"].split(";")[0]
    assert media in described, (url, media)
    if media != "application/json":
        return
    body = response.json()
    # Refs in the document are "#/components/...": validate with the components beside them.
    schema = {**described[media]["schema"], "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def test_an_answer_with_an_undescribed_field_fails_the_check(spec):
    """The schemas are closed: a new field must be described before an answer may carry it."""
    schema = {"$ref": "#/components/schemas/Source", "components": spec["components"]}
    source = dict.fromkeys(spec["components"]["schemas"]["Source"]["properties"], "x")
    jsonschema.Draft202012Validator(schema).validate(source)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({**source, "new": "x"})


def test_docs_api_md_has_the_declared_parameters():
    text = doc_tables.path().read_text()
    assert doc_tables.current(text) == doc_tables.render(), (
        "docs/api.md's parameter tables are stale: run "
        "DRUGATLAS_DEVELOPMENT=1 .venv/bin/python -m drugatlas.api.doc_tables")
    for _summary, parameters, _ok, _extra in openapi.OPERATIONS.values():
        for p in parameters:
            assert f"| `{p.name}`" in text
