"""Sign-up: the form, prefill, double opt-in email, no enumeration, abuse limits, privacy."""
from __future__ import annotations


import pytest
from django.core import mail
from django.test import Client
import htmlpage
from updates_helpers import link_in, sent_to, signup_data

from drugatlas.updates.forms import CONSENT_VERSION
from drugatlas.updates.models import FollowedState, Subscriber


def test_form_lists_51_states_and_prefills_from_query(client, states):
    page = client.get("/updates/?states=TX").content.decode()
    assert page.count('name="states"') == 51
    assert 'value="TX" id="id_states_' in page
    tx = page.split('value="TX"')[1].split(">")[0]
    assert "checked" in tx
    ca = page.split('value="CA"')[1].split(">")[0]
    assert "checked" not in ca


def test_prefill_takes_several_states_and_drops_unknown_codes(client, states):
    page = client.get("/updates/?states=tx,CA&states=ZZ&states=<script>").content.decode()
    for code in ("TX", "CA"):
        assert "checked" in page.split(f'value="{code}"')[1].split(">")[0]
    assert "ZZ" not in page and "<script>" not in page


def test_signup_stores_choices_and_consent_version_and_sends_confirmation(client, states):
    response = client.post("/updates/", signup_data(email="  Ana.Diaz@Example.ORG "))
    assert response.status_code == 303 and response["Location"] == "/updates/thanks/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Ana.Diaz@example.org"   # delivered as typed, domain lower-cased
    assert subscriber.email_key == "ana.diaz@example.org"
    assert subscriber.status == Subscriber.PENDING
    assert subscriber.consent_version == CONSENT_VERSION and subscriber.consented_at
    assert subscriber.state_codes == ["OH", "TX"]
    assert subscriber.topics == ["laws", "bills", "data"]
    assert (subscriber.name, subscriber.zip_code, subscriber.language) == ("Ana", "78701", "en")
    [message] = mail.outbox
    assert message.to == ["Ana.Diaz@example.org"]
    assert "/updates/confirm/" in message.body
    assert link_in(message, "unsubscribe") and link_in(message, "preferences")


def test_every_email_has_rfc8058_headers(client, states):
    client.post("/updates/", signup_data())
    message = mail.outbox[0]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://atlas.example.org/updates/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # the header survives into the real MIME message
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    html = message.alternatives[0][0]
    assert "/updates/unsubscribe/" in html and "/updates/preferences/" in html


def test_same_answer_whether_or_not_the_address_exists(client, states):
    first = client.post("/updates/", signup_data())
    again_pending = client.post("/updates/", signup_data(email="ANA@example.org"))
    Subscriber.objects.update(status=Subscriber.CONFIRMED)
    again_confirmed = client.post("/updates/", signup_data())
    other = client.post("/updates/", signup_data(email="new@example.org"))
    answers = {(r.status_code, r["Location"]) for r in (first, again_pending, again_confirmed, other)}
    assert answers == {(303, "/updates/thanks/")}
    assert Subscriber.objects.count() == 2
    # a pending address gets the confirmation again, a confirmed one a "you're subscribed" note
    ana = sent_to("ana@example.org")
    assert [("/updates/confirm/" in m.body) for m in ana] == [True, True, False]
    assert "already subscribed" in ana[-1].subject.lower()


def test_signup_by_someone_else_cannot_change_a_confirmed_subscription(client, subscriber):
    client.post("/updates/", signup_data(states=["CA"], topics=["data"], name="Mallory"))
    subscriber.refresh_from_db()
    assert subscriber.state_codes == ["OH", "TX"] and subscriber.name == "Ana"
    assert subscriber.status == Subscriber.CONFIRMED


def test_unconfirmed_resignup_takes_new_choices(client, states):
    client.post("/updates/", signup_data())
    client.post("/updates/", signup_data(states=["CA"], language="es"))
    subscriber = Subscriber.objects.get()
    assert subscriber.state_codes == ["CA"] and subscriber.language == "es"
    assert FollowedState.objects.count() == 1


@pytest.mark.parametrize("field, value", [
    ("email", "not-an-address"),
    ("email", "a" * 250 + "@example.org"),
    ("email", "ana@exa mple.org"),
    ("zip_code", "7870"),
    ("zip_code", "78701-1234"),
    ("zip_code", "abcde"),
    ("name", "x" * 101),
    ("name", "Ana\r\nBcc: x@example.org"),
    ("states", ["ZZ"]),
    ("topics", []),
    ("language", "fr"),
    ("consent", None),
])
def test_invalid_input_is_refused_with_a_message(client, states, field, value):
    response = client.post("/updates/", signup_data(**{field: value}))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.outbox


def test_honeypot_looks_like_success_but_stores_and_sends_nothing(client, states):
    response = client.post("/updates/", signup_data(website="http://spam.example"))
    assert response.status_code == 303 and response["Location"] == "/updates/thanks/"
    assert not Subscriber.objects.exists() and not mail.outbox


