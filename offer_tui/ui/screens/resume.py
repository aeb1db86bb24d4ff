"""On start: the unsubmitted drafts no running instance owns; resume one, discard one, or start new.

Drafts of a wizard still running elsewhere (another SSH session) are not listed at all, so they can
be neither resumed twice nor deleted here (see ``offer_tui.drafts``).
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from offer_tui.drafts import DraftInfo, DraftStore, describe_age


def step_title(step_id: str) -> str:
    """'representations' -> 'Representations' (the title the wizard shows), unknown ids as they are."""
    from offer_tui.ui.screens.wizard import STEP_CLASSES

    return next((cls.TITLE for cls in STEP_CLASSES if cls.STEP_ID == step_id), step_id)


def describe_draft(info: DraftInfo, now: float | None = None) -> str:
    """One line: name, offer type and representations, step title, age."""
    reps = info.draft.doc.get("representations")
    count = len(reps) if isinstance(reps, list) else 0
    age = describe_age((now if now is not None else time.time()) - info.saved_at)
    name = info.name or "(no name yet)"
    if len(name) > 40:
        name = name[:39] + "…"
    return (f"{name} · {info.draft.offer_type}, {count} representation{'s' * (count != 1)} · "
            f"on {step_title(info.draft.step)} · saved {age}")


class ResumeDraftScreen(ModalScreen["DraftInfo | None"]):
    """Dismisses with the draft to resume, or None to start a new offer (the drafts are kept)."""

    BINDINGS = [
        Binding("enter", "resume", "Resume", id="resume-enter", show=False),
        Binding("ctrl+d", "discard", "Discard", id="resume-discard"),
        Binding("escape,ctrl+n", "new_offer", "New offer", id="resume-new"),
    ]
    DEFAULT_CSS = """
    ResumeDraftScreen { align: center middle; }
    ResumeDraftScreen > Vertical { width: 100; max-width: 95%; height: auto; max-height: 90%;
                                   border: round $warning; background: $surface; padding: 0 1; }
    ResumeDraftScreen OptionList { height: auto; max-height: 12; margin-top: 1; }
    ResumeDraftScreen #resume-keys { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, drafts: list[DraftInfo], store: DraftStore) -> None:
        super().__init__()
        self.drafts = list(drafts)
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(), id="resume-title", classes="section-title", markup=False)
            yield OptionList(*self._options(), id="resume-list")
            yield Static("Enter: resume   ctrl+d: discard the highlighted draft   Esc: new offer (drafts kept)",
                         id="resume-keys", markup=False)

    def _title(self) -> str:
        count = len(self.drafts)
        return "An unsubmitted draft was found." if count == 1 else f"{count} unsubmitted drafts were found."

    def _options(self) -> list[Option]:
        now = time.time()
        return [Option(describe_draft(info, now), id=info.id) for info in self.drafts]

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def _highlighted(self) -> DraftInfo | None:
        index = self.query_one(OptionList).highlighted
        return self.drafts[index] if index is not None and 0 <= index < len(self.drafts) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.drafts[event.option_index])

    def action_resume(self) -> None:
        info = self._highlighted()
        if info is not None:
            self.dismiss(info)

    def action_new_offer(self) -> None:
        self.dismiss(None)

    def action_discard(self) -> None:
        from offer_tui.ui.screens.confirm import ConfirmScreen

        info = self._highlighted()
        if info is None:
            return
        question = f"Delete the draft {describe_draft(info)}? It cannot be brought back."
        self.app.push_screen(ConfirmScreen("Discard draft", question, "delete it", "keep it"),
                             lambda yes: self._discard(info) if yes else None)

    def _discard(self, info: DraftInfo) -> None:
        if not self.store.discard(info):
            self.notify("Another offer-tui has just opened this draft: it was not deleted.",
                        title="Draft", severity="warning")
        self.drafts.remove(info)
        if not self.drafts:
            self.dismiss(None)
            return
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = 0
        self.query_one("#resume-title", Static).update(self._title())
