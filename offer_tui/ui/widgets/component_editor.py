"""One component (a language variant) of a representation."""

from __future__ import annotations

import copy
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label, TextArea

from offer_tui.ui.steps.base import row

FIELDS = ("type", "format", "language", "content", "deliveryURL", "linkURL")
NEW_COMPONENT: dict[str, Any] = {"type": "html", "format": "text/html", "language": ["en-us"], "content": ""}


def languages_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def parse_languages(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class ComponentEditor(Vertical):
    DEFAULT_CSS = """
    ComponentEditor { height: auto; border-left: thick $secondary; padding-left: 1; margin-bottom: 1; }
    ComponentEditor TextArea.comp-content { height: 6; width: 1fr; }
    ComponentEditor .comp-small { width: 1fr; }
    ComponentEditor .comp-kind { height: 1; margin-bottom: 1; }
    """

    def __init__(self, component: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.original = copy.deepcopy(component) if isinstance(component, dict) else {}

    def compose(self) -> ComposeResult:
        comp = self.original
        # Compact (borderless) inputs: preset from the placement, rarely edited, and a bordered pair
        # left only three visible characters each ("htm", "tex") beside the preview.
        with Horizontal(classes="row comp-kind"):
            yield Label("Type", classes="field-label")
            yield Input(str(comp.get("type", "")), placeholder="html", classes="comp-type comp-small", compact=True)
            yield Label(" Format ", classes="inline-label")
            yield Input(str(comp.get("format", "")), placeholder="text/html", classes="comp-format comp-small",
                        compact=True)
        yield row("Languages", Input(languages_text(comp.get("language")), placeholder="en-us, fr-fr",
                                     classes="comp-language"))
        content = comp.get("content")
        yield row("Content", TextArea(content if isinstance(content, str) else "", soft_wrap=True,
                                      classes="comp-content"), classes="content-row")
        yield row("Image URL", Input(str(comp.get("deliveryURL", "") or ""), placeholder="https://.../image.png",
                                     classes="comp-deliveryURL"), classes="image-row")
        yield row("Link URL", Input(str(comp.get("linkURL", "") or ""), placeholder="optional click-through URL",
                                    classes="comp-linkURL"), classes="image-row")
        yield Button("Remove language variant", classes="remove-component", compact=True)

    def on_mount(self) -> None:
        self.sync_image_rows()

    def field(self, name: str) -> Widget:
        return self.query_one(f".comp-{name}")

    @property
    def component_type(self) -> str:
        return self.query_one(".comp-type", Input).value.strip()

    def sync_image_rows(self) -> None:
        is_image = self.component_type == "imagelink"
        for widget in self.query(".image-row"):
            widget.display = is_image

    def preset(self, ctype: str, fmt: str) -> None:
        self.query_one(".comp-type", Input).value = ctype
        self.query_one(".comp-format", Input).value = fmt
        self.sync_image_rows()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.has_class("comp-type"):
            self.sync_image_rows()

    def to_dict(self) -> dict[str, Any]:
        if not self.is_mounted or not self.children:
            return copy.deepcopy(self.original)
        comp = copy.deepcopy(self.original)
        ctype = self.query_one(".comp-type", Input).value.strip()
        comp["type"] = ctype
        comp["format"] = self.query_one(".comp-format", Input).value.strip()
        comp["language"] = parse_languages(self.query_one(".comp-language", Input).value)
        content = self.query_one(".comp-content", TextArea).text
        if ctype == "imagelink" and not content:
            comp.pop("content", None)
        else:
            comp["content"] = content
        for key in ("deliveryURL", "linkURL"):
            value = self.query_one(f".comp-{key}", Input).value.strip()
            if value and ctype == "imagelink":
                comp[key] = value
            elif value and key in self.original:
                comp[key] = value
            else:
                comp.pop(key, None)
        return comp
