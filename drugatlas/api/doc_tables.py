"""The parameter tables of docs/api.md, written from the declarations (params.py) that the views
parse with and the OpenAPI document lists. tests/api/test_openapi_contract.py fails when the
file is stale; rewrite it with:

    DRUGATLAS_DEVELOPMENT=1 .venv/bin/python -m drugatlas.api.doc_tables
"""
from __future__ import annotations

from pathlib import Path

BEGIN = "<!-- parameters: written by `python -m drugatlas.api.doc_tables`; do not edit by hand -->"
END = "<!-- end of parameters -->"
MAX_LISTED = 8  # longer lists of values are named in the OpenAPI document and the endpoint


def path() -> Path:
    return Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _values(schema: dict, hint: str = "") -> str:
    if "enum" in schema:
        options = schema["enum"]
        if len(options) > MAX_LISTED:
            return f"one of {len(options)}: {hint or 'the OpenAPI document lists them'}"
        return ", ".join(f"`{o}`" for o in options)
    if schema.get("format") == "date":
        return "YYYY-MM-DD"
    if schema.get("pattern") == r"^\d{4}$":
        return "YYYY"
    if schema["type"] in ("integer", "number"):
        low, high = schema.get("minimum"), schema.get("maximum")
        kind = "whole number" if schema["type"] == "integer" else "number"
        if high is not None:
            return f"{kind}, {low:,g} to {high:,.0f}"
        return f"{kind}, at least {low:,g}" if low is not None else kind
    return "text"


def render() -> str:
    from .openapi import OPERATIONS

    parts = [BEGIN]
    for route, (_summary, parameters, _ok, _extra) in OPERATIONS.items():
        if not parameters:
            continue
        parts += ["", f"`GET /api/v1{route}`", "",
                  "| parameter | values | meaning |", "| --- | --- | --- |"]
        for p in parameters:
            required = " (required)" if p.required or p.location == "path" else ""
            parts.append(f"| `{p.name}`{required} | {_values(p.schema, p.hint)} | {p.description} |")
    parts += ["", END]
    return "\n".join(parts)


def current(text: str) -> str:
    """The generated block as docs/api.md has it ("" when missing)."""
    if BEGIN not in text or END not in text:
        return ""
    return text[text.index(BEGIN):text.index(END) + len(END)]


def update() -> bool:
    """Rewrite the block in docs/api.md; True when it changed."""
    doc = path()
    text = doc.read_text()
    old = current(text)
    if not old:
        raise SystemExit(f"{doc} has no parameters block ({BEGIN})")
    new = text.replace(old, render())
    doc.write_text(new)
    return new != text


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drugatlas.settings")
    django.setup()
    print(f"{'rewrote' if update() else 'unchanged:'} {path()}")
