"""The offer was created: status, receipt, raw body, elapsed; copy the id or create another."""

from __future__ import annotations

import json
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from offer_tui.ui.widgets.json_preview import JsonPreview
from offer_tui.ui.widgets.app_header import AppHeader
from offer_tui.ui.widgets.key_footer import KeyFooter

RECEIPT_FIELDS = (("id", "id"), ("etag", "etag"), ("created", "createdDate"), ("sandbox", "sandboxId"))


def pretty_body(raw: str) -> str:
    try:
        return json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return raw or ""


class SuccessScreen(Screen[str]):
    """Dismisses with "another" (create another from a copy), "library" (back to the library) or nothing.

    ``mode="edit"``: the offer was updated; the title names the new etag (``etag``)."""

    BINDINGS = [
        Binding("ctrl+y", "copy_id", "Copy id", id="copy-id"),
        Binding("ctrl+n", "create_another", "Create another", id="create-another"),
        Binding("ctrl+l", "library", "Library", id="success-library", tooltip="Back to the offer library"),
        Binding("escape", "back", "Back", id="success-back", show=False, tooltip="Back to the wizard"),
    ]
    DEFAULT_CSS = """
    SuccessScreen #success-body { padding: 0 1; }
    SuccessScreen #success-title { color: $success; text-style: bold; }
    SuccessScreen #success-receipt { height: auto; margin: 1 0; }
    SuccessScreen #success-actions { height: 1; margin-bottom: 1; }
    SuccessScreen #success-actions Button { margin-right: 2; }
    SuccessScreen #success-raw { height: auto; max-height: 14; border: round $primary 50%; }
    """

    def __init__(self, result: Any, offer_type: str, name: str, *, mode: str = "create", etag: Any = None,
                 offer_id: str = "") -> None:
        super().__init__(id="success")
        self.result = result
        self.offer_type = offer_type
        self.offer_name = name
        self.mode = mode
        self.etag = etag
        self._offer_id = offer_id

    @property
    def offer_id(self) -> str:
        receipt = getattr(self.result, "receipt", {}) or {}
        return str(receipt.get("id") or self._offer_id)

    def compose(self) -> ComposeResult:
        receipt = getattr(self.result, "receipt", {}) or {}
        lines = [f"{'HTTP status':<12} {getattr(self.result, 'status', '?')}"]
        for label, key in RECEIPT_FIELDS:
            lines.append(f"{label:<12} {receipt.get(key, '(not in the receipt)')}")
        lines.append(f"{'elapsed':<12} {getattr(self.result, 'elapsed', 0.0):.2f} s")
        yield AppHeader()
        with VerticalScroll(id="success-body"):
            title = (f"✓ Updated the {self.offer_type} offer “{self.offer_name}”: now etag {self.etag}."
                     if self.mode == "edit" else f"✓ Created the {self.offer_type} offer “{self.offer_name}”.")
            yield Static(title, id="success-title", markup=False)
            yield Static("\n".join(lines), id="success-receipt", markup=False)
            with Horizontal(id="success-actions"):
                yield Button("Copy id (ctrl+y)", id="copy-id", variant="primary", compact=True)
                if self.mode == "edit":
                    yield Button("Back to the library (ctrl+l)", id="success-library", compact=True)
                else:
                    yield Button("Create another (ctrl+n)", id="create-another", compact=True)
                yield Button("Quit (ctrl+q)", id="quit", compact=True)
            yield Static("Raw response body:", markup=False)
            yield JsonPreview(pretty_body(getattr(self.result, "raw", "")), id="success-raw")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#copy-id").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "copy-id":
            self.action_copy_id()
        elif event.button.id == "create-another":
            self.action_create_another()
        elif event.button.id == "success-library":
            self.action_library()
        elif event.button.id == "quit":
            self.app.exit(0)

    def action_copy_id(self) -> None:
        self.app.copy_to_clipboard(self.offer_id)
        self.notify(f"Copied {self.offer_id}", title="Copy id")

    def action_create_another(self) -> None:
        self.dismiss("another")

    def action_library(self) -> None:
        self.dismiss("library")

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "create_another":
            return self.mode != "edit"
        if action in ("library", "back"):  # after a create, Esc back to the sent form invites a duplicate
            return self.mode == "edit"
        return True
