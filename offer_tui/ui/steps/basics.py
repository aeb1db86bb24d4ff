"""Step 1: name, description, status and offer type."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Static

from offer_tui.ui.widgets.text_input import TextInput

from offer_tui.ui.steps.base import WizardStep, error_summary, row
from offer_tui.ui.widgets.choice import Choice

STATUS_OPTIONS = [("draft", "draft"), ("approved", "approved")]
TYPE_OPTIONS = [("personalized", "personalized"), ("fallback", "fallback")]


class BasicsStep(WizardStep):
    STEP_ID = "basics"
    TITLE = "Basics"
    HELP = """\
## Basics

- **Name** is required. It is not enforced as unique, but people search offers by name (F9 warns
  when an offer already has it). A name loaded from a file, a clone or a draft starts selected:
  typing replaces it; ← or End keeps it to edit.
- **Description** is optional.
- **Status**: *draft* while you work on it, *approved* when it may be delivered.
- **Offer type**: a *personalized* offer has eligibility, dates, priority and capping;
  a *fallback* offer is shown when no personalized offer qualifies: it may have dates and a
  priority, but no eligibility and no capping (it skips the Capping step).
"""

    def compose(self) -> ComposeResult:
        yield Static("Name and kind of the offer. A fallback offer shows when nothing else qualifies: "
                     "no eligibility, no capping.", classes="step-intro")
        yield row("Name", TextInput(placeholder="e.g. Summer sale 20% off", id="name"))
        yield row("Description", TextInput(placeholder="optional", id="description"))
        yield row("Status", Choice(STATUS_OPTIONS, value="draft", id="status"))
        yield row("Offer type", Choice(TYPE_OPTIONS, value="personalized", id="offer-type"))
        yield error_summary()

    def load(self, doc: dict[str, Any], offer_type: str) -> None:
        name = doc.get("name")
        self.query_one("#name", Input).value = name if isinstance(name, str) else ""
        description = doc.get("description")
        self.query_one("#description", Input).value = description if isinstance(description, str) else ""
        status_select = self.query_one("#status", Choice)
        status = doc.get("status")
        if isinstance(status, str) and status:
            if status not in ("draft", "approved"):
                # Keep what the file says (e.g. archived) selectable rather than silently changing it.
                status_select.set_options(STATUS_OPTIONS + [(status, status)])
            status_select.value = status
        else:
            status_select.value = "draft"
        self.query_one("#offer-type", Choice).value = offer_type

    @property
    def offer_type(self) -> str:
        value = self.query_one("#offer-type", Choice).value
        return value if isinstance(value, str) else "personalized"

    def apply(self, doc: dict[str, Any]) -> None:
        doc["name"] = self.query_one("#name", Input).value
        description = self.query_one("#description", Input).value
        if description and "description" not in doc:
            # Keep the seed's field order: the description right after the name.
            items = list(doc.items())
            at = next((i + 1 for i, (key, _) in enumerate(items) if key == "name"), len(items))
            items.insert(at, ("description", description))
            doc.clear()
            doc.update(items)
        elif description:
            doc["description"] = description
        else:
            doc.pop("description", None)
        status = self.query_one("#status", Choice).value
        doc["status"] = status if isinstance(status, str) else "draft"

    def widget_for(self, tokens: list[str | int]) -> Widget | None:
        if tokens and tokens[0] in ("name", "description", "status"):
            return self.query_one(f"#{tokens[0]}")
        return None
