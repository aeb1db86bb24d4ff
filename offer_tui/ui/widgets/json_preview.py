"""A syntax-highlighted JSON preview that repaints only the rows that changed.

Every repaint is bytes over the user's SSH link. A `TextArea` reloaded on each keystroke
repaints the whole preview (about 10 KB per typed character at 120x40); this widget uses the
Line API instead: `update_json` diffs the new text against the shown lines and refreshes just
the rows whose text changed, so typing into one field costs about one preview row.

Highlighting uses pygments' `JsonLexer` (a dependency of rich), one line at a time: the text
comes from `json.dumps(indent=2)`, where no token spans lines. tree-sitter is avoided on
purpose: tree-sitter 0.26 segfaults in `tree_sitter_json` (see design.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from pygments.lexers.data import JsonLexer
from pygments.token import Keyword, Name, Number, Punctuation, String, Token
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from offer_tui.model.paths import child_path as join_child

__all__ = ["JsonPreview", "json_line_paths"]

# Pygments token type -> component class. Anything else (whitespace, errors) keeps the
# widget's own style.
_TOKEN_CLASSES: tuple[tuple[object, str], ...] = (
    (Name.Tag, "json-preview--key"),
    (String, "json-preview--string"),
    (Number, "json-preview--number"),
    (Keyword.Constant, "json-preview--literal"),
    (Punctuation, "json-preview--punctuation"),
)

# C0/C1 controls and DEL would be interpreted by the terminal (\x9b is a CSI). json.dumps
# escapes C0 but not DEL or C1 when ensure_ascii=False, so show them as JSON escapes.
_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")

# Lines of `json.dumps(indent=2)` output, used to map a field path to its line.
_KEY_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*:\s?(.*)$')

# Width steps for the virtual (scrollable) width of over-long content; see _sync_virtual_size.
_WIDTH_STEP = 16


def _escape_controls(line: str) -> str:
    return _CONTROL_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def _token_class(token_type: object) -> str | None:
    for parent, component in _TOKEN_CLASSES:
        if token_type in parent:  # pygments: `child in parent` tests the token hierarchy
            return component
    return None


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


class JsonPreview(ScrollView, can_focus=True):
    """A read-only, scrollable, syntax-highlighted view of a JSON document.

    Call `update_json(text)` with the serializer's output on every change; only rows whose
    text differs from what is shown are repainted.
    """

    COMPONENT_CLASSES = {
        "json-preview--key",
        "json-preview--string",
        "json-preview--number",
        "json-preview--literal",
        "json-preview--punctuation",
    }

    DEFAULT_CSS = """
    JsonPreview {
        background: $surface;
        color: $text;
        overflow: auto auto;
        &:focus {
            background-tint: $foreground 5%;
        }
        & > .json-preview--key {
            color: $text-primary;
            text-style: bold;
        }
        & > .json-preview--string {
            color: $text-success;
        }
        & > .json-preview--number {
            color: $text-warning;
        }
        & > .json-preview--literal {
            color: $text-secondary;
            text-style: italic;
        }
        & > .json-preview--punctuation {
            color: $text-muted;
        }
    }
    """

    def __init__(
        self,
        text: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._lines: list[str] = []
        self._lexer = JsonLexer()
        # Highlighted, uncropped strips keyed by line text: typing changes one line, and
        # every other line is found here without lexing again.
        self._strip_cache: LRUCache[str, Strip] = LRUCache(4096)
        self._styles: dict[str | None, Style] | None = None
        self._content_width = 0
        self._layout_state: tuple | None = None
        if text:
            self.update_json(text)

    # -- public API -------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The JSON text currently shown."""
        return "\n".join(self._lines)

    @property
    def lines(self) -> list[str]:
        """The lines currently shown (a copy)."""
        return list(self._lines)

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def update_json(self, text: str) -> None:
        """Show `text`, repainting only the rows whose text changed."""
        new_lines = text.split("\n") if text else []
        if new_lines and new_lines[-1] == "":
            new_lines.pop()  # a trailing newline is not a row
        old_lines = self._lines
        if new_lines == old_lines:
            return
        self._lines = new_lines
        self._content_width = max((cell_len(line) for line in new_lines), default=0)
        if self._sync_virtual_size():
            return  # a virtual size change repaints the whole widget anyway
        top = self.scroll_offset.y
        bottom = top + self.size.height
        for start, count in self._changed_runs(old_lines, new_lines):
            # Rows outside the viewport cost nothing to skip; they render when scrolled to.
            first, last = max(start, top), min(start + count, bottom)
            if first < last:
                self.refresh_lines(first, last - first)

    def line_for_path(self, path: str, *, nearest: bool = True) -> int | None:
        """The line index showing the field at `path` (e.g. `representations[0].format`).

        With `nearest`, a missing field maps to its closest existing parent, which is where
        a "required field missing" error belongs. Returns None when nothing matches.
        """
        paths = {p: n for n, p in json_line_paths(self._lines)}
        candidate = path
        while True:
            if candidate in paths:
                return paths[candidate]
            if not nearest or not candidate:
                return None
            candidate = re.sub(r"(\.[^.\[\]]*|\[\d+\]|^[^.\[\]]*)$", "", candidate)

    def line_for_key(self, key: str) -> int | None:
        """The first line holding the object key `key`, at any depth."""
        needle = json.dumps(key, ensure_ascii=False) + ":"
        for number, line in enumerate(self._lines):
            if line.lstrip().startswith(needle):
                return number
        return None

    def scroll_to_path(self, path: str, *, animate: bool = False) -> bool:
        """Scroll so the line of `path` (or its nearest parent) is visible. True if found."""
        line = self.line_for_path(path)
        if line is None:
            return False
        self.scroll_to_region(
            Region(0, line, 1, 1), animate=animate, immediate=True, force=True
        )
        return True

    # -- rendering ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._highlighted(self._lines[index])
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def notify_style_update(self) -> None:
        """Theme or CSS changed: highlighted strips hold old colours."""
        super().notify_style_update()
        self._styles = None
        self._strip_cache.clear()

    def on_resize(self) -> None:
        self._sync_virtual_size()

    # -- internals ----------------------------------------------------------------------

    def _token_styles(self) -> dict[str | None, Style]:
        if self._styles is None:
            base = self.rich_style
            styles: dict[str | None, Style] = {None: base}
            for component in self.COMPONENT_CLASSES:
                styles[component] = base + self.get_component_rich_style(
                    component, partial=True
                )
            self._styles = styles
        return self._styles

    def _highlighted(self, line: str) -> Strip:
        cached = self._strip_cache.get(line)
        if cached is not None:
            return cached
        styles = self._token_styles()
        segments = []
        for token_type, value in self._lexer.get_tokens(line):
            value = value.rstrip("\n")  # the lexer appends a newline
            if not value:
                continue
            if token_type is Token.Text.Whitespace:
                component = None
            else:
                component = _token_class(token_type)
            segments.append(Segment(_escape_controls(value), styles[component]))
        strip = Strip(segments).simplify()
        self._strip_cache[line] = strip
        return strip

    def _sync_virtual_size(self) -> bool:
        """Set the scrollable size; True if it changed (which repaints the whole widget).

        The width is the trap: the reactive repaints everything when it changes, and the
        line being typed into is often the longest. So while content fits the viewport the
        virtual width stays 0 (no horizontal scrolling needed), and beyond it grows in steps.
        """
        # Leave room for a vertical scrollbar so its arrival never forces a horizontal one.
        room = self.size.width - self.styles.scrollbar_size_vertical
        if self._content_width <= room:
            width = 0
        else:
            width = -(-self._content_width // _WIDTH_STEP) * _WIDTH_STEP
        size = Size(width, len(self._lines))
        if size == self.virtual_size:
            return False
        self.virtual_size = size
        return True

    @staticmethod
    def _changed_runs(old: list[str], new: list[str]) -> Iterator[tuple[int, int]]:
        """Yield (first_row, row_count) for each run of rows whose text differs."""
        start: int | None = None
        total = max(len(old), len(new))
        for row in range(total):
            same = row < len(old) and row < len(new) and old[row] == new[row]
            if not same and start is None:
                start = row
            elif same and start is not None:
                yield start, row - start
                start = None
        if start is not None:
            yield start, total - start

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual hands a ScrollView its viewport size as `virtual_size`, which never equals
        # the real one, so ScrollView refreshes its scrollbars on *every* screen layout. An
        # Input lays out the screen on each keystroke (it resizes its own virtual width), so
        # typing in the form would resend the preview's scrollbars: about 1.5 KB per key for
        # a horizontal bar at 120 columns. Pass through only when what they show changed.
        styles = self.styles
        state = (
            size,
            container_size,
            self.virtual_size,
            styles.overflow_x,
            styles.overflow_y,
            styles.scrollbar_size_vertical,
            styles.scrollbar_size_horizontal,
        )
        if state == self._layout_state:
            return False
        self._layout_state = state
        return super()._size_updated(size, virtual_size, container_size, layout)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        # virtual_size.width is 0 while content fits; `width: auto` wants the real width.
        return self._content_width + self.styles.scrollbar_size_vertical
