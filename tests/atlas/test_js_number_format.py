"""The map page's script writes figures exactly as drugatlas/formatting.py does, in both languages.

The script's `rounded` and `number` functions run under node with the conventions and
per-measure precision the page itself carries (the "atlas-labels" JSON element), and their
output is compared with formatting.number on a table of values chosen for rounding traps
(413.85, 2.5, 0.285, 1.005, 999.95, negatives, huge and tiny values).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import htmlpage
from drugatlas import formatting

SCRIPT = Path(__file__).resolve().parents[2] / "drugatlas" / "static" / "js" / "atlas.js"
VALUES = (0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.05, -0.04, 0.285, 1.005, 2.675, 413.85, 413.8, 98.9,
          999.5, 999.95, 17278.45, 17278.5, 1234567.891, -1234.5, 1e-7, 123456789012.5, 4.35,
          0.125, 10.0, 99.99)

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def _script_functions() -> str:
    """The script's number-writing functions, cut from the file as they are served."""
    source = SCRIPT.read_text(encoding="utf-8")
    start, end = source.index("function rounded("), source.index("function currentFigure(")
    return source[start:end]


def _run_node(labels: dict, cases: list[tuple[float, int]]) -> list[str]:
    program = (f"const labels = {json.dumps(labels)};\n{_script_functions()}\n"
               f"const cases = {json.dumps(cases)};\n"
               "process.stdout.write(JSON.stringify(cases.map(([v, d]) => number(v, d))));")
    done = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_script_writes_numbers_as_the_server_does(client, db, prefix):
    labels = htmlpage.json_script(client.get(prefix + "/"), "atlas-labels")
    assert labels["conventions"] == formatting.conventions()
    cases = [(v, d) for v in VALUES for d in (0, 1, 2)]
    # Each panel measure at the precision the page declares for it.
    cases += [(v, d) for d in labels["decimals"].values() for v in VALUES]
    got = _run_node(labels, cases)
    expected = [formatting.number(v, d) for v, d in cases]
    wrong = [(v, d, g, e) for (v, d), g, e in zip(cases, got, expected) if g != e]
    assert not wrong, "script vs formatting.py (value, decimals, script, server): " + repr(wrong)


def test_page_declares_each_panel_measures_precision(client, db):
    from drugatlas import measures

    labels = htmlpage.json_script(client.get("/"), "atlas-labels")
    assert labels["decimals"] == {slug: measures.BY_SLUG[slug].precision for slug in labels["decimals"]}
    assert labels["decimals"]["overdose_death_rate_age_adjusted"] == 1


def test_other_conventions_reach_the_script():
    """Were the separators ever changed in formatting.py, the script would follow the page."""
    labels = {"conventions": {"decimal": ",", "group": "."}}
    assert _run_node(labels, [(17278.5, 1), (1234567.891, 2)]) == ["17.278,5", "1.234.567,89"]
