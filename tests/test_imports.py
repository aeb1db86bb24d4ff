"""The import graph of offer_tui: no circles, and the layers below ui/ never load Textual.

Built with ``ast`` from the source. Two graphs:

- module-level imports only (those under ``if TYPE_CHECKING:`` excluded): what runs when a module
  is loaded. It must have no circle at all.
- every import, function-level (lazy) ones too: the issue's measure of circles between modules
  (two modules that need each other are one module in two files, however lazily they load). Its
  known circles are listed by name; no new one may appear. The layers
  below ``ui/`` (model, api, credentials, service) must not reach Textual or ``offer_tui.ui`` in it.

A module's own parent packages are not edges (Python loads them first whatever it imports).
"""

from __future__ import annotations

import ast
from pathlib import Path

import offer_tui

ROOT = Path(offer_tui.__file__).parent
UI_FREE = ("offer_tui.model", "offer_tui.api", "offer_tui.credentials", "offer_tui.service")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _top_level_imports(tree: ast.Module):
    """Import statements run at load time: the module body, and inside top-level if/try blocks."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            stack.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend(node.body + node.orelse + node.finalbody + [n for h in node.handlers for n in h.body])


def _all_imports(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node


def graph(*, lazy: bool = False) -> dict[str, set[str]]:
    modules = {module_name(p): p for p in ROOT.rglob("*.py")}
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in (_all_imports(tree) if lazy else _top_level_imports(tree)):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                # A module's own parent packages are loaded before it, whatever it imports: not an edge.
                if name.startswith(target + "."):
                    continue
                if target in modules and target != name:
                    edges[name].add(target)
                elif target.startswith(("textual", "rich")):
                    edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in edges:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_module_level_graph_has_no_circles():
    assert cycles(graph()) == []


# Known circles, each someone's to remove (issue 13). Do not add to this list: it may only shrink.
KNOWN_LAZY_CIRCLES = [
    # None: commands/bulk <-> commands/copy and ui/flows/copy <-> ui/screens/copy went when bulk and
    # copy moved into service/; demo/api <-> demo/library_api when their shared request, reply and
    # error shapes moved into demo/http.
]


def test_no_new_circle_even_counting_lazy_imports():
    found = cycles(graph(lazy=True))
    assert [c for c in found if c not in KNOWN_LAZY_CIRCLES] == []


def test_the_layers_below_ui_never_import_textual_or_the_ui():
    edges = graph(lazy=True)  # not even lazily: `offer-tui validate` and `submit` never load Textual
    bad = sorted((name, target) for name, targets in edges.items() if name.startswith(UI_FREE)
                 for target in targets if target.startswith(("textual", "offer_tui.ui")))
    assert bad == []


def test_the_checker_sees_a_circle():
    """It must be able to fail: a made-up two-module circle is found."""
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
