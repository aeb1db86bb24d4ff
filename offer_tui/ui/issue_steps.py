"""Issue paths (``representations[0].components[1].format``) as tokens, and which step owns them."""

from __future__ import annotations

from offer_tui.model.jsonpath import split_path

__all__ = ["STEP_FOR_KEY", "split_path", "step_for_path"]

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


def step_for_path(path: str) -> str:
    tokens = split_path(path)
    if tokens and isinstance(tokens[0], str):
        return STEP_FOR_KEY.get(tokens[0], "review")
    return "review"
