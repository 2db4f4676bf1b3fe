"""One conditional GET, with a timeout, retries and back-off, streamed to a file.

Standard library only (urllib): a fetch asks a handful of addresses a month, so a connection
pool or async client would add a dependency and nothing else. Errors come back as
PublisherError with a message an operator can act on: which host, which address, what it did.
"""
from __future__ import annotations

import email.utils
import hashlib
import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

USER_AGENT = "drugatlas-fetch/1 (Drug Policy Atlas; data fetch)"
CHUNK = 1 << 16
# Answers worth asking again: the publisher is busy or briefly down.
TRANSIENT = frozenset({408, 429, 500, 502, 503, 504})
RETRY_AFTER_CAP = 60.0  # seconds; a longer Retry-After means "come back later", not "wait"


class PublisherError(Exception):
    """The publisher could not be reached, or answered with an error."""


@dataclass(frozen=True)
class Settings:
    timeout: float = 60.0  # seconds without a byte before giving up on an attempt
    attempts: int = 3
    backoff: float = 2.0  # seconds before the second attempt; doubles after each
    base_url: str = ""  # DRUGATLAS_FETCH_BASE_URL: replaces scheme and host of every address


@dataclass(frozen=True)
class Answer:
    url: str  # the address asked (after the base-URL replacement)
    status: int  # 200, or 304 when the validators still match
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    sha256: str = ""  # of the body as written (decompressed)
    size: int = 0


def mirrored(url: str, base_url: str) -> str:
    """`url` with scheme and host (and any path prefix) taken from `base_url`, if one is set."""
    if not base_url:
        return url
    base = urllib.parse.urlsplit(base_url)
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(
        (base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, ""))


def get(url: str, dest: Path, settings: Settings, *, etag: str = "",
        last_modified: str = "") -> Answer:
    """GET `url` into `dest`, conditionally when validators are given. Raises PublisherError."""
    address = mirrored(url, settings.base_url)
    host = urllib.parse.urlsplit(address).netloc
    problem = ""
    delay = settings.backoff  # before the second attempt; doubles, or a Retry-After's
    for attempt in range(1, max(1, settings.attempts) + 1):
        if attempt > 1:
            time.sleep(delay)
            delay = settings.backoff * 2 ** (attempt - 1)
        try:
            return _get_once(address, dest, settings.timeout, etag, last_modified)
        except urllib.error.HTTPError as e:
            e.close()
            if e.code not in TRANSIENT:
                raise PublisherError(f"{host} answered HTTP {e.code} {e.reason} for {address}"
                                     f"{_hint(e.code)}") from None
            problem = f"{host} answered HTTP {e.code} {e.reason}"
            delay = max(delay, _retry_after(e.headers.get("Retry-After")))
        except (TimeoutError, socket.timeout):
            problem = f"{host} did not answer within {settings.timeout:g} s"
        except urllib.error.URLError as e:
            if isinstance(e.reason, (TimeoutError, socket.timeout)):
                problem = f"{host} did not answer within {settings.timeout:g} s"
            else:
                problem = f"could not reach {host} ({e.reason})"
        except (http.client.HTTPException, ConnectionError, zlib.error, EOFError) as e:
            problem = f"{host} broke off the answer ({type(e).__name__}: {e})"
    tries = "1 attempt" if settings.attempts <= 1 else f"{settings.attempts} attempts"
    raise PublisherError(f"{problem} ({tries}) for {address}: the publisher seems to be down "
                         "or overloaded; try again later")


def _get_once(address: str, dest: Path, timeout: float, etag: str,
              last_modified: str) -> Answer:
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(address, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as e:
        if e.code == 304:
            e.close()
            return Answer(address, 304, e.headers.get("ETag", "") or etag,
                          e.headers.get("Last-Modified", "") or last_modified)
        raise
    with response:
        digest, size = _write_body(response, dest)
        return Answer(address, response.status, response.headers.get("ETag", ""),
                      response.headers.get("Last-Modified", ""),
                      response.headers.get("Content-Type", ""), digest, size)


def _write_body(response, dest: Path) -> tuple[str, int]:
    """Stream the body to dest, decompressing gzip; return its sha256 and size as written."""
    gzipped = response.headers.get("Content-Encoding", "").lower() == "gzip"
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    announced = response.headers.get("Content-Length", "")
    digest, size, received = hashlib.sha256(), 0, 0
    with dest.open("wb") as out:
        while chunk := response.read(CHUNK):
            received += len(chunk)
            data = inflate.decompress(chunk) if inflate else chunk
            out.write(data)
            digest.update(data)
            size += len(data)
        if inflate:
            data = inflate.flush()
            if not inflate.eof:
                raise EOFError("the compressed answer ends early")
            out.write(data)
            digest.update(data)
            size += len(data)
    # Reading in chunks, http.client takes a connection closed early for the end of the body.
    if announced.isdigit() and received < int(announced):
        raise http.client.IncompleteRead(b"", int(announced) - received)
    return digest.hexdigest(), size


def _retry_after(value: str | None) -> float:
    """Seconds a Retry-After header asks for (a number or an HTTP date), capped; 0 if absent."""
    if not value:
        return 0.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return 0.0
    return max(0.0, min(seconds, RETRY_AFTER_CAP))


def _hint(code: int) -> str:
    if code == 404:
        return ": the publisher may have moved or withdrawn the file"
    if code in (401, 403):
        return ": the publisher refused access"
    return ""

