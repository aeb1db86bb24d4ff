"""Issue paths (``representations[0].components[1].format``) as tokens, and which step owns them."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

STEP_FOR_KEY = {
    "name": "basics",
    "description": "basics",
    "status": "basics",
    "representations": "representations",
    "selectionConstraint": "constraints",
    "rank": "constraints",
    "cappingConstraint": "capping",
    "frequencyCappingConstraints": "capping",
}


def split_path(path: str) -> list[str | int]:
    """``a[0].b`` -> ``["a", 0, "b"]``. Tolerates the pydantic style ``a.0.b`` too."""
    tokens: list[str | int] = []
    for name, index in _TOKEN.findall(path or ""):
        if index:
            tokens.append(int(index))
        elif name.isdigit():
            tokens.append(int(name))
        else:
            tokens.append(name)
    return tokens


def step_for_path(path: str) -> str:
    tokens = split_path(path)
    if tokens and isinstance(tokens[0], str):
        return STEP_FOR_KEY.get(tokens[0], "review")
    return "review"
