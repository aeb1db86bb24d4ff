"""On start: resume the unsubmitted draft, or discard it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from offer_tui.drafts import Draft


class ResumeDraftScreen(ModalScreen[bool]):
    """Dismisses with True to resume, False to discard."""

    BINDINGS = [
        Binding("escape", "resume", "Resume", id="resume-escape", show=False),
        Binding("ctrl+d", "discard", "Discard", id="resume-discard"),
    ]
    DEFAULT_CSS = """
    ResumeDraftScreen { align: center middle; }
    ResumeDraftScreen > Vertical { width: 70; max-width: 95%; height: auto; border: round $warning;
                                   background: $surface; padding: 0 1; }
    ResumeDraftScreen Horizontal { height: auto; margin-top: 1; }
    ResumeDraftScreen Button { margin-right: 2; }
    """

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        name = self.draft.doc.get("name") or "(no name yet)"
        reps = self.draft.doc.get("representations")
        count = len(reps) if isinstance(reps, list) else 0
        with Vertical():
            yield Static("An unsubmitted draft was found.", classes="section-title")
            yield Static(
                f"Name: {name}\nType: {self.draft.offer_type}, {count} representation(s), "
                f"last on step {self.draft.step}.",
                markup=False,
            )
            with Horizontal():
                yield Button("Resume", id="resume", variant="primary")
                yield Button("Discard (ctrl+d)", id="discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#resume").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume")

    def action_resume(self) -> None:
        self.dismiss(True)

    def action_discard(self) -> None:
        self.dismiss(False)
