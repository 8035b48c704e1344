"""Apps import downward only: each app may use the apps below it in LAYERS, never one above it.

What is shared sits low (core: paging, downloads, audit, bulk writes; registry: its version), and
an app that serves one below it hands it a function at start-up (see `InsightConfig.ready`)
rather than being imported by it. Test support (`tests/`, `testing.py`) builds a world out of
every app and is left out; so are migrations, which Django orders itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]

# Bottom first. An app may import an app on its left, and itself.
LAYERS = (
    "core",
    "accounts",
    "registry",
    "imports",
    "programs",
    "reviews",
    "insight",
    "api",
    "presets",
)


def _modules(app: str):
    for path in sorted((PACKAGE / app).rglob("*.py")):
        parts = path.relative_to(PACKAGE / app).parts
        if parts[0] in ("tests", "migrations") or path.name == "testing.py":
            continue
        yield path


def _imported_apps(path: Path):
    """(line, app) for every import of another Sinergi app, at any depth of the module."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = (
                [f"{node.module}.{a.name}" for a in node.names]
                if node.module == "sinergi"
                else [node.module]
            )
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "sinergi" and len(parts) > 1 and parts[1] in LAYERS:
                yield node.lineno, parts[1]


def test_every_app_of_the_package_has_its_layer():
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    assert apps == set(LAYERS)


def test_apps_import_only_the_apps_below_them():
    upward = []
    for app in LAYERS:
        for path in _modules(app):
            for line, other in _imported_apps(path):
                if LAYERS.index(other) > LAYERS.index(app):
                    where = path.relative_to(PACKAGE.parent)
                    upward.append(f"{where}:{line}: {app} imports {other}")
    assert not upward, "Imports against the direction of the layers:\n" + "\n".join(upward)


def test_the_check_sees_an_upward_import(tmp_path):
    """The test above can fail: an import of insight from core is reported."""
    module = tmp_path / "views.py"
    module.write_text("def home():\n    from sinergi.insight.views import dashboard\n")
    assert list(_imported_apps(module)) == [(2, "insight")]
