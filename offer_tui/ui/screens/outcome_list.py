"""One line per object after an action on many (approve, archive, delete, tag): what happened to
each, in words the user can rely on; Enter or Esc closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class OutcomeListScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Close", id="outcomes-close")]
    DEFAULT_CSS = """
    OutcomeListScreen { align: center middle; }
    OutcomeListScreen > Vertical { width: 95%; max-width: 100; height: auto; max-height: 100%;
                                   border: thick $primary; background: $surface; padding: 0 1; }
    OutcomeListScreen #outcomes-title { text-style: bold; }
    OutcomeListScreen VerticalScroll { height: auto; max-height: 18; }
    OutcomeListScreen #outcomes-keys { color: $text-muted; dock: bottom; }
    """

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self._title = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, id="outcomes-title", markup=False)
            with VerticalScroll():
                yield Static("\n".join(self.lines), id="outcomes-lines", markup=False)
            yield Label("Enter / Esc: close", id="outcomes-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
