"""`drugatlas data update` (fetch -> build -> diff -> load unless flagged) and the script the
timer runs, deploy/drugatlas-update, with its exit codes, against the local publisher."""
from __future__ import annotations

import fcntl
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import CommandError, call_command
from local_publisher import serve

from drugatlas.atlas.models import DataRelease, Observation

SCRIPT = Path(__file__).parents[2] / "deploy" / "drugatlas-update"
DEATHS = "overdose_deaths_12mo_provisional"


def _bundle_fingerprint() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(django_settings.BUNDLE_DIR.iterdir())}


def _update() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("data", "update", "vsrr", stdout=out, stderr=io.StringIO(), verbosity=0,
                     mail_to="ops@example.org", retries=0, backoff=0.01)
    except CommandError as e:
        return e.returncode, f"{out.getvalue()}\n{e}"
    return 0, out.getvalue()


@pytest.mark.rawdata
@pytest.mark.django_db
def test_update_holds_a_flagged_release_and_loads_a_clean_one(publisher, base_raw, releases,
                                                              tmp_path, settings, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setenv("DRUGATLAS_FETCH_BASE_URL", publisher.url)
    committed = _bundle_fingerprint()
    live = (DataRelease.objects.count(), Observation.objects.count())

    # A release revising Ohio's December by 25%: built and compared, not loaded; mailed.
    serve(publisher, releases["later"])
    code, out = _update()
    assert code == 3, out
    assert "data update stopped before the load: " in out and "beyond 10%" in out
    [message] = mail.outbox
    assert message.to == ["ops@example.org"] and "waiting for review" in message.subject
    [folder] = (tmp_path / "var" / "releases").iterdir()
    assert f"drugatlas data load --bundle {folder / 'bundle'} --raw " in message.body
    assert "--accept-revisions" in message.body and "Ohio 2024-12" in message.body
    assert (folder / "diff.txt").read_text() in message.body and (folder / "diff.json").is_file()
    assert (DataRelease.objects.count(), Observation.objects.count()) == live

    # The next release adds the month and revises nothing: loaded, nobody mailed.
    mail.outbox.clear()
    serve(publisher, releases["added"])
    code, out = _update()
    assert code == 0, out
    assert "loaded bundle" in out and not mail.outbox
    assert Observation.objects.filter(measure=DEATHS, jurisdiction="39",
                                      period=releases["added"].later_period).exists()
    assert DataRelease.objects.count() == live[0] + 1

    # Unchanged at the publisher (304): nothing to do.
    code, out = _update()
    assert (code, out.strip().splitlines()[-1]) == (
        0, "nothing new: every fetched file is the one already live")
    assert DataRelease.objects.count() == live[0] + 1 and not mail.outbox
    assert _bundle_fingerprint() == committed, "the committed bundle is never rebuilt"


FAILURES = {  # release served, how the rows answer, what the operator is told
    "500": ("later", {"fail_first": 99}, "answered HTTP 500 Internal Server Error"),
    "timeout": ("later", {"delay": 2.0}, "did not answer within 0.3 s"),
    "renamed column": ("renamed", {}, "column 'Indicator': missing column(s)"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(FAILURES))
def test_update_stops_on_a_failing_publisher_and_tells_the_operator(
        case, publisher, base_raw, releases, tmp_path, settings, monkeypatch):
    release, route, problem = FAILURES[case]
    settings.VAR_DIR = tmp_path / "var"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setenv("DRUGATLAS_FETCH_BASE_URL", publisher.url)
    serve(publisher, releases[release], **route)
    before = (_bundle_fingerprint(), DataRelease.objects.count(), Observation.objects.count())
    out = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("data", "update", "vsrr", stdout=out, stderr=io.StringIO(), verbosity=0,
                     mail_to="ops@example.org", retries=0, timeout=0.3)

    assert error.value.returncode == 1
    assert "data update failed at the fetch: data fetch failed for vsrr" in str(error.value)
    assert problem in out.getvalue()
    [message] = mail.outbox
    assert "data update failed at the fetch" in message.subject
    assert "data fetch failed for vsrr" in message.body and problem in message.body
    assert "The live data and the committed bundle are as they were." in message.body
    assert not (tmp_path / "var" / "releases").exists(), "nothing was built"
    assert (_bundle_fingerprint(), DataRelease.objects.count(),
            Observation.objects.count()) == before


def _script(tmp_path: Path, publisher_url: str, raw: Path, *args: str):
    env = {**os.environ, "DRUGATLAS_VAR_DIR": str(tmp_path / "var"),
           "DRUGATLAS_PYTHON": sys.executable, "DRUGATLAS_FETCH_BASE_URL": publisher_url,
           "DRUGATLAS_RAW_DIR": str(raw), "DRUGATLAS_OPERATOR_EMAIL": "ops@example.org",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": str(tmp_path / "mail"), "DJANGO_SETTINGS_MODULE": "drugatlas.settings"}
    return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_script_exits_1_and_mails_the_operator_when_the_publisher_fails(publisher, base_raw,
                                                                       releases, tmp_path):
    serve(publisher, releases["later"], fail_first=99)
    done = _script(tmp_path, publisher.url, base_raw, "vsrr", "--retries", "0")
    assert done.returncode == 1, done.stderr
    assert "data update failed at the fetch" in done.stderr
    assert "answered HTTP 500" in done.stdout
    [mailed] = (tmp_path / "mail").iterdir()
    text = mailed.read_text()
    assert "To: ops@example.org" in text and "data update failed at the fetch" in text
    assert "The live data and the committed bundle are as they were." in text


def test_script_exits_75_while_another_run_holds_the_lock(tmp_path, base_raw):
    (tmp_path / "var").mkdir()
    with open(tmp_path / "var" / "data-update.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = _script(tmp_path, "http://127.0.0.1:9", base_raw, "vsrr")
    assert done.returncode == 75
    assert not (tmp_path / "var" / "raw").exists(), "nothing was fetched"
