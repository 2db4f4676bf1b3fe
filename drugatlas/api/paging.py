"""Paging and known parameters of the API's list endpoints (docs/api.md).

`limit` (default 1000, at most 10000) and `offset` page a list; the answer says the total
(`count`, and the `X-Total-Count` header) and links the other pages in a `Link` header
(RFC 8288: first, prev, next, last). A parameter an endpoint does not know is a 400 that names
it: a typo would otherwise return the whole list as if it had been applied.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from .params import BadRequest

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
PAGING = ("limit", "offset")


def check_known(query, allowed) -> None:
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        names = ", ".join(repr(u[:40]) for u in unknown[:5])
        known = ", ".join(sorted(allowed)) or "none"
        raise BadRequest(f"unknown parameter{'s' if len(unknown) > 1 else ''} {names}; "
                         f"this endpoint takes: {known}")


def _number(query, name: str, default: int | None, maximum: int | None = None) -> int | None:
    raw = query.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise BadRequest(f"{name} must be a whole number, got {raw[:20]!r}")
    value = int(raw)
    if maximum is not None and not 1 <= value <= maximum:
        raise BadRequest(f"{name} must be between 1 and {maximum}, got {value}")
    return value


@dataclass(frozen=True)
class Page:
    limit: int | None  # None: everything (CSV of a whole measure)
    offset: int

    @classmethod
    def from_query(cls, query, default_limit: int | None = DEFAULT_LIMIT) -> "Page":
        return cls(_number(query, "limit", default_limit, MAX_LIMIT),
                   _number(query, "offset", 0) or 0)

    def slice(self, rows):
        return rows[self.offset:] if self.limit is None else rows[self.offset:self.offset + self.limit]

    def links(self, request, total: int) -> str:
        if self.limit is None:
            return ""
        base = request.path
        others = [(k, v) for k in sorted(request.GET) if k not in PAGING
                  for v in request.GET.getlist(k)]

        def url(offset: int) -> str:
            return base + "?" + urlencode([*others, ("limit", self.limit), ("offset", offset)])

        last = max(0, (total - 1) // self.limit * self.limit)
        links = [(url(0), "first")]
        if self.offset > 0:
            links.append((url(max(0, self.offset - self.limit)), "prev"))
        if self.offset + self.limit < total:
            links.append((url(self.offset + self.limit), "next"))
        links.append((url(last), "last"))
        return ", ".join(f'<{u}>; rel="{rel}"' for u, rel in links)

    def annotate(self, response, request, total: int):
        response["X-Total-Count"] = str(total)
        link = self.links(request, total)
        if link:
            response["Link"] = link
        return response
