"""Confirm, unsubscribe (incl. RFC 8058 one-click), preferences, erase; bad tokens get a 4xx."""
from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.test import Client
from updates_helpers import link_in, signup_data

from drugatlas.updates import tokens
from drugatlas.updates.models import Digest, FollowedState, Subscriber


def _aged_token(subscriber, purpose, days):
    """A genuinely signed token whose timestamp is `days` old."""
    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)

    return PastSigner(salt=f"drugatlas.updates.{purpose}").sign_object(
        {"k": subscriber.key}, serializer=signing.JSONSerializer)


def test_confirm_link_shows_a_button_and_post_confirms(client, states):
    client.post("/updates/", signup_data())
    url = link_in(mail.outbox[0], "confirm")
    page = client.get(url)
    assert page.status_code == 200 and b"<button" in page.content
    assert Subscriber.objects.get().status == Subscriber.PENDING  # a GET (link scanner) is not consent
    done = client.post(url)
    assert done.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.CONFIRMED and subscriber.following_since


def test_confirming_twice_is_harmless(client, states):
    client.post("/updates/", signup_data())
    url = link_in(mail.outbox[0], "confirm")
    client.post(url)
    first = Subscriber.objects.get().confirmed_at
    again = client.post(url)
    assert again.status_code == 200 and b"already confirmed" in again.content
    assert Subscriber.objects.get().confirmed_at == first
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),   # signature changed
    lambda t: "x" + t,                                     # payload changed
    lambda t: t.split(":")[0],                             # signature cut off
    lambda t: "nonsense",
    lambda t: "a" * 400,
])
def test_tampered_tokens_are_refused_with_400(client, states, mangle):
    client.post("/updates/", signup_data())
    url = link_in(mail.outbox[0], "confirm")
    token = url.split("/")[-2]
    for kind in ("confirm", "unsubscribe", "preferences", "erase"):
        for method in (client.get, client.post):
            response = method(f"/updates/{kind}/{mangle(token)}/")
            assert response.status_code == 400, (kind, method)
            assert b"This link does not work" in response.content
    assert Subscriber.objects.get().status == Subscriber.PENDING


def test_expired_confirm_token_gets_410(client, states):
    client.post("/updates/", signup_data())
    subscriber = Subscriber.objects.get()
    token = _aged_token(subscriber, tokens.CONFIRM, days=8)
    for method in (client.get, client.post):
        response = method(f"/updates/confirm/{token}/")
        assert response.status_code == 410 and b"expired" in response.content
    assert Subscriber.objects.get().status == Subscriber.PENDING
    fresh = _aged_token(subscriber, tokens.CONFIRM, days=6)
    assert client.post(f"/updates/confirm/{fresh}/").status_code == 200


def test_a_token_for_one_purpose_does_not_work_for_another(client, subscriber):
    confirm_token = tokens.make_token(subscriber, tokens.CONFIRM)
    assert client.post(f"/updates/unsubscribe/{confirm_token}/").status_code == 400
    manage_token = tokens.make_token(subscriber, tokens.MANAGE)
    assert client.post(f"/updates/confirm/{manage_token}/").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.CONFIRMED


def test_unsubscribe_get_asks_post_leaves(client, subscriber):
    url = f"/updates/unsubscribe/{tokens.make_token(subscriber, tokens.MANAGE)}/"
    page = client.get(url)
    assert page.status_code == 200 and b"<button" in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.CONFIRMED
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert client.post(url).status_code == 200  # twice: still fine


def test_one_click_post_from_a_mail_provider_needs_no_csrf_token(subscriber):
    provider = Client(enforce_csrf_checks=True)
    url = f"/updates/unsubscribe/{tokens.make_token(subscriber, tokens.MANAGE)}/"
    response = provider.post(url, data="List-Unsubscribe=One-Click",
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.UNSUBSCRIBED


def test_unsubscribing_cancels_digests_still_in_the_outbox(client, subscriber):
    Digest.objects.create(subscriber=subscriber, subject="s", text_body="t", html_body="h")
    client.post(f"/updates/unsubscribe/{tokens.make_token(subscriber, tokens.MANAGE)}/")
    digest = Digest.objects.get()
    assert digest.cancelled and digest.text_body == "" and digest.sent_at is None


def test_preferences_change_states_topics_language(client, subscriber):
    url = f"/updates/preferences/{tokens.make_token(subscriber, tokens.MANAGE)}/"
    page = client.get(url).content.decode()
    assert "checked" in page.split('value="TX"')[1].split(">")[0]
    response = client.post(url, {"action": "save", "states": ["CA", "NY"], "topics": ["bills"],
                                 "language": "es", "name": "", "zip_code": ""})
    assert response.status_code == 303 and response["Location"] == url + "?saved=1"
    subscriber.refresh_from_db()
    assert subscriber.state_codes == ["CA", "NY"] and subscriber.topics == ["bills"]
    assert subscriber.language == "es" and subscriber.name == ""
    bad = client.post(url, {"action": "save", "states": ["TX"], "topics": [], "language": "en"})
    assert bad.status_code == 400


def test_preferences_resubscribe_after_unsubscribing(client, subscriber):
    token = tokens.make_token(subscriber, tokens.MANAGE)
    client.post(f"/updates/unsubscribe/{token}/")
    client.post(f"/updates/preferences/{token}/", {"action": "resubscribe"})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.CONFIRMED


def test_erase_deletes_everything_and_voids_the_links(client, subscriber):
    token = tokens.make_token(subscriber, tokens.MANAGE)
    Digest.objects.create(subscriber=subscriber, subject="s", text_body="Hello Ana")
    assert client.get(f"/updates/erase/{token}/").status_code == 200
    assert Subscriber.objects.exists()  # a GET only asks
    assert client.post(f"/updates/erase/{token}/").status_code == 200
    assert not Subscriber.objects.exists()
    assert not FollowedState.objects.exists() and not Digest.objects.exists()
    for kind in ("unsubscribe", "preferences", "erase"):
        response = client.get(f"/updates/{kind}/{token}/")
        assert response.status_code == 404 and b"This link does not work" in response.content


def test_token_pages_are_not_cached(client, subscriber):
    response = client.get(f"/updates/preferences/{tokens.make_token(subscriber, tokens.MANAGE)}/")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
