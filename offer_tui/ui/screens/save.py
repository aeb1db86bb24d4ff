"""Save JSON: ask for a path, write the exact body submit would send, report failures in place.

An existing file is overwritten only after a confirmation that names it; the path reported is
absolute (a relative name says nothing about where it went).
"""

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
            yield Label(f"Save the offer JSON to (Enter saves, Esc cancels; a relative name is in {Path.cwd()}):",
                        markup=False)
            yield Input(self._default, id="save-path")
            yield Static("", id="save-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value.strip()
        if not raw:
            self.query_one("#save-error", Static).update("Give a file name.")
            return
        path = Path(os.path.expanduser(raw)).absolute()
        if path.is_dir():
            self.query_one("#save-error", Static).update(f"Could not save {path}: it is a directory")
            return
        if path.exists():
            from offer_tui.ui.screens.confirm import ConfirmScreen

            question = f"{path} exists. Replace it with this offer's JSON?"
            self.app.push_screen(ConfirmScreen("Save JSON", question, "replace it", "keep it"),
                                 lambda yes: self._write(path) if yes else self._kept(path))
            return
        self._write(path)

    def _kept(self, path: Path) -> None:
        self.query_one("#save-error", Static).update(f"Kept {path}: give another name, or Esc.")
        self.query_one("#save-path", Input).focus()

    def _write(self, path: Path) -> None:
        try:
            path.write_text(self._text + "\n", encoding="utf-8")
        except OSError as error:
            reason = error.strerror or str(error)
            self.query_one("#save-error", Static).update(f"Could not save {path}: {reason}")
            return
        self.notify(f"Saved {path}", title="Save JSON")
        self.dismiss(str(path))

    def action_cancel(self) -> None:
        self.dismiss(None)
