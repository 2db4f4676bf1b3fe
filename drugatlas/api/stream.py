"""Large API answers, streamed at flat memory: observations as CSV, up to a whole measure.

On PostgreSQL the CSV comes from `COPY (…) TO STDOUT`, formatted by the database exactly as
`csv_row` formats it in Python; elsewhere (SQLite) rows come from a chunked iterator. A streamed
answer is never stored in the application cache: a reverse proxy or the static export caches it.
"""
from __future__ import annotations

import csv
import io

from django.db import connection

CHUNK_BYTES = 64 * 1024
FETCH_ROWS = 2000

# The columns a row query selects, in this order (observations joined with their place).
COLUMNS = ("jurisdiction__abbr", "jurisdiction_id", "jurisdiction__name", "period", "value",
           "flags", "source_id")


def number(value):
    """A value as the API writes it: integers without ".0", None for no data."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def csv_row(slug: str, row: tuple) -> list:
    abbr, fips, name, period, value, flags, source = row
    return [slug, abbr or fips, fips, name, period, "" if value is None else number(value), flags,
            source]


def csv_lines(slug: str, header: list[str], rows_qs):
    """The CSV answer in chunks of about CHUNK_BYTES. rows_qs: observations, ordered (and
    sliced for a page), as `values_list(*COLUMNS)`."""
    lines = _copy_csv(slug, rows_qs) if connection.vendor == "postgresql" else _python_csv(
        slug, rows_qs)
    return _chunks(_header(header), lines)


def _header(header: list[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(header)
    return buf.getvalue().encode()


def _chunks(first: bytes, parts):
    """Parts gathered into chunks of about CHUNK_BYTES (one write per row would be slow)."""
    buf = bytearray(first)
    for part in parts:
        buf += part
        if len(buf) >= CHUNK_BYTES:
            yield bytes(buf)
            buf.clear()
    if buf:
        yield bytes(buf)


def _python_csv(slug: str, rows_qs):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows_qs.iterator(chunk_size=FETCH_ROWS):
        writer.writerow(csv_row(slug, row))
        if buf.tell() >= CHUNK_BYTES:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


# Each column as csv_row writes it. Empty text becomes NULL, which COPY writes unquoted (it
# quotes empty strings); whole numbers lose their ".0", others print as the shortest text that
# reads back the same float (PostgreSQL 12+), as Python's repr does.
_CSV_SELECT = """
SELECT %s, COALESCE(NULLIF(t.abbr, ''), t.fips), NULLIF(t.fips, ''), NULLIF(t.name, ''),
       NULLIF(t.period, ''),
       CASE WHEN t.value IS NULL THEN NULL
            WHEN t.value = trunc(t.value) AND abs(t.value) < 9e18 THEN t.value::bigint::text
            ELSE t.value::text END,
       NULLIF(t.flags, ''), NULLIF(t.source, '')
FROM (<inner>) AS t (abbr, fips, name, period, value, flags, source)
ORDER BY t.fips, t.period
"""


def _copy_csv(slug: str, rows_qs):
    """Rows of the COPY, one at a time (libpq's unit), around rows_qs's own query (its order
    and page included)."""
    inner, params = rows_qs.query.sql_with_params()
    sql = f"COPY ({_CSV_SELECT.replace('<inner>', inner)}) TO STDOUT (FORMAT csv)"
    with connection.cursor() as cursor:
        # Leaving the block early (a client gone) cancels the COPY and frees the connection.
        with cursor.connection.cursor().copy(sql, (slug, *params)) as copy:
            yield from copy
