"""A local publisher for the fetch tests: a threaded HTTP server answering at the official paths
(data.cdc.gov's /api/views/..., www2.census.gov's /programs-surveys/...) with recorded copies of
the real files, and whatever misbehaviour a test asks for (304, 500, a slow answer, HTML).

The recorded copies are built from the raw folder (../shared/data/raw), or from tests/fixtures
where it is absent: the VSRR CSV as published ("current"), and a later release with the next
month added and one value revised ("later"). DRUGATLAS_FETCH_BASE_URL points fetches at it.
"""
from __future__ import annotations

import calendar
import csv
import gzip
import hashlib
import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from drugatlas.fetch import catalogue, http
from drugatlas.sources import vsrr

VSRR = catalogue.ENTRIES["vsrr"].downloads[0]
VSRR_ROWS = "/api/views/xkb8-kh2a/rows.csv?accessType=DOWNLOAD"
VSRR_METADATA = "/api/views/xkb8-kh2a.json"
MONTHS = list(calendar.month_name)
RELEASED = 1752674192  # rowsUpdatedAt of the recorded release (2025-07-16 13:56 UTC)
# The revised value of the later release: Ohio's reported deaths in the 12 months to December
# 2024 (where the recorded file has no such row, the first total of the file).
REVISED = ("OH", "2024", "December")
REVISION = 1.25


@dataclass
class Route:
    body: bytes
    content_type: str = "text/csv; charset=utf-8"
    etag: str = ""
    last_modified: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before answering
    fail_first: int = 0  # answer 500 to this many requests first
    gzip: bool = False
    truncate: bool = False  # announce the whole body, send half of it, hang up


@dataclass
class Publisher:
    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)

    def settings(self, **kwargs) -> http.Settings:
        return http.Settings(**{"timeout": 5.0, "attempts": 2, "backoff": 0.01,
                                "base_url": self.url, **kwargs})

    def asked(self, path: str) -> list[dict]:
        """Headers of each request for `path`."""
        return [headers for p, headers in self.requests if p == path]


def _handler(publisher: Publisher):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            publisher.requests.append((self.path, dict(self.headers)))
            route = publisher.routes.get(self.path)
            try:
                if route is None:
                    return self._answer(404, b"<html><body>Not found</body></html>",
                                        "text/html")
                if route.delay:
                    time.sleep(route.delay)
                if route.fail_first > 0:
                    route.fail_first -= 1
                    return self._answer(500, b"<html><body>Internal error</body></html>",
                                        "text/html")
                if route.status != 200:
                    return self._answer(route.status, route.body, route.content_type)
                validators = {"ETag": route.etag, "Last-Modified": route.last_modified}
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                        route.last_modified and not self.headers.get("If-None-Match")
                        and self.headers.get("If-Modified-Since") == route.last_modified):
                    return self._answer(304, b"", "", validators)
                body, extra = route.body, dict(validators)
                if route.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
                    body, extra["Content-Encoding"] = gzip.compress(body), "gzip"
                if route.truncate:
                    extra["Content-Length"] = str(len(body))
                    body = body[:len(body) // 2]
                    self.close_connection = True
                self._answer(200, body, route.content_type, extra)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (the timeout tests)

        def _answer(self, status, body, content_type, headers=None):
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            headers = {"Content-Length": str(len(body)), **(headers or {})}
            for name, value in headers.items():
                if value:
                    self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@dataclass(frozen=True)
class Release:
    rows_csv: bytes
    metadata: bytes
    later_period: str  # "YYYY-MM" of the month the later release adds ("" for the current one)
    revised: tuple[str, str, str]  # (state, year, month) of the revised value


def _metadata(raw: Path, rows_updated_at: int) -> bytes:
    path = raw / "cdc_vsrr_provisional_overdose" / "xkb8-kh2a.json"
    record = json.loads(path.read_text()) if path.is_file() else {
        "id": "xkb8-kh2a", "name": "VSRR Provisional Drug Overdose Death Counts"}
    record["rowsUpdatedAt"] = rows_updated_at
    return json.dumps(record).encode()


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode()


def _later(header: list[str], rows: list[list[str]],
           revise: bool = True) -> tuple[list[list[str]], str, tuple]:
    """Rows of a later release: the month after the newest one added (each count up 1%), and
    (when `revise`) one earlier total revised up 25%."""
    col = {name: i for i, name in enumerate(header)}
    newest = max((int(r[col["Year"]]), MONTHS.index(r[col["Month"]])) for r in rows)
    year, month = (newest[0], newest[1] + 1) if newest[1] < 12 else (newest[0] + 1, 1)
    added = []
    for row in rows:
        if (int(row[col["Year"]]), MONTHS.index(row[col["Month"]])) == newest:
            copy = list(row)
            copy[col["Year"]], copy[col["Month"]] = str(year), MONTHS[month]
            for name in ("Data Value", "Predicted Value"):
                if copy[col[name]]:
                    copy[col[name]] = str(round(float(copy[col[name]]) * 1.01))
            added.append(copy)
    totals = [r for r in rows if r[col["Indicator"]] == vsrr.TOTAL and r[col["Data Value"]]
              and (int(r[col["Year"]]), MONTHS.index(r[col["Month"]])) != newest]
    target = next((r for r in totals if (r[col["State"]], r[col["Year"]], r[col["Month"]])
                   == REVISED), totals[0])
    revised = [list(r) for r in rows]
    index = rows.index(target)
    if revise:
        revised[index][col["Data Value"]] = str(round(float(target[col["Data Value"]]) * REVISION))
    key = (target[col["State"]], target[col["Year"]], target[col["Month"]])
    return revised + added, f"{year}-{month:02d}", key


def make_releases(recorded_raw: Path) -> dict[str, Release]:
    """The VSRR responses: "current" (the raw folder's copy), "later", "renamed" (the later
    release with its Indicator column renamed) and "added" (the later month, nothing revised)."""
    text = (recorded_raw / VSRR.file).read_bytes()
    reader = csv.reader(io.StringIO(text.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    later_rows, period, revised = _later(header, rows)
    added_rows, _, _ = _later(header, rows, revise=False)
    renamed = ["Indicator Name" if h == "Indicator" else h for h in header]
    return {
        "current": Release(text, _metadata(recorded_raw, RELEASED), "", revised),
        "later": Release(_csv_bytes(header, later_rows), _metadata(recorded_raw, RELEASED + 86400 * 28),
                         period, revised),
        "renamed": Release(_csv_bytes(renamed, later_rows),
                           _metadata(recorded_raw, RELEASED + 86400 * 28), period, revised),
        "added": Release(_csv_bytes(header, added_rows),
                         _metadata(recorded_raw, RELEASED + 86400 * 29), period, ()),
    }


def serve(publisher: Publisher, release: Release, **rows_route) -> None:
    """Answer the VSRR dataset's metadata and rows with this release."""
    tag = hashlib.sha256(release.rows_csv).hexdigest()[:16]
    publisher.routes[VSRR_METADATA] = Route(release.metadata, "application/json",
                                            etag=f'"m{tag}"')
    publisher.routes[VSRR_ROWS] = Route(release.rows_csv, etag=f'"r{tag}"',
                                        last_modified="Wed, 16 Jul 2025 13:56:32 GMT",
                                        **rows_route)


def start(publisher: Publisher) -> ThreadingHTTPServer:
    """Serve `publisher` on a free port of 127.0.0.1 in a background thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(publisher))
    server.daemon_threads = True
    publisher.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
