"""Step 3: eligibility window, profile constraint (rule or segments) and priority."""

from __future__ import annotations

import copy
from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from offer_tui.ui.widgets.text_input import TextInput

from offer_tui.model.shape import SELECTION, put_in_order
from offer_tui.ui.steps.base import WizardStep, error_summary, input_text, int_or_text, row
from offer_tui.ui.widgets.catalog_picker import CatalogPicker
from offer_tui.ui.widgets.date_field import DateField, date_for_doc

# The web UI's words ("Offer eligibility": All visitors / by a decision rule / audiences).
PROFILE_OPTIONS = [
    ("all visitors", "none"),
    ("by decision rule", "eligibilityRule"),
    ("in any of these audiences", "anySegments"),
    ("in all of these audiences", "allSegments"),
]


def _profile_options(kind: str) -> list[tuple[str, str]]:
    # Keep what a file says (an unknown type) selectable rather than silently changing it.
    known = {v for _, v in PROFILE_OPTIONS}
    return PROFILE_OPTIONS if kind in known else PROFILE_OPTIONS + [(kind, kind)]


def _fields_from(sc: dict[str, Any], rank: dict[str, Any], offer_type: str = "personalized") -> dict[str, str]:
    """The texts and choices the step's widgets show for a document's constraint slice."""
    kind = sc.get("profileConstraintType")
    rule = sc.get("eligibilityRule")
    segments = sc.get("segmentIdentities")
    ids = [str(s.get("_id", "")) for s in segments if isinstance(s, dict)] if isinstance(segments, list) else []
    return {
        "start": input_text(sc.get("startDate")),
        "end": input_text(sc.get("endDate")),
        "kind": kind if isinstance(kind, str) and kind else "none",
        "rule": rule if isinstance(rule, str) else "",
        "segments": ", ".join(ids),
        # Optional for a fallback offer (empty: no rank sent); a personalized one defaults to 0.
        "priority": input_text(rank.get("priority", None if offer_type == "fallback" else 0)),
    }


class RulePicker(CatalogPicker):
    """The eligibility rules fetched from the API, or a typed rule id when the fetch failed."""

    NOUN = "rule"
    PLACEHOLDER = "rule id, e.g. dps:eligibility-rule:..."

    def options(self, current: str) -> tuple[list[tuple[str, str]], str]:
        rules = self._items or []
        options = [(str(rule.get("name") or rule.get("id")), str(rule.get("id"))) for rule in rules]
        return options, f"{len(rules)} rule(s) available."


