"""Typed confirmation before anything is submitted to a production profile.

The user types the sandbox name: a deliberate act that a stray Enter or F9 cannot perform.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class ProductionConfirmScreen(ModalScreen[bool]):
    """Dismisses True when the exact sandbox name is typed and Enter pressed, False on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="production-cancel")]
    DEFAULT_CSS = """
    ProductionConfirmScreen { align: center middle; }
    ProductionConfirmScreen > Vertical {
        width: 90%; max-width: 72; height: auto; border: thick $error; background: $surface; padding: 0 1;
    }
    ProductionConfirmScreen #production-title { text-style: bold; color: $error; width: 1fr; }
    ProductionConfirmScreen #production-error { color: $error; height: auto; }
    ProductionConfirmScreen #production-keys { color: $text-muted; }
    """

    def __init__(self, profile: str, sandbox: str, *, action: str = "submit this offer") -> None:
        super().__init__()
        self.profile = profile
        self.sandbox = sandbox
        self.action = action

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"⚠ Production: profile {self.profile}", id="production-title", markup=False)
            yield Static(
                f"You are about to {self.action} in the production sandbox {self.sandbox!r}. "
                "Type the sandbox name to go ahead:",
                id="production-text",
                markup=False,
            )
            yield Input(placeholder=self.sandbox, id="production-input")
            yield Static("", id="production-error", markup=False)
            yield Label("Enter: confirm   Esc: cancel", id="production-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() == self.sandbox:
            self.dismiss(True)
            return
        typed = event.value.strip()
        reason = "Nothing typed." if not typed else f"{typed!r} is not the sandbox name."
        self.query_one("#production-error", Static).update(
            f"{reason} Type {self.sandbox} exactly, or press Esc to cancel."
        )
        self.query_one("#production-input", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)
