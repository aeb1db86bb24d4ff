"""Every broad ``except`` either re-raises, hands the exception on, or records it in the opt-in log.

A calm message instead of a traceback is right for the user, but the traceback must still reach
``--log`` (offer_tui/log.py), or a bug turns into a toast that nobody can diagnose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import offer_tui

ROOT = Path(offer_tui.__file__).parent

# Handlers that pass the exception object itself to their caller, who reports (and logs) it.
HANDED_ON = {("credentials/detect.py", "outcome")}


def _broad(handler: ast.ExceptHandler) -> bool:
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(t, ast.Name) and t.id in ("Exception", "BaseException") for t in types)


def unlogged_handlers(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ExceptHandler) or node.type is None or not _broad(node):
                continue
            body = ast.Module(body=node.body, type_ignores=[])
            if any(isinstance(n, ast.Raise) for n in ast.walk(body)):
                continue
            if any(isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", "")) == "swallowed"
                   for n in ast.walk(body)):
                continue
            targets = {n.value.id for n in ast.walk(body) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)}
            if any((rel, t) in HANDED_ON for t in targets):
                continue
            found.append(f"{rel}:{node.lineno}")
    return found


def test_every_broad_except_is_logged_or_re_raised():
    assert unlogged_handlers() == []


def test_the_check_finds_a_silent_handler(tmp_path):
    (tmp_path / "m.py").write_text("try:\n    pass\nexcept Exception:\n    x = 1\n", encoding="utf-8")
    assert unlogged_handlers(tmp_path) == ["m.py:3"]
