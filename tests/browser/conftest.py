"""Browser-test fixtures: a real server over its own database, and Debian's Chromium.

`site_server` runs the site as in production (migrate, load data, collectstatic, gunicorn with
two workers) on a free port, over a fresh SQLite database in a temporary folder: the committed
data bundle when it exists, else the sample rows of tests/atlas/map_sample.py. It never
touches the test database, so transactional tests elsewhere cannot empty it under the browser.
`browser` is one Chromium for the session (see browser_helpers.py for the page helpers).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_helpers import PROJECT, launch_chromium


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")


@pytest.fixture(scope="session")
def site_server(tmp_path_factory):
    """Base URL of the site served by gunicorn over its own freshly loaded SQLite database."""
    folder = tmp_path_factory.mktemp("site")
    log = folder / "server.log"
    env = {**os.environ,
           "DJANGO_SETTINGS_MODULE": "drugatlas.settings",
           "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
           "DRUGATLAS_VAR_DIR": str(folder),
           "DRUGATLAS_PLAIN_STATIC": "1",
           "DEBUG": "0",
           "DRUGATLAS_DEVELOPMENT": "1",  # a generated secret key, a local SITE_URL
           "PYTHONPATH": os.pathsep.join([str(PROJECT), str(PROJECT / "tests"),
                                          str(PROJECT / "tests" / "atlas")])}
    env.pop("REDIS_URL", None)
    python = sys.executable

    def manage(*args):
        subprocess.run([python, "manage.py", *args], cwd=PROJECT, env=env, check=True,
                       stdout=subprocess.DEVNULL)

    manage("migrate", "--noinput", "-v", "0")
    if (PROJECT / "drugatlas" / "bundle" / "datapackage.json").exists():
        manage("data", "load", "-v", "0")
    else:
        subprocess.run([python, "-c", "import django; django.setup(); "
                        "from map_sample import add_sample_rows; add_sample_rows()"],
                       cwd=PROJECT, env=env, check=True)
    manage("collectstatic", "--noinput", "-v", "0")
    port = _free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [python, "-m", "gunicorn", "drugatlas.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--log-level", "warning"],
            cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/", server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
