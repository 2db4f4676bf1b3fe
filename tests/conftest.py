"""Shared fixtures. Real database (SQLite or PostgreSQL via DATABASE_URL), real HTTP."""
from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from drugatlas.sources.common import raw_dir as _raw_dir

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The real raw files in ../shared/data/raw; tests that need them skip where absent."""
    path = _raw_dir()
    if not path.is_dir():
        pytest.skip(f"raw data folder {path} is absent")
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the committed data bundle once per test session into the test database."""
    from django.conf import settings

    from drugatlas.atlas import loading as bundle_load

    if (settings.BUNDLE_DIR / "datapackage.json").exists():
        with django_db_blocker.unblock():
            bundle_load.load_bundle(quiet=True)
    yield


@pytest.fixture
def atlas_db(db):
    """The test database with the committed bundle loaded (tests roll back their changes)."""
    return db


@pytest.fixture(autouse=True)
def _fresh_data_version():
    """Each test starts with a new data version, so no cached page of another test is served."""
    from drugatlas.atlas.cache import bump_data_version

    bump_data_version()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """A request to /es/… leaves Spanish active in the thread; code a test calls directly
    (wording helpers, commands) starts in the default language, as it does in a fresh process."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Database counters roll back with each test; Redis ones are cleared for it."""
    if settings.RATE_LIMIT_REDIS_URL:
        from drugatlas import ratelimit

        ratelimit.clear()


@pytest.fixture
def set_clock():
    """Set the project's clock (drugatlas.clock) for the rest of a test:

        def test_x(set_clock):
            set_clock(dt.date(2026, 12, 5))   # a date is noon UTC; a datetime is taken as is

    Pages, the API, layers and emails then agree on "today"; the clock is restored after.
    """
    from drugatlas import clock

    with contextlib.ExitStack() as stack:
        yield lambda at: stack.enter_context(clock.frozen(at))


@pytest.fixture
def places(db):
    """The shared factory for sample places, measures, sources and figures (tests/sample_places.py)."""
    import sample_places

    return sample_places
