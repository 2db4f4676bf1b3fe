"""Public pages are cacheable by design: no cookie, Cache-Control, strong ETags, 304, HEAD, 405,
whole-page cache keyed on known parameters; the forms are protected by Origin checks."""
from __future__ import annotations

import gzip
import re

import pytest
from django.test import Client

from drugatlas.atlas import cache
from drugatlas.atlas.models import DataRelease

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/?layer=overdose&year=2018", "/states/wv/", "/states/wv/counties/",
          "/sources/", "/about/", "/legislation/", "/reinvest/", "/changes/",
          "/es/", "/es/states/tx/", "/api/v1/measures", "/api/v1/states/wv",
          "/data/datapackage.json", "/api/v1/docs/"]


def cache_control(response) -> dict:
    parts = [p.strip() for p in response["Cache-Control"].split(",")]
    return {p.split("=")[0]: (p.split("=")[1] if "=" in p else True) for p in parts}


@pytest.mark.parametrize("url", PUBLIC)
def test_public_get_sets_no_cookie_and_is_cacheable(atlas_db, url):
    response = Client().get(url)
    assert response.status_code == 200, url
    assert not response.cookies, url
    assert "Cookie" not in response.get("Vary", ""), url
    assert "Accept-Language" not in response.get("Vary", ""), url
    control = cache_control(response)
    assert control["public"] is True
    assert int(control["max-age"]) > 0 and int(control["s-maxage"]) > 0
    assert int(control["stale-while-revalidate"]) > 0
    assert re.fullmatch(r'"[0-9a-f]{24}"', response["ETag"]), response["ETag"]  # strong


@pytest.mark.parametrize("url", PUBLIC)
def test_if_none_match_answers_304_and_head_works(atlas_db, url):
    client = Client()
    response = client.get(url)
    tag = response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag and not again.content
    head = client.head(url)
    body = b"".join(head.streaming_content) if head.streaming else head.content
    assert head.status_code == 200 and head["ETag"] == tag and not body
    assert head["Content-Type"] == response["Content-Type"]


def test_gzip_answer_has_its_own_strong_tag(atlas_db):
    client = Client()
    response = client.get("/states/wv/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    tag = response["ETag"]
    assert tag.endswith('-gz"') and not tag.startswith("W/")
    assert b"West Virginia" in gzip.decompress(response.content)
    assert client.get("/states/wv/", HTTP_ACCEPT_ENCODING="gzip",
                      HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_etag_follows_data_release_and_edits(atlas_db):
    client = Client()
    first = client.get("/states/wv/")["ETag"]
    assert client.get("/states/wv/")["ETag"] == first
    cache.bump_data_version()  # what an editor's save does after its commit
    second = client.get("/states/wv/")["ETag"]
    assert second != first
    # A load run elsewhere writes a release row; no message reaches this process's cache.
    DataRelease.objects.create(version="f" * 64)
    cache._memo["value"] = ""  # the 1-second look-back, skipped
    third = client.get("/states/wv/")
    assert third["ETag"] not in (first, second)
    assert client.get("/states/wv/", HTTP_IF_NONE_MATCH=second).status_code == 200


@pytest.mark.parametrize("url", ["/", "/states/wv/", "/api/v1/measures", "/api/v1/observations",
                                 "/legislation/", "/sources/", "/data/datapackage.json",
                                 "/es/about/"])
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_answer_405_with_allow(atlas_db, url, method):
    response = getattr(Client(enforce_csrf_checks=True), method)(url)
    assert response.status_code == 405, (method, url)
    assert response["Allow"] == "GET, HEAD"


def test_junk_parameters_share_the_cached_page(atlas_db):
    client = Client()
    plain = client.get("/states/wv/")
    junk = client.get("/states/wv/?utm_source=a&x=1")
    assert junk.status_code == 200 and junk.content == plain.content
    assert b"utm_source" not in junk.content
    key_parts = ("layer", "year")
    a = client.get("/?year=2018&layer=overdose").content
    b = client.get("/?layer=overdose&year=2018&zzz=9").content
    assert a == b and all(p.encode() in a for p in key_parts)


def test_errors_are_cached_briefly(atlas_db):
    response = Client().get("/states/zz/")
    assert response.status_code == 404
    assert int(cache_control(response)["max-age"]) <= 60


# --- The forms: protected without a cookie -------------------------------------------------

SIGNUP = {"email": "origin@example.org", "states": ["NY"], "topics": ["laws"], "language": "en",
          "consent": "on", "website": ""}
CORRECTION = {"page": "/states/wv/", "subject": "Arrests 2020", "problem": "The figure is wrong.",
              "suggestion": "", "source_url": "", "email": "", "website": ""}


def test_footer_form_posts_with_origin_and_no_token(atlas_db):
    from drugatlas.updates.models import Subscriber

    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/states/wv/")
    assert not page.cookies and b"csrfmiddlewaretoken" not in page.content
    response = browser.post("/updates/", SIGNUP, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 303 and Subscriber.objects.count() == 1


@pytest.mark.parametrize("headers", [{"HTTP_ORIGIN": "https://evil.example"},
                                     {"HTTP_ORIGIN": "null"},
                                     {"HTTP_REFERER": "https://evil.example/page"},
                                     {}])
def test_forms_refuse_other_origins(atlas_db, headers):
    from drugatlas.corrections.models import Correction
    from drugatlas.updates.models import Subscriber

    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/updates/", SIGNUP, **headers).status_code == 403
    assert browser.post("/corrections/new/", CORRECTION, **headers).status_code == 403
    assert not Subscriber.objects.exists() and not Correction.objects.exists()


def test_correction_posts_with_origin_or_referer(atlas_db, settings):
    from drugatlas.corrections.models import Correction

    settings.CSRF_TRUSTED_ORIGINS = ["https://export.example"]
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/corrections/new/", CORRECTION,
                        HTTP_ORIGIN="https://export.example").status_code == 302
    assert browser.post("/es/corrections/new/", CORRECTION,
                        HTTP_REFERER="http://testserver/es/states/wv/").status_code == 302
    assert Correction.objects.count() == 2
