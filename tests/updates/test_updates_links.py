"""Confirm, unsubscribe (incl. RFC 8058 one-click), preferences, erase; bad tokens get a 4xx.

An email's link opens a page (GET, token in the path); its buttons post the token in the form
body to a URL without one. Only RFC 8058's one-click POST goes to the token URL."""
from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from updates_helpers import confirm_from, digests, link_in, press, signup_data, token_of

from drugatlas.updates import tokens
from drugatlas.updates import outbox
from drugatlas.updates.models import FollowedState, OutboxMessage, Subscriber


def _aged_token(subscriber, purpose, days):
    """A genuinely signed token whose timestamp is `days` old."""
    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)

    return PastSigner(salt=f"drugatlas.updates.{purpose}").sign_object(
        {"k": subscriber.key, "n": subscriber.signup_nonce}, serializer=signing.JSONSerializer)


def test_confirm_link_shows_a_button_that_posts_the_token_in_the_body(client, states):
    client.post("/updates/", signup_data())
    url = link_in(mail.outbox[0], "confirm")
    page = client.get(url)
    assert page.status_code == 200 and b"<button" in page.content
    html = page.content.decode()
    token = token_of(url)
    assert 'action="/updates/confirm/"' in html and f'name="token" value="{token}"' in html
    assert Subscriber.objects.get().status == Subscriber.PENDING  # a GET (link scanner) is not consent
    assert client.post(url).status_code == 405  # the token URL only shows the button
    done = press(client, "confirm", token)
    assert done.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.CONFIRMED and subscriber.following_since


def test_confirming_twice_is_harmless(client, states):
    client.post("/updates/", signup_data())
    token = token_of(link_in(mail.outbox[0], "confirm"))
    press(client, "confirm", token)
    first = Subscriber.objects.get().confirmed_at
    again = press(client, "confirm", token)
    assert again.status_code == 200 and b"already confirmed" in again.content
    assert Subscriber.objects.get().confirmed_at == first
    assert client.get(f"/updates/confirm/{token}/").status_code == 200


def test_an_old_confirm_link_does_not_subscribe_again_after_unsubscribing(client, states):
    """Issue 11: after a one-click unsubscribe, the still-valid confirm link re-subscribed."""
    client.post("/updates/", signup_data())
    token = token_of(link_in(mail.outbox[0], "confirm"))
    press(client, "confirm", token)
    subscriber = Subscriber.objects.get()
    Client(enforce_csrf_checks=True).post(
        f"/updates/unsubscribe/{tokens.make_token(subscriber, tokens.MANAGE)}/",
        "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    for answer in (client.get(f"/updates/confirm/{token}/"), press(client, "confirm", token)):
        assert answer.status_code == 410 and b"earlier sign-up" in answer.content
    assert Subscriber.objects.get().status == Subscriber.UNSUBSCRIBED


def test_a_confirm_link_confirms_only_its_own_sign_up(client, states):
    client.post("/updates/", signup_data())
    old_token = token_of(link_in(mail.outbox[0], "confirm"))
    Subscriber.objects.update(status=Subscriber.UNSUBSCRIBED)
    client.post("/updates/", signup_data(states=["CA"]))  # someone signs the address up again
    assert press(client, "confirm", old_token).status_code == 410
    assert Subscriber.objects.get().status == Subscriber.PENDING
    assert confirm_from(client, mail.outbox[-1]).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.CONFIRMED


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),   # signature changed
    lambda t: "x" + t,                                     # payload changed
    lambda t: t.split(":")[0],                             # signature cut off
    lambda t: "nonsense",
    lambda t: "a" * 400,
])
def test_tampered_tokens_are_refused_with_400(client, states, mangle):
    client.post("/updates/", signup_data())
    token = token_of(link_in(mail.outbox[0], "confirm"))
    for kind in ("confirm", "unsubscribe", "preferences", "erase"):
        for response in (client.get(f"/updates/{kind}/{mangle(token)}/"),
                         press(client, kind, mangle(token))):
            assert response.status_code == 400, kind
            assert b"This link does not work" in response.content
    assert client.post(f"/updates/unsubscribe/{mangle(token)}/").status_code == 400
    assert Subscriber.objects.get().status == Subscriber.PENDING


def test_expired_confirm_token_gets_410(client, states):
    client.post("/updates/", signup_data())
    subscriber = Subscriber.objects.get()
    token = _aged_token(subscriber, tokens.CONFIRM, days=8)
    assert client.get(f"/updates/confirm/{token}/").status_code == 410
    response = press(client, "confirm", token)
    assert response.status_code == 410 and b"expired" in response.content
    assert Subscriber.objects.get().status == Subscriber.PENDING
    fresh = _aged_token(subscriber, tokens.CONFIRM, days=6)
    assert press(client, "confirm", fresh).status_code == 200


