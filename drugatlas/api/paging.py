"""Paging of the API's list endpoints (docs/api.md).

`limit` (default 1000, at most 10000) and `offset` page a list; the answer says the total
(`count`, and the `X-Total-Count` header) and links the other pages in a `Link` header
(RFC 8288: first, prev, next, last). The parameters are declared in params.PAGING.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from .params import DEFAULT_LIMIT

PAGING = ("limit", "offset")  # declared in params.PAGING


@dataclass(frozen=True)
class Page:
    limit: int | None  # None: everything (CSV of a whole measure)
    offset: int

    @classmethod
    def of(cls, values: dict, default_limit: int | None = DEFAULT_LIMIT) -> "Page":
        """The page asked for, from the values `params.parse` read for params.PAGING."""
        limit = values["limit"]
        return cls(default_limit if limit is None else limit, values["offset"] or 0)

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
