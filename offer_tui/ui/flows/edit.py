"""Send an edit: re-read the offer, stop on someone else's change, PATCH, report the new etag.

Never overwrites silently: when the etag (or the content) changed since the offer was opened, the
user sees what changed and chooses to reload it or to re-apply their change on the fresh copy; in
both cases nothing is sent until they press F9 again. An unknown outcome re-reads the offer and
says whether the change is there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from offer_tui.safe_text import terminal_safe
from offer_tui.ui.flows.host import FlowHost, confirm_production
from offer_tui.ui.flows.offer_write import text_of, title_of

if TYPE_CHECKING:
    from offer_tui.ui.flows.library import LibraryFlow
    from offer_tui.ui.screens.wizard import WizardScreen
    from offer_tui.ui.screens.wizard_edit import EditTarget


class EditFlow:
    def __init__(self, host: FlowHost, wizard: "WizardScreen", library: "LibraryFlow") -> None:
        self.host = host
        self.wizard = wizard
        self.library = library
        self.busy = False
        self.last_outcome: Any = None  # the service outcome of the last PATCH

    def start(self, doc: dict[str, Any], edit: "EditTarget") -> bool:
        if self.busy:
            return False
        self.busy = True
        self.host.refresh_bindings()
        self.host.run_worker(self._run(doc, edit), group="edit-flow")
        return True

    async def _run(self, doc: dict[str, Any], edit: "EditTarget") -> None:
        try:
            await self._send(doc, edit)
        finally:
            self.busy = False
            self.host.refresh_bindings()

    async def _send(self, doc: dict[str, Any], edit: "EditTarget") -> None:
        from offer_tui.model.patch import make_edit_patch, server_changes

        title = f"Edit {edit.name}"
        if not await confirm_production(self.host, "change this offer"):
            self.host.notify("Not sent.", title="Production")
            return
        fresh = await self.library.fetch(edit.offer_id, edit.offer_type, title)
        if fresh is None:
            return  # said why; nothing sent
        changes = server_changes(edit.opened, fresh, edit.etag)
        if changes.changed:
            await self._conflict(doc, edit, fresh, changes)
            return
        ops = make_edit_patch(fresh, edit.target(doc))
        if not ops:
            self.host.notify("Nothing to send: the form matches the offer on the server.", title=title)
            return
        self.host.notify(f"Sending {len(ops)} operation(s)...", title=title, timeout=3)
        from offer_tui.service import offers

        client = await self.host.acquire_client()
        outcome = await offers.patch(client, edit.offer_id, edit.offer_type, before=fresh, ops=ops)
        self.last_outcome = outcome
        if outcome.verdict == "refused":
            self.host.notify(text_of(outcome) + "\nYour edits are still in the form.", title=f"{title}: refused",
                             severity="error", timeout=20)
            return
        if outcome.verdict == "unknown":
            applied = outcome.happened
            verdict = "" if applied else "\nYour edits are still in the form; F9 reads the offer again before sending."
            self.host.notify(f"{text_of(outcome)}{verdict}", title=f"{title}: {title_of(outcome)}",
                             severity="information" if applied else "warning", timeout=30)
            if not applied:
                return  # the edit stays based on the copy opened: F9's re-read shows any change since
            await self._done(outcome.offer, edit, None)
            return
        after = await self.library.fetch(edit.offer_id, edit.offer_type, title)
        await self._done(after, edit, outcome.result)

    async def _done(self, after: dict[str, Any] | None, edit: "EditTarget", result: Any) -> None:
        from offer_tui.ui.screens.success import SuccessScreen

        self.host.saver.discard()
        self.wizard.mark_clean()
        if after is not None:
            await self.wizard.start_edit(after, edit.offer_type)  # further edits start from the new etag
            self.library.offer_changed(after, edit.offer_type)
        etag = result.etag if result is not None else (after or {}).get("etag")
        name = terminal_safe((after or {}).get("name") or edit.name, limit=80, one_line=True)
        screen = SuccessScreen(result, edit.offer_type, name, mode="edit",
                               etag=terminal_safe(etag, limit=20), offer_id=edit.offer_id)
        self.host.push_screen(screen, self._after_success)

    def _after_success(self, choice: str | None) -> None:
        if choice == "library":
            self.library.open()

    async def _conflict(self, doc: dict[str, Any], edit: "EditTarget", fresh: dict[str, Any], changes: Any) -> None:
        from offer_tui.model.patch import reapply
        from offer_tui.ui.screens.confirm import ConfirmScreen
        from offer_tui.ui.screens.edit_conflict import EditConflictScreen

        mine = edit.patch(doc)
        answer = await self.host.push_screen_wait(
            EditConflictScreen(changes.summary, changes.lines, edit.patch_lines(mine)))
        step = self.wizard.current
        if answer == "reload":
            question = f"Drop your {len(mine)} change(s) and load the offer as the server has it now?"
            if await self.host.push_screen_wait(ConfirmScreen("Reload the offer", question, "drop my edits",
                                                              "keep them")):
                self.host.saver.discard()
                await self.wizard.start_edit(fresh, edit.offer_type, step=step)
                self.host.notify(f"Reloaded: etag {terminal_safe(fresh.get('etag'), limit=20)}.", title="Edit")
        elif answer == "reapply":
            result = reapply(mine, edit.opened, fresh)
            await self.wizard.start_edit(fresh, edit.offer_type, doc=result.doc, step="review", dirty=True)
            skipped = "\n".join(result.lines)
            self.host.notify(
                f"Your change is on the fresh copy (etag {terminal_safe(fresh.get('etag'), limit=20)}): review it, "
                "then F9 sends it." + (f"\n{skipped}" if skipped else ""),
                title="Re-applied", severity="warning" if skipped else "information", timeout=20)
        else:
            self.host.notify("Nothing sent; your edits are still in the form.", title="Edit")

