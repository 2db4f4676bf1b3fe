"""Installed from a wheel (not editable) into a fresh virtualenv and run from another folder,
`drugatlas serve` serves every page and writes nothing inside the package."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/?layer=overdose", "/states/or/", "/states/or/counties/", "/sources/", "/about/",
         "/legislation/", "/changes/", "/corrections/new/", "/updates/", "/reinvest/",
         "/api/v1/jurisdictions", "/api/v1/laws?topic=possession", "/api/v1/docs/",
         "/api/v1/openapi.json", "/data/datapackage.json", "/admin/login/"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A venv with only the wheel installed; its dependencies come from this venv's
    site-packages through a .pth line (no network, and not the editable checkout)."""
    folder = tmp_path_factory.mktemp("install")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(folder / "dist"), str(ROOT)], check=True, timeout=600,
                   cwd=folder)
    wheel = next((folder / "dist").glob("drugatlas-*.whl"))
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], capture_output=True, text=True,
                               check=True).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, timeout=600)
    package = Path(subprocess.run(
        [str(python), "-c", "import drugatlas, os; print(os.path.dirname(drugatlas.__file__))"],
        capture_output=True, text=True, check=True, cwd=folder).stdout.strip())
    assert package.parent == site  # the wheel, not the checkout
    return venv, package, folder


def test_the_wheel_carries_the_bundle_templates_static_files_and_translations(installed):
    _, package, _ = installed
    for path in ("bundle/datapackage.json", "bundle/observations.csv", "templates/base.html",
                 "static/css/site.css", "static/js/atlas.js", "locale/es/LC_MESSAGES/django.mo",
                 "ratelimit/migrations/0001_counter.py"):
        assert (package / path).is_file(), path


def test_drugatlas_serve_from_another_folder(installed):
    venv, package, folder = installed
    before = _snapshot(package)
    home, elsewhere = folder / "home", folder / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    port = _free_port()
    env = {"PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "HOME": str(home),
           "PYTHONDONTWRITEBYTECODE": "1", "SECRET_KEY": "installed-test-" + "x9Kq" * 12,
           "SITE_URL": f"http://127.0.0.1:{port}", "ALLOWED_HOSTS": "127.0.0.1",
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "DEFAULT_FROM_EMAIL": "Atlas <updates@atlas.example.org>"}
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen([str(venv / "bin" / "drugatlas"), "serve", "--bind",
                               f"127.0.0.1:{port}", "--workers", "1"], cwd=elsewhere, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 480
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/about/", timeout=10)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, (folder / "serve.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "drugatlas serve did not answer"
                time.sleep(1)
        statuses = {}
        for page in PAGES:
            try:
                statuses[page] = urllib.request.urlopen(f"http://127.0.0.1:{port}{page}",
                                                        timeout=60).status
            except urllib.error.HTTPError as e:
                statuses[page] = e.code
        assert statuses == {page: 200 for page in PAGES}
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60).read().decode()
        static = css.split('rel="stylesheet" href="')[1].split('"')[0]
        assert static.startswith("/static/css/site.") and static != "/static/css/site.css"
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}{static}").status == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    assert _snapshot(package) == before  # nothing written inside the package
    data = home / ".local" / "share" / "drugatlas"  # the documented default DRUGATLAS_VAR_DIR
    assert (data / "drugatlas.sqlite3").is_file() and (data / "static" / "staticfiles.json").is_file()
    assert not list(elsewhere.iterdir())


def test_without_collected_static_files_the_server_says_what_to_run(installed, tmp_path):
    venv, _, _ = installed
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SECRET_KEY": "k" * 50,
           "SITE_URL": "https://atlas.example.org",
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    done = subprocess.run([str(venv / "bin" / "python"), "-c", "import drugatlas.wsgi"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "static files are not collected" in done.stderr and "drugatlas serve" in done.stderr
