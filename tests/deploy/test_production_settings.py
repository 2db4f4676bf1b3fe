"""Production settings fail loudly; `check --deploy` is clean with the documented production
environment; every page carries the Content-Security-Policy and cannot be framed."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import htmlpage
import pytest
from django.test import RequestFactory, override_settings

ROOT = Path(__file__).resolve().parents[2]


def documented_production_environment(tmp_path) -> dict:
    """The `production` block of docs/configuration.md, with its placeholders filled in."""
    text = (ROOT / "docs/configuration.md").read_text()
    block = re.search(r"```sh\n# production\n(.*?)```", text, re.S).group(1)
    env = {}
    for line in block.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value.strip("'")
    assert {"SECRET_KEY", "SITE_URL", "EMAIL_BACKEND", "TRUSTED_PROXIES"} <= env.keys()
    env["SECRET_KEY"] = "k" * 20 + "-production-test-" + "q7Zp2xR9" * 4
    env["UPDATES_SUPPRESSION_KEY"] = "s" * 40
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["DRUGATLAS_VAR_DIR"] = str(tmp_path)
    return env


def drugatlas(tmp_path, env: dict, *args) -> subprocess.CompletedProcess:
    """The installed command as an operator runs it: no development flag, no inherited setting."""
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
            "DRUGATLAS_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}"}
    return subprocess.run([sys.executable, "-m", "drugatlas", *args], cwd=tmp_path,
                          env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    done = drugatlas(tmp_path, documented_production_environment(tmp_path),
                     "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize("missing, message", [
    ("SECRET_KEY", "SECRET_KEY is not set. Set SECRET_KEY to a long random string"),
    ("SITE_URL", "SITE_URL is not set. Set SITE_URL to the site's public origin"),
])
def test_without_a_required_setting_the_app_refuses_to_start(tmp_path, missing, message):
    env = documented_production_environment(tmp_path)
    del env[missing]
    done = drugatlas(tmp_path, env, "check")
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "secret_key").exists()  # nothing generated behind the operator's back
    # gunicorn's entry point refuses as well
    wsgi = subprocess.run([sys.executable, "-c", "import drugatlas.wsgi"], cwd=tmp_path,
                          env={"PATH": os.environ["PATH"], **env}, capture_output=True, text=True)
    assert wsgi.returncode != 0 and message in wsgi.stderr


def test_file_email_backend_is_refused_unless_allowed(tmp_path):
    env = {**documented_production_environment(tmp_path),
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}
    done = drugatlas(tmp_path, env, "check")
    assert done.returncode != 0 and "EMAIL_FILE_BACKEND_ALLOWED=1" in done.stderr
    assert drugatlas(tmp_path, {**env, "EMAIL_FILE_BACKEND_ALLOWED": "1"}, "check").returncode == 0


def test_secret_key_from_a_file(tmp_path):
    env = documented_production_environment(tmp_path)
    key_file = tmp_path / "key"
    key_file.write_text(env.pop("SECRET_KEY") + "\n")
    done = drugatlas(tmp_path, {**env, "SECRET_KEY_FILE": str(key_file)},
                     "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_https_sends_hsts_by_default(tmp_path):
    script = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    env = {"PATH": os.environ["PATH"], **documented_production_environment(tmp_path),
           "DJANGO_SETTINGS_MODULE": "drugatlas.settings"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["31536000", "True"]
    env["HSTS_SECONDS"] = "600"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["600", "True"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/states/ny/", "/legislation/", "/corrections/new/",
                                 "/updates/", "/reinvest/", "/api/v1/jurisdictions", "/api/v1/docs/",
                                 "/admin/login/"])
def test_every_answer_has_the_policy_and_cannot_be_framed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        # nothing inline that the policy would block
        assert "<style" not in html and ' style="' not in html
        # (JSON data blocks are not run, so the policy has nothing to say about them)
        assert all(s.get("src") or s.get("type") == "application/json"
                   for s in htmlpage.select(html, "script"))


@override_settings(SECURE_HSTS_SECONDS=600, SECURE_SSL_REDIRECT=False)
def test_hsts_header_on_https(client, db):
    response = client.get("/about/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=600"


def test_an_embeddable_view_may_be_framed_by_any_site():
    from django.http import HttpResponse

    from drugatlas.security import ContentSecurityPolicyMiddleware, embeddable

    view = embeddable(lambda request: HttpResponse("map"))
    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert getattr(response, "xframe_options_exempt", False)  # no X-Frame-Options either


def test_every_make_target_does_something():
    """No .PHONY target without a recipe (`make serve` used to print nothing and exit 0)."""
    makefile = (ROOT / "Makefile").read_text()
    phony = re.search(r"^\.PHONY:(.*?)(?<!\\)\n", makefile, re.S | re.M).group(1)
    for target in phony.replace("\\\n", " ").split():
        rule = re.search(rf"^{re.escape(target)}:([^\n]*)\n((?:\t[^\n]*\n)*)", makefile, re.M)
        assert rule and (rule.group(1).strip() or rule.group(2)), f"make {target} does nothing"
    assert "\t$(PY) -m ruff check" in makefile  # make lint runs the linter, failing on findings
    assert "make lint" in (ROOT / ".ci/run").read_text()


def test_gunicorn_believes_forwarded_headers_only_from_trusted_proxies(settings):
    from drugatlas.serve import gunicorn_arguments

    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.1.2.3/8"]
    args = gunicorn_arguments("127.0.0.1:8000", 2)
    assert args[args.index("--forwarded-allow-ips") + 1] == "127.0.0.1/32,10.0.0.0/8"
    settings.TRUSTED_PROXIES = []
    args = gunicorn_arguments("127.0.0.1:8000", 2)
    assert args[args.index("--forwarded-allow-ips") + 1] == ""  # nobody
    assert "forwarded-allow-ips '*'" not in (ROOT / "Makefile").read_text()
