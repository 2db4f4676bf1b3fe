"""The public "Report a problem" form: prefilled, CSRF, honeypot, rate limit, length limits,
and a clear message for every rejection."""
from __future__ import annotations


import pytest
from django.conf import settings
from django.test import Client, override_settings

import htmlpage
from drugatlas.corrections.models import Correction

pytestmark = pytest.mark.django_db

GOOD = {"page": "/states/or/", "subject": "Oregon possession law, 2024",
        "problem": "The class shown is misdemeanor but HB 4002 made it ...",
        "suggestion": "Show the 2024-09-01 change", "source_url": "https://example.org/hb4002",
        "email": "reader@example.org", "website": ""}


def post(client, address="127.0.0.1", **changes):
    return client.post("/corrections/new/", {**GOOD, **changes}, REMOTE_ADDR=address)


def test_link_prefills_page_and_subject(client):
    response = client.get("/corrections/new/", {"page": "/legislation/or-m110/",
                                                "what": "Oregon Ballot Measure 110"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="/legislation/or-m110/"' in html and 'value="Oregon Ballot Measure 110"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for label in ("What is wrong", "Suggested correction", "Source (web address)",
                  "Your email (optional)"):
        assert label in html


def _page_input(html: str) -> str:
    return str(htmlpage.one(html, 'input[name="page"]'))


def test_prefill_ignores_other_sites(client):
    for page in ("https://evil.example/x", "//evil.example/x", "javascript:alert(1)",
                 "/\\evil.example/", "/\t/evil.example/"):
        html = client.get("/corrections/new/", {"page": page}).content.decode()
        field = _page_input(html)
        assert "evil.example" not in field and "javascript" not in field


def test_pages_of_this_site_are_accepted(client):
    for page in ("/", "/states/or/?year=2020", "/legislation/", "/es/states/or/"):
        assert post(client, page=page).status_code == 302, page


def test_a_report_is_saved_as_new(client):
    response = post(client)
    assert response.status_code == 302 and response["Location"] == "/corrections/thanks/"
    correction = Correction.objects.get()
    assert correction.status == Correction.NEW and correction.resolved_at is None
    assert correction.email == "reader@example.org" and correction.page == "/states/or/"
    assert len(correction.client_hash) == 64 and "127.0.0.1" not in correction.client_hash
    thanks = client.get(response["Location"]).content.decode()
    assert "your report was received" in thanks and 'href="/states/or/"' in thanks


def test_only_what_is_wrong_is_required(client):
    response = post(client, page="", subject="", suggestion="", source_url="", email="")
    assert response.status_code == 302
    response = post(client, problem="")
    assert response.status_code == 400
    assert "Please say what is wrong." in response.content.decode()
    assert Correction.objects.count() == 1


def test_csrf_is_required():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/corrections/new/", GOOD)
    assert response.status_code == 403
    assert "security token was missing or out of date" in response.content.decode()
    assert not Correction.objects.exists()
    # With the token from the form, the same post goes through.
    strict.get("/corrections/new/")
    token = strict.cookies["csrftoken"].value
    response = strict.post("/corrections/new/", {**GOOD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_honeypot_rejects_with_a_message(client):
    response = post(client, website="http://spam.example")
    assert response.status_code == 400
    assert "Leave this field empty" in response.content.decode()
    assert "was not saved" in response.content.decode()
    assert not Correction.objects.exists()


def test_honeypot_is_hidden_from_people(client):
    html = client.get("/corrections/new/").content.decode()
    start = html.index('class="hp"')
    assert 'aria-hidden="true"' in html[start - 40:start + 40]
    assert 'tabindex="-1"' in html
    css = (settings.BASE_DIR / "static/css/site.css").read_text()
    assert ".hp{position:absolute;left:-10000px" in css  # a file: the CSP allows no inline style


def test_rate_limit_per_address(client):
    for _ in range(5):
        assert post(client, address="192.0.2.1").status_code == 302
    response = post(client, address="192.0.2.1", subject="The sixth report")
    assert response.status_code == 429
    html = response.content.decode()
    assert "which is our limit" in html and "UTC" in html and 'value="The sixth report"' in html
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Correction.objects.count() == 5
    # Another address is not held back by the first one.
    assert post(client, address="192.0.2.2").status_code == 302


@override_settings(RATE_LIMITS={"corrections": (1, 3600)})
def test_rate_limit_is_a_setting(client):
    assert post(client).status_code == 302
    assert post(client).status_code == 429


def test_refused_posts_spend_no_allowance(client):
    """Invalid posts, honeypot posts and cross-site posts do not count."""
    for _ in range(6):
        assert post(client, problem="").status_code == 400
        assert post(client, website="x").status_code == 400
    forged = Client(enforce_csrf_checks=True)
    for _ in range(6):
        assert forged.post("/corrections/new/", GOOD).status_code == 403
    assert post(client).status_code == 302


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_clients_behind_the_proxy_have_their_own_limits(client):
    def via_proxy(visitor, **changes):
        return client.post("/corrections/new/", {**GOOD, **changes}, REMOTE_ADDR="10.0.0.2",
                           HTTP_X_FORWARDED_FOR=f"6.6.6.6, {visitor}, 10.1.1.1")
    for _ in range(5):
        assert via_proxy("198.51.100.7").status_code == 302
    assert via_proxy("198.51.100.7").status_code == 429
    # another visitor behind the same proxy, and the first one lying about its address
    assert via_proxy("198.51.100.8").status_code == 302
    assert client.post("/corrections/new/", GOOD, REMOTE_ADDR="10.0.0.2",
                       HTTP_X_FORWARDED_FOR="198.51.100.9, 198.51.100.7").status_code == 429


@pytest.mark.parametrize("field, value, message", [
    ("problem", "x" * 2001, "under 2000 characters"),
    ("suggestion", "x" * 2001, "under 2000 characters"),
    ("subject", "x" * 301, "under 300 characters"),
    ("page", "/" + "x" * 300, "too long"),
    ("source_url", "https://example.org/" + "x" * 500, "too long"),
    ("source_url", "javascript:alert(1)", "starting with http:// or https://"),
    ("source_url", "ftp://example.org/file", "starting with http:// or https://"),
    ("email", "not an email", "does not look right"),
    ("page", "https://elsewhere.example/", "a path on this site"),
    ("page", "/\\evil.example/", "a path on this site"),  # browsers read it as //evil.example/
    ("page", "/\\/evil.example/x", "a path on this site"),
    ("page", "/no-such-page/", "a path on this site"),
    ("problem", "  ab ", "in a few words"),
])
def test_each_rejection_says_why(client, field, value, message):
    response = post(client, **{field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "The report was not saved" in html
    assert not Correction.objects.exists()


def test_form_keeps_what_was_typed_after_a_rejection(client):
    html = post(client, email="nope").content.decode()
    assert "Show the 2024-09-01 change" in html and 'value="Oregon possession law, 2024"' in html


def test_form_and_messages_in_spanish(client):
    html = client.get("/es/corrections/new/").content.decode()
    assert "Reportar un problema" in html and "Qué está mal" in html
    response = client.post("/es/corrections/new/", {**GOOD, "problem": ""})
    assert "Por favor, diga qué está mal." in response.content.decode()
