"""Admin sign-in: 40 wrong passwords lock the address and the username; the admin URL is a
setting."""
from __future__ import annotations

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db
PASSWORD = "right-password-1"


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser("boss", "b@example.org", PASSWORD)


def login(client, username, password, address):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_40_wrong_passwords_lock_the_address_and_the_username(admin_user, settings):
    client = Client()
    codes = [login(client, "boss", f"guess-{i}", "198.51.100.20").status_code for i in range(40)]
    assert codes[:settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(codes[settings.AXES_FAILURE_LIMIT:]) == {429}
    # the right password from that address no longer gets in ...
    assert login(client, "boss", PASSWORD, "198.51.100.20").status_code == 429
    assert "_auth_user_id" not in client.session
    # ... nor from another address for that username (the guesses could come from many),
    assert login(Client(), "boss", PASSWORD, "198.51.100.21").status_code == 429
    # while another account from another address still signs in
    get_user_model().objects.create_superuser("other", "o@example.org", PASSWORD)
    assert login(Client(), "other", PASSWORD, "198.51.100.22").status_code == 302


def test_one_address_guessing_many_usernames_is_locked(admin_user, settings):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"user{i}", "x", "198.51.100.30")
    assert login(client, "boss", PASSWORD, "198.51.100.30").status_code == 429


def test_a_success_before_the_limit_resets_the_count(admin_user, settings):
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        login(Client(), "boss", "x", "198.51.100.40")
    assert login(Client(), "boss", PASSWORD, "198.51.100.40").status_code == 302


def test_admin_url_is_a_setting(admin_user, settings):
    import drugatlas.urls

    settings.ADMIN_URL = "back-office-7f3/"
    try:
        settings.ROOT_URLCONF = importlib.reload(drugatlas.urls).__name__
        clear_url_caches()
        client = Client()
        assert client.get("/admin/").status_code == 404
        assert client.get("/back-office-7f3/").status_code == 302
    finally:
        settings.ADMIN_URL = "admin/"
        importlib.reload(drugatlas.urls)
        clear_url_caches()
