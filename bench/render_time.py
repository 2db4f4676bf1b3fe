"""Time to render the map in Chromium: first contentful paint and load, median of runs, for the
home page (the map is in the HTML, so it is painted with the first paint), with and without
JavaScript. Serves the site with gunicorn over the configured SQLite database."""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, free_port, save, server, table  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
RUNS = 7
PAGES = {"map (possession)": "/", "map (overdose rate)": "/?layer=overdose", "state page": "/states/wv/"}


def measure(context, url: str) -> dict:
    page = context.new_page()  # a fresh page, so its paint timings are its own
    page.goto(url, wait_until="load")
    page.wait_for_timeout(50)
    timing = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {fcp: fcp ? fcp.startTime : null, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                svgs: document.querySelectorAll('svg').length};
    }""")
    page.close()
    return timing


def main() -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "drugatlas.wsgi", "--bind", f"127.0.0.1:{port}",
           "--workers", "2"]
    results, rows = {}, []
    with server(cmd, base + "/", cwd=ROOT), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for js in (True, False):
            context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
            for name, path in PAGES.items():
                measure(context, base + path)  # warm the server's cache
                runs = [measure(context, base + path) for _ in range(RUNS)]
                fcp = statistics.median(r["fcp"] or 0 for r in runs)
                load = statistics.median(r["load"] for r in runs)
                key = f"{name}, JS {'on' if js else 'off'}"
                results[key] = {"fcp_ms": round(fcp, 1), "load_ms": round(load, 1),
                                "svg_elements": runs[0]["svgs"]}
                rows.append([key, round(fcp, 1), round(load, 1), runs[0]["svgs"]])
            context.close()
        browser.close()
    print(table(rows, ["page", "first paint ms", "load ms", "SVG elements"]))
    save("render", results)


if __name__ == "__main__":
    main()
