"""The OpenAPI 3.1 description of the v1 API, served at /api/v1/openapi.json.

Parameters come from their declarations (params.py), so the document, the parsing and the
errors cannot drift apart; every JSON answer has a schema with its properties, and
tests/api/test_openapi_contract.py validates live answers against them.
"""
from __future__ import annotations

from drugatlas import __version__
from drugatlas.atlas.models import Bill

from . import params

STRING = {"type": "string"}
TEXT_OR_NULL = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": STRING}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
NUMBER_OR_NULL = {"type": ["number", "null"]}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, optional: tuple = (), closed: bool = True, **extra) -> dict:
    """An object whose properties are all required except `optional`; `closed`: no others."""
    out = {"type": "object", "properties": properties,
           "required": [k for k in properties if k not in optional], **extra}
    if closed:
        out["additionalProperties"] = False
    return out


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def mapping(values: dict, description: str = "") -> dict:
    out = {"type": "object", "additionalProperties": values}
    if description:
        out["description"] = description
    return out


PAGE = {"count": {**INTEGER, "description": "Rows matching, on every page"},
        "limit": INTEGER, "offset": INTEGER}
PRECISION = {"type": ["string", "null"], "description": "day, month or year; null without a date"}

SCHEMAS = {
    "Error": obj({"error": {**STRING, "description": "What is wrong and what to do instead"},
                  "errors": mapping(STRINGS, "The calculator: messages for each input")},
                 optional=("errors",)),
    "Source": obj({"id": STRING, "publisher": STRING, "title": STRING, "url": STRING,
                   "file": STRING, "retrieved": STRING, "sha256": STRING, "licence": STRING,
                   "caveats": STRING}),
    "Place": obj({"code": {**STRING, "description": "USPS code, or FIPS for a county"},
                  "fips": STRING, "abbr": STRING, "name": STRING,
                  "kind": {"type": "string", "enum": list(params.KINDS)},
                  "parent": {**TEXT_OR_NULL, "description": "The state's FIPS for a county"}}),
    "Measure": obj({"slug": STRING, "label": STRING, "unit": STRING, "description": STRING,
                    "caveats": STRING, "topic": STRING, "first_period": TEXT_OR_NULL,
                    "last_period": TEXT_OR_NULL, "sources": STRINGS}),
    "Observation": obj({
        "jurisdiction": STRING, "fips": STRING, "name": STRING, "period": STRING,
        "value": {**NUMBER_OR_NULL, "description": "null is no data (flags say why), never zero"},
        "flags": STRINGS, "source": STRING,
        "basis": {**STRING, "description": "How the value was counted: source family plus "
                  "+imputed or +provisional. Compare values only within one basis."}}),
    "Observations": obj({
        "measure": obj({"slug": STRING, "label": STRING, "unit": STRING, "caveats": STRING}),
        "data_version": STRING, **PAGE, "rows": array(ref("Observation")),
        "sources": mapping(ref("Source"), "The sources the rows cite, by id")}),
    "Law": obj({
        "jurisdiction": STRING, "topic": STRING, "status": STRING, "status_label": STRING,
        "valid_from": {**TEXT_OR_NULL, "description": "2021, 2021-07 or 2021-07-09"},
        "valid_from_precision": PRECISION,
        "date_basis": {**TEXT_OR_NULL, "description": "Whether the class took effect on "
                       "valid_from or is only attested from then"},
        "valid_to": TEXT_OR_NULL, "valid_to_precision": PRECISION,
        "statute": STRING, "grade": STRING, "max_penalty": STRING, "statute_url": STRING,
        "citations": {**STRINGS, "description": "The statute page first"},
        "secondary_citations": STRINGS, "confidence": STRING, "note": STRING, "source": STRING,
        "origin": STRING}, optional=("statute", "grade", "max_penalty", "statute_url")),
    "Laws": obj({"as_of": {"type": ["string", "null"], "format": "date"},
                 "topic": TEXT_OR_NULL, **PAGE, "laws": array(ref("Law"))}),
    "BillEvent": obj({"date": TEXT_OR_NULL, "precision": PRECISION, "action": STRING,
                      "status": STRING, "url": STRING}),
    "Bill": obj({
        "id": INTEGER, "key": STRING, "jurisdiction": STRING, "number": STRING,
        "session": STRING, "title": STRING, "summary": STRING,
        "status": {"type": "string", "enum": [s for s, _ in Bill.STATUSES]},
        "status_date": TEXT_OR_NULL, "status_date_precision": PRECISION,
        "citations": STRINGS, "confidence": STRING,
        **{name: STRING for name in ("official_url", "bill_type", "sponsors", "possession_change",
                                     "threshold", "penalty", "diversion", "funding", "other",
                                     "note")},
        "events": array(ref("BillEvent"))},
        optional=("official_url", "bill_type", "sponsors", "possession_change", "threshold",
                  "penalty", "diversion", "funding", "other", "note")),
    "Bills": obj({**PAGE, "bills": array(ref("Bill"))}),
    "Jurisdictions": obj({"jurisdictions": array(ref("Place"))}),
    "Measures": obj({"measures": array(ref("Measure"))}),
    "Sources": obj({"sources": array(ref("Source"))}),
    "StateProfile": obj({
        "jurisdiction": ref("Place"), "data_version": STRING,
        "latest": mapping(obj({"period": STRING, "value": NUMBER, "flags": STRINGS,
                               "source": STRING}),
                          "The latest period with a value of each measure the page shows"),
        "laws_in_force": array(ref("Law")), "law_history": array(ref("Law")),
        "bills": array(ref("Bill")), "page": STRING}),
    "Cited": obj({"key": STRING, "label": STRING, "value": NUMBER, "unit": STRING,
                  "year": {"type": ["integer", "null"]}, "geography": STRING, "source": STRING,
                  "url": STRING, "confidence": STRING, "note": STRING}),
    "Reinvest": obj({
        "state": {"oneOf": [obj({"abbr": STRING, "name": STRING}), {"type": "null"}]},
        "dollars_year": INTEGER,
        "inputs": mapping(NUMBER, "Every input the calculation used"),
        "arrests": obj({"method": STRING, "year": {"type": ["integer", "null"]},
                        "arrests": NUMBER_OR_NULL, "sentences": STRINGS, "notes": STRINGS,
                        "sources": array(obj({"title": STRING, "publisher": STRING,
                                              "url": STRING, "id": STRING})),
                        "share": ref("Cited")},
                       optional=("year", "arrests", "notes", "sources", "share")),
        "results": obj({
            **{k: NUMBER for k in ("cost_per_arrest", "annual_cost", "savings", "annual_cost_low",
                                   "annual_cost_high", "savings_low", "savings_high")},
            "stages": array(obj({"key": STRING, "label": STRING, "per_arrest": NUMBER,
                                 "annual": NUMBER})),
            "could_fund": array(obj({"key": STRING, "label": STRING, "unit": STRING,
                                     "unit_cost": NUMBER, "count": NUMBER,
                                     "count_low": NUMBER, "count_high": NUMBER}))}),
        "steps": array(obj({"key": STRING, "label": STRING, "text": STRING, "result": STRING,
                            "value": NUMBER})),
        "defaults": mapping(obj({"value": NUMBER, "low": NUMBER_OR_NULL, "high": NUMBER_OR_NULL,
                                 "method": STRING, "range_method": STRING,
                                 "cited": {"type": "boolean"}, "confidence": TEXT_OR_NULL,
                                 "notes": STRINGS, "sources": array(ref("Cited"))}),
                            "Each input's default, with its sources"),
        "cpi": obj({"series": STRING, "values": mapping(NUMBER, "CPI-U by year")}),
        "caveats": STRINGS, "permalink": STRING, "assumptions": STRING}),
}


