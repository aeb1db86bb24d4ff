"""The app's side of drafts: offer the unsubmitted drafts at start, and never quit silently while
the draft cannot be saved. A mixin for ``OfferTuiApp`` (kept apart so app.py stays small).

Draft files, ownership and the corrupt-file handling live in ``offer_tui.drafts`` (no Textual).
"""

from __future__ import annotations

from typing import Any

from offer_tui.drafts import DraftInfo


class DraftFlow:
    """Needs ``self.saver`` (a DraftSaver), ``self.wizard`` and the App API."""

    saver: Any
    wizard: Any

    async def offer_drafts(self) -> None:
        """List the drafts nobody owns (corrupt ones were moved aside: say so) and let the user
        resume one, discard some, or start new. This instance's own draft is claimed after the
        first frame (``OfferTuiApp._after_first_frame``), before anything can be written."""
        app: Any = self
        store = self.saver.store
        drafts = store.others()
        for problem in store.problems:
            app.notify(f"{problem}\nStarting clean.", title="Draft", severity="warning", timeout=20)
        store.problems.clear()
        await self.wizard.load_document(None)
        if not drafts:
            return
        from offer_tui.ui.screens.resume import ResumeDraftScreen

        self.saver.suspended = True  # nothing is written before the user decides
        app.push_screen(ResumeDraftScreen(drafts, store), self._draft_chosen)

    async def _draft_chosen(self, info: DraftInfo | None) -> None:
        app: Any = self
        self.saver.suspended = False
        if info is None:
            return
        if not self.saver.store.adopt(info):
            app.notify("Another offer-tui has just opened that draft; starting with an empty offer.",
                       title="Draft", severity="warning", timeout=15)
            return
        draft = info.draft
        if draft.edit is not None:  # an edit resumes as an edit: F9 checks the etag, then sends a patch
            await self.wizard.start_edit(draft.edit["opened"], draft.offer_type, doc=draft.doc, step=draft.step,
                                         dirty=True)
            return
        await self.wizard.load_document(draft.doc, draft.offer_type, based_on=draft.based_on, step=draft.step,
                                        dirty=True)

    def quit_or_warn(self) -> None:
        """Quit (ctrl+q) after a last flush; if the draft cannot be written, ask first."""
        app: Any = self
        app.flush_draft()
        error = self.saver.failing
        if error is None:
            app.exit(0)
            return
        from offer_tui.ui.screens.unsaved_quit import UnsavedQuitScreen

        reason = error.strerror or str(error) or type(error).__name__
        app.push_screen(UnsavedQuitScreen(reason, str(self.saver.store.folder)), self._unsaved_quit_answered)

    def _unsaved_quit_answered(self, choice: str | None) -> None:
        app: Any = self
        if choice == "quit":
            app.exit(0)
        elif choice == "save":
            from offer_tui.model import to_json
            from offer_tui.ui.screens.save import SaveJsonScreen

            self.wizard.rebuild(schedule=False)
            app.push_screen(SaveJsonScreen(to_json(self.wizard.doc), self.wizard.default_save_name()),
                            lambda path: app.exit(0) if path else None)
