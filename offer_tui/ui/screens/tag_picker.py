"""`T` on the marked offers: pick a tag; it is added to those that lack it, or (when they all have
it) removed from all. Each tag says how many of the marked offers carry it. Dismisses
(tag id, tag name, "add" | "remove") or None."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from offer_tui.safe_text import terminal_safe


class TagPickerScreen(ModalScreen[tuple[str, str, str] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags-cancel")]
    DEFAULT_CSS = """
    TagPickerScreen { align: center middle; }
    TagPickerScreen > Vertical { width: 90%; max-width: 80; height: auto; max-height: 100%;
                                 border: thick $primary; background: $surface; padding: 0 1; }
    TagPickerScreen OptionList { height: auto; max-height: 14; }
    TagPickerScreen #tags-keys { color: $text-muted; dock: bottom; }
    """

    def __init__(self, tags: list[dict[str, Any]], offers: list[dict[str, Any]]) -> None:
        super().__init__()
        self.tags = [t for t in tags if isinstance(t.get("id"), str)]
        self.offers = offers

    def having(self, tag_id: str) -> int:
        return sum(1 for o in self.offers if tag_id in (o.get("tags") or []))

    def compose(self) -> ComposeResult:
        n = len(self.offers)
        with Vertical():
            yield Static(f"Tag {n} offer{'s' if n != 1 else ''}: pick a tag", markup=False)
            options = []
            for tag in self.tags:
                have = self.having(tag["id"])
                verb = "remove from all" if have == n else "add"
                options.append(Option(f"{terminal_safe(tag.get('name') or tag['id'], limit=50, one_line=True)}"
                                      f"  ({have} of {n} have it: Enter to {verb})", id=tag["id"]))
            yield OptionList(*options, id="tags-list")
            yield Label("Enter: add it (or remove it, when all have it)   Esc: cancel", id="tags-keys")

    @on(OptionList.OptionSelected, "#tags-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        tag_id = str(event.option.id)
        tag = next(t for t in self.tags if t["id"] == tag_id)
        mode = "remove" if self.having(tag_id) == len(self.offers) else "add"
        self.dismiss((tag_id, terminal_safe(tag.get("name") or tag_id, limit=80, one_line=True), mode))

    def action_cancel(self) -> None:
        self.dismiss(None)