class ConstraintsStep(WizardStep):
    STEP_ID = "constraints"
    TITLE = "Constraints"
    HELP = """\
## Constraints

A fallback offer has only the window and the priority (both optional): it has no eligibility.

- **Start / End**: when the offer may be shown. Type `2025-01-31`, `2025-01-31 09:00`,
  `2025-01-31 09:00:00.000`, full RFC 3339 (`2025-01-31T09:00:00.000+01:00`), `now`, `today`, or a
  distance from the other date: `+10d`, `+2w`, `+1y`, `+1y2d`, `-3h` (years, weeks, days, hours; End
  `+1y2d` is one year and two days after Start, at the same time). The line under each field shows
  the exact value sent; plain dates are taken as UTC. The end must come after the start.
- **Eligibility** (the web UI's "Offer eligibility"): *all visitors*, a *decision rule* picked from
  the rules in your sandbox, or *audiences* (in any / all of a comma list of audience, i.e. segment,
  ids; sent as `segmentIdentities`).
- **Priority**: an integer of 0 or more. Higher wins; ties are broken at random.
"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._original_sc: dict[str, Any] = {}
        self._original_rank: dict[str, Any] = {}
        self._fields = _fields_from({}, {})  # what load() puts in the widgets
        self.offer_type = "personalized"

    def compose(self) -> ComposeResult:
        fields = self._fields
        yield Static(self._intro(), classes="step-intro")
        yield row("Start", DateField(fields["start"], id="start-date"))
        yield row("End", DateField(fields["end"], id="end-date", end=True))
        yield row("Eligibility", Select(_profile_options(fields["kind"]), allow_blank=False, value=fields["kind"],
                                     id="profile-type"), classes="profile-row")
        yield row("Rule", RulePicker(fields["rule"], id="rule-picker"), classes="rule-row")
        yield row("Audiences", TextInput(fields["segments"], placeholder="audience (segment) ids, comma separated",
                                     id="segments"),
                  classes="segments-row")
        yield row("Priority", TextInput(fields["priority"], placeholder="0 or more; higher wins", id="priority",
                                    type="integer"))
        yield error_summary()

    def on_mount(self) -> None:
        start, end = self.query_one("#start-date", DateField), self.query_one("#end-date", DateField)
        start.partner, end.partner = end, start
        self._sync_profile_rows()

    def _intro(self) -> str:
        if self.offer_type == "fallback":
            return "When the fallback offer may be shown, and its priority (both optional)."
        return "When and to whom the offer may be shown."

    def set_offer_type(self, offer_type: str) -> None:
        """A fallback offer shows the window and priority only: it has no eligibility."""
        if offer_type == self.offer_type:
            return
        self.offer_type = offer_type
        if self.composed:
            self.query_one(".step-intro", Static).update(self._intro())
            self._sync_profile_rows()

    def load(self, doc: dict[str, Any], offer_type: str) -> None:
        sc = doc.get("selectionConstraint")
        self._original_sc = copy.deepcopy(sc) if isinstance(sc, dict) else {}
        rank = doc.get("rank")
        self._original_rank = copy.deepcopy(rank) if isinstance(rank, dict) else {}
        fields = self._fields = _fields_from(self._original_sc, self._original_rank, offer_type)
        if not self.composed:
            self.offer_type = offer_type
            return  # compose starts from _fields
        self.set_offer_type(offer_type)
        self.query_one("#start-date", DateField).text = fields["start"]
        self.query_one("#end-date", DateField).text = fields["end"]
        select = self.query_one("#profile-type", Select)
        if fields["kind"] not in {v for _, v in PROFILE_OPTIONS}:
            select.set_options(_profile_options(fields["kind"]))
        select.value = fields["kind"]
        self.query_one("#rule-picker", RulePicker).value = fields["rule"]
        self.query_one("#segments", Input).value = fields["segments"]
        self.query_one("#priority", Input).value = fields["priority"]
        self._sync_profile_rows()

    def _current_fields(self) -> dict[str, str]:
        if not self.composed:
            return self._fields
        return {
            "start": self.query_one("#start-date", DateField).text,
            "end": self.query_one("#end-date", DateField).text,
            "kind": self.profile_type,
            "rule": self.query_one("#rule-picker", RulePicker).value,
            "segments": self.query_one("#segments", Input).value,
            "priority": self.query_one("#priority", Input).value,
        }

    def set_catalog(self, rules: list[dict[str, Any]] | None, error: str | None) -> None:
        if self.composed:
            self.query_one("#rule-picker", RulePicker).set_catalog(rules, error)

    @property
    def profile_type(self) -> str:
        value = self.query_one("#profile-type", Select).value
        return value if isinstance(value, str) else "none"

    def _sync_profile_rows(self) -> None:
        kind = self.profile_type if self.offer_type != "fallback" else "none"
        self.query_one(".profile-row").display = self.offer_type != "fallback"
        self.query_one(".rule-row").display = kind == "eligibilityRule"
        self.query_one(".segments-row").display = kind in ("anySegments", "allSegments")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "profile-type":
            self._sync_profile_rows()

    def _segment_identities(self, text: str) -> list[dict[str, Any]]:
        previous = {
            s.get("_id"): s for s in self._original_sc.get("segmentIdentities", []) or [] if isinstance(s, dict)
        }
        ids = [part.strip() for part in text.split(",") if part.strip()]
        # A segment loaded from a file keeps its own namespace; new ones use the profile namespace "ups".
        return [copy.deepcopy(previous[i]) if i in previous else {"_id": i, "namespace": {"code": "ups"}} for i in ids]

    def apply(self, doc: dict[str, Any]) -> None:
        fields = self._current_fields()
        sc = copy.deepcopy(self._original_sc)
        for key, field, other in (("startDate", "start", "end"), ("endDate", "end", "start")):
            value = date_for_doc(fields[field], fields[other])  # "+1y2d": from the other date
            if value is None:
                sc.pop(key, None)
            else:
                put_in_order(sc, key, value, SELECTION)
        if self.offer_type == "fallback":
            self._apply_fallback(doc, sc, fields["priority"])
            return
        kind = fields["kind"]
        put_in_order(sc, "profileConstraintType", kind, SELECTION)
        if kind == "eligibilityRule":
            sc["eligibilityRule"] = fields["rule"]
            sc.pop("segmentIdentities", None)
        elif kind in ("anySegments", "allSegments"):
            sc["segmentIdentities"] = self._segment_identities(fields["segments"])
            sc.pop("eligibilityRule", None)
        else:
            sc.pop("eligibilityRule", None)
            sc.pop("segmentIdentities", None)
        doc["selectionConstraint"] = sc
        rank = copy.deepcopy(self._original_rank)
        priority = fields["priority"]
        rank["priority"] = int_or_text(priority) if priority.strip() else 0
        doc["rank"] = rank

    def _apply_fallback(self, doc: dict[str, Any], sc: dict[str, Any], priority: str) -> None:
        """Dates and priority, both optional; never an eligibility the hidden fields may hold.

        Like Adobe's documented fallback example: a window comes with ``profileConstraintType:
        none``; what a loaded file has besides stays as it was."""
        sc.pop("eligibilityRule", None)
        sc.pop("segmentIdentities", None)
        if sc:
            put_in_order(sc, "profileConstraintType", "none", SELECTION)
            doc["selectionConstraint"] = sc
        else:
            doc.pop("selectionConstraint", None)
        if priority.strip():
            rank = copy.deepcopy(self._original_rank)
            rank["priority"] = int_or_text(priority)
            doc["rank"] = rank
        else:
            doc.pop("rank", None)

    def widget_for(self, tokens: list[str | int]) -> Widget | None:
        if not tokens or not self.composed:
            return None
        if tokens[0] == "rank":
            return self.query_one("#priority")
        if tokens[0] != "selectionConstraint":
            return None
        field = tokens[1] if len(tokens) > 1 else "startDate"
        if field == "startDate":
            return self.query_one("#start-date", DateField).input
        if field == "endDate":
            return self.query_one("#end-date", DateField).input
        if field == "eligibilityRule":
            return self.query_one("#rule-picker", RulePicker).focus_target()
        if field == "segmentIdentities":
            return self.query_one("#segments")
        return self.query_one("#profile-type")
