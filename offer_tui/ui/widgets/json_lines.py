"""Pure helpers over pretty-printed JSON lines: which field each line shows, and folding.

No Textual here, so they are cheap to test and the preview module stays about rendering.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from rich.cells import cell_len

from offer_tui.model.jsonpath import child_path as join_child

# Lines of `json.dumps(indent=2)` output, used to map a field path to its line.
_KEY_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*:\s?(.*)$')
_PARENT = re.compile(r"(\.[^.\[\]]*|\[\d+\]|^[^.\[\]]*)$")

# C0/C1 controls and DEL would be interpreted by the terminal (\x9b is a CSI). json.dumps
# escapes C0 but not DEL or C1 when ensure_ascii=False, so they are shown as JSON escapes.
CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")

# Folding: a continuation row is indented 2 more than its line, but keeps at least this many cells.
MIN_FOLD_TEXT = 16


def escape_controls(text: str) -> str:
    return CONTROL_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_line_paths(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Yield `(line_index, path)` for each value line of pretty-printed JSON.

    Paths use the model's issue notation: `name`, `representations[0].components[0].format`.
    The root object/array is yielded with the empty path. Works on `json.dumps(indent=...)`
    output (one value or opening bracket per line); other layouts yield what they can.
    """
    # Stack of open containers: [kind, path, next_index]; kind is "{" or "[".
    stack: list[list] = []

    def child_path(key: str | None) -> str:
        if not stack:
            return ""
        kind, path, index = stack[-1]
        if kind == "[":
            stack[-1][2] = index + 1
            return join_child(path, index)
        return join_child(path, str(key))

    for number, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if line[0] in "}]":
            if stack:
                stack.pop()
            continue
        key: str | None = None
        rest = line
        match = _KEY_LINE.match(raw)
        if match and stack and stack[-1][0] == "{":
            try:
                key = json.loads(match.group(1))
            except ValueError:
                key = match.group(1).strip('"')
            rest = match.group(2).strip()
        path = child_path(key)
        yield number, path
        if rest in ("{", "["):
            stack.append([rest, path, 0])


def line_for_path(lines: list[str], path: str, *, nearest: bool = True) -> int | None:
    """The line showing the field at `path`; with `nearest`, a missing field maps to its closest
    existing parent (where a "required field missing" error belongs). None when nothing matches."""
    paths = {p: n for n, p in json_line_paths(lines)}
    candidate = path
    while True:
        if candidate in paths:
            return paths[candidate]
        if not nearest or not candidate:
            return None
        candidate = _PARENT.sub("", candidate)


def block_end(lines: list[str], start: int) -> int:
    """One past the last line of the value starting at `start` (its closing bracket for `{` / `[`)."""
    line = lines[start].rstrip()
    if not line.endswith(("{", "[")):
        return start + 1
    indent = len(line) - len(line.lstrip(" "))
    for number in range(start + 1, len(lines)):
        text = lines[number]
        if len(text) - len(text.lstrip(" ")) == indent and text.strip()[:1] in ("}", "]"):
            return number + 1
    return len(lines)


def fold(line: str, width: int) -> list[tuple[int, int, int]]:
    """Rows for one line at `width` cells: (start cell, end cell, indent of the row).

    A line that fits is one row; a longer one continues on rows indented 2 more than the line
    (less when that leaves fewer than MIN_FOLD_TEXT cells), so nothing is clipped.
    """
    length = cell_len(escape_controls(line))
    if width <= 0 or length <= width:
        return [(0, length, 0)]
    rows = [(0, width, 0)]
    indent = min(len(line) - len(line.lstrip(" ")) + 2, max(0, width - MIN_FOLD_TEXT))
    step = max(1, width - indent)
    start = width
    while start < length:
        rows.append((start, min(start + step, length), indent))
        start += step
    return rows
