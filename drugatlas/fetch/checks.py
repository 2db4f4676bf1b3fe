"""Is an answer the file we asked for? Quick checks before the reader reads it.

Publishers answer outages with HTML pages served as 200, truncated files, or a file in another
encoding; these checks say so in words. Whether the columns and codes are still the ones the
reader knows is the reader's call (run.py runs it on every new file).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from .catalogue import Download

BOM = b"\xef\xbb\xbf"


class NotTheFile(Exception):
    """The answer is not the expected file; the message says what it is instead."""


def check(path: Path, download: Download, content_type: str) -> str:
    """Check the body at `path`; store text as UTF-8. Returns the encoding transcoded from, or ""."""
    data = path.read_bytes()
    if not data.strip():
        raise NotTheFile("answered an empty file")
    head = data[:2048].removeprefix(BOM).lstrip().lower()
    if "html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html")):
        raise NotTheFile("answered a web page (HTML), not the expected "
                         f"{download.kind.upper()} file: the publisher may be showing an error "
                         "or maintenance page")
    text, transcoded_from = _text(data, download)
    if download.kind == "json":
        _check_json(text, download)
    else:
        _check_csv(text)
    if transcoded_from:
        path.write_bytes(text.encode("utf-8"))
    return transcoded_from


def _text(data: bytes, download: Download) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as e:
        if not download.fallback_encoding:
            raise NotTheFile(f"answered text that is not UTF-8 ({e.reason} at byte {e.start})") \
                from None
        return data.decode(download.fallback_encoding), download.fallback_encoding


def _check_json(text: str, download: Download) -> None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise NotTheFile(f"answered something that is not JSON ({e.msg} at line {e.lineno})") \
            from None
    expected = download.url.rsplit("/", 1)[-1].removesuffix(".json")
    if not isinstance(value, dict) or value.get("id") != expected:
        found = value.get("id") if isinstance(value, dict) else type(value).__name__
        raise NotTheFile(f"answered the metadata of {found!r}, not of dataset {expected!r}")


def _check_csv(text: str) -> None:
    first_line = text.removeprefix("\ufeff").split("\n", 1)[0]
    try:
        header = next(csv.reader(io.StringIO(first_line)))
    except (csv.Error, StopIteration):
        header = []
    if len(header) < 2:
        raise NotTheFile(f"answered something that is not a CSV table (first line: "
                         f"{first_line[:80]!r})")


def socrata_release(path: Path) -> str:
    """When a Socrata dataset's rows last changed (its metadata's rowsUpdatedAt), as UTC ISO."""
    value = json.loads(path.read_text(encoding="utf-8")).get("rowsUpdatedAt")
    if not isinstance(value, (int, float)):
        return ""
    return dt.datetime.fromtimestamp(value, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
