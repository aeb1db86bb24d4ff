"""F1: help for the current step, plus the keys (the table is generated from the bindings)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help-close"),
        Binding("f1", "dismiss", "Close", id="help-close-f1", show=False),
        Binding("enter", "dismiss", "Close", id="help-close-enter", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 90; height: 90%; border: round $primary;
                                  background: $surface; padding: 0 1; }
    """

    def __init__(self, step_help: str, keys: str) -> None:
        """``keys``: the Markdown key table (``keymap.help_table``)."""
        super().__init__()
        self._text = step_help + "\n" + keys

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(self._text)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
