"""A syntax-highlighted JSON preview that repaints only the rows that changed.

Every repaint is bytes over the user's SSH link. A `TextArea` reloaded on each keystroke
repaints the whole preview (about 10 KB per typed character at 120x40); this widget uses the
Line API instead: `update_json` diffs the new rows against the shown ones and refreshes just
the rows that changed, so typing into one field costs about one preview row.

Long lines fold onto indented continuation rows, so nothing is clipped at the widget's edge.
`mark_path` highlights the rows of one field (the wizard marks the field being edited) and
scrolls them into view; marking costs a repaint of the old and new marked rows only.

Highlighting is one regular expression per line: the text comes from `json.dumps(indent=2)`,
where no token spans lines, so a full lexer is not needed (pygments' JsonLexer cost ~20 ms of
imports before the first frame). tree-sitter is avoided on purpose: tree-sitter 0.26 segfaults
in `tree_sitter_json`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import re

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from offer_tui.ui.widgets.json_lines import block_end, escape_controls, fold, json_line_paths, line_for_path

__all__ = ["JsonPreview", "json_line_paths"]

# One token of a pretty-printed JSON line; a string followed by ":" is a key. The group name is
# the component class (without the prefix) that colours it; whitespace and anything else keep
# the widget's own style.
_TOKENS = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))'
    r'|(?P<string>"(?:[^"\\]|\\.)*"?)'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<literal>true|false|null)"
    r"|(?P<punctuation>[{}\[\],:])"
    r"|(?P<other>\s+|[^\s\"{}\[\],:]+)"
)

# Narrower than this, folding would make a column of fragments: crop (and scroll) instead.
_MIN_FOLD_WIDTH = 24

# A row: (line index, start cell, end cell, continuation indent).
Row = tuple[int, int, int, int]


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
        "json-preview--marked",
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
        & > .json-preview--marked {
            background: $primary-muted;  /* opaque: a component style's alpha is not blended */
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
        self._rows: list[Row] = []
        self._first_row: list[int] = []  # line index -> its first row
        self._keys: list[tuple] = []  # what each row shows (text, cells, marked): the repaint diff
        self._fold_width = 0
        self._marked_path: str | None = None
        self._marked: tuple[int, int] = (0, 0)  # marked lines [start, end)
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

    @property
    def row_count(self) -> int:
        """Rows after folding (at least `line_count`)."""
        return len(self._rows)

    @property
    def marked_lines(self) -> range:
        """The lines `mark_path` highlights now (empty when nothing is marked)."""
        return range(*self._marked)

    def update_json(self, text: str) -> None:
        """Show `text`, repainting only the rows whose text changed."""
        new_lines = text.split("\n") if text else []
        if new_lines and new_lines[-1] == "":
            new_lines.pop()  # a trailing newline is not a row
        if new_lines == self._lines:
            return
        self._lines = new_lines
        self._content_width = max((cell_len(line) for line in new_lines), default=0)
        self._relayout()

    def mark_path(self, path: str | None, *, scroll: bool = True) -> bool:
        """Highlight the rows of the field at `path` (and its block) and scroll them into view.
        None clears the mark. True if the field is shown."""
        self._marked_path = path or None
        self._relayout()
        if scroll and self._marked_path is not None:
            self.scroll_to_path(self._marked_path)
        return self._marked != (0, 0)

    def line_for_path(self, path: str, *, nearest: bool = True) -> int | None:
        """The line index showing the field at `path` (e.g. `representations[0].format`).

        With `nearest`, a missing field maps to its closest existing parent, which is where
        a "required field missing" error belongs. Returns None when nothing matches.
        """
        return line_for_path(self._lines, path, nearest=nearest)

    def line_for_key(self, key: str) -> int | None:
        """The first line holding the object key `key`, at any depth."""
        needle = json.dumps(key, ensure_ascii=False) + ":"
        for number, line in enumerate(self._lines):
            if line.lstrip().startswith(needle):
                return number
        return None

    def row_for_line(self, line: int) -> int:
        """The first row of a line (they differ once a line above is folded)."""
        return self._first_row[line] if 0 <= line < len(self._first_row) else line

    def scroll_to_path(self, path: str, *, animate: bool = False) -> bool:
        """Scroll so the line of `path` (or its nearest parent) is visible. True if found."""
        line = self.line_for_path(path)
        if line is None:
            return False
        first = self.row_for_line(line)
        last = self.row_for_line(block_end(self._lines, line) - 1) + 1
        height = max(1, min(last - first, self.size.height or 1))
        self.scroll_to_region(Region(0, first, 1, height), animate=animate, immediate=True, force=True)
        return True

    # -- rendering ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self._token_styles()[None]  # rich_style walks the ancestors: once per style change
        if index >= len(self._rows):
            return Strip.blank(width, base)
        line, start, end, indent = self._rows[index]
        strip = self._highlighted(self._lines[line])
        if start or end < strip.cell_length:
            strip = strip.crop(start, end)
        if indent:
            strip = Strip([Segment(" " * indent, base), *strip])
        if self._marked[0] <= line < self._marked[1]:
            mark = self._token_styles()["json-preview--marked"]
            strip = Strip(Segment.apply_style(strip, post_style=mark))
            return strip.crop_extend(scroll_x, scroll_x + width, base + mark)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def notify_style_update(self) -> None:
        """Theme or CSS changed: highlighted strips hold old colours."""
        super().notify_style_update()
        self._styles = None
        self._strip_cache.clear()

    def on_resize(self) -> None:
        self._relayout()

    # -- internals ----------------------------------------------------------------------

    def _relayout(self) -> None:
        """Fold the lines, place the mark, and repaint the rows that differ from what is shown."""
        self._fold_width = self._wanted_fold_width()
        marked = (0, 0)
        if self._marked_path is not None:
            line = self.line_for_path(self._marked_path, nearest=False)
            if line is not None:
                marked = (line, block_end(self._lines, line))
        self._marked = marked
        rows: list[Row] = []
        first_row: list[int] = []
        keys: list[tuple] = []
        for number, line in enumerate(self._lines):
            first_row.append(len(rows))
            is_marked = marked[0] <= number < marked[1]
            for start, end, indent in fold(line, self._fold_width):
                rows.append((number, start, end, indent))
                keys.append((line, start, end, is_marked))
        old_keys = self._keys
        self._rows, self._first_row, self._keys = rows, first_row, keys
        if self._sync_virtual_size():
            return  # a virtual size change repaints the whole widget anyway
        top = self.scroll_offset.y
        bottom = top + self.size.height
        for start, count in self._changed_runs(old_keys, keys):
            # Rows outside the viewport cost nothing to skip; they render when scrolled to.
            first, last = max(start, top), min(start + count, bottom)
            if first < last:
                self.refresh_lines(first, last - first)

    def _wanted_fold_width(self) -> int:
        width = self.size.width - self.styles.scrollbar_size_vertical
        return width if width >= _MIN_FOLD_WIDTH else 0

    def _token_styles(self) -> dict[str | None, Style]:
        if self._styles is None:
            base = self.rich_style
            styles: dict[str | None, Style] = {None: base}
            for component in self.COMPONENT_CLASSES:
                styles[component] = base + self.get_component_rich_style(component, partial=True)
            styles["json-preview--marked"] = self.get_component_rich_style("json-preview--marked", partial=True)
            self._styles = styles
        return self._styles

    def _highlighted(self, line: str) -> Strip:
        cached = self._strip_cache.get(line)
        if cached is not None:
            return cached
        styles = self._token_styles()
        segments = []
        for match in _TOKENS.finditer(line):
            kind = match.lastgroup
            component = None if kind == "other" else f"json-preview--{kind}"
            segments.append(Segment(escape_controls(match.group()), styles[component]))
        strip = Strip(segments).simplify()
        self._strip_cache[line] = strip
        return strip

    def _sync_virtual_size(self) -> bool:
        """Set the scrollable size; True if it changed (which repaints the whole widget).

        Folded, nothing is wider than the viewport: the virtual width stays 0 (the reactive
        repaints everything when it changes). Only when too narrow to fold does it follow the
        longest line, so the rest stays reachable by scrolling.
        """
        width = 0 if self._fold_width else self._content_width
        size = Size(width, len(self._rows))
        if size == self.virtual_size:
            return False
        self.virtual_size = size
        return True

    @staticmethod
    def _changed_runs(old: list, new: list) -> Iterator[tuple[int, int]]:
        """Yield (first_row, row_count) for each run of rows whose content differs."""
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
        # typing in the form would resend the preview's scrollbars: about 1.5 KB per key at
        # 120 columns. Pass through only when what they show changed. This overrides a private
        # Textual method: tests/test_json_preview.py pins its signature and its effect.
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
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if self._fold_width != self._wanted_fold_width():
            self._relayout()  # fold for the new width now, not when the Resize message comes round
        return changed

    def get_content_width(self, container: Size, viewport: Size) -> int:
        # virtual_size.width is 0 while folded; `width: auto` wants the real width.
        return self._content_width + self.styles.scrollbar_size_vertical
