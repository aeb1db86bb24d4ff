"""The masked prompt of the lookup order: asks for a profile's missing client secret.

Shown when a profile has no secret in the store (the usual jump host, where secrets live in
memory for one session). The typed value goes to the app's secret store, never to the screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class SecretPromptScreen(ModalScreen[str | None]):
    """Dismisses with the typed secret, or None on Esc (the user can add it later with F6)."""

    BINDINGS = [Binding("escape", "cancel", "Later", id="secret-cancel")]
    DEFAULT_CSS = """
    SecretPromptScreen { align: center middle; }
    SecretPromptScreen > Vertical {
        width: 90%; max-width: 72; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    SecretPromptScreen #secret-title { text-style: bold; }
    SecretPromptScreen #secret-keys { color: $text-muted; }
    """

    def __init__(self, profile: str, where: str) -> None:
        super().__init__()
        self.profile = profile
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Client secret for profile {self.profile}", id="secret-title", markup=False)
            yield Static(f"No secret is stored for this profile. What you type is {self.where}.",
                         markup=False)
            yield Input(password=True, placeholder="client secret", id="secret-input")
            yield Label("Enter: use it   Esc: not now (F6 opens the credentials later)", id="secret-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
