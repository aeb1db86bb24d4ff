"""The library's table: one row per object, server text made terminal-safe, a mark column.

Rows are keyed by object id. Only what a row shows (and the name, status and etag the actions
need) is kept; opening an object fetches it again, so 1,000 rows cost little memory. The columns
come from a :class:`~offer_tui.ui.widgets.kind_columns.TableSpec` (offers by default), so every
kind of the library uses this one table.

Marks are kept by id with the row they were made on, and survive a refresh or a new filter: a
marked object that the new listing does not show is still marked (the bar counts it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from offer_tui.safe_text import terminal_safe

NAME_WIDTH = 32
NEAR_END = 10  # rows from the end at which the next page is asked for
SHORT_ID = 8  # the end of an id that tells two apart (the start is the kind's common prefix)


@dataclass
class OfferRow:
    offer_id: str
    name: str
    status: str
    offer_type: str | None
    etag: Any
    kind: str = "offers"  # the kind word (model/kinds.py): offers, fallbacks, decisions, ...


def short_id(object_id: str) -> str:
    """``…83ccd427``: the distinguishing end of an id, not the ``dps:personalized-offer:`` every
    id of a kind shares."""
    return object_id if len(object_id) <= SHORT_ID + 1 else "…" + object_id[-SHORT_ID:]


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


def fit(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# Name, status and the short id first: at 80 columns they are what is visible.
COLUMNS = (("mark", " "), ("name", "Name"), ("status", "Status"), ("id", "Id"), ("type", "Type"),
           ("priority", "Prio"), ("window", "Start - End"), ("modified", "Last modified"))


def row_cells(offer: dict[str, Any], offer_type: str) -> tuple[OfferRow, tuple[str, ...]]:
    """The row (for the actions) and the cells (for the table) of one offer as the server listed it."""
    name = terminal_safe(offer.get("name", ""), limit=200, one_line=True)
    status = terminal_safe(offer.get("status", ""), limit=20, one_line=True)
    sc = offer.get("selectionConstraint") if isinstance(offer.get("selectionConstraint"), dict) else {}
    rank = offer.get("rank") if isinstance(offer.get("rank"), dict) else {}
    priority = rank.get("priority", "")
    offer_id = terminal_safe(offer.get("id", ""), limit=120, one_line=True)
    cells = ("", fit(name), status, short_id(offer_id), "pers" if offer_type == "personalized" else "fall",
             terminal_safe(priority, limit=8, one_line=True) if priority != "" else "-",
             _window(sc.get("startDate"), sc.get("endDate")),
             _date(offer.get("modified"), with_time=True))
    kind = "offers" if offer_type == "personalized" else "fallbacks"
    return OfferRow(offer_id, name, status, offer_type, offer.get("etag"), kind), cells


class OfferTable(DataTable):
    """A DataTable that says when the cursor or the scroll comes near the last loaded row."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="library-open-row", key_display="Enter", tooltip="Open the highlighted row"),
        Binding("space", "toggle_mark", "Mark", id="library-mark", key_display="space",
                tooltip="Mark or unmark the row and move down (actions then act on the marked rows)"),
        Binding("j", "cursor_down", "Down", id="library-down", show=False, tooltip="Next row"),
        Binding("k", "cursor_up", "Up", id="library-up", show=False, tooltip="Previous row"),
        Binding("g,home", "first_row", "First", id="library-first", show=False, tooltip="First row (g or Home)"),
        Binding("G,end", "last_row", "Last", id="library-last", show=False,
                tooltip="Last loaded row (G or End)"),
    ]

    class NearEnd(Message):
        """Time to load the next page."""

    class MarksChanged(Message):
        """A row was marked or unmarked."""

    def __init__(self, columns: tuple[tuple[str, str], ...] = COLUMNS, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.columns_spec = columns
        self.offers: dict[str, OfferRow] = {}
        self.marked: dict[str, OfferRow] = {}

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        # Also called by add_rows_of: a fast first page can arrive before this table's Mount, and
        # rows added before their columns keep the headers' widths (cells cut to "Wint").
        if self.columns:
            return
        for key, label in self.columns_spec:
            self.add_column(label, key=key)

    def set_columns(self, columns: tuple[tuple[str, str], ...]) -> None:
        """Another kind: its own columns (rows and marks go; marks are per kind)."""
        self.columns_spec = columns
        self.offers.clear()
        self.marked.clear()
        self.clear(columns=True)
        self._add_columns()

    def add_rows_of(self, rows: list[tuple[OfferRow, tuple[str, ...]]]) -> int:
        self._add_columns()
        added = 0
        for row, cells in rows:
            if not row.offer_id or row.offer_id in self.offers:
                continue  # a page that overlaps the last one (an object moved): show it once
            self.offers[row.offer_id] = row
            if row.offer_id in self.marked:
                self.marked[row.offer_id] = row
                cells = ("●",) + tuple(cells[1:])
            self.add_row(*cells, key=row.offer_id)
            added += 1
        if added:
            self._measure_now()
        return added

    def _measure_now(self) -> None:
        """Size the columns to the rows just added, now. DataTable measures them on its next Idle;
        on a busy app (a loaded jump host, a fast burst of pages) frames were drawn before that
        with every column at its header's width ("Wint", "approv"). Textual's own method, called
        early; Textual is pinned below 9."""
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
            self._update_dimensions(new_rows)

    def add_offers(self, offers: list[dict[str, Any]], offer_type: str) -> int:
        return self.add_rows_of([row_cells(offer, offer_type) for offer in offers])

    def update_row(self, row: OfferRow, cells: tuple[str, ...]) -> None:
        if row.offer_id not in self.offers:
            return
        self.offers[row.offer_id] = row
        if row.offer_id in self.marked:
            self.marked[row.offer_id] = row
        for (key, _), value in zip(self.columns_spec[1:], cells[1:]):
            self.update_cell(row.offer_id, key, value)

    def update_offer(self, offer: dict[str, Any], offer_type: str) -> None:
        """Show a fresh copy of one offer in its row (after an edit or a status change)."""
        self.update_row(*row_cells(offer, offer_type))

    def remove_offer(self, offer_id: str) -> None:
        self.marked.pop(offer_id, None)
        if offer_id in self.offers:
            del self.offers[offer_id]
            self.remove_row(offer_id)

    def reset(self, *, keep_marks: bool = True) -> None:
        """No rows (a new listing comes); marks stay unless told, and show again on their rows."""
        self.offers.clear()
        if not keep_marks:
            self.marked.clear()
        self.clear()

    def clear_marks(self, ids: list[str] | None = None) -> None:
        for offer_id in list(self.marked) if ids is None else ids:
            self.marked.pop(offer_id, None)
            if offer_id in self.offers:
                self.update_cell(offer_id, "mark", "")
        self.post_message(self.MarksChanged())

    @property
    def hidden_marks(self) -> int:
        """Marked objects the current listing does not show (filtered out, or not loaded yet)."""
        return sum(1 for offer_id in self.marked if offer_id not in self.offers)

    @property
    def current(self) -> OfferRow | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self.offers.get(str(key))

    def move_to(self, offer_id: str) -> bool:
        if offer_id not in self.offers:
            return False
        self.move_cursor(row=self.get_row_index(offer_id))
        return True

    def action_toggle_mark(self) -> None:
        row = self.current
        if row is None:
            return
        if row.offer_id in self.marked:
            del self.marked[row.offer_id]
        else:
            self.marked[row.offer_id] = row
        self.update_cell(row.offer_id, "mark", "●" if row.offer_id in self.marked else "")
        self.post_message(self.MarksChanged())
        self.action_cursor_down()  # lazygit and k9s: space marks and moves on

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)

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