def test_a_token_for_one_purpose_does_not_work_for_another(client, subscriber):
    confirm_token = tokens.make_token(subscriber, tokens.CONFIRM)
    assert client.post(f"/updates/unsubscribe/{confirm_token}/").status_code == 400
    assert press(client, "unsubscribe", confirm_token).status_code == 400
    manage_token = tokens.make_token(subscriber, tokens.MANAGE)
    assert press(client, "confirm", manage_token).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.CONFIRMED


def test_unsubscribe_get_asks_its_button_posts_the_token_in_the_body(client, subscriber):
    token = tokens.make_token(subscriber, tokens.MANAGE)
    page = client.get(f"/updates/unsubscribe/{token}/")
    assert page.status_code == 200 and b"<button" in page.content
    assert 'action="/updates/unsubscribe/"' in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.CONFIRMED
    assert press(client, "unsubscribe", token).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert press(client, "unsubscribe", token).status_code == 200  # twice: still fine


def test_one_click_post_from_a_mail_provider_needs_no_csrf_token(subscriber):
    provider = Client(enforce_csrf_checks=True)
    url = f"/updates/unsubscribe/{tokens.make_token(subscriber, tokens.MANAGE)}/"
    response = provider.post(url, data="List-Unsubscribe=One-Click",
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.UNSUBSCRIBED


def test_unsubscribing_cancels_digests_still_in_the_outbox(client, subscriber):
    outbox.enqueue(subscriber, OutboxMessage.DIGEST, "s", "t", "h")
    press(client, "unsubscribe", tokens.make_token(subscriber, tokens.MANAGE))
    digest = digests().get()
    assert digest.cancelled and digest.text_body == "" and digest.sent_at is None


def test_preferences_change_states_topics_language(client, subscriber):
    token = tokens.make_token(subscriber, tokens.MANAGE)
    page = client.get(f"/updates/preferences/{token}/").content.decode()
    assert "checked" in page.split('value="TX"')[1].split(">")[0]
    assert 'action="/updates/preferences/"' in page
    response = press(client, "preferences", token, action="save", states=["CA", "NY"],
                     topics=["bills"], language="es", name="", zip_code="")
    assert response.status_code == 200 and b'role="status"' in response.content
    subscriber.refresh_from_db()
    assert subscriber.state_codes == ["CA", "NY"] and subscriber.topics == ["bills"]
    assert subscriber.language == "es" and subscriber.name == ""
    bad = press(client, "preferences", token, action="save", states=["TX"], topics=[], language="en")
    assert bad.status_code == 400


def test_preferences_resubscribe_after_unsubscribing(client, subscriber):
    token = tokens.make_token(subscriber, tokens.MANAGE)
    press(client, "unsubscribe", token)
    page = press(client, "preferences", token).content.decode()
    assert 'name="action" value="resubscribe"' in page
    press(client, "preferences", token, action="resubscribe")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.CONFIRMED


def test_erase_deletes_everything_and_voids_the_links(client, subscriber):
    token = tokens.make_token(subscriber, tokens.MANAGE)
    outbox.enqueue(subscriber, OutboxMessage.DIGEST, "s", "Hello Ana")
    assert client.get(f"/updates/erase/{token}/").status_code == 200
    assert press(client, "erase", token).status_code == 200  # without erase=yes it only asks
    assert Subscriber.objects.exists()
    assert press(client, "erase", token, erase="yes").status_code == 200
    assert not Subscriber.objects.exists()
    assert not FollowedState.objects.exists() and not OutboxMessage.objects.exists()
    for kind in ("unsubscribe", "preferences", "erase"):
        response = client.get(f"/updates/{kind}/{token}/")
        assert response.status_code == 404 and b"This link does not work" in response.content


def test_token_pages_are_not_cached_and_send_no_referer(client, subscriber):
    token = tokens.make_token(subscriber, tokens.MANAGE)
    for response in (client.get(f"/updates/preferences/{token}/"),
                     client.get(f"/updates/unsubscribe/{token}/"),
                     press(client, "preferences", token)):
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "strict-origin"
        assert b'<meta name="referrer" content="strict-origin">' in response.content


def test_no_page_links_to_a_token_url(client, subscriber):
    """Every button on a token page posts its token in the body: following the site's own
    pages never puts a token in a request line (only an email's link does, once)."""
    token = tokens.make_token(subscriber, tokens.MANAGE)
    pages = [client.get(f"/updates/preferences/{token}/"), client.get(f"/updates/erase/{token}/"),
             press(client, "erase", token), press(client, "unsubscribe", token),
             press(client, "preferences", token)]
    confirm_token = tokens.make_token(subscriber, tokens.CONFIRM)
    pages.append(client.get(f"/updates/confirm/{confirm_token}/"))
    for page in pages:
        html = page.content.decode()
        assert not re.search(r'(href|action)="[^"]*eyJ', html), html
