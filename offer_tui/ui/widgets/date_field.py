"""A date-time input that shows, right under it, the exact value that will be sent."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from offer_tui.model import parse_user_datetime


def date_for_doc(text: str) -> str | None:
    """The value to send: parsed when possible, else the raw text (validation then names the problem)."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        return parse_user_datetime(stripped)
    except ValueError:
        return stripped


class DateField(Vertical):
    DEFAULT_CSS = """
    DateField { height: auto; width: 1fr; }
    DateField .date-sent { color: $text-muted; padding-left: 1; }
    DateField .date-sent.-bad { color: $error; }
    """

    def __init__(self, value: str = "", *, input_classes: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._initial = value
        self._input_classes = input_classes

    def compose(self) -> ComposeResult:
        yield Input(self._initial, placeholder="2025-01-31, 2025-01-31 09:00 or RFC 3339",
                    classes=f"date-input {self._input_classes}".strip())
        yield Static("", classes="date-sent", markup=False)

    def on_mount(self) -> None:
        self._show(self.input.value)

    @property
    def input(self) -> Input:
        return self.query_one(".date-input", Input)

    @property
    def text(self) -> str:
        if not self.is_mounted or not self.children:
            return self._initial
        return self.input.value

    @text.setter
    def text(self, value: str) -> None:
        self._initial = value
        if self.is_mounted and self.children:
            self.input.value = value

    def value_for_doc(self) -> str | None:
        return date_for_doc(self.text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, text: str) -> None:
        sent = self.query_one(".date-sent", Static)
        stripped = text.strip()
        if not stripped:
            sent.update("(not set)")
            sent.remove_class("-bad")
            return
        try:
            sent.update(f"sends {parse_user_datetime(stripped)}")
            sent.remove_class("-bad")
        except ValueError as error:
            sent.update(f"✗ {error}")
            sent.add_class("-bad")
