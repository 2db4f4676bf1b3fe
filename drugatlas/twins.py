"""Every data page's JSON and CSV twins, served one way (docs/architecture.md, "To add a page
with a data twin").

A view answers through `serve(request, html, data)`:

- no `format`: the HTML page (`html()`), with a `Link: <…>; rel="alternate"` header naming its
  twins, and `request.alternates` for the `<link rel="alternate">` tags of base.html;
- `?format=json`: `data().json` through the one encoder (UTF-8 text, dates in ISO 8601,
  Decimals as numbers);
- `?format=csv`: `data().header` and `data().rows` as a CSV attachment;
- another format the view offers (`extra`, e.g. the map's SVG and PNG): that answer;
- any other format: 400 with a message naming the formats there are.

Every twin carries `Access-Control-Allow-Origin: *` and a Link header naming the page and the
other twin. Caching and conditional GET are drugatlas/atlas/http_cache.py's: a twin page
declares "format" among its parameters (`@public_page(..., "format")`), so the twins are
cached, tagged and answered 304 like the page. The API (drugatlas/api) uses the same encoder
and CORS header.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable, Sequence
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

JSON = "application/json"
CSV = "text/csv; charset=utf-8"
HTML = "text/html"
FORMATS = {"csv": CSV, "json": JSON}
ALTERNATE_TYPES = {"html": HTML, "json": JSON, "csv": "text/csv"}
CORS_HEADERS = {"Access-Control-Allow-Origin": "*",
                "Access-Control-Expose-Headers": "Link, X-Total-Count"}


class Encoder(DjangoJSONEncoder):
    """Django's encoder (dates, times, lazy translations) with Decimals as numbers and sets as
    sorted lists."""

    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        if isinstance(o, (set, frozenset)):
            return sorted(o)
        return super().default(o)


def dumps(payload) -> str:
    return json.dumps(payload, cls=Encoder, ensure_ascii=False, separators=(",", ":"))


def json_response(payload, status: int = 200) -> HttpResponse:
    return HttpResponse(dumps(payload), status=status, content_type=JSON)


def cell(value) -> str:
    """A CSV cell: nothing for None, lists joined with "; ", dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def allow_any_origin(response: HttpResponse) -> HttpResponse:
    """Open data: any site's script may read the answer."""
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


@dataclass
class Twin:
    """What a page says, as data: `json` whole; `header` and `rows` as one table."""

    json: dict
    header: Sequence[str] = ()
    rows: Iterable[Sequence] = field(default_factory=list)
    filename: str = ""  # attachment name without extension; default: from the page's path


def page_url(request, fmt: str = "") -> str:
    """This page's URL in one of its forms. Only the parameters the page declares to its cache
    (http_cache.public_page) are kept, in a fixed order, so links name the cached copies."""
    known = [p for p in sorted(getattr(request, "cache_params", ())) if p != "format"]
    query = [(p, v) for p in known for v in request.GET.getlist(p)]
    if fmt:
        query.append(("format", fmt))
    return request.path + (f"?{urlencode(query)}" if query else "")


def alternates(request, current: str = "html") -> list[dict]:
    """The other forms of this page: [{"url", "type", "format"}]."""
    return [{"format": fmt, "type": kind, "url": page_url(request, "" if fmt == "html" else fmt)}
            for fmt, kind in ALTERNATE_TYPES.items() if fmt != current]


def link_header(links: list[dict]) -> str:
    return ", ".join(f'<{a["url"]}>; rel="alternate"; type="{a["type"]}"' for a in links)


def unknown_format(fmt: str, choices: Iterable[str]) -> HttpResponse:
    message = _("The format can be %(choices)s; got “%(format)s”.") % {
        "choices": ", ".join(choices), "format": fmt[:20]}
    return allow_any_origin(HttpResponse(message, status=400,
                                         content_type="text/plain; charset=utf-8"))


def error(request, message: str, html: Callable[[], HttpResponse], status: int = 400):
    """A page's refusal (bad parameters) in the form asked for: JSON, plain text for CSV, or
    the HTML page `html()`."""
    fmt = request.GET.get("format", "")
    if fmt == "json":
        return allow_any_origin(json_response({"error": message}, status=status))
    if fmt:
        return allow_any_origin(HttpResponse(message, status=status,
                                             content_type="text/plain; charset=utf-8"))
    return html()


def serve(request, html: Callable[[], HttpResponse], data: Callable[[], Twin],
          extra: dict[str, Callable[[], HttpResponse]] | None = None) -> HttpResponse:
    """The page in the form `?format=` asks for (see the module docstring)."""
    extra = extra or {}
    fmt = request.GET.get("format", "")
    if fmt == "":
        request.alternates = alternates(request)
        response = html()
    elif fmt in FORMATS:
        response = _twin(request, data(), fmt)
    elif fmt in extra:
        response = allow_any_origin(extra[fmt]())
    else:
        return unknown_format(fmt, [*FORMATS, *extra])
    if response.status_code == 200 and fmt in ("", *FORMATS):
        response["Link"] = link_header(alternates(request, fmt or "html"))
    return response


def _twin(request, twin: Twin, fmt: str) -> HttpResponse:
    if fmt == "json":
        response = json_response(twin.json)
        if twin.filename:
            response["Content-Disposition"] = f'attachment; filename="{twin.filename}.json"'
    else:
        response = HttpResponse(csv_text(twin.header, twin.rows), content_type=CSV)
        stem = twin.filename or slugify(request.path.strip("/").replace("/", "-")) or "map"
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return allow_any_origin(response)
