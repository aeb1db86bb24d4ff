"""A yes/no question before something is destroyed; it names what will be lost."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "confirm", "Yes", id="confirm-yes"),
        Binding("escape,n", "cancel", "No", id="confirm-no"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 90%; max-width: 72; height: auto; border: thick $warning;
                               background: $surface; padding: 0 1; }
    ConfirmScreen #confirm-title { text-style: bold; }
    ConfirmScreen #confirm-keys { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str, question: str, yes: str, no: str) -> None:
        """``yes`` / ``no``: what each answer does, e.g. "discard it" / "keep it"."""
        super().__init__()
        self._title = title
        self._question = question
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, id="confirm-title", markup=False)
            yield Static(self._question, id="confirm-question", markup=False)
            # No Enter: the key that opened this (Enter in the palette or a file name) must not answer it.
            yield Label(f"y: {self._yes}   n / Esc: {self._no}", id="confirm-keys", markup=False)

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
