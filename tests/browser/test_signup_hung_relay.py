"""A sign-up in a real browser while the mail relay hangs: the site answers at once, and the
confirmation goes out with the next `updates send` once the relay answers again.

The site runs as in production (gunicorn, two sync workers, SMTP backend) over its own SQLite
database; the relay is aiosmtpd (tests/updates/smtp_relay.py), first silent, then accepting.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_helpers import PROJECT, new_page, screenshot
from conftest import _free_port, _wait_until_up

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "updates"))
from smtp_relay import Relay  # noqa: E402

pytestmark = pytest.mark.browser
EMAIL_TIMEOUT = 5


@pytest.fixture
def relay():
    relay = Relay().hang()
    yield relay
    relay.stop()


@pytest.fixture
def site(tmp_path, relay):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "drugatlas.settings",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}", "DRUGATLAS_VAR_DIR": str(tmp_path),
           "DRUGATLAS_PLAIN_STATIC": "1", "DEBUG": "0", "SECRET_KEY": "browser-relay-test",
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(relay.port),
           "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT), "SITE_URL": "http://127.0.0.1:0",
           "DEFAULT_FROM_EMAIL": "Drug Policy Atlas <updates@atlas.example.org>",
           "PYTHONPATH": os.pathsep.join([str(PROJECT), str(PROJECT / "tests"),
                                          str(PROJECT / "tests" / "updates")])}
    env.pop("REDIS_URL", None)
    port = _free_port()
    env["SITE_URL"] = f"http://127.0.0.1:{port}"

    def manage(*args, **kwargs):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, env=env,
                              capture_output=True, text=True, timeout=120, **kwargs)

    assert manage("migrate", "--noinput", "-v", "0").returncode == 0
    subprocess.run([sys.executable, "-c", "import django; django.setup(); "
                    "from updates_helpers import make_states; make_states()"],
                   cwd=PROJECT, env=env, check=True)
    assert manage("collectstatic", "--noinput", "-v", "0").returncode == 0
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "drugatlas.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--log-level", "warning"],
            cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/updates/", server, log)
        yield url, manage
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_signup_answers_at_once_while_the_relay_hangs(site, relay, browser):
    url, manage = site
    page = new_page(browser, javascript=False)
    page.goto(f"{url}/updates/?states=TX")
    page.get_by_label("Email", exact=True).fill("hung.relay@example.org")
    page.get_by_label(re.compile("^Email me about the states")).check()
    sent_at, answered_at = [], []
    page.on("request", lambda r: sent_at.append(time.monotonic()) if r.method == "POST" else None)
    page.on("response", lambda r: answered_at.append(time.monotonic()) if r.status == 303 else None)
    started = time.monotonic()
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    shown = time.monotonic() - started
    screenshot(page, "updates-signup-hung-relay")
    answer = answered_at[0] - sent_at[0]
    # The server answers within a second; the page (Chromium on a busy 2-core machine) well
    # before the relay's EMAIL_TIMEOUT would have run out.
    assert answer < 1.0, f"the sign-up was answered after {answer:.2f} s with a hanging relay"
    assert shown < EMAIL_TIMEOUT - 1, f"the thanks page took {shown:.2f} s"
    assert not relay.messages

    # the worker that answered tries the relay once, for EMAIL_TIMEOUT at most, after the
    # answer; then cron runs `updates send` while the relay still hangs: nothing lost or sent
    time.sleep(EMAIL_TIMEOUT + 1)
    stuck = manage("updates", "send")
    assert stuck.returncode == 0 and "could not be used" in stuck.stderr
    relay.accept()
    sent = manage("updates", "send")
    assert "sent: 1" in sent.stdout, sent.stdout + sent.stderr
    [confirmation] = relay.to("hung.relay@example.org")
    body = confirmation.message.get_payload(0).get_payload(decode=True).decode()
    link = re.search(rf"{re.escape(url)}/updates/confirm/[^/\s]+/", body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm my subscription").click()
    assert page.get_by_role("heading", name="Subscription confirmed").is_visible()
    assert "/confirm/eyJ" not in page.url  # the button posted its token in the body
    page.context.close()
