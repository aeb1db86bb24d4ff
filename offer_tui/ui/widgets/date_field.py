"""A date-time input that shows, right under it, the exact value that will be sent.

Dates come in pairs (start/end, From/Until): a relative value (``+10d``, ``+1y2d``) counts from the
other date of the pair (``partner``), so the pair's value is resolved together (``resolve_pair``).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from offer_tui.ui.widgets.text_input import TextInput

from offer_tui.model.advice import end_of_day
from offer_tui.model.dates import is_relative, is_rfc3339, resolve_pair, resolve_user_datetime


PLACEHOLDER = "2025-01-31 09:00, now, today, +10d, +1y2d"


def date_for_doc(text: str, other: str = "") -> str | None:
    """The value to send: parsed when possible (a relative one from ``other``, the pair's other
    date), else the raw text (validation then names the problem)."""
    return resolve_pair(text, other)[0]


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
        self.partner: DateField | None = None  # the other date of the pair: relative values count from it

    def compose(self) -> ComposeResult:
        yield TextInput(self._initial, placeholder=PLACEHOLDER,
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

    @property
    def other_text(self) -> str:
        return self.partner.text if self.partner is not None else ""

    def value_for_doc(self) -> str | None:
        return date_for_doc(self.text, self.other_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)
        partner = self.partner
        if partner is not None and partner.is_mounted and partner.children and is_relative(partner.text):
            partner._show(partner.text)  # it counts from this one: its "sends" line follows

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
                value = date_for_doc(stripped, self.other_text) or ""
                if not is_rfc3339(value):
                    value = resolve_user_datetime(stripped)  # raises, with the reason
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
