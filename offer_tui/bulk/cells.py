"""Dotted paths (``representations[0].components[0].content``) and how a CSV cell becomes a value.

Pure functions, no I/O. The rules for a cell (the README repeats them):

* an empty cell leaves the template's value as it is (the path is not touched);
* ``json:`` followed by JSON sets that JSON value (``json:5``, ``json:["en-us"]``, ``json:null``);
* where the template holds a number, the cell must be a number (``5``, ``2.5``);
  where it holds true/false, the cell must be ``true`` or ``false``;
* where the template holds a list, the cell is a JSON array (``["en-us","fr-fr"]``) or
  items separated by ``|`` (``en-us|fr-fr``), each item a string;
* where the template holds an object, the cell must be a JSON object;
* anywhere else (a string in the template, or a path the template lacks) the cell is a string,
  exactly as written.
"""

from __future__ import annotations

import re
from typing import Any

_NAME = re.compile(r"[^.\[\]]+")
_INDEX = re.compile(r"\[(\d+)\]")

JSON_PREFIX = "json:"
LIST_SEPARATOR = "|"


class PathError(ValueError):
    """A header or cell that cannot be applied; str() is the reason, without the path."""


def parse_path(path: str) -> list[str | int]:
    """``a.b[0].c`` -> ``["a", "b", 0, "c"]``; raises PathError for anything else."""
    text = path.strip()
    bad = PathError(f"not a dotted path: {path!r} (use names like representations[0].components[0].content)")
    parts: list[str | int] = []
    pos = 0
    while pos < len(text):
        if text[pos] == "[":
            match = _INDEX.match(text, pos)
            if match is None or not parts:
                raise bad
            parts.append(int(match.group(1)))
            pos = match.end()
            continue
        if parts:
            if text[pos] != ".":
                raise bad
            pos += 1
        match = _NAME.match(text, pos)
        if match is None:
            raise bad
        parts.append(match.group(0))
        pos = match.end()
    if not parts:
        raise PathError("empty column name")
    return parts


def get_path(doc: Any, parts: list[str | int]) -> tuple[bool, Any]:
    """(found, value) at ``parts`` in ``doc``."""
    node = doc
    for part in parts:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return False, None
        elif not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def set_path(doc: dict, parts: list[str | int], value: Any) -> None:
    """Set ``value`` at ``parts``, creating objects and lists on the way.

    A list index may be at most the list's length (the next item); a gap is an error.
    """
    node: Any = doc
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        fresh: Any = None if last else ([] if isinstance(parts[i + 1], int) else {})
        if isinstance(part, int):
            if not isinstance(node, list):
                raise PathError(f"[{part}] indexes something that is not a list")
            if part > len(node):
                raise PathError(f"index {part} leaves a gap: the list has {len(node)} item(s)")
            if part == len(node):
                node.append(fresh)
            if last:
                node[part] = value
                return
            if node[part] is None:
                node[part] = fresh
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise PathError(f"{part!r} is a field of something that is not an object")
            if last:
                node[part] = value
                return
            if part not in node or node[part] is None:
                node[part] = fresh
            node = node[part]


def _strict_json(text: str, what: str) -> Any:
    """JSON from a cell through the loader `validate` uses (hostile numbers, depth, duplicates)."""
    from offer_tui.model.safejson import loads_checked

    try:
        value, problems = loads_checked(text)
    except (ValueError, RecursionError) as exc:
        reason = exc.args[0].split(":")[0] if isinstance(exc, ValueError) else "nested too deeply"
        raise PathError(f"{what} is not valid JSON ({reason})") from None
    if problems:
        path, message = problems[0]
        raise PathError(f"{what}: {message}" if path == "(top level)" else f"{what}: {path}: {message}")
    return value


def cell_value(cell: str, current: Any, found: bool) -> Any:
    """The value a non-empty CSV ``cell`` stands for, given the template's value there."""
    if cell.startswith(JSON_PREFIX):
        return _strict_json(cell[len(JSON_PREFIX):], "json: value")
    if not found or current is None or isinstance(current, str):
        return cell
    if isinstance(current, bool):
        lowered = cell.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise PathError(f"expected true or false (the template has a boolean here), got {cell!r}")
    if isinstance(current, (int, float)):
        text = cell.strip()
        if len(text) > 100:  # int() refuses past 4,300 digits with a ValueError; say why plainly
            raise PathError(f"expected a number (the template has one here), got {len(text):,} characters")
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            raise PathError(f"expected a number (the template has one here), got {cell!r}") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise PathError(f"expected a finite number, got {cell!r}")
        return number
    if isinstance(current, list):
        if cell.lstrip().startswith("["):
            try:
                value = _strict_json(cell, "the JSON array")
            except PathError as exc:
                raise PathError(f"starts with '[' but: {exc}") from None
            if not isinstance(value, list):
                raise PathError("expected a JSON array")
            return value
        return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]
    if isinstance(current, dict):
        try:
            value = _strict_json(cell, "the JSON object")
        except PathError as exc:
            raise PathError(f"expected a JSON object (the template has one here): {exc}") from None
        if not isinstance(value, dict):
            raise PathError("expected a JSON object (the template has one here)")
        return value
    return cell  # pragma: no cover - JSON has no other types


def deep_merge(base: Any, over: Any) -> Any:
    """``over`` laid on ``base``: objects merge key by key, anything else is replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return over
