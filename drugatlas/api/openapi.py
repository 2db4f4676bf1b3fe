"""The OpenAPI 3.1 description of the v1 API, served at /api/v1/openapi.json."""
from __future__ import annotations

from drugatlas import __version__, measures
from drugatlas.atlas.models import Bill, LawStatus


def _param(name, description, required=False, schema=None, location="query"):
    return {"name": name, "in": location, "required": required, "description": description,
            "schema": schema or {"type": "string"}}


_JURISDICTION = _param("jurisdiction", "USPS code (WV), US for the nation, or a FIPS code "
                       "(54, 54047); comma-separated for several")
_PAGING = [
    _param("limit", "Rows per page: 1 to 10000, default 1000 (CSV: everything unless given); "
           "the Link header links first, prev, next and last pages, X-Total-Count and count "
           "give the total", schema={"type": "integer", "minimum": 1, "maximum": 10000}),
    _param("offset", "Rows to skip, default 0", schema={"type": "integer", "minimum": 0}),
]
_ERROR = {"description": "Bad parameter; the message says which and why",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _get(summary, parameters, ok_schema, csv=False, not_found=False):
    content = {"application/json": {"schema": ok_schema}}
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    responses = {"200": {"description": "OK", "content": content}, "400": _ERROR}
    if not_found:
        responses["404"] = {"description": "Unknown state", "content": _ERROR["content"]}
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def reinvest_params():
    from drugatlas.reinvest import model

    return model.PARAMS


def spec() -> dict:
    obj = {"type": "object"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Drug Policy Atlas API", "version": f"v1 ({__version__})",
                 "description": "Drug laws with citations, drug arrests, overdose deaths and "
                                "population for U.S. states, DC and counties. Every value names "
                                "its source; an empty value is no data, never zero.",
                 "license": {"name": "CC BY 4.0 (compilation); source figures public domain"}},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/jurisdictions": _get("The nation, states and DC (counties with kind=county)", [
                _param("kind", "nation, state or county",
                       schema={"type": "string", "enum": ["nation", "state", "county"]}),
                _param("state", "with kind=county: the counties of these states")], obj),
            "/measures": _get("Every measure with unit, description, caveats, periods, sources",
                              [], obj),
            "/observations": _get("Values of one measure", [
                _param("measure", "Measure slug", required=True,
                       schema={"type": "string", "enum": [m.slug for m in measures.MEASURES]}),
                _JURISDICTION,
                _param("start", "First year (YYYY)", schema={"type": "string", "pattern": r"^\d{4}$"}),
                _param("end", "Last year (YYYY)", schema={"type": "string", "pattern": r"^\d{4}$"}),
                _param("kind", "nation, state or county",
                       schema={"type": "string", "enum": ["nation", "state", "county"]}),
                _param("format", "json (default) or csv",
                       schema={"type": "string", "enum": ["json", "csv"]}),
                *_PAGING,
            ], {"$ref": "#/components/schemas/Observations"}, csv=True),
            "/laws": _get("Each jurisdiction's legal status on a date: statute, grade, maximum penalty, "
                          "citations (the statute page first) and confidence; dates as "
                          "precisely as known (2021, 2021-07 or 2021-07-09). `status` is a "
                          "class code; `status_label` says it in words. Before the first dated "
                          "source `status` is the code `unknown` and `status_label` says which "
                          "years are missing (\"Law before 2017 not in this atlas\")", [
                _param("topic", "Law topic",
                       schema={"type": "string", "enum": [t for t, _ in LawStatus.TOPICS]}),
                _param("as_of", "Date (YYYY-MM-DD); default today",
                       schema={"type": "string", "format": "date"}),
                _param("history", "1 for every dated interval instead of one date"),
                _JURISDICTION, *_PAGING], obj),
            "/bills": _get("Decriminalization bills and ballot measures with their events", [
                _JURISDICTION,
                _param("status", "Status", schema={"type": "string",
                                                   "enum": [s for s, _ in Bill.STATUSES]}),
                _param("since", "Status date on or after (YYYY-MM-DD)",
                       schema={"type": "string", "format": "date"}), *_PAGING], obj),
            "/sources": _get("Every source file with publisher, URL, checksum, licence", [], obj),
            "/reinvest": _get("The reinvestment calculator: what possession arrests cost and what "
                              "the money could fund; same parameters as /reinvest/", [
                _param("state", "USPS code", required=True),
                _param("dollars", "Dollar year (a year with CPI-U figures)",
                       schema={"type": "string", "pattern": r"^\d{4}$"}),
                *[_param(p.name, f"{p.label} (default: the cited figure)",
                         schema={"type": "number", "minimum": 0}) for p in reinvest_params()],
            ], obj),
            "/states/{abbr}": _get("A state's profile: latest figures, law history, bills", [
                _param("abbr", "USPS code", required=True, location="path")], obj, not_found=True),
        },
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}},
                      "required": ["error"]},
            "Observations": {"type": "object", "properties": {
                "measure": obj, "data_version": {"type": "string"}, "count": {"type": "integer"},
                "rows": {"type": "array", "items": {"type": "object", "properties": {
                    "jurisdiction": {"type": "string"}, "fips": {"type": "string"},
                    "name": {"type": "string"}, "period": {"type": "string"},
                    "value": {"type": ["number", "null"]},
                    "flags": {"type": "array", "items": {"type": "string"}},
                    "source": {"type": "string"},
                    "basis": {"type": "string", "description":
                              "How the value was counted: source family plus +imputed or "
                              "+provisional. Compare values only within one basis."}}}},
                "sources": obj}},
        }},
    }
