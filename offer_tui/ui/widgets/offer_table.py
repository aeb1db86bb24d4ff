"""The library's table of offers: one row per offer, server text made terminal-safe, a mark column.

Rows are keyed by offer id. Only what a row shows (and the name, status and etag the actions
need) is kept; opening an offer fetches it again, so 1,000 rows cost little memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from offer_tui.safe_text import terminal_safe

COLUMNS = (("mark", " "), ("name", "Name"), ("status", "Status"), ("type", "Type"), ("priority", "Prio"),
           ("window", "Start - End"), ("modified", "Last modified"), ("id", "Id"))
NAME_WIDTH = 32
NEAR_END = 10  # rows from the end at which the next page is asked for


@dataclass
class OfferRow:
    offer_id: str
    name: str
    status: str
    offer_type: str
    etag: Any


def _date(value: Any, with_time: bool = False) -> str:
    text = terminal_safe(value or "", limit=40, one_line=True)
    if len(text) >= 10 and text[4] == "-":
        return text[:16].replace("T", " ") if with_time else text[:10]
    return text or "-"


def _window(start: Any, end: Any) -> str:
    """``2026-12-01 - 2027-01-15``; an open side in words, never ``- - -`` or ``2026-01-01 - -``."""
    if start and end:
        return f"{_date(start)} - {_date(end)}"
    if start:
        return f"from {_date(start)}"
    return f"until {_date(end)}" if end else "any time"


def row_cells(offer: dict[str, Any], offer_type: str) -> tuple[OfferRow, tuple[str, ...]]:
    """The row (for the actions) and the cells (for the table) of one offer as the server listed it."""
    name = terminal_safe(offer.get("name", ""), limit=200, one_line=True)
    status = terminal_safe(offer.get("status", ""), limit=20, one_line=True)
    sc = offer.get("selectionConstraint") if isinstance(offer.get("selectionConstraint"), dict) else {}
    rank = offer.get("rank") if isinstance(offer.get("rank"), dict) else {}
    priority = rank.get("priority", "")
    offer_id = terminal_safe(offer.get("id", ""), limit=120, one_line=True)
    short = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
    cells = ("", short, status, "pers" if offer_type == "personalized" else "fall",
             terminal_safe(priority, limit=8, one_line=True) if priority != "" else "-",
             _window(sc.get("startDate"), sc.get("endDate")),
             _date(offer.get("modified"), with_time=True), offer_id)
    return OfferRow(offer_id, name, status, offer_type, offer.get("etag")), cells


class OfferTable(DataTable):
    """A DataTable that says when the cursor or the scroll comes near the last loaded row."""

    BINDINGS = [
        # Not in the footer (the actions need the room at 80 columns): F1 and the palette list it.
        Binding("space", "toggle_mark", "Mark", id="library-mark", show=False, tooltip="Mark or unmark the row"),
    ]

    class NearEnd(Message):
        """Time to load the next page."""

    class MarksChanged(Message):
        """A row was marked or unmarked."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.offers: dict[str, OfferRow] = {}
        self.marked: set[str] = set()

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def add_offers(self, offers: list[dict[str, Any]], offer_type: str) -> int:
        added = 0
        for offer in offers:
            row, cells = row_cells(offer, offer_type)
            if not row.offer_id or row.offer_id in self.offers:
                continue  # a page that overlaps the last one (an offer moved): show it once
            self.offers[row.offer_id] = row
            self.add_row(*cells, key=row.offer_id)
            added += 1
        return added

    def update_offer(self, offer: dict[str, Any], offer_type: str) -> None:
        """Show a fresh copy of one offer in its row (after an edit or a status change)."""
        row, cells = row_cells(offer, offer_type)
        if row.offer_id not in self.offers:
            return
        self.offers[row.offer_id] = row
        for (key, _), value in zip(COLUMNS[1:], cells[1:]):
            self.update_cell(row.offer_id, key, value)

    def remove_offer(self, offer_id: str) -> None:
        if offer_id in self.offers:
            del self.offers[offer_id]
            self.marked.discard(offer_id)
            self.remove_row(offer_id)

    def reset(self) -> None:
        self.offers.clear()
        self.marked.clear()
        self.clear()

    @property
    def current(self) -> OfferRow | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self.offers.get(str(key))

    def action_toggle_mark(self) -> None:
        row = self.current
        if row is None:
            return
        if row.offer_id in self.marked:
            self.marked.discard(row.offer_id)
        else:
            self.marked.add(row.offer_id)
        self.update_cell(row.offer_id, "mark", "●" if row.offer_id in self.marked else "")
        self.post_message(self.MarksChanged())

    def near_end(self) -> bool:
        """The cursor, or the bottom of the view, is within ``NEAR_END`` rows of the last loaded row."""
        if not self.row_count:
            return False
        bottom = self.scroll_y + self.scrollable_content_region.height
        return max(self.cursor_coordinate.row, bottom) >= self.row_count - NEAR_END

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if self.near_end():
            self.post_message(self.NearEnd())

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.near_end():
            self.post_message(self.NearEnd())
