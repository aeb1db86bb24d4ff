"""The library's flows: open it, open an offer in the wizard (edit or clone), approve / archive,
delete. Each runs in a worker, reads the offer fresh first, and says what happened.
"""

from __future__ import annotations

import asyncio
import copy
from typing import TYPE_CHECKING, Any

from offer_tui.log import swallowed
from offer_tui.model import strip_server_fields
from offer_tui.safe_text import terminal_safe
from offer_tui.ui.flows.host import FlowHost, confirm_production
from offer_tui.ui.flows.offer_write import severity_of, text_of, title_of
from offer_tui.ui.screens.offer_actions import OfferAction
from offer_tui.ui.widgets.offer_table import OfferRow

if TYPE_CHECKING:
    from offer_tui.ui.screens.library import LibraryScreen
    from offer_tui.ui.screens.wizard import WizardScreen

STATUS_OF = {"approve": "approved", "archive": "archived"}


def copy_name(name: str) -> str:
    """The name a clone starts with: marked as a copy, so two offers never look alike by accident."""
    return f"{name} (copy)" if name else "(copy)"


class LibraryFlow:
    def __init__(self, host: FlowHost, wizard: "WizardScreen") -> None:
        self.host = host
        self.wizard = wizard
        self.busy = False  # one write at a time from the library
        self.last_outcome: Any = None  # the service outcome of the last write (tests compare it with the CLI's)

    # -- the screen ---------------------------------------------------------------------------------
    def library(self) -> "LibraryScreen":
        from offer_tui.ui.screens.library import LibraryScreen

        if not self.host.is_screen_installed("library"):
            self.host.install_screen(LibraryScreen(self.host.acquire_client,
                                                   placements=lambda: self.host.placements), "library")
            self.host.want_catalog()  # placement names for the open offer
        return self.host.get_screen("library")  # type: ignore[return-value]

    def open(self) -> None:
        """Show the library (over the wizard); a second call while it shows does nothing."""
        library = self.library()
        if library not in self.host.screen_stack:
            self.host.push_screen(library)

    def back_to_wizard(self) -> None:
        while self.host.screen is not self.wizard and len(self.host.screen_stack) > 1:
            self.host.pop_screen()

    # -- actions ------------------------------------------------------------------------------------
    def handle(self, message: OfferAction) -> None:
        row = message.row
        if message.action == "copy":
            from offer_tui.ui.flows.copy import open_copy

            open_copy(self.host, message)
            return
        if message.action in ("clone", "edit"):
            self.host.run_worker(self.open_in_wizard(row.offer_id, row.offer_type, message.action),
                                 group="library-open")
            return
        if self.busy:
            self.host.notify("Another change is being sent; wait for it.", title="Library")
            return
        self.busy = True
        work = self._set_status(row, STATUS_OF[message.action]) if message.action in STATUS_OF else self._delete(row)
        self.host.run_worker(self._guarded(work), group="library-write")

    async def _guarded(self, work: Any) -> None:
        try:
            await work
        finally:
            self.busy = False

    async def open_in_wizard(self, offer_id: str, offer_type: str, mode: str) -> bool:
        """Fetch the offer and load it into the wizard: ``edit`` (a PATCH on F9) or ``clone`` (a new offer)."""
        from offer_tui.model import guess_offer_type

        offer_type = offer_type or guess_offer_type({"id": offer_id}) or "personalized"
        offer = await self.fetch(offer_id, offer_type, mode.capitalize())
        if offer is None:
            return False
        doc, _ = strip_server_fields(offer)
        self.back_to_wizard()
        if mode == "clone":
            doc["name"] = copy_name(str(doc.get("name") or ""))
            if doc.get("status") != "draft":
                doc["status"] = "draft"  # a copy starts as a draft, whatever the original was
            await self.wizard.load_document(doc, offer_type, based_on=offer_id)
        else:
            await self.wizard.start_edit(offer, offer_type)
        return True

    async def fetch(self, offer_id: str, offer_type: str, title: str) -> dict[str, Any] | None:
        from offer_tui.api import ApiError

        # Over a slow link the re-read takes seconds before the confirmation shows: say so, so a
        # key pressed meanwhile is not a surprise.
        slow = asyncio.get_running_loop().call_later(
            0.3, lambda: self.host.notify(f"Reading {offer_id} first...", title=title, timeout=3))
        try:
            client = await self.host.acquire_client()
            return await client.get_offer(offer_id, offer_type)
        except ApiError as error:
            message = str(error)
        except Exception as error:  # a notification, never a traceback
            swallowed(f"reading {offer_id} for {title}")
            message = f"{type(error).__name__}: {error}"
        finally:
            slow.cancel()
        self.host.notify(f"Could not read {offer_id}: {terminal_safe(message, limit=400)}", title=title,
                         severity="error", timeout=10)
        return None

    async def _set_status(self, row: OfferRow, status: str) -> None:
        from offer_tui.model.patch import patch_lines
        from offer_tui.service import offers
        from offer_tui.ui.screens.confirm import ConfirmScreen

        title = "Approve" if status == "approved" else "Archive"
        offer = await self.fetch(row.offer_id, row.offer_type, title)
        if offer is None:
            return
        name = terminal_safe(offer.get("name", ""), limit=120, one_line=True)
        ops = offers.status_ops(offer, status)
        if not ops:
            self.host.notify(f"“{name}” is already {status}.", title=title)
            return
        line = patch_lines(ops, offer)[0]
        question = f"“{name}” (etag {offer.get('etag')})\nPATCH {row.offer_id}\n  {line}"
        if not await self.host.push_screen_wait(ConfirmScreen(f"{title} this offer?", question,
                                                              "send the patch", "keep it as it is")):
            return
        if not await confirm_production(self.host, f"set the offer's status to {status}"):
            return
        client = await self.host.acquire_client()
        outcome = await offers.patch(client, row.offer_id, row.offer_type, before=offer, ops=ops)
        self.last_outcome = outcome
        if outcome.verdict == "done":
            self.host.notify(f"“{name}” is now {status} (etag {terminal_safe(outcome.receipt.get('etag'), limit=20)}).",
                             title=title)
        if outcome.happened:
            fresh = getattr(outcome, "offer", None) or await self.fetch(row.offer_id, row.offer_type, title)
            if fresh is not None:
                self.offer_changed(fresh, row.offer_type)
        if outcome.verdict != "done":
            self._report(title, outcome)
        if getattr(outcome, "offer", None) is not None:
            self.offer_changed(outcome.offer, row.offer_type)

    async def _delete(self, row: OfferRow) -> None:
        from offer_tui.service import offers
        from offer_tui.ui.screens.confirm_delete import ConfirmOfferDeleteScreen

        offer = await self.fetch(row.offer_id, row.offer_type, "Delete")
        if offer is None:
            return
        name = str(offer.get("name") or "")
        shown = terminal_safe(name, limit=200, one_line=True)
        confirm = ConfirmOfferDeleteScreen(shown, row.offer_id, row.offer_type,
                                           terminal_safe(offer.get("status", ""), limit=20, one_line=True))
        if not await self.host.push_screen_wait(confirm):
            return
        if not await confirm_production(self.host, "delete this offer"):
            return
        client = await self.host.acquire_client()
        outcome = await offers.delete(client, row.offer_id, row.offer_type)
        self.last_outcome = outcome
        if outcome.verdict != "done":
            self._report("Delete", outcome)
        if outcome.happened:  # confirmed, or the re-read found it gone
            self.host.notify(f"Deleted “{shown}” ({row.offer_id}).", title="Delete")
            self.offer_deleted(row.offer_id)

    def _report(self, title: str, outcome: Any) -> None:
        self.host.notify(text_of(outcome), title=f"{title}: {title_of(outcome)}", severity=severity_of(outcome),
                         timeout=20)

    # -- keeping the library and an open offer up to date ---------------------------------------
    def offer_changed(self, offer: dict[str, Any], offer_type: str) -> None:
        from offer_tui.ui.screens.offer_detail import OfferDetailScreen

        for screen in self.host.screen_stack:
            if isinstance(screen, OfferDetailScreen):
                screen.offer_changed(copy.deepcopy(offer), offer_type)
        if self.host.is_screen_installed("library"):  # also when the wizard is in front of it
            self.library().offer_changed(offer, offer_type)

    def offer_deleted(self, offer_id: str) -> None:
        from offer_tui.ui.screens.offer_detail import OfferDetailScreen

        if isinstance(self.host.screen, OfferDetailScreen) and self.host.screen.row.offer_id == offer_id:
            self.host.pop_screen()
        if self.host.is_screen_installed("library"):
            self.library().offer_deleted(offer_id)
