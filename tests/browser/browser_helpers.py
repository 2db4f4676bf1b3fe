"""Helpers for browser tests: Debian's Chromium through Playwright, screenshots, axe-core.

`launch_chromium(playwright)` starts /usr/bin/chromium (`apt-get install -y chromium`);
`new_page(browser)` opens a page in a fresh context and collects page errors in `page.errors`
(the test tooling, axe and string predicates, is inline script: pages opened with
`enforce_csp=True` keep the site's Content-Security-Policy and record its violations in
`page.csp_violations`);
`screenshot(page, name)` saves tests/artifacts/<name>.png (look at them);
`run_axe(page)` injects axe-core from node_modules (`npm ci`) and returns its violations.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "tests" / "artifacts"
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
# Playwright's sync API runs an event loop in the test thread; Django's ORM is not used there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def launch_chromium(playwright, **options):
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **options)


def new_page(browser, javascript: bool = True, width: int = 1280, height: int = 900,
             enforce_csp: bool = False):
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=not enforce_csp,
                                  viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors, page.csp_violations = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return page


def screenshot(page, name: str, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` at the project root")
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]
