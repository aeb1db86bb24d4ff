"""Step 4: the legacy cappingConstraint and up to ten frequency caps."""

from __future__ import annotations

import copy
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from offer_tui.ui.widgets.text_input import TextInput

from offer_tui.model import MAX_FREQUENCY_CAPS
from offer_tui.ui.steps.base import WizardStep, error_summary, input_text, int_or_text, row
from offer_tui.ui.widgets.frequency_cap_editor import NEW_CAP, FrequencyCapEditor

MOBILE_WARNING = (
    "! Capping is not supported in the mobile Experience Edge workflows: "
    "it will not apply to this offer's mobile representation."
)


class FrequencyCapsChanged(Message):
    """A cap was added or removed: the wizard rebuilds the document."""


class CappingStep(WizardStep):
    STEP_ID = "capping"
    TITLE = "Capping"
    HELP = """\
## Capping

- **Legacy capping** (`cappingConstraint`): *global cap* is how often the offer may be shown in
  total, *profile cap* how often to one profile. Both optional, at least 1. Leave empty to send `{}`.
- **Frequency caps** (the current way, up to 10): *limit* shows per *scope* (in total or per
  profile), counted per *offer* (across placements) or per *placement*, within an optional window
  (From / Until: `2025-01-31`, `2025-01-31 09:00`, `2025-01-31 09:00:00.000`, RFC 3339, `now`,
  `today`, or a distance from the other one: Until `+10d` is ten days after From at the same time;
  `+2w`, `+1y`, `+1y2d`, `-3h` too). Arriving here focuses *+ Add frequency cap* (Enter adds one).
  *Reset the count* restarts counting every N days / weeks / months (it cannot change once the
  offer is approved; counting spans at most 2 years).
- Capping does not apply in the mobile Experience Edge workflows: a warning shows when the
  offer has a mobile representation.
"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._original_legacy: dict[str, Any] = {}
        self._had_caps_key = False
        self._loaded_caps: list[Any] = []  # the caps given to load() before the step was composed

    def compose(self) -> ComposeResult:
        yield Static("How often the offer may be shown.", classes="step-intro")
        warning = Static(MOBILE_WARNING, id="mobile-warning", markup=False)
        warning.display = False
        yield warning
        yield Static("Legacy capping (cappingConstraint)", classes="section-title")
        yield row("Global cap", TextInput(input_text(self._original_legacy.get("globalCap")),
                                      placeholder="optional, total shows", id="global-cap", type="integer"))
        yield row("Profile cap", TextInput(input_text(self._original_legacy.get("profileCap")),
                                       placeholder="optional, shows per profile", id="profile-cap", type="integer"))
        yield Static("Frequency caps (frequencyCappingConstraints)", classes="section-title")
        yield Vertical(*[FrequencyCapEditor(cap) for cap in self._loaded_caps], id="cap-list")
        yield Button("+ Add frequency cap", id="add-cap", compact=True)
        yield error_summary()

    def on_mount(self) -> None:
        self._renumber()

    def first_field(self) -> Widget | None:
        """No frequency cap yet: "+ Add frequency cap" (the legacy caps are rarely set, and are a
        Shift+Tab away); otherwise the first field."""
        if self.composed and not self.editors():
            add = self.query_one("#add-cap", Button)
            if not add.disabled:
                return add
        return super().first_field()

    def editors(self) -> list[FrequencyCapEditor]:
        return list(self.query_one("#cap-list").query_children(FrequencyCapEditor))

    async def reload(self, doc: dict[str, Any]) -> None:
        self.query_one("#global-cap", Input).value = input_text(self._original_legacy.get("globalCap"))
        self.query_one("#profile-cap", Input).value = input_text(self._original_legacy.get("profileCap"))
        container = self.query_one("#cap-list")
        await container.remove_children()
        editors = [FrequencyCapEditor(cap) for cap in self._loaded_caps]
        if editors:
            await container.mount_all(editors)
        self._renumber()

    def load(self, doc: dict[str, Any], offer_type: str) -> Any:
        legacy = doc.get("cappingConstraint")
        self._original_legacy = copy.deepcopy(legacy) if isinstance(legacy, dict) else {}
        caps = doc.get("frequencyCappingConstraints")
        self._had_caps_key = isinstance(caps, list)
        self._loaded_caps = copy.deepcopy(caps) if isinstance(caps, list) else []
        if not self.composed:
            return None  # compose starts from what was loaded
        return self.reload(doc)

    def _renumber(self) -> None:
        editors = self.editors()
        for number, editor in enumerate(editors, 1):
            editor.set_number(number, len(editors))
        self.query_one("#add-cap", Button).disabled = len(editors) >= MAX_FREQUENCY_CAPS

    def set_mobile_warning(self, show: bool) -> None:
        if self.composed:
            self.query_one("#mobile-warning").display = show

    def apply(self, doc: dict[str, Any]) -> None:
        legacy = copy.deepcopy(self._original_legacy)
        for key, field_id in (("globalCap", "#global-cap"), ("profileCap", "#profile-cap")):
            if self.composed:
                text = self.query_one(field_id, Input).value
            else:
                text = input_text(self._original_legacy.get(key))
            if text.strip():
                legacy[key] = int_or_text(text)
            else:
                legacy.pop(key, None)
        doc["cappingConstraint"] = legacy
        if self.composed:
            caps = [editor.to_dict() for editor in self.editors()]
        else:  # what unmounted editors give back (FrequencyCapEditor.to_dict)
            caps = [copy.deepcopy(cap) if isinstance(cap, dict) else {} for cap in self._loaded_caps]
        if caps or self._had_caps_key:
            doc["frequencyCappingConstraints"] = caps
        else:
            doc.pop("frequencyCappingConstraints", None)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add-cap":
            event.stop()
            if len(self.editors()) >= MAX_FREQUENCY_CAPS:
                self.notify(f"At most {MAX_FREQUENCY_CAPS} frequency caps.", severity="warning")
                return
            editor = FrequencyCapEditor(copy.deepcopy(NEW_CAP))
            await self.query_one("#cap-list").mount(editor)
            self._renumber()
            editor.query_one(".cap-enabled").focus()  # its first field, in reading order
            self.post_message(FrequencyCapsChanged())
        elif event.button.has_class("cap-remove"):
            event.stop()
            editor = next((a for a in event.button.ancestors if isinstance(a, FrequencyCapEditor)), None)
            if editor is not None:
                await editor.remove()
                self._renumber()
                self.query_one("#add-cap").focus()
                self.post_message(FrequencyCapsChanged())

    def widget_for(self, tokens: list[str | int]) -> Widget | None:
        if not tokens or not self.composed:
            return None
        if tokens[0] == "cappingConstraint":
            return self.query_one("#profile-cap" if len(tokens) > 1 and tokens[1] == "profileCap" else "#global-cap")
        if tokens[0] == "frequencyCappingConstraints":
            editors = self.editors()
            if len(tokens) > 1 and isinstance(tokens[1], int) and tokens[1] < len(editors):
                return editors[tokens[1]].widget_for(tokens[2:])
            return self.query_one("#add-cap")
        return None

