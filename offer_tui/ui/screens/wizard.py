"""The one wizard screen: step indicator, the steps in a ContentSwitcher, the live JSON preview.

Only the Basics step is composed for the first frame. The other steps exist from the start as
(unmounted) widgets that hold their slice of the document; each is mounted when first shown, or
all of them in a background worker once the user pauses (``OfferTuiApp._idle``). Once mounted,
they stay.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any, Awaitable, Callable

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Checkbox, ContentSwitcher, Input, Select, Static, TextArea
from textual.widgets.input import Selection

from offer_tui.model import Issue, Report, to_json, validate_offer
from offer_tui.model.validation import has_mobile_representation
from offer_tui.ui.issue_steps import split_path, step_for_path
from offer_tui.ui.steps.base import WizardStep
from offer_tui.ui.steps.basics import BasicsStep
from offer_tui.ui.steps.capping import CappingStep, FrequencyCapsChanged
from offer_tui.ui.steps.constraints import ConstraintsStep
from offer_tui.ui.steps.representations import RepresentationsStep
from offer_tui.ui.steps.review import JumpToPath, ReviewStep
from offer_tui.ui.widgets.choice import Choice
from offer_tui.ui.widgets.json_preview import JsonPreview
from offer_tui.ui.widgets.representation_editor import RepresentationEditor, new_representation
from offer_tui.ui.widgets.step_indicator import StepIndicator
from offer_tui.ui.widgets.app_header import AppHeader
from offer_tui.ui.widgets.key_footer import KeyFooter
from offer_tui.ui.screens.wizard_checks import WizardChecks
from offer_tui.ui.screens.wizard_actions import WIZARD_BINDINGS, WizardActions
from offer_tui.ui.screens.wizard_edit import EditTarget, WizardEdit
from offer_tui.ui.screens.wizard_messages import CatalogWanted, DraftChanged, UserEdited

STEP_CLASSES: list[type[WizardStep]] = [BasicsStep, RepresentationsStep, ConstraintsStep, CappingStep, ReviewStep]
STEP_IDS = [cls.STEP_ID for cls in STEP_CLASSES]
FALLBACK_SKIPS = {"capping"}  # a fallback offer keeps Constraints for its window and priority
WIDE = 100


def new_document() -> dict[str, Any]:
    return {"name": "", "status": "draft", "representations": [new_representation()]}


class WizardScreen(WizardChecks, WizardActions, WizardEdit, Screen):
    BINDINGS = WIZARD_BINDINGS
    # Not Textual's "*": that focuses the Basics step container first and then loses it to the name
    # field (two restyles of the step's 15 widgets before the first frame).
    AUTO_FOCUS = "#name"

    def __init__(self, settings: Callable[[], Any] | None = None,
                 on_ready: Callable[[], Awaitable[None]] | None = None) -> None:
        """``on_ready``: awaited once composed, before the first layout (the app loads the start
        document there, so the first frame shows it)."""
        super().__init__(id="wizard")
        self._on_ready = on_ready
        self._composed = False  # the screen's widgets exist (set in on_mount)
        self.settings = settings or (lambda: None)  # for Copy as curl: the endpoint and ids in use
        # Placements and rules as (list or None, error or None); the app sets them (``set_catalog``).
        self.catalog: dict[str, tuple[list[dict[str, Any]] | None, str | None]] = {}
        self.steps: dict[str, WizardStep] = {cls.STEP_ID: cls(id=cls.STEP_ID) for cls in STEP_CLASSES}
        self._mounting: dict[str, AwaitMount] = {}
        self.base_doc: dict[str, Any] = new_document()
        self.doc: dict[str, Any] = copy.deepcopy(self.base_doc)
        self.offer_type = "personalized"
        self.based_on: str | None = None
        self.report = Report()
        self.touched: set[int] = set()
        self.revealed: set[str] = set()
        self.dirty = False
        self.preview_toggled = False
        self._loading = True
        self._rebuild_requested: bool | None = None  # None: none pending; else whether it saves a draft
        self._built_compact: bool | None = None
        self._focus_before_preview: Widget | None = None
        self._keep_selection: tuple[Input, Any] | None = None
        self._init_checks()

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield StepIndicator([(cls.STEP_ID, cls.TITLE) for cls in STEP_CLASSES], id="step-indicator")
        based_on = Static("", id="based-on", markup=False)
        based_on.display = False
        yield based_on
        # The right classes from the start: changing them after mount restyles the whole body.
        with Horizontal(id="wizard-body", classes=" ".join(self._preview_classes(self.app.size.width))):
            with ContentSwitcher(initial="basics", id="steps"):
                yield self.steps["basics"]
            yield JsonPreview(id="preview")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self._composed = True  # is_mounted turns true only after this handler: too late for the load
        if self._on_ready is not None:
            await self._on_ready()

    # -- steps --------------------------------------------------------------------------------
    def step(self, step_id: str) -> WizardStep:
        """The step widget (it may not be mounted yet: see ``mount_step``)."""
        return self.steps[step_id]

    def _start_mount(self, step_id: str) -> AwaitMount | None:
        step = self.steps[step_id]
        if step_id in self._mounting or step.is_attached:
            return self._mounting.get(step_id)
        step.display = self.current == step_id  # the switcher shows only the current step
        self._mounting[step_id] = self.query_one("#steps", ContentSwitcher).mount(step)
        return self._mounting[step_id]

    async def mount_step(self, step_id: str, rebuild: bool = True) -> WizardStep:
        """Mount (and compose) a step if it is not yet; return it once its widgets exist."""
        step = self.steps[step_id]
        first = not step.composed
        pending = self._start_mount(step_id)
        if pending is not None:
            await pending
        if first and rebuild:
            self.apply_catalog()
            # Now, not later: its error marks, the review list and the mobile warning decide what
            # gets the focus next (Review focuses its list of issues when there are any).
            self.rebuild(schedule=False)
        return step

    def mount_remaining_steps(self) -> None:
        """Mount the other steps one by one in a worker, without blocking input."""
        self.run_worker(self._mount_remaining(), group="mount-steps", exit_on_error=True)

    async def _mount_remaining(self) -> None:
        for step_id in STEP_IDS:
            await self.mount_step(step_id, rebuild=False)
        self.apply_catalog()
        self.request_rebuild(schedule=False)

    @property
    def current(self) -> str:
        if not self._composed:
            return "basics"
        return self.query_one("#steps", ContentSwitcher).current or "basics"

    def visible_steps(self) -> list[str]:
        skipped = FALLBACK_SKIPS if self.offer_type == "fallback" else set()
        return [s for s in STEP_IDS if s not in skipped]

    async def load_document(
        self, doc: dict[str, Any] | None, offer_type: str = "personalized",
        based_on: str | None = None, step: str = "basics", dirty: bool = False, edit: EditTarget | None = None,
    ) -> None:
        """Fill every step from ``doc`` (a copy is kept: unknown fields survive to submit).
        ``dirty``: the document is unsaved work (a resumed draft), saved again on the next change."""
        self._loading = True
        self.base_doc = copy.deepcopy(doc) if isinstance(doc, dict) else new_document()
        self.offer_type = offer_type if offer_type in ("personalized", "fallback") else "personalized"
        self.based_on = based_on
        self.edit = edit  # None: F9 creates a new offer
        self.touched.clear()
        self.revealed.clear()
        self.dirty = False
        for step_id, step_widget in self.steps.items():
            if step_id in self._mounting and not step_widget.composed:
                await self._mounting[step_id]  # compose has read the old slice: load into the widgets
            pending = step_widget.load(self.base_doc, self.offer_type)
            if inspect.isawaitable(pending):
                await pending
        self.apply_catalog()
        label = self.query_one("#based-on", Static)
        # One row at any width (ellipsis): the id first, the rest in the tooltip.
        label.update(f"Based on {based_on}: submit creates a new offer." if based_on else "")
        label.tooltip = "Server fields (id, etag, dates) were dropped: submit creates a new offer." if based_on else None
        label.display = bool(based_on)
        if based_on:
            self.want_name_check(self.base_doc)  # its name may be taken: "create another", a GET response
        self.show_edit_mode()
        self.go_to(step if step in self.visible_steps() else "basics", focus=True, reveal_left=False)
        self._select_loaded_name()
        self._loading = False
        self.dirty = dirty

    def _select_loaded_name(self) -> None:
        """A loaded name (--from, a clone, a draft) is selected while the field has the focus, so
        typing replaces it and a rename costs no Backspaces. (Focusing an Input selects it anyway;
        the name field had the focus before the document was loaded into it.)"""
        name = self.steps["basics"].query_one("#name", Input)
        if name.value and (name.has_focus or self.focused is None and self.current == "basics"):
            name.selection = Selection(0, len(name.value))

    def mark_clean(self) -> None:
        """The document was sent: nothing unsaved remains (no draft until the next change)."""
        self.dirty = False
        self.forget_names()  # its name now exists: look again

    def set_catalog(self, kind: str, items: list[dict[str, Any]] | None, error: str | None) -> None:
        """Placements or rules (``kind``) as fetched, or why not: shown by the steps that use them."""
        self.catalog[kind] = (items, error)
        self.apply_catalog()
        self.request_rebuild(schedule=False)  # the placements' warnings (channel, component type)

    def apply_catalog(self) -> None:
        """Give the mounted steps the lists fetched so far (a step mounted later gets them then)."""
        for kind, step_class in (("placements", RepresentationsStep), ("rules", ConstraintsStep)):
            items, error = self.catalog.get(kind, (None, None))
            if items is not None or error:
                for step in self.query(step_class):  # none until that step is mounted
                    step.set_catalog(items, error)

    def go_to(self, step_id: str, *, focus: bool = True, reveal_left: bool = True) -> None:
        if step_id not in self.visible_steps():
            step_id = "review"
        if reveal_left and self.current != step_id:
            self.revealed.add(self.current)
        if step_id == "review":
            self.revealed.update(STEP_IDS)
        step = self.steps[step_id]
        if not step.composed:
            self._start_mount(step_id)  # the user got here before the background mount did
        self.query_one("#steps", ContentSwitcher).current = step_id
        if step_id in ("representations", "constraints", "review"):
            self.post_message(CatalogWanted())  # Review too: its placement warnings need the catalog
        self._sync_preview()
        self.rebuild(schedule=False)
        if step_id == "review":
            # Once per name, for the name the form holds now (just rebuilt): a taken one warns here.
            self.want_name_check()
        if step.composed:
            self._focus_step(step_id, focus)
        else:
            if focus:  # until it mounts, typing must not go on into the field just hidden
                self.set_focus(None)
            self.call_later(self._focus_when_mounted, step_id, focus)

    def _focus_step(self, step_id: str, focus: bool) -> None:
        if focus:
            target = self.steps[step_id].first_field()
            if target is not None:
                target.focus()
            self.steps[step_id].scroll_home(animate=False)

    async def _focus_when_mounted(self, step_id: str, focus: bool) -> None:
        await self.mount_step(step_id)
        if self.current == step_id:
            self._focus_step(step_id, focus)

    # -- the document ---------------------------------------------------------------------------
    def build_document(self) -> dict[str, Any]:
        """The document the widgets hold, for ``self.offer_type``. Changes nothing."""
        doc = copy.deepcopy(self.base_doc)
        self.steps["basics"].apply(doc)
        self.steps["representations"].apply(doc)
        self.steps["constraints"].apply(doc)  # for a fallback offer: its window and priority only
        if self.offer_type == "personalized":
            self.steps["capping"].apply(doc)
        else:
            # A fallback offer has no capping: never send what the hidden step holds.
            doc.pop("cappingConstraint", None)
            doc.pop("frequencyCappingConstraints", None)
        return doc

    def request_rebuild(self, schedule: bool = True) -> None:
        """Rebuild soon, once for many requests: for changes no keystroke waits on (loads, mounts)."""
        if self._rebuild_requested is None:
            self._rebuild_requested = schedule
            self.call_later(self._requested_rebuild)
        else:
            self._rebuild_requested = self._rebuild_requested or schedule

    def _requested_rebuild(self) -> None:
        if self._rebuild_requested is not None:
            self.rebuild(self._rebuild_requested)

    def compute(self) -> tuple[dict[str, Any], Report]:
        """The document the widgets hold and its report. Reads the widgets, changes nothing.

        The plain-Python rules (same errors as strict mode, no pydantic): cheap enough per keystroke.
        """
        doc = self.build_document()
        report = validate_offer(doc, self.offer_type, strict=False)
        report.warnings.extend(self.api_warnings(doc))
        return doc, report

    def rebuild(self, schedule: bool = True) -> None:
        """Compute the document and report, show them, and (``schedule``) save the draft."""
        if not self._composed:
            return
        if self._rebuild_requested is not None and (schedule or not self._rebuild_requested):
            self._rebuild_requested = None  # this rebuild does what the pending one would
        self._sync_skips()  # the offer type Basics shows now, even before its Changed message arrives
        self.doc, self.report = self.compute()
        self.render_report(to_json(self.doc))
        if schedule and self.dirty:
            self.post_message(DraftChanged(self.doc, self.offer_type, self.current, self.based_on,
                                           self.edit.to_draft() if self.edit is not None else None))

    def render_report(self, text: str) -> None:
        """Show ``self.doc`` (as ``text``) and ``self.report``: preview, field marks, indicator, review."""
        self.query_one("#preview", JsonPreview).update_json(text)
        by_step: dict[str, list[Issue]] = {}
        for issue in self.report:
            by_step.setdefault(step_for_path(issue.path), []).append(issue)
        for step_widget in self.steps.values():
            step_widget.show_errors(
                by_step.get(step_widget.STEP_ID, []), step_widget.STEP_ID in self.revealed, self.touched
            )
        errors: dict[str, int] = {}
        for issue in self.report.errors:
            errors[step_for_path(issue.path)] = errors.get(step_for_path(issue.path), 0) + 1
        skipped = FALLBACK_SKIPS if self.offer_type == "fallback" else set()
        self._built_compact = self.size.width < WIDE
        self.query_one(StepIndicator).show(self.current, errors, skipped, compact=self._built_compact)
        review = self.steps["review"]
        assert isinstance(review, ReviewStep)
        review.set_report(self.report, text, self.offer_type)
        self.show_edit_patch()
        capping = self.steps["capping"]
        assert isinstance(capping, CappingStep)
        capping.set_mobile_warning(has_mobile_representation(self.doc))

    def _changed(self, widget: Widget | None, user: bool = True) -> None:
        if self._loading:
            return
        if widget is not None:
            if not (widget.has_focus or widget.has_focus_within):
                self.request_rebuild()  # set by code (a load, a preset): no one is waiting on this key
                return
            self.touched.add(id(widget))
            self.dirty = True
        elif user:
            self.dirty = True
        else:
            self.request_rebuild()
            return
        self.rebuild()
        self.post_message(UserEdited())

    def on_input_changed(self, event: Input.Changed) -> None:
        self._changed(event.input)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input.value and id(event.input) not in self.touched:
            self.touched.add(id(event.input))
            self.rebuild(schedule=False)
        if event.input.id == "name" and not self._loading:
            self.want_name_check()  # in the background while the rest is filled in: F9 need not wait

    def on_select_changed(self, event: Select.Changed) -> None:
        self._changed(event.select)

    def on_choice_changed(self, event: Choice.Changed) -> None:
        if event.choice.id == "offer-type":
            self._sync_skips()
        self._changed(event.choice)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._changed(event.text_area)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._changed(event.checkbox)

    def on_representation_editor_action(self, event: RepresentationEditor.Action) -> None:
        self._changed(None, user=event.action != "loaded")

    def on_frequency_caps_changed(self, event: FrequencyCapsChanged) -> None:
        self._changed(None)

    def _sync_skips(self) -> None:
        self.offer_type = self.query_one(BasicsStep).offer_type
        constraints = self.steps["constraints"]
        assert isinstance(constraints, ConstraintsStep)
        constraints.set_offer_type(self.offer_type)

    @on(JumpToPath)
    def jump_to_path(self, event: JumpToPath) -> None:
        self.focus_path(event.path)

    def focus_path(self, path: str) -> bool:
        """Show the step that owns ``path`` and focus the widget at fault. True when a widget was found."""
        step_id = step_for_path(path)
        self.revealed.update(STEP_IDS)
        if step_id not in self.visible_steps():
            step_id = "review"
        self.go_to(step_id, focus=False, reveal_left=False)
        if not self.steps[step_id].composed:
            self.call_later(self._focus_path_when_mounted, path, step_id)
            return False
        return self._focus_path_in(path, step_id)

    async def _focus_path_when_mounted(self, path: str, step_id: str) -> None:
        await self.mount_step(step_id)
        if self.current == step_id:
            self._focus_path_in(path, step_id)

    def _focus_path_in(self, path: str, step_id: str) -> bool:
        widget = self.step(step_id).widget_for(split_path(path))
        if widget is None or not widget.focusable:
            target = self.step(step_id).first_field()
            if target is not None:
                target.focus()
            return False
        widget.focus()
        self.call_after_refresh(widget.scroll_visible, animate=False)
        self.query_one("#preview", JsonPreview).scroll_to_path(path)
        return True

    def focus_keeping_cursor(self, widget: Widget) -> None:
        """Focus ``widget``; an Input keeps its cursor and selection instead of selecting all."""
        if isinstance(widget, Input):
            self._keep_selection = (widget, widget.selection)
        widget.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Runs after Input's own Focus handler (which selected everything): put the cursor back.
        kept = self._keep_selection
        self._keep_selection = None
        if kept is not None and kept[0] is event.widget:
            kept[0].selection = kept[1]

    # -- preview --------------------------------------------------------------------------------
    def on_resize(self) -> None:
        self._sync_preview()
        if self._built_compact != (self.size.width < WIDE):  # the step indicator's labels depend on it
            self.rebuild(schedule=False)

    def _sync_preview(self) -> None:
        body = self.query_one("#wizard-body")
        classes = self._preview_classes(self.size.width)
        body.set_class("-preview" in classes, "-preview")
        body.set_class("-preview-only" in classes, "-preview-only")

    def _preview_classes(self, width: int) -> set[str]:
        """Beside the form when wide (except on Review, which shows the JSON itself); F2 toggles."""
        if width >= WIDE:
            return {"-preview"} if not self.preview_toggled and self.current != "review" else set()
        return {"-preview-only"} if self.preview_toggled else set()
