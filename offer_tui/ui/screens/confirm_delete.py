"""Asks before a profile, its stored secret and its cached token are deleted."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class ConfirmDeleteScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("enter,y", "confirm", "Delete", id="delete-confirm"),
        Binding("escape,n", "cancel", "Keep", id="delete-cancel"),
    ]
    DEFAULT_CSS = """
    ConfirmDeleteScreen { align: center middle; }
    ConfirmDeleteScreen > Vertical { width: 90%; max-width: 64; height: auto; border: thick $error;
                                     background: $surface; padding: 0 1; }
    ConfirmDeleteScreen #delete-keys { color: $text-muted; }
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.profile_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Delete the profile {self.profile_name!r}, its stored client secret and its cached token?",
                markup=False,
            )
            yield Label("Enter / y: delete   Esc / n: keep it", id="delete-keys")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
