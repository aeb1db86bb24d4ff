"""Step 2: representations (channel, placement, components), added, removed and reordered."""

from __future__ import annotations

import copy
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, Static

from offer_tui.ui.steps.base import WizardStep, error_summary
from offer_tui.ui.widgets.representation_editor import RepresentationEditor, new_representation


class RepresentationsStep(WizardStep):
    STEP_ID = "representations"
    TITLE = "Representations"
    HELP = """\
## Representations

One representation per placement: where the offer shows, and what it shows there.

- **Channel**: web, email, mobile, ... The placements of that channel come first in the list.
- **Placement**: fetched from the API: this channel's first, every other one under
  "other channels" (Review warns about a placement on another channel). Each shows its channel,
  component type and id. In the open list, type part of a name or an id to jump to it; Enter picks.
  If the list cannot be fetched, type the placement id (F5 retries the fetch).
  Picking a placement presets the components' type and format, and moves on to the content.
- **Language variants** (components): the **type** (html, imagelink, text, json, or *other* to type
  any name) presets the **format** (a media type such as `text/html`); languages as an optional
  comma list (`en-us, fr-fr`; empty sends no `language` key) and the content.
  Image links take an image URL and an optional link URL instead of content.
- **ctrl+e** in a content box opens it in `$EDITOR` for long HTML.
- *Up* / *Down* reorder representations; *Remove* deletes one.
"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._catalog: tuple[list[dict[str, Any]] | None, str | None] = (None, None)
        self._loaded: list[Any] = []  # the representations given to load() before the step was composed

    def compose(self) -> ComposeResult:
        yield Static("Where the offer shows, and what it shows there.", classes="step-intro")
        yield Vertical(*[RepresentationEditor(rep) for rep in self._loaded], id="representation-list")
        yield Button("+ Add representation", id="add-representation", compact=True)
        yield error_summary()

    def first_field(self) -> Widget | None:
        """A representation without a placement yet: its placement (the channel only orders the
        list and is a Shift+Tab away); otherwise the first field."""
        editors = self.editors() if self.composed else []
        if editors and not editors[0].picker.value:
            target = editors[0].picker.focus_target()
            if target.focusable:
                return target
        return super().first_field()

    def editors(self) -> list[RepresentationEditor]:
        return list(self.query_one("#representation-list").query_children(RepresentationEditor))

    async def reload(self, doc: dict[str, Any]) -> None:
        container = self.query_one("#representation-list")
        await container.remove_children()
        reps = doc.get("representations")
        editors = [RepresentationEditor(rep) for rep in (reps if isinstance(reps, list) else [])]
        if editors:
            await container.mount_all(editors)
        self._after_change("loaded")

    def on_mount(self) -> None:
        self._after_change("loaded")

    def load(self, doc: dict[str, Any], offer_type: str) -> Any:
        reps = doc.get("representations")
        self._loaded = copy.deepcopy(reps) if isinstance(reps, list) else []
        if not self.composed:
            return None  # compose builds the editors from _loaded
        return self.reload(doc)  # awaited by the wizard, so the document is complete before anyone reads it

    def apply(self, doc: dict[str, Any]) -> None:
        if not self.composed:
            # What the editors would give back untouched (RepresentationEditor.to_dict of an unmounted one).
            doc["representations"] = [copy.deepcopy(rep) if isinstance(rep, dict) else {} for rep in self._loaded]
            return
        doc["representations"] = [editor.to_dict() for editor in self.editors()]

    def set_catalog(self, placements: list[dict[str, Any]] | None, error: str | None) -> None:
        self._catalog = (placements, error)
        if not self.composed:
            return  # on_mount hands the catalog to the editors
        for editor in self.editors():
            editor.picker.set_catalog(placements, error)

    def _after_change(self, action: str = "changed") -> None:
        editors = self.editors()
        for number, editor in enumerate(editors, 1):
            editor.set_number(number, len(editors))
            placements, error = self._catalog
            if placements is not None or error is not None:
                editor.picker.set_catalog(placements, error)
        self.post_message(RepresentationEditor.Action(editors[0] if editors else None, action))  # type: ignore[arg-type]

    async def add_representation(self) -> RepresentationEditor:
        channel = "web"
        editors = self.editors()
        if editors:
            channel = editors[-1].channel.rsplit("/", 1)[-1] or "web"
        editor = RepresentationEditor(new_representation(channel))
        await self.query_one("#representation-list").mount(editor)
        placements, error = self._catalog
        editor.picker.set_catalog(placements, error)
        self._after_change()
        editor.query_one(".rep-channel").focus()
        editor.scroll_visible()
        return editor

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add-representation":
            event.stop()
            await self.add_representation()

    async def on_representation_editor_action(self, event: RepresentationEditor.Action) -> None:
        editor = event.editor
        container = self.query_one("#representation-list")
        editors = self.editors()
        if event.action in ("changed", "loaded") or editor is None or editor not in editors:
            return
        index = editors.index(editor)
        if event.action == "rep-up" and index > 0:
            container.move_child(editor, before=editors[index - 1])
        elif event.action == "rep-down" and index < len(editors) - 1:
            container.move_child(editor, after=editors[index + 1])
        elif event.action == "rep-remove":
            await editor.remove()
            remaining = self.editors()
            if remaining:
                remaining[min(index, len(remaining) - 1)].query_one(".rep-remove").focus()
            else:
                self.query_one("#add-representation").focus()
        self._after_change()

    def widget_for(self, tokens: list[str | int]) -> Widget | None:
        if not tokens or tokens[0] != "representations" or not self.composed:
            return None
        editors = self.editors()
        if len(tokens) > 1 and isinstance(tokens[1], int) and tokens[1] < len(editors):
            return editors[tokens[1]].widget_for(tokens[2:])
        return self.query_one("#add-representation")
