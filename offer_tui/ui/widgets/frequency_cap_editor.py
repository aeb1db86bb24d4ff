"""One frequency-capping rule: enabled, limit, scope, entity, window and repeat."""

from __future__ import annotations

import copy
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from offer_tui.ui.widgets.text_input import TextInput

from offer_tui.model.shape import FREQUENCY_CAP, REPEAT, put_in_order
from offer_tui.ui.steps.base import input_text, int_or_text, row
from offer_tui.ui.widgets.date_field import DateField
from offer_tui.ui.widgets.tick_box import TickBox

SCOPE_OPTIONS = [("in total (global)", "global"), ("per profile", "profile")]
ENTITY_OPTIONS = [("across all placements (offer)", "offer"), ("each placement (placement)", "placement")]
UNIT_OPTIONS = [("day", "day"), ("week", "week"), ("month", "month")]

NEW_CAP: dict[str, Any] = {
    "enabled": True,
    "limit": 1,
    "scope": "global",
    "entity": "offer",
    "repeat": {"enabled": False, "unit": "month", "unitCount": 1},
}


def _options(options: list[tuple[str, str]], value: Any) -> list[tuple[str, str]]:
    if isinstance(value, str) and value and value not in {v for _, v in options}:
        return options + [(value, value)]
    return options


class FrequencyCapEditor(Vertical):
    DEFAULT_CSS = """
    FrequencyCapEditor { height: auto; border: round $secondary; padding: 0 1; margin-bottom: 1; }
    FrequencyCapEditor .cap-header { height: 1; }
    FrequencyCapEditor .cap-title { width: 1fr; text-style: bold; }
    FrequencyCapEditor Checkbox { width: auto; }
    FrequencyCapEditor .cap-unit-count { width: 12; }
    """

    def __init__(self, cap: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.original = copy.deepcopy(cap) if isinstance(cap, dict) else {}

    def compose(self) -> ComposeResult:
        cap = self.original
        repeat = cap.get("repeat") if isinstance(cap.get("repeat"), dict) else {}
        with Horizontal(classes="cap-header"):
            yield Static("Frequency cap", classes="cap-title")
            yield Button("Remove", classes="cap-remove", compact=True, variant="error")
        yield TickBox("Enabled", bool(cap.get("enabled", False)), classes="cap-enabled", compact=True)
        yield row("Limit", TextInput(input_text(cap.get("limit", 1)), placeholder="1 or more", classes="cap-limit",
                                 type="integer"))
        # The documented order (enabled, limit, startDate, endDate, scope, entity): the window right
        # after the limit, so a new cap's dates are two Tabs from its first field.
        yield row("From", DateField(input_text(cap.get("startDate")), input_classes="cap-start", classes="cap-start-field"))
        yield row("Until", DateField(input_text(cap.get("endDate")), input_classes="cap-end",
                                     classes="cap-end-field", end=True))
        scope = cap.get("scope", "global")
        yield row("Scope", Select(_options(SCOPE_OPTIONS, scope), allow_blank=False,
                                  value=scope if isinstance(scope, str) else "global", classes="cap-scope"))
        entity = cap.get("entity", "offer")
        yield row("Counts", Select(_options(ENTITY_OPTIONS, entity), allow_blank=False,
                                   value=entity if isinstance(entity, str) else "offer", classes="cap-entity"))
        yield TickBox("Reset the count periodically", bool(repeat.get("enabled", False)),
                       classes="cap-repeat-enabled", compact=True)
        unit = repeat.get("unit", "month")
        with Horizontal(classes="row"):
            yield Label("Every", classes="field-label")
            yield TextInput(input_text(repeat.get("unitCount", 1)), classes="cap-unit-count", type="integer")
            yield Select(_options(UNIT_OPTIONS, unit), allow_blank=False,
                         value=unit if isinstance(unit, str) else "month", classes="cap-unit")

    def on_mount(self) -> None:
        start = self.query_one(".cap-start-field", DateField)
        end = self.query_one(".cap-end-field", DateField)
        start.partner, end.partner = end, start  # Until "+10d": ten days after From

    def set_number(self, number: int, total: int) -> None:
        self.query_one(".cap-title", Static).update(f"Frequency cap {number} of {total}")

    def _select(self, cls: str) -> str:
        value = self.query_one(f".{cls}", Select).value
        return value if isinstance(value, str) else ""

    def to_dict(self) -> dict[str, Any]:
        if not self.is_mounted or not self.children:
            return copy.deepcopy(self.original)
        # The loaded cap's key order is kept; a key it lacks goes where the documentation puts it
        # (enabled, limit, startDate, endDate, scope, entity, repeat), so new caps read as documented.
        cap = copy.deepcopy(self.original)
        put_in_order(cap, "enabled", self.query_one(".cap-enabled", Checkbox).value, FREQUENCY_CAP)
        put_in_order(cap, "limit", int_or_text(self.query_one(".cap-limit", Input).value), FREQUENCY_CAP)
        for key, field in (("startDate", ".cap-start"), ("endDate", ".cap-end")):
            value = self.query_one(f"{field}-field", DateField).value_for_doc()
            if value is None:
                cap.pop(key, None)
            else:
                put_in_order(cap, key, value, FREQUENCY_CAP)
        put_in_order(cap, "scope", self._select("cap-scope"), FREQUENCY_CAP)
        put_in_order(cap, "entity", self._select("cap-entity"), FREQUENCY_CAP)
        repeat = copy.deepcopy(cap.get("repeat")) if isinstance(cap.get("repeat"), dict) else {}
        put_in_order(repeat, "enabled", self.query_one(".cap-repeat-enabled", Checkbox).value, REPEAT)
        put_in_order(repeat, "unit", self._select("cap-unit"), REPEAT)
        put_in_order(repeat, "unitCount", int_or_text(self.query_one(".cap-unit-count", Input).value), REPEAT)
        put_in_order(cap, "repeat", repeat, FREQUENCY_CAP)
        return cap

    def widget_for(self, tokens: list[str | int]) -> Widget | None:
        field = tokens[0] if tokens else "enabled"
        if field == "repeat":
            sub = tokens[1] if len(tokens) > 1 else "enabled"
            return self.query_one({"unit": ".cap-unit", "unitCount": ".cap-unit-count"}.get(str(sub),
                                                                                         ".cap-repeat-enabled"))
        mapping = {
            "enabled": ".cap-enabled", "limit": ".cap-limit", "scope": ".cap-scope", "entity": ".cap-entity",
            "startDate": ".cap-start", "endDate": ".cap-end",
        }
        return self.query_one(mapping.get(str(field), ".cap-enabled"))
