"""A date-time input that shows, right under it, the exact value that will be sent."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from offer_tui.ui.widgets.text_input import TextInput

from offer_tui.model import parse_user_datetime
from offer_tui.model.advice import end_of_day


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
    DateField .date-line { height: auto; }
    DateField .date-sent { color: $text-muted; padding-left: 1; width: 1fr; }
    DateField .date-sent.-bad { color: $error; }
    DateField .date-sent.-midnight { color: $warning; }
    DateField .date-end-of-day { margin-left: 1; }
    """

    def __init__(self, value: str = "", *, input_classes: str = "", end: bool = False, **kwargs: Any) -> None:
        """``end``: an end date; at exactly 00:00 (which leaves that day out) it offers 23:59:59."""
        super().__init__(**kwargs)
        self._initial = value
        self._input_classes = input_classes
        self._end = end

    def compose(self) -> ComposeResult:
        yield TextInput(self._initial, placeholder="2025-01-31, 2025-01-31 09:00 or RFC 3339",
                    classes=f"date-input {self._input_classes}".strip())
        with Horizontal(classes="date-line"):
            yield Static("", classes="date-sent", markup=False)
            if self._end:
                button = Button("until 23:59:59", classes="date-end-of-day", compact=True)
                button.display = False
                yield button

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

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("date-end-of-day"):
            event.stop()
            later = end_of_day(self.value_for_doc() or "")
            if later is not None:
                self.input.focus()
                self.input.value = later  # the user asked for it, as if they had typed it

    def _show(self, text: str) -> None:
        sent = self.query_one(".date-sent", Static)
        stripped = text.strip()
        midnight = False
        if not stripped:
            sent.update("(not set)")
            sent.remove_class("-bad")
        else:
            try:
                value = parse_user_datetime(stripped)
                midnight = self._end and end_of_day(value) is not None
                note = f": 00:00 leaves out {value[:10]}" if midnight else ""
                sent.update(f"sends {value}{note}")
                sent.remove_class("-bad")
            except ValueError as error:
                sent.update(f"✗ {error}")
                sent.add_class("-bad")
        sent.set_class(midnight, "-midnight")
        for button in self.query(".date-end-of-day"):
            button.display = midnight
