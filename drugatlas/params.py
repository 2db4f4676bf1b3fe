"""Query parameters declared once: each `Param` parses its value, says what is wrong with a bad
one, and describes itself to the OpenAPI document (drugatlas/api/openapi.py) and to the docs
(a test checks docs/api.md names every declared parameter).

A view declares its parameters as a tuple of `Param` and reads them with `parse(query, PARAMS)`:
a parameter the view does not take, a value given empty (`?as_of=`), a value of the wrong shape
or outside its choices raises `BadRequest`, whose message is shown to the client as is.
Rules that tie two parameters together (start before end) or depend on the data (the years a
layer has) stay in the view. Pages declare theirs the same way, with `blank=True` (a form sends
empty fields) and a translated `message`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from drugatlas import formatting


class BadRequest(ValueError):
    """A client error (400); the message is shown to the client as is."""


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    schema: dict = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    location: str = "query"  # "query" or "path" (a path parameter is parsed by its URL)
    # Value (never empty) -> what the view uses; raises BadRequest with a message.
    convert: Callable[[str, "Param"], Any] | None = None
    example: str = ""  # shown in the "is required" message and in the OpenAPI document
    hint: str = ""  # ends the message about a missing or unknown value
    default: Any = None  # the value when not given
    # Pages: an empty value is "not given" (a form sends its empty fields). The API: a 400, since
    # read quietly as "not given" it would answer a different question than the one asked.
    blank: bool = False
    # Pages: the message for a bad value, translated, with %(value)s (and %(choices)s).
    message: str = ""

    def read(self, query: Mapping[str, str]) -> Any:
        value = query.get(self.name)
        if value == "" and self.blank:
            value = None
        if value == "":
            raise BadRequest(f"{self.name} is empty; give a value or leave the parameter out")
        if value is None:
            if self.required:
                example = f", e.g. ?{self.name}={self.example}" if self.example else ""
                raise BadRequest(f"{self.name} is required{example}"
                                 + (f"; {self.hint}" if self.hint else ""))
            return self.default
        return self.convert(value, self) if self.convert else value

    def bad(self, value: str, english: str) -> BadRequest:
        """The error for a bad value: the page's translated message, or the API's English one."""
        if self.message:
            return BadRequest(str(self.message) % {
                "value": value[:40], "choices": ", ".join(self.schema.get("enum", ()))})
        return BadRequest(english)

    def openapi(self) -> dict:
        out = {"name": self.name, "in": self.location, "required": self.required or
               self.location == "path", "description": self.description, "schema": self.schema}
        if self.example:
            out["example"] = self.example
        return out


def names(params: Iterable[Param]) -> tuple[str, ...]:
    return tuple(p.name for p in params if p.location == "query")


def check_known(query: Mapping[str, str], allowed: Iterable[str]) -> None:
    """A parameter the view does not take (`allowed`: names) is a 400 that names it: a typo
    would otherwise return the whole list as if it had been applied."""
    allowed = tuple(allowed)
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        listed = ", ".join(repr(u[:40]) for u in unknown[:5])
        known = ", ".join(sorted(allowed)) or "none"
        raise BadRequest(f"unknown parameter{'s' if len(unknown) > 1 else ''} {listed}; "
                         f"this endpoint takes: {known}")


def parse(query: Mapping[str, str], params: Iterable[Param], *,
          ignore_unknown: bool = False) -> dict[str, Any]:
    """{name: value or default} for every declared query parameter. Unknown parameters are a
    400 unless `ignore_unknown` (pages: shared links carry utm_…, fbclid)."""
    params = tuple(params)
    if not ignore_unknown:
        check_known(query, names(params))
    return {p.name: p.read(query) for p in params if p.location == "query"}


# --- The kinds of parameter -----------------------------------------------------------------

def _choice(value: str, param: Param) -> str:
    options = param.schema["enum"]
    if value not in options:
        raise param.bad(value, f"unknown {param.name} {value[:40]!r}; "
                        + (param.hint or "one of " + ", ".join(options)))
    return value


def choice(name: str, description: str, options: Iterable[str], **kw) -> Param:
    return Param(name, description, {"type": "string", "enum": list(options)}, convert=_choice,
                 **kw)


def _year(value: str, param: Param) -> int:
    if not (len(value) == 4 and value.isdigit()):
        raise param.bad(value, f"{param.name} must be a four-digit year, got {value[:20]!r}")
    return int(value)


def year(name: str, description: str, **kw) -> Param:
    return Param(name, description, {"type": "string", "pattern": r"^\d{4}$"}, convert=_year, **kw)


def _date(value: str, param: Param) -> dt.date:
    """Exactly YYYY-MM-DD (docs/api.md): not 20220101, not 2022-W01-1."""
    try:
        return formatting.strict_date(value)
    except ValueError:
        raise param.bad(value, f"{param.name} must be a date as YYYY-MM-DD, got {value[:20]!r}") \
            from None


def date(name: str, description: str, **kw) -> Param:
    return Param(name, description, {"type": "string", "format": "date"}, convert=_date, **kw)


def _whole(value: str, param: Param) -> int:
    if not value.isdigit() or len(value) > 9:
        raise param.bad(value, f"{param.name} must be a whole number, got {value[:20]!r}")
    number = int(value)
    low, high = param.schema.get("minimum", 0), param.schema.get("maximum")
    if number < low or (high is not None and number > high):
        raise BadRequest(f"{param.name} must be between {low} and {high}, got {number}"
                         if high is not None else f"{param.name} must be at least {low}")
    return number


def whole(name: str, description: str, minimum: int = 0, maximum: int | None = None,
          **kw) -> Param:
    schema = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return Param(name, description, schema, convert=_whole, **kw)


def text(name: str, description: str, convert=None, **kw) -> Param:
    return Param(name, description, {"type": "string"}, convert=convert, **kw)


def path(name: str, description: str, **kw) -> Param:
    return Param(name, description, {"type": "string"}, location="path", **kw)
