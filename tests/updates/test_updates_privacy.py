"""Issue 11's findings about the updates app, each reproduced: a sign-up name that carried a
link into our email, an erasure that left the address on disk, and tokens in the access log."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from updates_helpers import add_event, make_bill, press, signup_data

from drugatlas.updates import digest, emails, suppression, tokens
from drugatlas.updates.models import OutboxMessage, Subscriber, Suppression

PROJECT = Path(__file__).resolve().parents[2]
PHISHING = "Your account is locked, visit http://evil.example/login now"


@pytest.mark.parametrize("name", [PHISHING, "evil.example", "www.evil", "ana@evil.example",
                                  "<b>Ana</b>"])
def test_the_signup_name_cannot_carry_a_link(client, states, name):
    response = client.post("/updates/", signup_data(name=name))
    assert response.status_code == 400
    assert "without web or email addresses" in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_name_that_is_not_plainly_a_name_is_dropped_from_the_greeting(client, states):
    client.post("/updates/", signup_data(name="María-José O'Neil"))
    assert "Hello María-José O'Neil," in mail.outbox[-1].body
    # a name stored some other way (an older sign-up, an editor) is still never echoed
    subscriber = Subscriber.objects.get()
    for stored in (PHISHING, "Call 555 0100 now", "Win a prize at evil dot example today now"):
        subscriber.name = stored
        _subject, text, html = emails.render_notice(subscriber, "confirm")
        assert text.startswith("Hello,") and stored not in text and stored not in html


@pytest.mark.parametrize("name, shown", [("Ana", "Ana"), ("J. R. Smith", "J. R. Smith"),
                                         ("J.R.Smith", ""), ("ana.evil.example", ""),
                                         ("A B C D E F G", ""), ("Ana 2", "")])
def test_greeting_name(name, shown):
    assert emails.greeting_name(name) == shown


def _files_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.iterdir() if p.is_file()).lower()


def test_erasure_removes_the_address_from_every_place_the_app_wrote_it(states, settings, tmp_path, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    caplog.set_level("DEBUG")
    client = Client()
    for address in ("Ana.Erase@Example.org", "ben@example.org"):
        client.post("/updates/", signup_data(email=address))  # the confirmation goes to a file
        subscriber = Subscriber.objects.get(email_key=address.lower())
        press(client, "confirm", tokens.make_token(subscriber, tokens.CONFIRM))
    add_event(make_bill("TX"))
    assert digest.run().sent == 2  # one file now holds both people's digests
    folder = tmp_path / "mail"
    assert "ana.erase@example.org" in _files_text(folder)
    ana = Subscriber.objects.get(email_key="ana.erase@example.org")
    response = press(client, "erase", tokens.make_token(ana, tokens.MANAGE), erase="yes")
    assert response.status_code == 200
    text = _files_text(folder)
    assert "ana.erase@example.org" not in text and "ben@example.org" in text  # Ben's mail stays
    assert not OutboxMessage.objects.filter(subscriber_id=ana.pk).exists()
    assert not Subscriber.objects.filter(pk=ana.pk).exists()
    assert "ana.erase" not in caplog.text.lower()
    # what remains is a keyed hash: the address is never mailed again unless she signs up anew
    row = Suppression.objects.get()
    assert row.reason == Suppression.ERASED and "ana" not in row.address_hash
    assert suppression.is_suppressed("ana.erase@example.org")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tokens_stay_out_of_the_access_log(tmp_path):
    """gunicorn as the Makefile runs it, access log on: token URLs, the one-click POST and a
    Referer carrying a token are all logged with "[token]"."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "drugatlas.settings",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}", "DRUGATLAS_VAR_DIR": str(tmp_path),
           "DRUGATLAS_PLAIN_STATIC": "1", "DEBUG": "0", "SECRET_KEY": "access-log-test-key"}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=PROJECT,
                   env=env, check=True)
    port, log = _free_port(), tmp_path / "access.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "drugatlas.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--access-logfile", str(log), "--error-logfile", str(tmp_path / "error.log")],
        cwd=PROJECT, env=env)
    base = f"http://127.0.0.1:{port}"
    token = tokens.make_token(Subscriber(key="0" * 32), tokens.MANAGE)
    try:
        _wait(base + "/updates/thanks/", server)
        requests = [
            urllib.request.Request(f"{base}/updates/unsubscribe/{token}/"),
            urllib.request.Request(f"{base}/updates/unsubscribe/{token}/", method="POST",
                                   data=b"List-Unsubscribe=One-Click",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"}),
            urllib.request.Request(f"{base}/updates/preferences/{token}/"),
            urllib.request.Request(f"{base}/updates/thanks/",
                                   headers={"Referer": f"{base}/updates/preferences/{token}/"}),
        ]
        for request in requests:
            try:
                urllib.request.urlopen(request, timeout=10).read()
            except urllib.error.HTTPError as answer:  # 4xx: this key signed no real subscriber
                assert answer.code < 500
    finally:
        server.terminate()
        server.wait(20)
    logged = log.read_text() + (tmp_path / "error.log").read_text()
    assert logged.count("/updates/unsubscribe/[token]/") == 2
    assert "/updates/preferences/[token]/" in logged
    assert token not in logged and token.split(":")[0] not in logged


def _wait(url: str, server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped"
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer")
