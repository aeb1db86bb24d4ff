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

from textual.widgets import TextArea

from offer_tui.model import to_json, validate_offer
from offer_tui.ui.steps.review import ReviewStep


def without_final_newline(text: str) -> str:
    """Editors end the file with a newline the user did not type: drop exactly one (LF or CRLF)."""
    for ending in ("\r\n", "\n"):
        if text.endswith(ending):
            return text[: -len(ending)]
    return text


class WizardActions:
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
        from offer_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.step(self.current).HELP))

    def action_reload_catalog(self) -> None:
        self.tui.load_catalog()

    def action_submit(self) -> None:
        if self.tui.submitting:
            return
        self.rebuild(schedule=False)
        # Right before sending: the full pydantic check too (same rules; loads pydantic only now).
        self.report = validate_offer(self.doc, self.offer_type)
        if not self.report.ok:
            self.revealed.update(self.steps)  # every step: show all the errors
            self.go_to("review")
            self.notify(f"Fix {len(self.report.errors)} error(s) before submitting.", severity="error",
                        title="Not submitted")
            return
        self.tui.start_submit(copy.deepcopy(self.doc), self.offer_type)

    def action_copy_curl(self) -> None:
        from offer_tui.ui.curl import curl_command

        self.rebuild(schedule=False)
        self.app.copy_to_clipboard(curl_command(self.doc, self.offer_type, self.tui.settings))
        message = "Copied a curl command (token as $OFFER_TUI_ACCESS_TOKEN)."
        self._review_status(message)
        self.notify(message, title="Copy as curl")

    def action_save_json(self) -> None:
        from offer_tui.ui.screens.save import SaveJsonScreen

        self.rebuild(schedule=False)
        self.app.push_screen(SaveJsonScreen(to_json(self.doc), self.tui.default_save_name()), self._saved)

    def _saved(self, path: str | None) -> None:
        if path:
            self._review_status(f"Saved to {path}")

    def _review_status(self, text: str) -> None:
        review = self.steps["review"]
        if review.composed:
            assert isinstance(review, ReviewStep)
            review.set_status(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_external":
            focused = self.focused
            return isinstance(focused, TextArea) and focused.has_class("comp-content")
        if action == "submit" and self.tui.submitting:
            return None  # shown disabled: no double submit
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
