"""The small protocol every wizard step implements, and shared form helpers."""

from __future__ import annotations

from typing import Any, ClassVar, Iterable

from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from offer_tui.model import Issue, path_in_words


class WizardStep(VerticalScroll):
    """One page of the wizard. Stays mounted in the ContentSwitcher, so nothing is lost on Back/Next.

    - ``load(doc, offer_type)`` fills the widgets from a document (called once per document);
    - ``apply(doc)`` writes this step's keys into ``doc`` (keys it does not know stay untouched);
    - ``show_errors(issues)`` marks the widgets at fault and lists the messages;
    - ``widget_for(tokens)`` maps an issue path (split) to the widget to focus.

    Only Basics is mounted before the first frame; the wizard mounts the other steps later. So
    ``load`` and ``apply`` must work before the step is composed: an unmounted step keeps what
    ``load`` gave it, composes its widgets from that, and ``apply`` writes it as the widgets would.
    """

    STEP_ID: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    DEFAULT_CSS = """
    WizardStep { padding: 0 1; }
    """

    @property
    def composed(self) -> bool:
        """True once the step's widgets exist (mounted and composed)."""
        return self.is_mounted and bool(self.children)

    def load(self, doc: dict[str, Any], offer_type: str) -> None:  # pragma: no cover - protocol
        raise NotImplementedError

    def apply(self, doc: dict[str, Any]) -> None:  # pragma: no cover - protocol
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        """This step's keys only, as they will be sent."""
        doc: dict[str, Any] = {}
        self.apply(doc)
        return doc

    def widget_for(self, tokens: list[str | int]) -> Widget | None:
        return None

    def first_field(self) -> Widget | None:
        """The first field to type in (buttons only when the step has no fields)."""
        fallback = None
        for widget in self.query("Input, Select, Choice, TextArea, Checkbox, Button, OptionList"):
            if not widget.focusable or not all(node.display for node in widget.ancestors_with_self
                                                if node is not self.screen):
                continue
            if not isinstance(widget, Button):
                return widget
            fallback = fallback or widget
        return fallback

    def show_errors(self, issues: Iterable[Issue], reveal: bool, touched: set[int]) -> None:
        """Mark fields at fault. Unless ``reveal``, only fields the user already touched are marked."""
        if not self.composed:
            return
        for widget in self.query(".error"):
            widget.remove_class("error")
        shown: list[str] = []
        for issue in issues:
            widget = self.widget_for(_tokens(issue.path))
            if not reveal and (widget is None or id(widget) not in touched):
                continue
            if widget is not None and issue.severity == "error":
                widget.add_class("error")
            marker = "✗" if issue.severity == "error" else "!"
            shown.append(f"{marker} {_label(issue.path)}: {issue.message}")
        summary = self.query_one(".step-errors", Static)
        summary.update("\n".join(shown))
        summary.display = bool(shown)


def _tokens(path: str) -> list[str | int]:
    from offer_tui.ui.issue_steps import split_path

    return split_path(path)


def _label(path: str) -> str:
    return path_in_words(path)


def row(label: str, widget: Widget, *extra: Widget, classes: str = "") -> Horizontal:
    """A labelled form row: fixed label column, field filling the rest."""
    return Horizontal(Label(label, classes="field-label"), widget, *extra, classes=f"row {classes}".strip())


def error_summary() -> Static:
    summary = Static("", classes="step-errors", markup=False)
    summary.display = False
    return summary


def int_or_text(text: str) -> int | str:
    """An integer when the text is one; otherwise the text itself, so validation names the problem."""
    stripped = text.strip()
    try:
        return int(stripped)
    except ValueError:
        return text


def input_text(value: Any) -> str:
    return "" if value is None else str(value)


def set_input(widget: Input, value: Any) -> None:
    widget.value = input_text(value)
