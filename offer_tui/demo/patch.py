"""A small JSON Patch (RFC 6902) subset for ``PATCH /offers/{id}``: add, replace, remove."""

from __future__ import annotations

import copy
from typing import Any


class PatchError(ValueError):
    """The patch document cannot be applied (-> 400)."""


def _pointer(path: Any) -> list[str]:
    if not isinstance(path, str) or not path.startswith("/"):
        raise PatchError(f"Invalid JSON pointer: {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _index(container: list, token: str, *, allow_end: bool) -> int:
    if allow_end and token == "-":
        return len(container)
    if not token.isdigit():
        raise PatchError(f"Invalid array index: {token!r}")
    index = int(token)
    if index > len(container) or (index == len(container) and not allow_end):
        raise PatchError(f"Array index out of range: {index}")
    return index


def apply_patch(doc: dict[str, Any], operations: Any) -> dict[str, Any]:
    if not isinstance(operations, list) or not operations:
        raise PatchError("The body must be a non-empty JSON Patch array")
    result = copy.deepcopy(doc)
    for number, op in enumerate(operations):
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "remove"):
            raise PatchError(f"Operation {number}: op must be add, replace or remove")
        tokens = _pointer(op.get("path"))
        if op["op"] != "remove" and "value" not in op:
            raise PatchError(f"Operation {number}: value is required")
        parent: Any = result
        for token in tokens[:-1]:
            if isinstance(parent, dict) and token in parent:
                parent = parent[token]
            elif isinstance(parent, list):
                parent = parent[_index(parent, token, allow_end=False)]
            else:
                raise PatchError(f"Operation {number}: path {op['path']!r} does not exist")
        last = tokens[-1]
        value = copy.deepcopy(op.get("value"))
        if isinstance(parent, dict):
            if op["op"] != "add" and last not in parent:
                raise PatchError(f"Operation {number}: path {op['path']!r} does not exist")
            if op["op"] == "remove":
                del parent[last]
            else:
                parent[last] = value
        elif isinstance(parent, list):
            index = _index(parent, last, allow_end=op["op"] == "add")
            if op["op"] == "add":
                parent.insert(index, value)
            elif op["op"] == "replace":
                parent[index] = value
            else:
                del parent[index]
        else:
            raise PatchError(f"Operation {number}: path {op['path']!r} does not exist")
    return result
