"""No module reads and writes the application cache itself (docs/architecture.md, "To cache
something a view computes"): get → compute → set lives once, in drugatlas/atlas/cache.py
(`remember`, `remember_response`), which keys by the data version, the code version and the
language and keeps no body over 512 KB.

The scan parses every module of drugatlas/ and fails where one both reads (`get`,
`get_many`, `get_or_set`, `has_key`) and writes (`set`, `add`, `set_many`, `get_or_set`) a
Django cache: `django.core.cache.cache`, `caches[...]`, or the pages cache
(`drugatlas.atlas.cache.pages`). A module that keeps something other than a computed value
(a flag, a counter) is allowed below, with its reason.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "drugatlas"
HELPER = "drugatlas/atlas/cache.py"

READS = {"get", "get_many", "get_or_set", "has_key"}
WRITES = {"set", "add", "set_many", "get_or_set"}

ALLOWED = {
    "drugatlas/updates/outbox.py":
        "RELAY_DOWN_KEY is a flag with its own timeout, set when the mail relay fails and read "
        "before the next send: nothing is computed, and it must outlive a data load",
}


def _cache_names(tree: ast.Module) -> tuple[set[str], set[str], set[str]]:
    """Names bound to a cache object, to `caches`, and to the drugatlas.atlas.cache module."""
    objects, registries, modules = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                name = alias.asname or alias.name
                if node.module == "django.core.cache" and alias.name == "cache":
                    objects.add(name)
                elif node.module == "django.core.cache" and alias.name == "caches":
                    registries.add(name)
                elif node.module == "drugatlas.atlas.cache" and alias.name == "pages":
                    objects.add(name)
                elif node.module == "drugatlas.atlas" and alias.name == "cache":
                    modules.add(name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("drugatlas.atlas.cache", "django.core.cache"):
                    modules.add(alias.asname or alias.name)
    return objects, registries, modules


def _is_cache(node: ast.expr, names: tuple[set[str], set[str], set[str]]) -> bool:
    objects, registries, modules = names
    if isinstance(node, ast.Name):
        return node.id in objects
    if isinstance(node, ast.Subscript):  # caches["pages"]
        return isinstance(node.value, ast.Name) and node.value.id in registries
    if isinstance(node, ast.Attribute) and node.attr in ("pages", "cache"):
        return ast.unparse(node.value) in modules  # cache.pages, django.core.cache.cache
    return False


def cache_calls(source: str) -> tuple[list[int], list[int]]:
    """Lines that read and lines that write a cache in this module's source."""
    tree = ast.parse(source)
    names = _cache_names(tree)
    reads, writes = [], []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and _is_cache(node.func.value, names)):
            if node.func.attr in READS:
                reads.append(node.lineno)
            if node.func.attr in WRITES:
                writes.append(node.lineno)
    return reads, writes


def test_the_scan_finds_each_way_of_writing_the_block():
    blocks = [
        "from django.core.cache import cache as c\nv = c.get(k)\nc.set(k, 1)\n",
        "from django.core.cache import caches\nv = caches['pages'].get(k)\n"
        "caches['pages'].set(k, 1)\n",
        "from drugatlas.atlas.cache import pages\nv = pages.get(k)\npages.add(k, 1)\n",
        "from drugatlas.atlas import cache\nv = cache.pages.get(k)\ncache.pages.set(k, 1)\n",
        "from django.core.cache import cache\nv = cache.get_or_set(k, f)\n",
    ]
    for source in blocks:
        reads, writes = cache_calls(source)
        assert reads and writes, source
    # A plain dict's get/set and the helper itself are not the block.
    assert cache_calls("d = {}\nd.get(k)\ns = set()\n") == ([], [])
    assert cache_calls("from drugatlas.atlas import cache\n"
                       "v = cache.remember(f, 'x')\n") == ([], [])


def test_no_module_writes_its_own_get_compute_set():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == HELPER or name in ALLOWED:
            continue
        reads, writes = cache_calls(path.read_text())
        if reads and writes:
            found.append(f"{name}: reads at lines {reads}, writes at lines {writes}")
    assert not found, ("use drugatlas.atlas.cache.remember (or remember_response) instead of "
                       "reading and writing the cache:\n" + "\n".join(found))


def test_every_allowed_module_still_needs_its_place():
    for name, reason in ALLOWED.items():
        reads, writes = cache_calls((ROOT / name).read_text())
        assert reads and writes and reason, f"{name} no longer reads and writes a cache"
