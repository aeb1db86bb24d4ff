"""Save JSON: ask for a path, write the exact body submit would send, report failures in place."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class SaveJsonScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save-cancel")]
    DEFAULT_CSS = """
    SaveJsonScreen { align: center middle; }
    SaveJsonScreen > Vertical { width: 80%; max-width: 76; height: auto; border: round $primary;
                                background: $surface; padding: 0 1; }
    SaveJsonScreen #save-error { color: $error; height: auto; }
    """

    def __init__(self, text: str, default_name: str) -> None:
        super().__init__()
        self._text = text
        self._default = default_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save the offer JSON to (Enter saves, Esc cancels):")
            yield Input(self._default, id="save-path")
            yield Static("", id="save-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value.strip()
        if not raw:
            self.query_one("#save-error", Static).update("Give a file name.")
            return
        path = Path(os.path.expanduser(raw))
        try:
            if path.is_dir():
                raise IsADirectoryError(f"{path} is a directory")
            path.write_text(self._text + "\n", encoding="utf-8")
        except OSError as error:
            reason = error.strerror or str(error)
            self.query_one("#save-error", Static).update(f"Could not save {path}: {reason}")
            return
        self.notify(f"Saved {path}", title="Save JSON")
        self.dismiss(str(path))

    def action_cancel(self) -> None:
        self.dismiss(None)
