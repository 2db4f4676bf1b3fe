"""SpamAssassin (Debian's `spamassassin`, rules as packaged, local tests only: no network)
scores a digest exactly as our relay received it. Skipped where SpamAssassin is not installed
(`apt-get install -y spamassassin`)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from smtp_relay import Relay
from updates_helpers import add_event, join, make_bill

from drugatlas.atlas.models import DataRelease, Jurisdiction, LawStatus
from drugatlas.updates import digest

SPAMASSASSIN = shutil.which("spamassassin")
pytestmark = pytest.mark.skipif(not SPAMASSASSIN, reason="SpamAssassin is not installed "
                                "(apt-get install -y spamassassin)")


def score(message: bytes, tmp_path) -> tuple[float, list[str]]:
    prefs = tmp_path / "user_prefs"
    prefs.write_text("")
    answer = subprocess.run(
        [SPAMASSASSIN, "--local", "--test-mode", "--nocreate-prefs", f"--prefspath={prefs}",
         "--cf=use_bayes 0", "--cf=bayes_auto_learn 0"],
        input=message, capture_output=True, timeout=120)
    if answer.returncode != 0:  # installed but unable to run (e.g. no rules): say why
        pytest.skip(f"spamassassin could not run: {answer.stderr.decode(errors='replace')[-300:]}")
    head = answer.stdout.decode("utf-8", "replace").split("\n\n", 1)[0]
    status = re.search(r"^X-Spam-Status: (\w+), score=(-?[\d.]+) .*?tests=([^\n]*(?:\n\t[^\n]*)*)",
                       head, re.MULTILINE)
    assert status, head
    tests = re.split(r"[,\s]+", status.group(3).split("autolearn=")[0].strip())
    return float(status.group(2)), [t for t in tests if t and t != "none"]


def test_a_digest_scores_zero(client, states, settings, tmp_path):
    join(client, "ana@example.org", name="Ana", states=["TX", "OH"])
    relay = Relay().accept()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", relay.port, 5
        settings.UPDATES_REPLY_TO = ["editors@atlas.example.org"]
        settings.UPDATES_POSTAL_ADDRESS = "Drug Policy Atlas, 1101 Congress Ave, Austin, TX 78701"
        settings.UPDATES_UNSUBSCRIBE_MAILTO = "leave@atlas.example.org"
        add_event(make_bill("TX"), "Passed the House Committee on Criminal Jurisprudence",
                  status="advanced")
        LawStatus.objects.create(jurisdiction=Jurisdiction.objects.get(abbr="OH", kind="state"),
                                 topic="possession", status="misdemeanor",
                                 valid_from=dt.date(2025, 7, 1), citations="https://example.org/law")
        DataRelease.objects.create(version="abc123def4567890",
                                   summary="Provisional overdose deaths through February 2025")
        assert digest.run().sent == 1
        [received] = relay.to("ana@example.org")
    finally:
        relay.stop()
    points, tests = score(received.data, tmp_path)
    # only rules worth nothing may fire (e.g. NO_RECEIVED: the message has not travelled yet)
    assert points <= 0.0, (points, tests)
