"""`manage.py check --deploy` refuses mail settings that would mail broken, unsafe or no links."""
from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

GOOD = {"SITE_URL": "https://atlas.example.org",
        "DEFAULT_FROM_EMAIL": "Drug Policy Atlas <updates@atlas.example.org>",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "UPDATES_SUPPRESSION_KEY": "k" * 40, "UPDATES_WEBHOOK_PROVIDERS": [], "EMAIL_USE_SSL": False}


@pytest.fixture
def production(settings, monkeypatch):
    monkeypatch.setenv("HTTPS", "1")
    for name, value in GOOD.items():
        setattr(settings, name, value)
    return settings


def mail_problems():
    return {m.id for m in run_checks(tags=["mail"], include_deployment_checks=True)}


def test_the_documented_production_settings_pass(production):
    assert mail_problems() == set()


@pytest.mark.parametrize("name, value, problem", [
    ("SITE_URL", "http://atlas.example.org", "updates.E001"),
    ("SITE_URL", "https://127.0.0.1:8000", "updates.E002"),
    ("SITE_URL", "https://localhost", "updates.E002"),
    ("SITE_URL", "https://[::1]", "updates.E002"),
    ("DEFAULT_FROM_EMAIL", "Drug Policy Atlas <updates@localhost>", "updates.E003"),
    ("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend", "updates.E004"),
    ("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend", "updates.E004"),
    ("EMAIL_USE_SSL", True, "updates.E005"),
    ("UPDATES_WEBHOOK_PROVIDERS", ["postmark"], "updates.E007"),
    ("UPDATES_WEBHOOK_PROVIDERS", ["carrier-pigeon"], "updates.E006"),
    ("UPDATES_SUPPRESSION_KEY", "", "updates.W001"),
])
def test_each_bad_setting_is_named(production, name, value, problem):
    if name == "EMAIL_USE_SSL":
        production.EMAIL_USE_TLS = True
    setattr(production, name, value)
    assert problem in mail_problems()


def test_check_deploy_fails_with_https_and_an_http_site_url(production):
    production.SITE_URL = "http://127.0.0.1:8000"  # the default
    with pytest.raises(SystemCheckError, match="updates.E001"):
        call_command("check", "--deploy", "--tag", "mail")


def test_the_https_rule_needs_https(production, monkeypatch):
    monkeypatch.delenv("HTTPS")
    production.SITE_URL = "http://atlas.example.org"
    assert "updates.E001" not in mail_problems()


def test_mail_settings_come_from_the_environment(monkeypatch):
    import importlib

    import drugatlas.settings as project_settings

    values = {"EMAIL_TIMEOUT": "2.5", "EMAIL_USE_SSL": "1", "UPDATES_UNSUBSCRIBE_MAILTO": "leave@a.org",
              "UPDATES_REPLY_TO": "a@a.org, b@a.org", "UPDATES_POSTAL_ADDRESS": "1 Main St",
              "UPDATES_ENVELOPE_SENDER": "bounces+{id}@a.org", "UPDATES_SOFT_BOUNCE_LIMIT": "4",
              "UPDATES_WEBHOOK_PROVIDERS": "postmark, mailgun", "ANYMAIL_WEBHOOK_SECRET": "u:p",
              "UPDATES_MAX_ATTEMPTS": "7", "UPDATES_SUPPRESSION_KEY": "sk"}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    try:
        fresh = importlib.reload(project_settings)
        assert fresh.EMAIL_TIMEOUT == 2.5 and fresh.EMAIL_USE_SSL is True
        assert fresh.UPDATES_UNSUBSCRIBE_MAILTO == "leave@a.org"
        assert fresh.UPDATES_REPLY_TO == ["a@a.org", "b@a.org"]
        assert fresh.UPDATES_POSTAL_ADDRESS == "1 Main St"
        assert fresh.UPDATES_ENVELOPE_SENDER == "bounces+{id}@a.org"
        assert fresh.UPDATES_SOFT_BOUNCE_LIMIT == 4 and fresh.UPDATES_MAX_ATTEMPTS == 7
        assert fresh.UPDATES_WEBHOOK_PROVIDERS == ["postmark", "mailgun"]
        assert fresh.ANYMAIL["WEBHOOK_SECRET"] == "u:p" and fresh.UPDATES_SUPPRESSION_KEY == "sk"
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
    assert project_settings.EMAIL_TIMEOUT == 5
