"""Fixtures of the fetch tests: the local publisher (local_publisher.py) and its recordings."""
from __future__ import annotations

from pathlib import Path

import pytest
from local_publisher import Publisher, Release, make_releases, start

from drugatlas.sources.common import raw_dir as _raw_dir

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="session")
def publisher_server():
    publisher = Publisher("")
    server = start(publisher)
    yield publisher
    server.shutdown()
    server.server_close()


@pytest.fixture
def publisher(publisher_server):
    """The local publisher with no routes and an empty request log."""
    publisher_server.routes.clear()
    publisher_server.requests.clear()
    yield publisher_server
    publisher_server.routes.clear()


@pytest.fixture(scope="session")
def recorded_raw() -> Path:
    """The folder the recorded copies come from: the raw folder, else the test fixtures."""
    path = _raw_dir()
    return path if path.is_dir() else FIXTURES


@pytest.fixture
def base_raw(recorded_raw, monkeypatch) -> Path:
    """The raw folder builds and fetch checks read: the recorded copies' folder."""
    monkeypatch.setenv("DRUGATLAS_RAW_DIR", str(recorded_raw))
    return recorded_raw


@pytest.fixture(scope="session")
def releases(recorded_raw) -> dict[str, Release]:
    """The VSRR responses: "current" (the raw folder's copy), "later" (next month added, one
    value revised) and "renamed" (the later release with its Indicator column renamed)."""
    return make_releases(recorded_raw)
