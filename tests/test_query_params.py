"""The one declaration of query parameters (drugatlas/params.py): API and page rules."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from drugatlas import params

API = (params.choice("kind", "k", ("state", "county")), params.date("as_of", "d"),
       params.whole("limit", "l", minimum=1, maximum=10), params.year("start", "y"),
       params.text("q", "q", required=True, example="x", hint="see the list"))
PAGE = (params.choice("sort", "s", ("name", "value"), default="name", blank=True,
                      message=gettext_lazy("Unknown sort “%(value)s”. Choose sort=name or "
                                           "sort=value.")),)


def test_values_are_converted_and_absent_ones_are_none():
    assert params.parse({"q": "a", "as_of": "2022-01-31", "limit": "10", "start": "1999"}, API) == {
        "kind": None, "as_of": dt.date(2022, 1, 31), "limit": 10, "start": 1999, "q": "a"}


@pytest.mark.parametrize("query, message", [
    ({}, "q is required, e.g. ?q=x; see the list"),
    ({"q": "a", "kind": ""}, "kind is empty"),
    ({"q": "a", "kind": "planet"}, "unknown kind 'planet'; one of state, county"),
    ({"q": "a", "as_of": "20220101"}, "as_of must be a date as YYYY-MM-DD"),
    ({"q": "a", "limit": "11"}, "limit must be between 1 and 10, got 11"),
    ({"q": "a", "limit": "-1"}, "limit must be a whole number"),
    ({"q": "a", "start": "99"}, "start must be a four-digit year"),
    ({"q": "a", "limt": "5"}, "unknown parameter 'limt'; this endpoint takes: as_of, kind, limit, q, start"),
])
def test_api_errors_say_what_is_wrong(query, message):
    with pytest.raises(params.BadRequest) as caught:
        params.parse(query, API)
    assert message in str(caught.value)


def test_pages_read_empty_as_absent_and_answer_in_the_page_language():
    assert PAGE[0].read({"sort": ""}) == "name" and PAGE[0].read({}) == "name"
    assert params.parse({"utm_source": "x"}, PAGE, ignore_unknown=True) == {"sort": "name"}
    with translation.override("es"), pytest.raises(params.BadRequest) as caught:
        PAGE[0].read({"sort": "colour"})
    assert str(caught.value) == "Orden desconocido “colour”. Elija sort=name o sort=value."


def test_each_declaration_describes_itself_to_openapi():
    assert API[2].openapi() == {"name": "limit", "in": "query", "required": False,
                                "description": "l",
                                "schema": {"type": "integer", "minimum": 1, "maximum": 10}}
    assert params.names(API) == ("kind", "as_of", "limit", "start", "q")
