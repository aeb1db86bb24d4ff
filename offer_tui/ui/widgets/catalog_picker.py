"""Pick an id from a list fetched from the API, or type it when the list cannot be fetched.

The placement picker and the rule picker are both this: a Select once the catalog is loaded,
a text input until then or when the fetch failed (with the reason shown in place), and a status
line. A value that is not in the list (a file's id, another channel's placement) stays selectable.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static
from textual.widgets._select import SelectCurrent, SelectOverlay  # Textual 8.2: no public names

from offer_tui.ui.widgets.text_input import TextInput

from offer_tui.safe_text import terminal_safe


SEPARATOR = "\x00separator"  # the value of a separator line in the list: shown, never picked


class CatalogOverlay(SelectOverlay):
    def watch_has_focus(self, value: bool) -> None:
        query = self._search_query
        super().watch_has_focus(value)  # Textual starts a new search when the list gets the focus...
        if value:
            self._search_query = query  # ...but what was typed on the closed list is that search


class CatalogSelect(Select[str]):
    """A Select whose list may hold separator lines (disabled options: shown, never highlighted).

    Labels are Rich ``Text`` (plain, never markup), which the open list's type-to-search reads:
    typing part of a name or an id jumps to the first option holding it."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield CatalogOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

    async def _on_key(self, event: events.Key) -> None:
        # Typing on the closed list opens it and finds what was typed (space still just opens it).
        # Keys that come before the open list has the focus go to it too, so none is lost.
        if event.is_printable and self._options and (self.expanded or event.key != "space"):
            event.stop()
            event.prevent_default()
            if not self.expanded:
                self.action_show_overlay()
            self.query_one("SelectOverlay").post_message(events.Key(event.key, event.character))

    def _setup_options_renderables(self) -> None:
        super()._setup_options_renderables()
        overlay = self.query_one("SelectOverlay")
        for index, (_label, value) in enumerate(self._options):
            if value == SEPARATOR:
                overlay.disable_option_at_index(index)  # type: ignore[attr-defined]


class CatalogPicker(Vertical):
    NOUN = "item"  # "placement", "rule": in the messages and the child widgets' classes
    PLACEHOLDER = ""

    DEFAULT_CSS = """
    CatalogPicker { height: auto; width: 1fr; }
    CatalogPicker .catalog-status { color: $text-muted; height: auto; }
    CatalogPicker .catalog-select, CatalogPicker .catalog-select * { text-wrap: nowrap; text-overflow: ellipsis; }
    CatalogPicker .catalog-status.-failed { color: $warning; }
    """

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._initial = value
        self._items: list[dict[str, Any]] | None = None
        self._error: str | None = None

    def compose(self) -> ComposeResult:
        select: Select[str] = CatalogSelect([], prompt=f"Pick a {self.NOUN}",
                                            classes=f"catalog-select {self.NOUN}-select")
        select.display = False
        yield select
        yield TextInput(self._initial, placeholder=self.PLACEHOLDER, classes=f"catalog-text {self.NOUN}-text")
        yield Static(f"Loading {self.NOUN}s...", classes=f"catalog-status {self.NOUN}-status", markup=False)

    @property
    def select(self) -> Select[str]:
        return self.query_one(".catalog-select", Select)

    @property
    def text_input(self) -> Input:
        return self.query_one(".catalog-text", Input)

    @property
    def list_mode(self) -> bool:
        return self._items is not None

    def _get_value(self) -> str:
        if not self.is_mounted or not self.children:
            return self._initial
        if self.list_mode:
            value = self.select.value
            return value if isinstance(value, str) and value != SEPARATOR else ""
        return self.text_input.value.strip()

    def _set_value(self, value: str) -> None:
        self._initial = value
        if self.is_mounted and self.children:
            self._render_options(value)

    value = property(_get_value, _set_value)

    def focus_target(self) -> Select[str] | Input:
        return self.select if self.list_mode else self.text_input

    def find(self, item_id: str) -> dict[str, Any] | None:
        return next((item for item in self._items or () if item.get("id") == item_id), None)

    def set_catalog(self, items: list[dict[str, Any]] | None, error: str | None) -> None:
        if self.is_mounted and self.children and items is not None and items == self._items and error == self._error:
            return  # the same list again (the app re-applies it when it mounts the steps): an open list stays as it is
        current = self.value
        self._items = items
        self._error = error
        self._render_options(current)

    def options(self, current: str) -> tuple[list[tuple[str, str]], str]:
        """The (label, id) options for the loaded list, and the status line to show."""
        raise NotImplementedError

    def _render_options(self, current: str) -> None:
        status = self.query_one(".catalog-status", Static)
        status.remove_class("-failed")
        if self._items is None:
            self.select.display, self.text_input.display = False, True
            self.text_input.value = current
            if self._error:
                status.update(f"Could not fetch {self.NOUN}s: {self._error}\nType the {self.NOUN} id (F5 retries).")
                status.add_class("-failed")
            else:
                status.update(f"Loading {self.NOUN}s...")
            return
        options, status_text = self.options(current)
        if current and current not in {value for _, value in options}:
            suffix = self.unlisted_note(current)
            options.append((f"{current}  ({suffix})", current))
        # Plain text: server names are not markup ('[html]' would vanish, '[/]' would raise), and
        # never raw: an escape sequence in a name would reach the terminal (Textual keeps ESC).
        options = [(Text(terminal_safe(label, limit=200, one_line=True)) if isinstance(label, str) else label, value)
                   for label, value in options]
        with self.prevent(Select.Changed):
            self.select.set_options(options)
            if current:
                self.select.value = current
        had_focus = self.is_attached and self.screen.focused is self.text_input
        self.select.display, self.text_input.display = True, False
        if had_focus:  # the list came while the user was in the id field: they stay in the picker
            self.select.focus()
        status.update(status_text)

    def unlisted_note(self, current: str) -> str:
        return "not in the fetched list"
