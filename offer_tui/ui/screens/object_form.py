"""A small form for a tag, a placement or a collection: new, edit or clone.

A collection selects by tags (any or all) or is a fixed list of offers; either way the ids are
picked from the sandbox's tags or offers, never typed. The name is checked as you type; F9
dismisses the body (what the flow shows, then sends), Esc cancels.
"""

from __future__ import annotations

import copy
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, SelectionList, Static

from offer_tui.model.kinds import kind
from offer_tui.safe_text import terminal_safe

FORM_KINDS = ("tags", "placements", "collections")
CHANNEL_PREFIX = "https://ns.adobe.com/xdm/channel-types/"
CHANNELS = ("web", "email", "mobile")
COMPONENTS = ("html", "json", "text", "imagelink")
FILTERS = (("any of these tags", "any-tags"), ("all of these tags", "all-tags"), ("a fixed list of offers", "offers"))


def _s(value: Any, limit: int = 80) -> str:
    return terminal_safe(value if value is not None else "", limit=limit, one_line=True)


class ObjectFormScreen(ModalScreen[dict[str, Any] | None]):
    BINDINGS = [
        Binding("f9", "save", "Review and send", id="form-save"),
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
    ]
    DEFAULT_CSS = """
    ObjectFormScreen { align: center middle; }
    ObjectFormScreen > Vertical { width: 95%; max-width: 90; height: auto; max-height: 100%;
                                  border: thick $primary; background: $surface; padding: 0 1; }
    ObjectFormScreen VerticalScroll { height: auto; max-height: 30; }
    ObjectFormScreen Input, ObjectFormScreen Select { margin-bottom: 0; }
    ObjectFormScreen SelectionList { height: auto; max-height: 10; }
    ObjectFormScreen #form-error { color: $error; height: auto; }
    ObjectFormScreen #form-keys { color: $text-muted; dock: bottom; }
    """

    def __init__(self, word: str, mode: str, before: dict[str, Any] | None = None, *,
                 tags: list[dict[str, Any]] | None = None, offers: list[dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.word = word
        self.mode = mode  # new, edit, clone
        self.before = copy.deepcopy(before) if before else {}
        self.tags = tags or []
        self.offers = offers or []

    def compose(self) -> ComposeResult:
        k = kind(self.word)
        doc = self.before
        title = {"new": f"New {k.title}", "edit": f"Edit the {k.title} “{_s(doc.get('name'))}”",
                 "clone": f"Clone the {k.title} “{_s(doc.get('name'))}”"}[self.mode]
        name = str(doc.get("name") or "")
        if self.mode == "clone":
            name = f"{name} (copy)"
        with Vertical():
            yield Static(title, markup=False)
            with VerticalScroll():
                yield Label("Name")
                yield Input(name, id="form-name")
                yield Label("Description")
                yield Input(str(doc.get("description") or ""), id="form-description")
                if self.word == "placements":
                    channel = str(doc.get("channel") or "").removeprefix(CHANNEL_PREFIX) or "web"
                    yield Label("Channel")
                    yield Select([(c, c) for c in CHANNELS], value=channel if channel in CHANNELS else "web",
                                 allow_blank=False, id="form-channel")
                    component = str(doc.get("componentType") or "html")
                    yield Label("Component type")
                    yield Select([(c, c) for c in COMPONENTS], value=component if component in COMPONENTS else "html",
                                 allow_blank=False, id="form-component")
                if self.word == "collections":
                    filter_type = str(doc.get("filterType") or "any-tags")
                    yield Label("Selects offers with")
                    yield Select(list(FILTERS), value=filter_type if filter_type in dict(map(reversed, FILTERS)) else "any-tags",
                                 allow_blank=False, id="form-filter")
                    yield Label("Pick (space)", id="form-ids-label")
                    yield SelectionList(id="form-ids")
            yield Static("", id="form-error", markup=False)
            yield Label("F9: review and send   Esc: cancel", id="form-keys")

    def on_mount(self) -> None:
        if self.word == "collections":
            self._fill_ids(str(self.query_one("#form-filter", Select).value),
                           [i for i in self.before.get("ids") or [] if isinstance(i, str)])
        name = self.query_one("#form-name", Input)
        name.focus()
        self.call_after_refresh(name.select_all)  # typing replaces it, for a clone too

    def _fill_ids(self, filter_type: str, chosen: list[str]) -> None:
        items = self.offers if filter_type == "offers" else self.tags
        ids = self.query_one("#form-ids", SelectionList)
        ids.clear_options()
        ids.add_options([(_s(item.get("name") or item.get("id"), 60), str(item.get("id")), str(item.get("id")) in chosen)
                         for item in items if item.get("id")])
        what = "offers" if filter_type == "offers" else "tags"
        self.query_one("#form-ids-label", Label).update(f"Pick the {what} (space marks)")

    @on(Select.Changed, "#form-filter")
    def _filter_changed(self, event: Select.Changed) -> None:
        was = str(self.before.get("filterType") or "any-tags")
        kept = [i for i in self.before.get("ids") or []] if (event.value == "offers") == (was == "offers") else []
        self._fill_ids(str(event.value), kept)

    @on(Input.Changed, "#form-name")
    def _name_changed(self, event: Input.Changed) -> None:
        self.query_one("#form-error", Static).update("" if event.value.strip() else "A name is needed.")

    def body(self) -> tuple[dict[str, Any] | None, str]:
        """The body to send (unknown fields of the original kept), or None and why not."""
        doc = copy.deepcopy(self.before) if self.mode != "new" else {}
        name = self.query_one("#form-name", Input).value.strip()
        if not name:
            return None, "A name is needed."
        doc["name"] = name
        description = self.query_one("#form-description", Input).value.strip()
        if description or "description" in doc:
            doc["description"] = description
        if self.word == "placements":
            doc["channel"] = CHANNEL_PREFIX + str(self.query_one("#form-channel", Select).value)
            doc["componentType"] = str(self.query_one("#form-component", Select).value)
        if self.word == "collections":
            doc["filterType"] = str(self.query_one("#form-filter", Select).value)
            doc["ids"] = list(self.query_one("#form-ids", SelectionList).selected)
            if not doc["ids"]:
                return None, "Pick at least one " + ("offer." if doc["filterType"] == "offers" else "tag.")
        return doc, ""

    def action_save(self) -> None:
        doc, problem = self.body()
        if doc is None:
            self.query_one("#form-error", Static).update(problem)
            return
        self.dismiss(doc)

    def action_cancel(self) -> None:
        self.dismiss(None)
