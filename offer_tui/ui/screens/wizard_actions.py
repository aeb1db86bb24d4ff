"""The wizard's key actions: moving between steps, help, submit, copy as curl, save, $EDITOR.

A mixin of ``WizardScreen`` (kept apart so the screen module stays about layout, the document
and validation).
"""

from __future__ import annotations

import copy
import os
import shlex
import subprocess
import tempfile

from textual import events
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import TextArea

from offer_tui.model import to_json, validate_offer
from offer_tui.ui.screens.wizard_messages import CatalogWanted, SubmitRequested
from offer_tui.ui.steps.review import ReviewStep

# The wizard's keys. Priority: they work from every field, even a TextArea that binds the same
# key (ctrl+y is its redo, F6 its select-line). The tooltip is what F1 help and the palette show.
WIZARD_BINDINGS = [
    Binding("f1", "help", "Help", id="help", priority=True, tooltip="Help for this step and the keys"),
    Binding("f2", "toggle_preview", "Preview", id="toggle-preview", priority=True,
            tooltip="Toggle the JSON preview (show or hide)"),
    Binding("f3", "previous_step", "Back", id="previous-step", priority=True, tooltip="Previous step"),
    Binding("f4", "next_step", "Next", id="next-step", priority=True, tooltip="Next step"),
    Binding("ctrl+r", "review", "Review", id="review", priority=True, tooltip="Go to Review"),
    Binding("f9", "submit", "Submit", id="submit", priority=True, tooltip="Submit: create the offer"),
    Binding("ctrl+y", "copy_curl", "Copy curl", id="copy-curl", priority=True,
            tooltip="Copy as curl (the token stays $OFFER_TUI_ACCESS_TOKEN)"),
    Binding("ctrl+o", "save_json", "Save JSON", id="save-json", show=False, priority=True,
            tooltip="Save JSON: write the offer body to a file"),
    Binding("f5", "reload_catalog", "Reload lists", id="reload-catalog", show=False, priority=True,
            tooltip="Fetch placements and rules from the API again"),
    # Wins over TextArea's own ctrl+e (end of line) in a content box; elsewhere it is disabled, so
    # an Input's ctrl+e still moves to the end.
    Binding("ctrl+e", "edit_external", "Edit in $EDITOR", id="edit-external", priority=True,
            tooltip="Edit the content box in $EDITOR (from a component's Content box)"),
    # The app's F6, again here with priority: a TextArea binds F6 too.
    Binding("f6", "app.credentials", "Credentials", id="wizard-credentials", show=False, priority=True,
            tooltip="Credentials: profiles, keyring and a connection test"),
    # The app's F7 (the library), with priority for the same reason: a TextArea binds F7 (select all).
    Binding("f7", "app.library", "Library", id="wizard-library", priority=True,
            tooltip="The offer library: find, open, edit, clone, approve, archive or delete offers"),
]


def without_final_newline(text: str) -> str:
    """Editors end the file with a newline the user did not type: drop exactly one (LF or CRLF)."""
    for ending in ("\r\n", "\n"):
        if text.endswith(ending):
            return text[: -len(ending)]
    return text


