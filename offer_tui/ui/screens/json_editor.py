"""A JSON editor for a decision or a rule: new, edit or clone.

Checked as you type (the JSON itself, then the kind's shape: service-free model/kind_shape), with
the first problem and its path shown under the text. ctrl+o inserts a reference picked from the
sandbox's placements, collections, rules or fallback offers by name, so an id is never typed.
F9 dismisses the body (the flow then checks references against the sandbox and shows the body or
the patch before sending); Esc cancels (after a confirm when something was changed).
"""

from __future__ import annotations

import json
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from offer_tui.model.kinds import kind
from offer_tui.safe_text import terminal_safe

CHECK_DELAY = 0.3  # seconds of quiet typing before the body is checked again


def check_text(word: str, text: str) -> tuple[Any, list[str], list[str]]:
    """(the parsed body or None, errors, warnings) of the editor's text."""
    from offer_tui.model.kind_shape import validate_object

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [f"line {error.lineno}, column {error.colno}: {error.msg}"], []
    report = validate_object(kind(word), doc)
    return doc, [str(i) for i in report.errors], [str(i) for i in report.warnings]


class ReferencePickerScreen(ModalScreen[str | None]):
    """Pick one object by name (grouped by kind); dismisses its id."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="refpick-cancel")]
    DEFAULT_CSS = """
    ReferencePickerScreen { align: center middle; }
    ReferencePickerScreen > Vertical { width: 90%; max-width: 90; height: auto; max-height: 100%;
                                       border: thick $primary; background: $surface; padding: 0 1; }
    ReferencePickerScreen OptionList { height: auto; max-height: 20; }
    ReferencePickerScreen #refpick-keys { color: $text-muted; dock: bottom; }
    """

    def __init__(self, choices: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for word, items in self.choices.items():
            options.append(Option(f"{kind(word).title.capitalize()}s:", disabled=True))
            options.extend(Option(f"  {terminal_safe(name or oid, limit=60, one_line=True)}  …{oid[-8:]}", id=oid)
                           for name, oid in items)
        with Vertical():
            yield Static("Insert a reference (its id goes in at the cursor, in quotes)", markup=False)
            yield OptionList(*options, id="refpick-list")
            yield Label("Enter: insert   Esc: cancel", id="refpick-keys")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(str(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class JsonEditorScreen(ModalScreen[dict[str, Any] | None]):
    BINDINGS = [
        Binding("f9", "save", "Review and send", id="json-save"),
        Binding("ctrl+o", "insert_reference", "Insert reference", id="json-insert-ref",
                tooltip="Insert the id of a placement, collection, rule or fallback offer picked by name"),
        Binding("escape", "cancel", "Cancel", id="json-cancel", priority=True),  # before the TextArea takes it
    ]
    DEFAULT_CSS = """
    JsonEditorScreen { align: center middle; }
    JsonEditorScreen > Vertical { width: 98%; height: 98%; border: thick $primary; background: $surface; padding: 0 1; }
    JsonEditorScreen TextArea { height: 1fr; }
    JsonEditorScreen #json-check { height: auto; max-height: 4; }
    JsonEditorScreen #json-check.-bad { color: $error; }
    JsonEditorScreen #json-keys { color: $text-muted; }
    """

    def __init__(self, word: str, title: str, doc: dict[str, Any],
                 choices: dict[str, list[tuple[str, str]]] | None = None) -> None:
        super().__init__()
        self.word = word
        self._title = title
        self.original = json.dumps(doc, indent=2, ensure_ascii=False)
        self.choices = choices or {}
        self._timer: Timer | None = None
        self.check_delay = CHECK_DELAY

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, markup=False)
            yield TextArea(self.original, id="json-text", soft_wrap=False, tab_behavior="indent")
            yield Static("", id="json-check", markup=False)
            yield Label("F9: review and send   ctrl+o: insert a reference by name   Esc: cancel", id="json-keys")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self.check()

    @on(TextArea.Changed)
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.check_delay, self.check)

    def check(self) -> tuple[Any, list[str]]:
        doc, errors, warnings = check_text(self.word, self.query_one(TextArea).text)
        box = self.query_one("#json-check", Static)
        if errors:
            box.update("✗ " + "\n✗ ".join(terminal_safe(e, limit=200, one_line=True) for e in errors[:3]))
        else:
            box.update("✓ valid JSON for a " + kind(self.word).title
                       + "".join(f"\n! {terminal_safe(w, limit=200, one_line=True)}" for w in warnings[:2]))
        box.set_class(bool(errors), "-bad")
        return doc, errors

    def action_save(self) -> None:
        doc, errors = self.check()
        if not errors:
            self.dismiss(doc)

    def action_insert_reference(self) -> None:
        if not self.choices:
            self.notify("Nothing to pick from for this kind.", title="Insert reference")
            return

        def insert(object_id: str | None) -> None:
            if object_id:
                area = self.query_one(TextArea)
                area.insert(json.dumps(object_id))
                area.focus()

        self.app.push_screen(ReferencePickerScreen(self.choices), insert)

    def action_cancel(self) -> None:
        if self.query_one(TextArea).text == self.original:
            self.dismiss(None)
            return
        from offer_tui.ui.screens.confirm import ConfirmScreen

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Drop your edits?", "Nothing has been sent.", "drop them", "keep editing"),
                             answered)
