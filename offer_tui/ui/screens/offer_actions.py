"""The keys the library and an open offer share, and the message they post to the app.

The screens only say what the user asked for (``OfferAction``); the app's flows do it (fetch,
confirm, send, report) and tell the library what changed. Copy (to another sandbox) is one of
those actions: it carries the marked offers' ids. Copy id is done in place.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from offer_tui.ui.widgets.offer_table import OfferRow

ACTIONS = ("clone", "edit", "approve", "archive", "delete", "copy", "tag")
MANY = ("approve", "archive", "delete", "copy", "tag")  # act on the marked rows when there are any
OFFER_ONLY = ("clone", "edit", "approve", "archive", "copy", "tag")  # other kinds: delete (and copy id) only

OFFER_ACTION_BINDINGS = [
    Binding("c", "offer('clone')", "Clone", id="offer-clone", tooltip="Clone: a new offer in the wizard from a copy"),
    Binding("e", "offer('edit')", "Edit", id="offer-edit", tooltip="Edit the offer in the wizard (sent as a JSON Patch)"),
    Binding("a", "offer('approve')", "Approve", id="offer-approve", tooltip="Approve: set the status to approved"),
    Binding("x", "offer('archive')", "Archive", id="offer-archive", tooltip="Archive: set the status to archived"),
    Binding("d", "offer('delete')", "Delete", id="offer-delete", tooltip="Delete the offer (type its name to confirm)"),
    Binding("y", "copy_id", "Copy id", id="offer-copy-id", tooltip="Copy the offer's id to the clipboard"),
    Binding("r,f5", "refresh", "Refresh", id="offer-refresh", key_display="r/F5", tooltip="Fetch again from the server (also retries)"),
]


class OfferAction(Message):
    """Clone, edit, approve, archive, delete or copy ``row`` (handled by the app's library flow).
    ``offer_ids``: for copy, the marked offers (the row's alone when none is marked)."""

    def __init__(self, action: str, row: OfferRow, offer_ids: list[str] | None = None,
                 rows: list[OfferRow] | None = None) -> None:
        super().__init__()
        self.action = action
        self.row = row
        self.offer_ids = offer_ids or [row.offer_id]
        self.rows = rows or [row]  # the marked rows an action on many acts on (the row alone if none)


class OfferActions:
    """Mixin for a screen that has a current offer (``current_row``)."""

    def current_row(self) -> OfferRow | None:
        raise NotImplementedError

    def marked_ids(self) -> list[str]:
        """The marked offers (none here; the library has marks)."""
        return []

    def marked_rows(self) -> list[OfferRow]:
        return []

    def action_offer(self, action: str) -> None:
        row = self.current_row()
        if row is None:
            self.notify("No offer selected." if action != "copy" else "No offer to copy: mark offers with space.",
                        title=action.capitalize())  # type: ignore[attr-defined]
            return
        rows = self.marked_rows() if action in MANY else []
        self.post_message(OfferAction(action, row, [r.offer_id for r in rows] or None, rows or None))  # type: ignore[attr-defined]

    def action_copy_id(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self.app.copy_to_clipboard(row.offer_id)  # type: ignore[attr-defined]
        self.notify(f"Copied {row.offer_id}", title="Copy id")  # type: ignore[attr-defined]


class OpenObjectKeys(OfferActions):
    """What every open-object screen (an offer, or any other kind) shares: its one row, Esc back,
    and the way back to the library."""

    row: OfferRow

    def current_row(self) -> OfferRow | None:
        return self.row

    def action_back(self) -> None:
        self.dismiss()  # type: ignore[attr-defined]

    def action_to_library(self) -> None:
        # By id, not class: importing the library here would make an import circle.
        app = self.app  # type: ignore[attr-defined]
        while app.screen.id != "library" and len(app.screen_stack) > 1:
            app.pop_screen()
