"""Tests read HTML through a parser (tests/htmlpage.py), not with regexes on its markup.

A regex on markup breaks on an attribute's order or quoting and passes on text a reader never
sees; a CSS selector names the element. This scan finds regex calls (re.search, re.findall,
re.sub, re.compile, assertRegex, …) whose pattern is written against markup (a tag, an
attribute). The modules still doing so are listed with their count, which may only go down:
convert one and lower its number here (or drop the line). New ones fail.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REGEX_FUNCTIONS = {"search", "findall", "finditer", "match", "fullmatch", "sub", "subn", "split",
                   "compile", "assertRegex", "assertNotRegex"}
MARKUP = re.compile(r"(?<!\(\?)<\s*/?\s*[a-zA-Z!]|\b[a-z-]+=\\?[\"']|\[\^>\]|\[\^<\]")

# module (relative to tests/) -> regexes on markup it still holds. Only ever lower these.
REMAINING = {
}
# Patterns that look like markup but read something else.
NOT_HTML = {"api/test_api.py": "the Link header (RFC 8288: <url>; rel=\"next\")",
            "updates/test_updates_relay.py": "the List-Unsubscribe header (<mailto:…>)",
            "atlas/test_twins.py": "the Link header (RFC 8288: <url>; rel=\"alternate\")"}


def _pattern_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def markup_regexes(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in REGEX_FUNCTIONS and node.args):
            continue
        if node.func.attr in ("assertRegex", "assertNotRegex"):
            pattern = _pattern_text(node.args[1]) if len(node.args) > 1 else None
        elif isinstance(node.func.value, ast.Name) and node.func.value.id == "re":
            pattern = _pattern_text(node.args[0])
        else:
            continue
        if pattern is not None and MARKUP.search(pattern):
            lines.append(node.lineno)
    return lines


def counts() -> dict[str, list[int]]:
    found = {}
    for path in sorted(TESTS.rglob("*.py")):
        module = path.relative_to(TESTS).as_posix()
        if "fixtures" in path.parts or path.name == Path(__file__).name or module in NOT_HTML:
            continue
        lines = markup_regexes(path)
        if lines:
            found[module] = lines
    return found


def test_no_new_regexes_on_html():
    over = {m: lines for m, lines in counts().items() if len(lines) > REMAINING.get(m, 0)}
    assert not over, ("read the page with tests/htmlpage.py (CSS selectors) instead of a regex on "
                      f"its markup: {over}")


def test_the_remaining_count_only_goes_down():
    found = counts()
    lower = {m: len(found.get(m, [])) for m, n in REMAINING.items() if len(found.get(m, [])) < n}
    assert not lower, f"fewer regexes on markup than listed: lower REMAINING to {lower}"


def test_the_scan_sees_markup_patterns():
    tree = ast.parse('re.search(r\'<tr data-abbr="OR".*?</tr>\', html)\n'
                     're.findall(r\'href="([^"]+)"\', html)\n'
                     're.search(r"since 20\\d\\d", text)\n')
    seen = [MARKUP.search(_pattern_text(n.args[0]) or "") is not None
            for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args]
    assert seen == [True, True, False]
