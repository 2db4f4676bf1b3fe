"""The layers stay apart: pipeline/ (raw -> bundle) imports no app, and no import inside a
function hides a cycle between modules of the apps (read from the source with ast)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "drugatlas"

# The Django apps and the packages that serve pages; the pipeline may use none of them.
APPS = ("atlas", "legislation", "api", "reinvest", "updates", "maps", "share", "corrections",
        "ratelimit")

# Imports of app modules that stay inside a function, each with why it cannot move up.
# A module may import its app's code lazily where Django requires it (AppConfig.ready) or in a
# migration's RunPython function (the migration graph loads before live models may be used).
ALLOWED = {
    ("drugatlas/api/doc_tables.py", "drugatlas.api.openapi"):
        "run as a script: Django is set up in __main__ before the models load",
    ("drugatlas/atlas/apps.py", "drugatlas.atlas.signals"):
        "AppConfig.ready: signal handlers connect once the models are loaded",
    ("drugatlas/updates/apps.py", "drugatlas.updates.checks"):
        "AppConfig.ready: system checks register once the apps are loaded",
    ("drugatlas/updates/apps.py", "drugatlas.updates.feedback"):
        "AppConfig.ready: signal handlers connect once the models are loaded",
    ("drugatlas/updates/apps.py", "drugatlas.updates.logredact"):
        "AppConfig.ready: the log filter installs once settings are final",
}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.relative_to(PACKAGE.parent).as_posix()


def _absolute(node: ast.ImportFrom, rel: str) -> str:
    """The module an import names, relative imports resolved against the file's package."""
    if not node.level:
        return node.module or ""
    package = rel.removesuffix(".py").split("/")[:-1]
    if rel.endswith("__init__.py"):
        package = rel.split("/")[:-1]
    base = package[:len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _modules_named(node: ast.Import | ast.ImportFrom, rel: str) -> list[str]:
    """The modules an import loads: `from x import y` loads x.y where y is a module, else x."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    module = _absolute(node, rel)
    submodules = [f"{module}.{a.name}" for a in node.names if _is_module(f"{module}.{a.name}")]
    return submodules or [module]


def _imports(tree: ast.AST, rel: str):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, _modules_named(node, rel)


def _app(name: str) -> str | None:
    parts = name.split(".")
    if len(parts) > 1 and parts[0] == "drugatlas" and parts[1] in APPS:
        return parts[1]
    return None


def _in_functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    yield inner


def test_pipeline_imports_no_app():
    found = []
    for path, rel in _modules():
        if not rel.startswith("drugatlas/pipeline/"):
            continue
        for node, names in _imports(ast.parse(path.read_text()), rel):
            found += [f"{rel}:{node.lineno} imports {n}" for n in names if _app(n)]
    assert not found, "pipeline/ must not import an app (it turns raw files into the bundle; " \
                      "the database side is drugatlas/atlas/loading.py):\n" + "\n".join(found)


def lazy_app_imports() -> dict[tuple[str, str], str]:
    """(file, app module) -> where, for every import of an app module inside a function
    (migrations' RunPython functions aside)."""
    found = {}
    for path, rel in _modules():
        if "/migrations/" in rel:
            continue
        tree = ast.parse(path.read_text())
        for node in _in_functions(tree):
            for name in _modules_named(node, rel):
                if _app(name):
                    found[(rel, name)] = f"{rel}:{node.lineno}"
    return found


def test_no_import_inside_a_function_hides_a_cycle():
    found = lazy_app_imports()
    unexplained = [where + f" imports {name} inside a function: import it at the top of the "
                   f"module, or if a cycle stops you, break the cycle"
                   for (rel, name), where in found.items() if (rel, name) not in ALLOWED]
    assert not unexplained, "\n".join(unexplained)
    stale = [key for key in ALLOWED if key not in found]
    assert not stale, f"no longer imported inside a function: remove from ALLOWED {stale}"


def test_the_check_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from drugatlas.pipeline import bundle\n"
                     "    from . import signals\n    from .models import Bill\n")
    names = [n for node in _in_functions(tree)
             for n in _modules_named(node, "drugatlas/atlas/apps.py")]
    assert names == ["drugatlas.pipeline.bundle", "drugatlas.atlas.signals",
                     "drugatlas.atlas.models"]
