"""Fixtures for the updates tests: a private cache, a known site URL, the 51 states."""
from __future__ import annotations

import uuid

import pytest
from django.core import mail
from updates_helpers import SITE, confirm_from, make_states, signup_data


@pytest.fixture(autouse=True)
def updates_settings(settings):
    # A cache of the test's own: rate-limit counters start at zero and never leak between tests.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"updates-{uuid.uuid4().hex}"}}
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Drug Policy Atlas <updates@atlas.example.org>"
    return settings


@pytest.fixture
def states(db):
    make_states()


@pytest.fixture
def states_committed(transactional_db):
    make_states()


@pytest.fixture
def subscriber(client, states):
    """Ana signed up and confirmed, following Texas and Ohio; the outbox emptied."""
    from drugatlas.updates.models import Subscriber

    client.post("/updates/", signup_data())
    confirm_from(client, mail.outbox[-1])
    mail.outbox.clear()
    return Subscriber.objects.get(email_key="ana@example.org")
