"""The offer changed on the server since it was opened: say what changed, then reload or re-apply.

Nothing is sent from here: re-applying puts the user's change on the fresh copy in the wizard, and
F9 sends it after they have looked. Dismisses "reapply", "reload" or None (cancel).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class EditConflictScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("a", "answer('reapply')", "Re-apply mine", id="conflict-reapply"),
        Binding("l", "answer('reload')", "Reload theirs", id="conflict-reload"),
        Binding("escape", "answer('')", "Cancel", id="conflict-cancel"),
    ]
    DEFAULT_CSS = """
    EditConflictScreen { align: center middle; }
    EditConflictScreen > Vertical { width: 95%; max-width: 110; height: auto; max-height: 100%;
                                    border: thick $warning; background: $surface; padding: 0 1; }
    EditConflictScreen #conflict-title { text-style: bold; color: $warning; }
    EditConflictScreen #conflict-summary { max-height: 3; }
    EditConflictScreen VerticalScroll { height: auto; max-height: 16; }
    /* Docked: the choices stay on screen however long the lists (the lists scroll instead). */
    EditConflictScreen #conflict-keys { color: $text-muted; dock: bottom; border-top: solid $warning 40%; }
    """

    def __init__(self, summary: str, theirs: list[str], mine: list[str]) -> None:
        super().__init__()
        self.summary = summary
        self.theirs = theirs
        self.mine = mine

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Changed on the server: nothing was sent", id="conflict-title", markup=False)
            yield Static(self.summary, id="conflict-summary", markup=False)
            with VerticalScroll():
                text = ["", "What changed on the server:"] + [f"  {line}" for line in self.theirs or ["(etag only)"]]
                text += ["", "Your change:"] + [f"  {line}" for line in self.mine or ["(nothing)"]]
                yield Static("\n".join(text), id="conflict-lines", markup=False)
            yield Label("a: re-apply mine on the fresh copy (review, then F9)\n"
                        "l: reload theirs (drops my edits, after a confirm)\n"
                        "Esc: cancel (nothing sent, edits kept)", id="conflict-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)