def test_csrf_is_enforced_and_a_stale_token_gets_the_form_back(states):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/updates/", signup_data())
    assert response.status_code == 403
    assert not Subscriber.objects.exists() and not mail.outbox
    page = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'value="ana@example.org"' in page
    # with the token from that page the same browser gets through
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    ok = browser.post("/updates/", {**signup_data(), "csrfmiddlewaretoken": token})
    assert ok.status_code == 303 and Subscriber.objects.count() == 1


def test_rate_limit_per_ip(client, states, settings):
    settings.RATE_LIMITS = {"signup_ip": (3, 3600)}
    codes = [client.post("/updates/", signup_data(email=f"p{i}@example.org")).status_code
             for i in range(5)]
    assert codes == [303, 303, 303, 429, 429]
    assert Subscriber.objects.count() == 3
    refused = client.post("/updates/", signup_data(email="r@example.org"))
    assert 0 < int(refused["Retry-After"]) <= 3600 and "UTC" in refused.content.decode()
    other_ip = client.post("/updates/", signup_data(email="q@example.org"), REMOTE_ADDR="10.9.9.9")
    assert other_ip.status_code == 303


def test_cross_site_and_invalid_posts_do_not_lock_out_a_real_signup(states, settings):
    """20 forged posts from another site (no CSRF token), then bad forms: none count."""
    settings.RATE_LIMITS = {"signup_ip": (20, 3600)}
    forged = Client(enforce_csrf_checks=True)
    for i in range(25):
        assert forged.post("/updates/", signup_data(email=f"x{i}@example.org"),
                           HTTP_ORIGIN="https://evil.example").status_code == 403
        assert forged.post("/updates/", signup_data(email="not-an-address")).status_code == 403
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/updates/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    for i in range(21):
        assert browser.post("/updates/", {**signup_data(email="bad"),
                                          "csrfmiddlewaretoken": token}).status_code == 400
    ok = browser.post("/updates/", {**signup_data(), "csrfmiddlewaretoken": token})
    assert ok.status_code == 303 and Subscriber.objects.count() == 1


def test_rate_limit_per_address_caps_emails_not_the_answer(client, states, settings):
    settings.RATE_LIMITS = {"email_address": (2, 3600)}
    for _ in range(5):
        response = client.post("/updates/", signup_data(), REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 303
    assert len(sent_to("ana@example.org")) == 2


def test_footer_form_on_every_page_needs_no_extra_context(rf, states):
    from django.shortcuts import render

    page = render(rf.get("/any/page/"), "base.html").content.decode()  # what every page extends
    # No token: it would set a cookie on every page; the view checks Origin instead.
    assert 'action="/updates/"' in page and 'name="csrfmiddlewaretoken"' not in page
    assert page.count('name="states" value=') >= 51 and page.count("<option value=") >= 2
    assert 'name="website"' in page and 'name="consent"' in page


def test_footer_form_posts_to_the_same_view(client, states):
    # what the footer sends: states from a <select multiple>, topics all ticked
    data = {"email": "foot@example.org", "states": ["NY"], "topics": ["laws", "bills", "data"],
            "language": "es", "name": "", "zip_code": "", "consent": "on", "website": ""}
    assert client.post("/updates/", data).status_code == 303
    subscriber = Subscriber.objects.get()
    assert subscriber.state_codes == ["NY"] and subscriber.language == "es"


def test_confirmation_email_in_spanish(client, states):
    client.post("/updates/", signup_data(language="es"))
    message = mail.outbox[0]
    assert "Confirma" in message.subject
    assert "/updates/confirm/" in message.body


def test_personal_data_stays_out_of_logs(client, states, caplog, settings):
    settings.RATE_LIMITS = {"email_address": (1, 3600)}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: sending fails
    caplog.set_level("DEBUG")
    for _ in range(2):
        assert client.post("/updates/", signup_data(email="secret.person@example.org",
                                                    name="Secret Person")).status_code == 303
    logged = caplog.text.lower()
    assert "updates:" in logged  # the failure and the hold-back were logged ...
    assert "secret" not in logged and "example.org" not in logged  # ... without the person


def test_error_reports_hide_the_posted_personal_fields(rf, states):
    from django.views.debug import SafeExceptionReporterFilter

    from drugatlas.updates import views

    request = rf.post("/updates/", signup_data(email="hidden@example.org"))
    views.signup(request)  # marks the request's sensitive POST parameters
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleaned["email"] != "hidden@example.org" and cleaned["name"] != "Ana"
    assert cleaned["states"] == "OH"  # not personal: left readable


def test_footer_lists_states_as_checkboxes_with_the_pages_state_ticked(client, atlas_db):
    html = client.get("/states/tx/").content.decode()
    footer = htmlpage.select(html, ".updates-signup")[0]
    assert len(footer.select('input[type="checkbox"][name="states"]')) == 51
    assert htmlpage.attrs(footer, 'input[name="states"][checked]', "value") == ["TX"]
    assert "Ctrl" not in htmlpage.text(footer) and not footer.select("select#signup-states")
    about = htmlpage.select(client.get("/about/"), ".updates-signup")[0]
    assert not about.select('input[name="states"][checked]')
