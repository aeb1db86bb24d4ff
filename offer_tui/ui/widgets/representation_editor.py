"""One representation: channel, placement, and its components (language variants)."""

from __future__ import annotations

import copy
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Select, Static

from offer_tui.model import CHANNEL_PREFIX, CHANNELS, COMPONENT_PRESETS
from offer_tui.ui.steps.base import row
from offer_tui.ui.widgets.component_editor import NEW_COMPONENT, ComponentEditor
from offer_tui.ui.widgets.placement_picker import PlacementPicker

CHANNEL_OPTIONS = [(short, CHANNEL_PREFIX + short) for short in CHANNELS]


def new_representation(channel: str = "web") -> dict[str, Any]:
    return {"channel": CHANNEL_PREFIX + channel, "placement": "", "components": [copy.deepcopy(NEW_COMPONENT)]}


class RepresentationEditor(Vertical):
    DEFAULT_CSS = """
    RepresentationEditor { height: auto; border: round $primary; padding: 0 1; margin-bottom: 1; }
    RepresentationEditor .rep-header { height: 1; }
    RepresentationEditor .rep-title { width: 1fr; text-style: bold; }
    RepresentationEditor .rep-header Button { margin-left: 1; }
    """

    class Action(Message):
        """Move/remove requests, handled by the step that owns the list."""

        def __init__(self, editor: "RepresentationEditor", action: str) -> None:
            super().__init__()
            self.editor = editor
            self.action = action

    def __init__(self, rep: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.original = copy.deepcopy(rep) if isinstance(rep, dict) else {}

    def compose(self) -> ComposeResult:
        rep = self.original
        channel = rep.get("channel") if isinstance(rep.get("channel"), str) else CHANNEL_PREFIX + "web"
        options = list(CHANNEL_OPTIONS)
        if channel not in {value for _, value in options}:
            options.append((channel, channel))
        with Horizontal(classes="rep-header"):
            yield Static("Representation", classes="rep-title")
            yield Button("Up", classes="rep-up", compact=True)
            yield Button("Down", classes="rep-down", compact=True)
            yield Button("Remove", classes="rep-remove", compact=True, variant="error")
        yield row("Channel", Select(options, allow_blank=False, value=channel, classes="rep-channel"))
        placement = rep.get("placement")
        yield row("Placement", PlacementPicker(placement if isinstance(placement, str) else "", channel=channel))
        with Vertical(classes="components"):
            components = rep.get("components")
            for comp in components if isinstance(components, list) else []:
                yield ComponentEditor(comp)
        yield Button("+ Add language variant", classes="add-component", compact=True)

    def set_number(self, number: int, total: int) -> None:
        self.query_one(".rep-title", Static).update(f"Representation {number} of {total}")

    @property
    def picker(self) -> PlacementPicker:
        return self.query_one(PlacementPicker)

    @property
    def channel(self) -> str:
        value = self.query_one(".rep-channel", Select).value
        return value if isinstance(value, str) else ""

    def components(self) -> list[ComponentEditor]:
        return list(self.query_one(".components").query_children(ComponentEditor))

    def to_dict(self) -> dict[str, Any]:
        if not self.is_mounted or not self.children:
            return copy.deepcopy(self.original)
        rep = copy.deepcopy(self.original)
        rep["channel"] = self.channel
        rep["placement"] = self.picker.value
        rep["components"] = [editor.to_dict() for editor in self.components()]
        return rep

    def widget_for(self, tokens: list[str | int]) -> Widget | None:
        if not tokens:
            return self.query_one(".rep-channel")
        head = tokens[0]
        if head == "channel":
            return self.query_one(".rep-channel")
        if head == "placement":
            return self.picker.focus_target()
        if head == "components":
            editors = self.components()
            if len(tokens) > 1 and isinstance(tokens[1], int) and tokens[1] < len(editors):
                editor = editors[tokens[1]]
                name = tokens[2] if len(tokens) > 2 else "content"
                if name in ("type", "format", "language", "content", "deliveryURL", "linkURL"):
                    return editor.field(str(name))
                return editor.field("content")
            return self.query_one(".add-component")
        return None

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if button.has_class("add-component"):
            event.stop()
            preset = self._preset()
            comp = copy.deepcopy(NEW_COMPONENT)
            if preset:
                comp["type"], comp["format"] = preset
            if self.components():
                del comp["language"]  # the next variant's language is the user's to type
            editor = ComponentEditor(comp)
            await self.query_one(".components").mount(editor)
            editor.query_one(".comp-language").focus()
            self.post_message(self.Action(self, "changed"))
        elif button.has_class("remove-component"):
            event.stop()
            editor = next((a for a in button.ancestors if isinstance(a, ComponentEditor)), None)
            if editor is not None:
                await editor.remove()
                self.post_message(self.Action(self, "changed"))
        else:
            for name in ("rep-up", "rep-down", "rep-remove"):
                if button.has_class(name):
                    event.stop()
                    self.post_message(self.Action(self, name))

    def _preset(self) -> tuple[str, str] | None:
        info = self.picker.info(self.picker.value)
        if info:
            return COMPONENT_PRESETS.get(str(info.get("componentType")))
        return None

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.has_class("rep-channel") and isinstance(event.value, str):
            self.picker.set_channel(event.value)
        elif event.select.has_class("placement-select") and isinstance(event.value, str):
            if event.value == self.picker.loaded_value:
                return  # the echo of loading a document: keep its component types as they are
            self.picker.loaded_value = None
            preset = self._preset()
            if preset:
                for editor in self.components():
                    if editor.component_type != preset[0]:
                        editor.preset(*preset)
            if event.select.has_focus or event.select.has_focus_within:
                # Picked by the user: type and format come with the placement, so on to the content.
                self.call_after_refresh(self._focus_content)

    def _focus_content(self) -> None:
        components = self.components()
        if not components:
            return
        editor = components[0]
        for name in ("content", "deliveryURL"):
            target = editor.field(name)
            if target.focusable and all(node.display for node in target.ancestors_with_self if node is not self.screen):
                target.focus()
                return
