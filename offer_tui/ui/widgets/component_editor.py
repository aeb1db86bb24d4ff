"""One component (a language variant) of a representation."""

from __future__ import annotations

import copy
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Select, TextArea

from offer_tui.ui.widgets.text_input import TextInput

from offer_tui.model import COMPONENT_PRESETS
from offer_tui.model.constants import FORMAT_FOR_TYPE
from offer_tui.model.shape import COMPONENT, put_in_order
from offer_tui.ui.steps.base import row

FIELDS = ("type", "format", "language", "content", "deliveryURL", "linkURL")
NEW_COMPONENT: dict[str, Any] = {"type": "html", "format": "text/html", "language": ["en-us"], "content": ""}
# The documented component types (offer-api.md), then "other" for any type string a file or user gives.
OTHER = "(other)"
TYPE_OPTIONS = [(name, name) for name in COMPONENT_PRESETS] + [("other: type it", OTHER)]


def languages_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def parse_languages(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def format_fits(ctype: str, fmt: str) -> bool:
    """Whether ``fmt`` is one the validation accepts for ``ctype`` (unknown types take any)."""
    wanted = FORMAT_FOR_TYPE.get(ctype)
    if wanted is None:
        return bool(fmt)
    return fmt.startswith(wanted) if wanted.endswith("/") else fmt == wanted


class ComponentEditor(Vertical):
    DEFAULT_CSS = """
    ComponentEditor { height: auto; border-left: thick $secondary; padding-left: 1; margin-bottom: 1; }
    ComponentEditor TextArea.comp-content { height: 6; width: 1fr; }
    """

    def __init__(self, component: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.original = copy.deepcopy(component) if isinstance(component, dict) else {}

    def compose(self) -> ComposeResult:
        comp = self.original
        ctype = comp.get("type")
        ctype = ctype if isinstance(ctype, str) else ("" if ctype is None else str(ctype))
        known = ctype in COMPONENT_PRESETS
        # A Select, not a text box: the type is one of a few documented names, always shown, with
        # visible focus; "other" opens a text box for the types the docs leave open.
        yield row("Type", Select(TYPE_OPTIONS, allow_blank=False, value=ctype if known else OTHER,
                                 classes="comp-type"))
        other = row("Type name", TextInput("" if known else ctype, placeholder="e.g. component-text",
                                       classes="comp-type-other"), classes="type-other-row")
        other.display = not known
        yield other
        fmt = comp.get("format")
        yield row("Format", TextInput("" if fmt is None else str(fmt), placeholder="media type, e.g. text/html",
                                  classes="comp-format"))
        yield row("Languages", TextInput(languages_text(comp.get("language")), placeholder="optional: en-us, fr-fr",
                                     classes="comp-language"))
        content = comp.get("content")
        yield row("Content", TextArea(content if isinstance(content, str) else "", soft_wrap=True,
                                      classes="comp-content"), classes="content-row")
        yield row("Image URL", TextInput(str(comp.get("deliveryURL", "") or ""), placeholder="https://.../image.png",
                                     classes="comp-deliveryURL"), classes="image-row")
        yield row("Link URL", TextInput(str(comp.get("linkURL", "") or ""), placeholder="optional click-through URL",
                                    classes="comp-linkURL"), classes="image-row")
        yield Button("Remove language variant", classes="remove-component", compact=True)

    def on_mount(self) -> None:
        self.sync_image_rows()

    def field(self, name: str) -> Widget:
        if name == "type" and self._type_select.value == OTHER:
            return self.query_one(".comp-type-other")
        return self.query_one(f".comp-{name}")

    @property
    def _type_select(self) -> Select:
        return self.query_one(".comp-type", Select)

    @property
    def component_type(self) -> str:
        if not self.is_mounted or not self.children:
            ctype = self.original.get("type")
            return ctype if isinstance(ctype, str) else ""
        value = self._type_select.value
        if value == OTHER:
            return self.query_one(".comp-type-other", Input).value.strip()
        return value if isinstance(value, str) else ""

    def sync_image_rows(self) -> None:
        is_image = self.component_type == "imagelink"
        for widget in self.query(".image-row"):
            widget.display = is_image
        self.query_one(".type-other-row").display = self._type_select.value == OTHER

    def preset(self, ctype: str, fmt: str) -> None:
        if ctype in COMPONENT_PRESETS:
            self._type_select.value = ctype
        else:
            self._type_select.value = OTHER
            self.query_one(".comp-type-other", Input).value = ctype
        self.query_one(".comp-format", Input).value = fmt
        self.sync_image_rows()

    def on_select_changed(self, event: Select.Changed) -> None:
        if not event.select.has_class("comp-type"):
            return
        self.sync_image_rows()
        ctype = event.value
        # The user picked a type: preset its format unless the one there already fits (image/jpeg
        # stays for an image link). Loading never gets here with focus, so a file keeps its format.
        if event.select.has_focus and isinstance(ctype, str) and ctype in COMPONENT_PRESETS:
            fmt_input = self.query_one(".comp-format", Input)
            if not format_fits(ctype, fmt_input.value.strip()):
                fmt_input.value = COMPONENT_PRESETS[ctype][1]

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.has_class("comp-type-other"):
            self.sync_image_rows()

    def to_dict(self) -> dict[str, Any]:
        if not self.is_mounted or not self.children:
            return copy.deepcopy(self.original)
        comp = copy.deepcopy(self.original)
        ctype = self.component_type
        put_in_order(comp, "type", ctype, COMPONENT)
        put_in_order(comp, "format", self.query_one(".comp-format", Input).value.strip(), COMPONENT)
        languages = parse_languages(self.query_one(".comp-language", Input).value)
        if languages:
            put_in_order(comp, "language", languages, COMPONENT)
        elif self.original.get("language") != []:
            comp.pop("language", None)  # optional in the schema: no languages, no key (not [])
        content = self.query_one(".comp-content", TextArea).text
        if ctype == "imagelink" and not content:
            comp.pop("content", None)
        else:
            put_in_order(comp, "content", content, COMPONENT)
        for key in ("deliveryURL", "linkURL"):
            value = self.query_one(f".comp-{key}", Input).value.strip()
            if value and (ctype == "imagelink" or key in self.original):
                put_in_order(comp, key, value, COMPONENT)
            else:
                comp.pop(key, None)
        return comp