class WizardActions:
    # -- the preview follows the field being edited ------------------------------------------------
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.follow_focus(event.widget)

    def follow_focus(self, widget: Widget | None) -> None:
        """Mark the focused field's lines in the preview and scroll them into view."""
        from offer_tui.ui.widgets.json_preview import JsonPreview

        previews = self.query("#preview")
        if not previews or widget is None or isinstance(widget, JsonPreview):
            return
        preview = previews.first(JsonPreview)
        preview.mark_path(self.path_for_widget(widget, preview))

    def path_for_widget(self, widget: Widget, preview: object) -> str | None:
        """The document path the widget edits: the most specific path the step maps to it.

        The steps map path -> widget (``widget_for``, used to jump to errors); this asks that for
        each field the preview shows. Paths ending in an index (a list item, a whole
        representation) are left out: they map to a default field, which has its own key line.
        """
        from offer_tui.ui.issue_steps import split_path
        from offer_tui.ui.widgets.json_lines import json_line_paths

        step = self.step(self.current)
        if not step.composed:
            return None
        best: tuple[int, str] | None = None
        for _line, path in json_line_paths(preview.lines):  # type: ignore[attr-defined]
            tokens = split_path(path)
            if not tokens or isinstance(tokens[-1], int):
                continue
            try:
                target = step.widget_for(tokens)
            except NoMatches:
                continue
            if target is not None and (target is widget or target in widget.ancestors):
                if best is None or len(tokens) > best[0]:
                    best = (len(tokens), path)
        return best[1] if best else None

    # -- actions ----------------------------------------------------------------------------------
    def action_toggle_preview(self) -> None:
        before = self.focused
        self.preview_toggled = not self.preview_toggled
        self._sync_preview()
        if self.query_one("#wizard-body").has_class("-preview-only"):
            if before is not None and before.id != "preview":
                self._focus_before_preview = before
            self.query_one("#preview").focus()
        elif self.focused is None or self.focused.id == "preview":
            # Back to the field the user left, as they left it: an Input re-focused by code selects
            # all its text, and the next key would replace it (issue 8: F2 twice wiped the field).
            target = getattr(self, "_focus_before_preview", None)
            self._focus_before_preview = None
            if target is None or not target.is_attached or not target.focusable:
                target = self.step(self.current).first_field()
            if target:
                self.focus_keeping_cursor(target)

    def action_next_step(self) -> None:
        steps = self.visible_steps()
        index = steps.index(self.current) if self.current in steps else 0
        if index < len(steps) - 1:
            self.go_to(steps[index + 1])

    def action_previous_step(self) -> None:
        steps = self.visible_steps()
        index = steps.index(self.current) if self.current in steps else 0
        if index > 0:
            self.go_to(steps[index - 1])

    def action_review(self) -> None:
        self.go_to("review")

    def action_go_to_step(self, step_id: str) -> None:
        self.go_to(step_id)

    def action_help(self) -> None:
        from offer_tui.ui.keymap import help_table
        from offer_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.step(self.current).HELP, help_table(self, self.app)))

    def action_reload_catalog(self) -> None:
        self.post_message(CatalogWanted(reload=True))

    def action_submit(self) -> None:
        self.rebuild(schedule=False)
        # Right before sending: the full pydantic check too (same rules; loads pydantic only now).
        self.report = validate_offer(self.doc, self.offer_type)
        if not self.report.ok:
            self.revealed.update(self.steps)  # every step: show all the errors
            self.go_to("review")
            count = len(self.report.errors)
            reason = f"{count} error{'s' if count != 1 else ''}: fix {'them' if count != 1 else 'it'} first"
            self._review_status(f"Not submitted: {reason} (Enter on one goes to its field).")
            self.notify(f"{reason}.", severity="error", title="Not submitted")
            return
        if self.unseen_same_name():
            return  # Review shows the offer(s) with this name first; F9 again sends
        self.post_message(SubmitRequested(copy.deepcopy(self.doc), self.offer_type, self.edit))

    def action_copy_curl(self) -> None:
        from offer_tui.ui.curl import curl_command

        self.rebuild(schedule=False)
        self.app.copy_to_clipboard(curl_command(self.doc, self.offer_type, self.settings()))
        message = ("Copied a curl command. Its token is $OFFER_TUI_ACCESS_TOKEN: "
                   "export OFFER_TUI_ACCESS_TOKEN=$(offer-tui token)")
        self._review_status(message)
        self.notify(message, title="Copy as curl")

    def action_save_json(self) -> None:
        from offer_tui.ui.screens.save import SaveJsonScreen

        self.rebuild(schedule=False)
        self.app.push_screen(SaveJsonScreen(to_json(self.doc), self.default_save_name()), self._saved)

    def default_save_name(self) -> str:
        name = str(self.doc.get("name") or "offer").strip().lower()
        slug = "".join(c if c.isalnum() else "-" for c in name).strip("-") or "offer"
        return f"{slug}.json"

    def _saved(self, path: str | None) -> None:
        if path:
            self._review_status(f"Saved to {path}")

    def _review_status(self, text: str) -> None:
        review = self.steps["review"]
        assert isinstance(review, ReviewStep)
        if review.composed:
            review.set_status(text)
        else:  # F9 from another step: Review is being mounted now
            self.call_later(self._review_status_when_mounted, text)

    async def _review_status_when_mounted(self, text: str) -> None:
        review = await self.mount_step("review")
        assert isinstance(review, ReviewStep)
        review.set_status(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_external":
            focused = self.focused
            return isinstance(focused, TextArea) and focused.has_class("comp-content")
        return True

    def action_edit_external(self) -> None:
        area = self.focused
        if not isinstance(area, TextArea):
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as handle:
            handle.write(area.text)
            path = handle.name
        try:
            with self.app.suspend():
                result = subprocess.run([*shlex.split(editor), path], check=False)
            if result.returncode != 0:
                self.notify(f"{editor} exited with {result.returncode}; content unchanged.", severity="warning")
                return
            with open(path, encoding="utf-8", newline="") as handle:
                text = without_final_newline(handle.read())
            area.load_text(text)
            self._changed(None)
        except (OSError, ValueError) as error:
            self.notify(f"Could not run {editor}: {error}", severity="error", title="$EDITOR")
        finally:
            try:
                os.unlink(path)
            except OSError:
                pass
