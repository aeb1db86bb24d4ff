"""Everything offer_tui imports that is not the standard library is declared in pyproject.toml
(rich and jsonpointer were imported but came only through textual and jsonpatch)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def third_party_imports() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "offer_tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "offer_tui"}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {re.split(r"[\[<>=!~; ]", dep, maxsplit=1)[0].lower().replace("_", "-") for dep in project["dependencies"]}


def test_every_direct_import_is_a_declared_dependency():
    owners = packages_distributions()
    missing = {}
    for module in sorted(third_party_imports()):
        dists = {d.lower().replace("_", "-") for d in owners.get(module, [module])}
        if not dists & declared():
            missing[module] = sorted(dists)
    assert missing == {}, f"imported but not in pyproject.toml's dependencies: {missing}"
