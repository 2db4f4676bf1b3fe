"""Cache keys and validators that change whenever the data or the code change.

A cached page, API answer or ETag is valid for one *data version* and one *code version*:

- the data version joins the loaded data release, read from the database (so a `data load`
  run from cron on another host or checkout retires every cached answer everywhere), and a
  counter that editors' saves bump after their commit (drugatlas.atlas.signals);
- the code version is a hash of the package's code, templates, translations and static files,
  so a deploy retires pages rendered by the old code.

`remember(compute, *parts)` and `remember_response(respond, *parts)` are the one get → compute
→ keep of the application cache (docs/architecture.md, "To cache something a view computes"):
they key by both versions and the language, and decide what is kept.

Answers live in the "pages" cache (Redis when REDIS_URL is set, local memory otherwise), apart
from the default cache that keeps rate-limit counters, so pages never cull counters. Old
entries are never read again and expire by their timeout.
"""
from __future__ import annotations

import hashlib
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.translation import get_language

from drugatlas.atlas.models import DataRelease



class _Pages:
    """The "pages" cache; the default one where settings name no "pages" (a test's override)."""

    def __getattr__(self, item):
        alias = "pages" if "pages" in settings.CACHES else "default"
        return getattr(caches[alias], item)


pages = _Pages()

_KEY = "drugatlas:data-version"
# How long a process trusts its last look at the release and edit counter: one query a second
# at most, and a load is seen everywhere within that time.
CHECK_SECONDS = 1.0
_memo: dict = {"at": 0.0, "value": ""}
_lock = threading.Lock()


def _edit_counter() -> str:
    version = cache.get(_KEY)
    if version is None:
        version = uuid.uuid4().hex[:12]
        cache.add(_KEY, version, None)
        version = cache.get(_KEY, version)
    return version


def _release() -> str:
    row = DataRelease.objects.order_by("-loaded_at", "-id").values_list("id", "version").first()
    return f"{row[0]}-{row[1][:16]}" if row else "none"


def data_version() -> str:
    """The loaded release and the editors' counter, as one short string."""
    now = time.monotonic()
    if now - _memo["at"] > CHECK_SECONDS or not _memo["value"]:
        value = hashlib.sha256(f"{_release()}|{_edit_counter()}".encode()).hexdigest()[:12]
        with _lock:
            _memo.update(at=now, value=value)
    return _memo["value"]


def bump_data_version() -> str:
    version = uuid.uuid4().hex[:12]
    cache.set(_KEY, version, None)
    _memo["value"] = ""
    return version


_CODE_SUFFIXES = {".py", ".html", ".txt", ".mo", ".css", ".js", ".svg", ".json"}
_code: list[str] = []


def code_version() -> str:
    """A hash of the package's files that shape a page (the data bundle excluded)."""
    if not _code:
        root = Path(__file__).resolve().parents[1]
        digest = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            if (path.suffix in _CODE_SUFFIXES and path.is_file() and "bundle" not in path.parts
                    and "__pycache__" not in path.parts):
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
        _code.append(digest.hexdigest()[:12])
    return _code[0]


def version() -> str:
    """Data and code version together: what cache keys and ETags are made from."""
    return f"{data_version()}{code_version()}"


def key(*parts) -> str:
    """A cache key for these parts under the current versions (hashed: URLs can be long)."""
    digest = hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"drugatlas:{version()}:{digest}"


# Bodies larger than this are not kept (a hit would unpickle and copy them on every request);
# a reverse proxy, the browser's ETag or the static export keeps them instead.
MAX_BODY_BYTES = 512 * 1024

# What a kept response carries besides its status and body.
RESPONSE_HEADERS = ("content-type", "content-disposition", "access-control-allow-origin",
                    "content-language", "link", "x-total-count")
KEPT_STATUSES = (200, 400, 404)


def _too_big(value) -> bool:
    """A body (text or bytes) over MAX_BODY_BYTES; other values are small derived data."""
    if isinstance(value, str):
        return len(value) > MAX_BODY_BYTES // 4 and len(value.encode()) > MAX_BODY_BYTES
    return isinstance(value, (bytes, bytearray)) and len(value) > MAX_BODY_BYTES


def remember(compute, *parts, size_limit: bool = True, per_language: bool = True):
    """The value kept under these parts for the current data version, code version and
    language; on a miss compute() runs once and its value is kept, unless it is a body over
    MAX_BODY_BYTES (size_limit=False keeps any size). The one get/compute/set of the
    application cache: a view never reads and writes the cache itself.

    The active language is part of the key unless per_language=False, so a Spanish rendering
    is never served at an English URL. per_language=False is only for values with no words
    (years, legend breaks, numbers): one copy then serves both languages. compute()
    returning None is not kept (None is how the cache says "missing")."""
    name = key("remember", *parts, get_language() if per_language else "")
    found = pages.get(name)
    if found is None:
        found = compute()
        if found is not None and not (size_limit and _too_big(found)):
            pages.set(name, found)
    return found


def _keepable(response, size_limit: bool) -> bool:
    return (response.status_code in KEPT_STATUSES and not response.streaming
            and not response.cookies and "Cookie" not in response.get("Vary", "")
            and not (size_limit and _too_big(response.content)))


def remember_response(respond, *parts, size_limit: bool = True) -> HttpResponse:
    """A whole answer kept like remember(): status, body and RESPONSE_HEADERS. Only answers
    with a status in KEPT_STATUSES, no cookie and no Vary: Cookie are kept (a page that
    touched the session is nobody else's to keep)."""
    name = key("response", *parts, get_language())
    stored = pages.get(name)
    if stored is not None:
        status, headers, body = stored
        response = HttpResponse(body, status=status)
        for header, value in headers:
            response[header] = value
        return response
    response = respond()
    if _keepable(response, size_limit):
        pages.set(name, (response.status_code,
                         [(h, v) for h, v in response.items() if h.lower() in RESPONSE_HEADERS],
                         response.content))
    return response