PAGE_HEADERS = {
    "X-Total-Count": {"description": "Rows matching, on every page", "required": True,
                      "schema": {"type": "string", "pattern": r"^\d+$"}},
    "Link": {"description": "RFC 8288 links to the first, prev, next and last pages (none "
                            "for a whole CSV)", "schema": STRING},
}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": ref("Error")}}}


def _get(summary, parameters, ok: str, csv=False, not_found=False) -> dict:
    content = {"application/json": {"schema": ref(ok)}}
    if csv:
        content["text/csv"] = {"schema": STRING}
    responses = {"200": {"description": "OK", "content": content},
                 "400": _error("Bad parameter; the message says which and why")}
    if any(p.name == "limit" for p in parameters):
        responses["200"]["headers"] = PAGE_HEADERS
    if not_found:
        responses["404"] = _error("Unknown state")
    return {"get": {"summary": summary, "parameters": [p.openapi() for p in parameters],
                    "responses": responses}}


# path -> (summary, parameters, schema of the 200 answer, extra keywords)
OPERATIONS = {
    "/jurisdictions": ("The nation, states and DC (counties with kind=county)",
                       params.JURISDICTIONS, "Jurisdictions", {}),
    "/measures": ("Every measure with unit, description, caveats, periods, sources",
                  params.MEASURES, "Measures", {}),
    "/observations": ("Values of one measure", params.OBSERVATIONS, "Observations", {"csv": True}),
    "/laws": ("Each jurisdiction's legal status on a date: statute, grade, maximum penalty, "
              "citations (the statute page first) and confidence; dates as precisely as known "
              "(2021, 2021-07 or 2021-07-09). `status` is a class code; `status_label` says it in "
              "words. Before the first dated source `status` is the code `unknown` and "
              "`status_label` says which years are missing (\"Law before 2017 not in this atlas\")",
              params.LAWS, "Laws", {}),
    "/bills": ("Decriminalization bills and ballot measures with their events", params.BILLS,
               "Bills", {}),
    "/sources": ("Every source file with publisher, URL, checksum, licence", params.SOURCES,
                 "Sources", {}),
    "/reinvest": ("The reinvestment calculator: what possession arrests cost and what the money "
                  "could fund; same parameters as /reinvest/", params.REINVEST, "Reinvest", {}),
    "/states/{abbr}": ("A state's profile: latest figures, law history, bills", params.STATE,
                       "StateProfile", {"not_found": True}),
}


def spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Drug Policy Atlas API", "version": f"v1 ({__version__})",
                 "description": "Drug laws with citations, drug arrests, overdose deaths and "
                                "population for U.S. states, DC and counties. Every value names "
                                "its source; an empty value is no data, never zero.",
                 "license": {"name": "CC BY 4.0 (compilation); source figures public domain"}},
        "servers": [{"url": "/api/v1"}],
        "paths": {path: _get(summary, parameters, ok, **extra)
                  for path, (summary, parameters, ok, extra) in OPERATIONS.items()},
        "components": {"schemas": SCHEMAS},
    }
