"""One conditional GET against the local publisher: validators, 304, retries, timeouts, gzip,
and messages that say which host did what."""
from __future__ import annotations

import hashlib
import time

import pytest

from drugatlas.fetch import http

from local_publisher import Route

OFFICIAL = "https://data.cdc.gov/api/views/abcd-1234/rows.csv?accessType=DOWNLOAD"
PATH = "/api/views/abcd-1234/rows.csv?accessType=DOWNLOAD"
BODY = b"State,Year,Value\nOH,2024,3\n"


def test_base_url_replaces_scheme_and_host_only():
    assert http.mirrored(OFFICIAL, "http://127.0.0.1:8123") == f"http://127.0.0.1:8123{PATH}"
    assert http.mirrored(OFFICIAL, "https://mirror.example.org/cdc/") == \
        f"https://mirror.example.org/cdc{PATH}"
    assert http.mirrored(OFFICIAL, "") == OFFICIAL


def test_download_records_validators_and_checksum(publisher, tmp_path):
    publisher.routes[PATH] = Route(BODY, etag='"v1"', last_modified="Wed, 16 Jul 2025 13:56:32 GMT")
    answer = http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings())
    assert (answer.status, answer.etag, answer.last_modified) == \
        (200, '"v1"', "Wed, 16 Jul 2025 13:56:32 GMT")
    assert answer.url == publisher.url + PATH
    assert (tmp_path / "f.csv").read_bytes() == BODY
    assert (answer.sha256, answer.size) == (hashlib.sha256(BODY).hexdigest(), len(BODY))


def test_unchanged_file_is_answered_304_and_not_downloaded(publisher, tmp_path):
    publisher.routes[PATH] = Route(BODY, etag='"v1"', last_modified="Wed, 16 Jul 2025 13:56:32 GMT")
    answer = http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings(), etag='"v1"',
                      last_modified="Wed, 16 Jul 2025 13:56:32 GMT")
    assert answer.status == 304 and not (tmp_path / "f.csv").exists()
    assert publisher.asked(PATH)[0]["If-None-Match"] == '"v1"'
    # A server that only knows Last-Modified answers 304 too.
    publisher.routes[PATH] = Route(BODY, last_modified="Wed, 16 Jul 2025 13:56:32 GMT")
    assert http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings(),
                    last_modified="Wed, 16 Jul 2025 13:56:32 GMT").status == 304


def test_changed_file_is_downloaded_despite_old_validators(publisher, tmp_path):
    publisher.routes[PATH] = Route(BODY, etag='"v2"')
    answer = http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings(), etag='"v1"')
    assert answer.status == 200 and answer.etag == '"v2"'


def test_gzip_answer_is_stored_decompressed(publisher, tmp_path):
    publisher.routes[PATH] = Route(BODY * 1000, gzip=True)
    answer = http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings())
    assert (tmp_path / "f.csv").read_bytes() == BODY * 1000
    assert answer.sha256 == hashlib.sha256(BODY * 1000).hexdigest()


def test_a_passing_500_is_retried(publisher, tmp_path):
    publisher.routes[PATH] = Route(BODY, fail_first=1)
    assert http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings()).status == 200
    assert len(publisher.asked(PATH)) == 2


def test_a_publisher_answering_500_gives_up_with_a_clear_message(publisher, tmp_path):
    publisher.routes[PATH] = Route(BODY, fail_first=99)
    with pytest.raises(http.PublisherError) as error:
        http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings(attempts=3))
    message = str(error.value)
    assert "answered HTTP 500" in message and "3 attempts" in message and PATH in message
    assert len(publisher.asked(PATH)) == 3


def test_back_off_doubles_between_attempts(publisher, tmp_path):
    publisher.routes[PATH] = Route(BODY, fail_first=99)
    started = time.perf_counter()
    with pytest.raises(http.PublisherError):
        http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings(attempts=3, backoff=0.2))
    assert time.perf_counter() - started >= 0.2 + 0.4


def test_a_publisher_that_does_not_answer_times_out(publisher, tmp_path):
    publisher.routes[PATH] = Route(BODY, delay=2.0)
    started = time.perf_counter()
    with pytest.raises(http.PublisherError) as error:
        http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings(timeout=0.3, attempts=2))
    assert time.perf_counter() - started < 1.8
    assert "did not answer within 0.3 s (2 attempts)" in str(error.value)


def test_not_found_is_not_retried_and_says_the_file_may_have_moved(publisher, tmp_path):
    with pytest.raises(http.PublisherError, match="HTTP 404 .*moved or withdrawn"):
        http.get(OFFICIAL, tmp_path / "f.csv", publisher.settings(attempts=3))
    assert len(publisher.asked(PATH)) == 1


def test_an_unreachable_host_is_named(tmp_path):
    settings = http.Settings(timeout=1, attempts=1, base_url="http://127.0.0.1:9")
    with pytest.raises(http.PublisherError, match="could not reach 127.0.0.1:9"):
        http.get(OFFICIAL, tmp_path / "f.csv", settings)
