"""Quit while the draft cannot be saved (read-only folder, full disk): say so, offer Save JSON first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class UnsavedQuitScreen(ModalScreen[str]):
    """Dismisses with "save" (Save JSON elsewhere, then quit), "quit" (quit anyway) or "cancel"."""

    BINDINGS = [
        Binding("s", "choose('save')", "Save JSON elsewhere", id="unsaved-save"),
        Binding("q", "choose('quit')", "Quit anyway", id="unsaved-quit"),
        Binding("escape,c", "choose('cancel')", "Cancel", id="unsaved-cancel"),
    ]
    DEFAULT_CSS = """
    UnsavedQuitScreen { align: center middle; }
    UnsavedQuitScreen > Vertical { width: 90%; max-width: 76; height: auto; border: thick $error;
                                   background: $surface; padding: 0 1; }
    UnsavedQuitScreen #unsaved-title { text-style: bold; }
    UnsavedQuitScreen #unsaved-keys { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, reason: str, folder: str) -> None:
        super().__init__()
        self._reason = reason
        self._folder = folder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("The draft could not be saved", id="unsaved-title", markup=False)
            yield Static(
                f"Writing the draft to {self._folder} failed: {self._reason}.\n"
                "If you quit now, the offer in the form is lost.",
                id="unsaved-question", markup=False,
            )
            yield Static("s: save the JSON elsewhere, then quit   q: quit anyway   Esc: back to the form",
                         id="unsaved-keys", markup=False)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
