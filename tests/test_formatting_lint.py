"""No number or date is written for a reader outside drugatlas/formatting.py (docs/architecture.md,
"To format a number or date").

The scan reads every module of drugatlas/ and every template, and fails on a way of formatting
a figure or a date that bypasses the shared helpers: f-string and str.format specs (`:,`,
`:.1f`), %-formatting of numbers, round(), strftime(), isoformat(), Django's number_format /
date_format / intcomma, and in templates `|floatformat`, `|date:` and `intcomma`.

Machine formats stay allowed, by module and kind, each with its reason: JSON, CSV and bundle
values, cache keys, HTTP and log timestamps, SVG coordinates, stored data rounded by the
pipeline, and the console reports of operator commands. A new display of a number or a date
goes through drugatlas.formatting (number, figure, percent, date_text, month_text, time_text).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "drugatlas"

SPEC = "format-spec"        # f"{x:,}", f"{x:.1f}", "{:,}".format(x)
PERCENT = "percent-format"  # "%.1f" % x
ROUND = "round"             # round(x, 1): banker's rounding on the binary value
STRFTIME = "strftime"
ISOFORMAT = "isoformat"
DJANGO = "django-format"    # number_format, date_format, intcomma, floatformat

JSON = "a JSON or CSV value (machine format, ISO 8601)"
CACHE_KEY = "part of a cache key, never shown"
SVG = "SVG coordinates and geometry, not text a reader sees"
CLASSES = "index and class-break arithmetic for the map's colour classes, not a shown figure"
DATA = "a value stored in the bundle (data, not display); a change here changes the bundle"
CONSOLE = "console report of an operator command (English, for the people running the data)"
URL = "a query-string value (machine format)"

ALLOWED: dict[str, dict[str, str]] = {
    "drugatlas/formatting.py": {SPEC: "the helpers themselves", ISOFORMAT: "the helpers themselves",
                                DJANGO: "month names in the reader's language"},
    "drugatlas/atlas/templatetags/formatting.py": {ISOFORMAT: "the datetime attribute of <time>"},
    "drugatlas/api/views.py": {ISOFORMAT: JSON},
    "drugatlas/api/doc_tables.py": {SPEC: "parameter ranges in the generated tables of docs/api.md"},
    "drugatlas/twins.py": {ISOFORMAT: JSON},
    "drugatlas/atlas/export_site.py": {ISOFORMAT: "the export's manifest (JSON)"},
    "drugatlas/atlas/http_cache.py": {ISOFORMAT: "ETag and validator text (HTTP, machine format)"},
    "drugatlas/atlas/management/commands/data.py": {SPEC: CONSOLE},
    "drugatlas/atlas/profile.py": {ISOFORMAT: JSON},
    "drugatlas/atlas/templatetags/consequence_counts.py": {ISOFORMAT: CACHE_KEY},
    "drugatlas/atlas/views/home.py": {ISOFORMAT: "cache keys and the page's own query string"},
    "drugatlas/corrections/changelog.py": {ISOFORMAT: JSON},
    "drugatlas/fetch/checks.py": {STRFTIME: "timestamps in the fetch log (ISO 8601, machine)"},
    "drugatlas/fetch/run.py": {ISOFORMAT: "timestamps in the fetch log (ISO 8601, machine)",
                               STRFTIME: "timestamps in the fetch log (ISO 8601, machine)"},
    "drugatlas/fetch/http.py": {SPEC: "a timeout in a fetch error (operator log)"},
    "drugatlas/pipeline/editors.py": {ISOFORMAT: "the editors' export (bundle rows)"},
    "drugatlas/maps/charts.py": {SPEC: SVG, ROUND: "axis tick arithmetic (float noise), ticks are "
                                                   "written through formatting"},
    "drugatlas/maps/classify.py": {ROUND: CLASSES},
    "drugatlas/maps/geometry.py": {ROUND: SVG},
    "drugatlas/maps/svg.py": {ROUND: SVG, SPEC: SVG},
    "drugatlas/pipeline/bundle.py": {ISOFORMAT: "datapackage.json (machine format)"},
    "drugatlas/pipeline/derive.py": {ROUND: DATA},
    "drugatlas/pipeline/diff.py": {ROUND: "the diff's JSON numbers", SPEC: CONSOLE},
    "drugatlas/atlas/loading.py": {SPEC: CONSOLE},
    "drugatlas/pipeline/verify.py": {SPEC: CONSOLE},
    "drugatlas/reinvest/arrests.py": {ROUND: "a whole number of arrests fed to the model (data)"},
    "drugatlas/reinvest/chart.py": {SPEC: SVG},
    "drugatlas/reinvest/defaults.py": {ROUND: "defaults the model computes with (data)"},
    "drugatlas/sources/fbi_table43a.py": {SPEC: "a checked percent in an error message, as the "
                                                "file prints it"},
    "drugatlas/sources/news21.py": {ROUND: DATA, SPEC: "a checked ratio in an error message"},
    "drugatlas/sources/nchs.py": {ROUND: DATA},
    "drugatlas/sources/vsrr.py": {ISOFORMAT: "a period key (YYYY-MM, machine)",
                                  SPEC: "a period key (YYYY-MM, machine)"},
    "drugatlas/updates/admin.py": {ISOFORMAT: "the subscriber export (CSV)",
                                   STRFTIME: "the export's file name"},
    "drugatlas/updates/leases.py": {SPEC: "a lease's expiry in an operator's error (to the second)"},
    "drugatlas/updates/changes.py": {ISOFORMAT: "a change's key (never shown)"},
}
# Template filters that format in Django's own way; the project's filters live in
# drugatlas/atlas/templatetags (they call drugatlas.formatting).
TEMPLATE_FILTERS = re.compile(r"\|\s*(floatformat|date\s*:|time\s*:|intcomma|intword|filesizeformat)"
                              r"|\{%\s*now\b")
NUMBER_SPEC = re.compile(r"[,_]|\.\d*[fFeEgG%]|\d+[dfFeEgG%]$|^[fFeEgG%]$|%[a-zA-Z]")  # %Y: a date
PERCENT_NUMBER = re.compile(r"%[-+ 0#]*\d*(?:\.\d+)?[dfeEgG]")
DJANGO_FUNCTIONS = {"number_format", "date_format", "time_format", "intcomma", "floatformat",
                    "localize"}


def _spec_text(spec: ast.JoinedStr) -> str:
    return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in spec.values)


def _kind(node: ast.AST) -> str | None:
    if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
        return SPEC if NUMBER_SPEC.search(_spec_text(node.format_spec)) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) \
            and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
        return PERCENT if PERCENT_NUMBER.search(node.left.value) else None
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name == "round" and isinstance(func, ast.Name):
        return ROUND
    if name == "strftime":
        return STRFTIME
    if name == "isoformat":
        return ISOFORMAT
    if name in DJANGO_FUNCTIONS:
        return DJANGO
    if name == "format" and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Constant) \
            and isinstance(func.value.value, str) \
            and any(NUMBER_SPEC.search(m) for m in re.findall(r"\{[^{}]*?:([^{}]*)\}", func.value.value)):
        return SPEC
    return None


def python_findings() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            kind = _kind(node)
            if kind and kind not in ALLOWED.get(module, {}):
                found.append((module, node.lineno, kind))
    return found


def template_findings() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("templates/**/*.*")):
        if path.suffix not in (".html", ".txt", ".xml", ".svg"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in TEMPLATE_FILTERS.finditer(line):
                found.append((path.relative_to(ROOT).as_posix(), number, match.group(0)))
    return found


def test_no_number_or_date_is_formatted_outside_the_helpers():
    found = python_findings()
    assert not found, (
        "format these through drugatlas.formatting (or, for a machine format, add the module "
        "and kind to ALLOWED with the reason):\n" + "\n".join(f"{m}:{n}: {k}" for m, n, k in found))


def test_templates_use_the_projects_filters():
    found = template_findings()
    assert not found, ("use the project's filters (drugatlas/atlas/templatetags), which call "
                       "drugatlas.formatting:\n" + "\n".join(f"{m}:{n}: {k}" for m, n, k in found))


# The page script writes figures in one place (atlas.js `rounded` and `number`, checked against
# formatting.py under node by tests/atlas/test_js_number_format.py); nothing else in the
# scripts formats a number or a date, and nothing asks the browser's locale.
JS_FORMATTING = re.compile(r"\.(toFixed|toPrecision|toLocaleString|toLocaleDateString|toLocaleTimeString)"
                           r"\(|\bIntl\.|\.toISOString\(")
JS_ALLOWED = {("drugatlas/static/js/atlas.js", "toFixed"): "the number writer itself (`rounded`)"}


def test_scripts_format_numbers_only_in_the_number_writer():
    found = []
    for path in sorted((PACKAGE / "static" / "js").rglob("*.js")):
        module = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in JS_FORMATTING.finditer(line):
                name = match.group(1) or match.group(0).strip(".(")
                if (module, name) not in JS_ALLOWED:
                    found.append(f"{module}:{number}: {match.group(0)}")
    assert not found, "write figures with atlas.js `number` (the page's conventions):\n" + "\n".join(found)


def test_every_allowance_is_still_needed():
    """An allowance no code needs any more is removed, so the list only shrinks."""
    used = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        if module in ALLOWED and "migrations" not in path.parts:
            used |= {(module, kind) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if (kind := _kind(node)) in ALLOWED[module]}
    stale = {(m, k) for m, kinds in ALLOWED.items() for k in kinds} - used
    assert not stale, f"allowances no longer needed: {sorted(stale)}"


def test_the_scan_catches_each_kind(tmp_path):
    """The scan itself: each way of formatting is seen, machine-looking text is not."""
    samples = {
        'f"{x:,}"': SPEC, 'f"{x:.1f}"': SPEC, 'f"{x:,.0f}"': SPEC, '"{:,}".format(x)': SPEC,
        '"%.2f" % x': PERCENT, "round(x, 1)": ROUND, 'd.strftime("%Y")': STRFTIME,
        "d.isoformat()": ISOFORMAT, "number_format(x)": DJANGO, 'date_format(d, "F Y")': DJANGO,
        'f"{d:%Y-%m}"': SPEC, 'f"{name:>10}"': None, 'f"{x!r}"': None, '"%s" % x': None, "x.round(2)": None,
    }
    for source, expected in samples.items():
        kinds = {_kind(n) for n in ast.walk(ast.parse(source))} - {None}
        assert kinds == ({expected} if expected else set()), source
    assert TEMPLATE_FILTERS.search("{{ value|floatformat:1 }}")
    assert TEMPLATE_FILTERS.search("{{ d|date:'Y' }}")
    assert TEMPLATE_FILTERS.search("{{ n|intcomma }}")
    assert not TEMPLATE_FILTERS.search("{{ value|figure:'drug_arrest_rate' }}")


def test_today_comes_from_the_project_clock():
    """`date.today()`, `datetime.now()` and `timezone.now()` only inside drugatlas/clock.py, so a
    test can set the day (the `set_clock` fixture) and pages, the API and emails agree on it."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        if module == "drugatlas/clock.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("today", "now", "utcnow") \
                    and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "clock"):
                found.append(f"{module}:{node.lineno}: {ast.unparse(node.func)}()")
    assert not found, "ask drugatlas.clock (today(), now()):\n" + "\n".join(found)
