"""Step 5: the full JSON, every error and warning (each jumps to its field), and the export actions."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from offer_tui.model import Issue, Report, path_in_words
from offer_tui.ui.steps.base import WizardStep
from offer_tui.ui.widgets.json_preview import JsonPreview


class JumpToPath(Message):
    """Go to the widget behind an issue path (from the review list or an API error)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


def issue_line(issue: Issue) -> str:
    """Words first (``Representation 1, component 1, format: ...``), then the JSON path."""
    marker = "✗" if issue.severity == "error" else "!"
    where = f"  ({issue.path})" if issue.path else ""
    return f"{marker} {path_in_words(issue.path)}: {issue.message}{where}"


class ReviewStep(WizardStep):
    STEP_ID = "review"
    TITLE = "Review"
    HELP = """\
## Review

- The JSON is exactly what submit sends (the same serializer as the preview and "Save JSON").
- The list shows every error (✗) and warning (!). **Enter** on an entry jumps to the field.
- **F9 / Submit** sends the offer; it is refused while errors remain.
- **ctrl+y / Copy as curl** copies an equivalent `curl` command to the clipboard (OSC 52, works
  over SSH in most terminals). The token is written as `$OFFER_TUI_ACCESS_TOKEN`, never its value.
- **ctrl+o / Save JSON** writes the body to a file.
"""

    DEFAULT_CSS = """
    ReviewStep #review-issues { height: auto; max-height: 8; border: round $error 60%; }
    ReviewStep #review-issues.-clean { display: none; }
    ReviewStep #review-json { height: 1fr; min-height: 8; border: round $primary 50%; }
    ReviewStep #review-body { height: 1fr; min-height: 8; }
    ReviewStep #review-patch { width: 1fr; height: 1fr; border: round $warning 60%; padding: 0 1; display: none; }
    ReviewStep #review-patch.-edit { display: block; }
    ReviewStep #review-actions { height: 1; margin: 1 0 0 0; }
    ReviewStep #review-actions Button { margin-right: 2; }
    ReviewStep #review-status { height: auto; color: $text-muted; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._paths: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="review-summary", markup=False)
        yield OptionList(id="review-issues")
        with Horizontal(id="review-actions"):
            yield Button("Submit (F9)", id="review-submit", variant="primary", compact=True)
            yield Button("Copy as curl (ctrl+y)", id="review-curl", compact=True)
            yield Button("Save JSON (ctrl+o)", id="review-save", compact=True)
        yield Static("", id="review-status", markup=False)
        with Horizontal(id="review-body"):
            yield JsonPreview(id="review-json")
            with VerticalScroll(id="review-patch"):
                yield Static("", id="review-patch-lines", markup=False)

    def load(self, doc: dict[str, Any], offer_type: str) -> None:
        return None

    def apply(self, doc: dict[str, Any]) -> None:
        return None  # Review owns no fields

    def show_errors(self, issues: Any, reveal: bool, touched: set[int]) -> None:
        return None  # the list in set_report is the error display here

    def set_report(self, report: Report, json_text: str, offer_type: str) -> None:
        if not self.composed:
            return  # the wizard rebuilds once this step is mounted
        issues = list(report.errors) + list(report.warnings)
        self._paths = [issue.path for issue in issues]
        options = self.query_one("#review-issues", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(issue_line(issue)) for issue in issues])
        if issues:
            # Highlight the first issue from the start, so Enter jumps to it straight away.
            options.highlighted = min(highlighted, len(issues) - 1) if highlighted is not None else 0
        options.set_class(not issues, "-clean")
        if report.errors:
            summary = f"{len(report.errors)} error(s) to fix before submitting"
        else:
            summary = f"Ready to submit this {offer_type} offer"
        if report.warnings:
            summary += f", {len(report.warnings)} warning(s)"
        self.query_one("#review-summary", Static).update(summary + ".")
        status = self.query_one("#review-status", Static)
        if not report.errors and str(status.content).startswith("Not submitted"):
            status.update("")  # the errors F9 refused for are fixed
        self.query_one("#review-json", JsonPreview).update_json(json_text)

    def set_patch(self, lines: list[str] | None) -> None:
        """Edit mode: the JSON Patch F9 sends, one ``op path: old -> new`` line each (None: not editing)."""
        if not self.composed:
            return
        panel = self.query_one("#review-patch")
        panel.set_class(lines is not None, "-edit")
        if lines is None:
            return
        panel.border_title = f"PATCH: {len(lines)} operation{'s' if len(lines) != 1 else ''}"
        summary = self.query_one("#review-summary", Static)
        if str(summary.content).startswith("Ready to submit"):  # no errors: say what F9 does here
            summary.update(f"Ready to send {len(lines)} change{'s' if len(lines) != 1 else ''} as a JSON Patch (F9)."
                           if lines else "No changes to send yet.")
        text = "\n".join(lines) if lines else "No changes yet: F9 has nothing to send."
        self.query_one("#review-patch-lines", Static).update(text)

    def set_status(self, text: str) -> None:
        self.query_one("#review-status", Static).update(text)

    def first_field(self) -> Any:
        options = self.query_one("#review-issues", OptionList)
        return options if self._paths else self.query_one("#review-submit")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._paths):
            self.post_message(JumpToPath(self._paths[event.option_index]))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"review-submit": "submit", "review-curl": "copy_curl", "review-save": "save_json"}
        action = actions.get(event.button.id or "")
        if action:
            event.stop()
            self.screen.run_action(action)  # type: ignore[arg-type]
