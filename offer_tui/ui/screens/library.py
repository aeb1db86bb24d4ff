"""The offer library: a table of offers, newest first, filtered on the server, one page at a time.

k9s and lazygit are the models: ``/`` filters as you type (debounced, sent as a ``name~`` filter),
Enter opens, one key per action. Only the pages the user scrolls to are fetched; the count comes
from the server's ``total``. A failed request shows in place, with ``r`` to retry.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from offer_tui.api.paging import PageGuard
from offer_tui.log import swallowed
from offer_tui.safe_text import terminal_safe
from offer_tui.ui.screens.offer_actions import OFFER_ACTION_BINDINGS, OfferActions
from offer_tui.ui.widgets.app_header import AppHeader
from offer_tui.ui.widgets.key_footer import KeyFooter
from offer_tui.ui.widgets.offer_table import OfferRow, OfferTable

PAGE_SIZE = 50
FILTER_DELAY = 0.3  # seconds of quiet typing before the filter is sent
STATUSES = (None, "draft", "approved", "archived")
TYPES = ("personalized", "fallback")


class LibraryScreen(OfferActions, Screen):
    AUTO_FOCUS = "#library-table"
    BINDINGS = [
        Binding("enter", "open", "Open", id="library-open", tooltip="Open the offer: summary and JSON"),
        Binding("slash", "filter", "Filter", id="library-filter", show=False, tooltip="Filter by name as you type"),
        *OFFER_ACTION_BINDINGS,
        Binding("t", "toggle_type", "Type", id="library-type", tooltip="Show personalized or fallback offers"),
        Binding("s", "cycle_status", "Status", id="library-status",
                tooltip="Filter by status: any, draft, approved, archived"),
        Binding("p", "offer('copy')", "Copy to", id="library-copy", show=False,
                tooltip="Copy the marked offers (or this one) to another profile's sandbox, mapping shown first"),
        Binding("f1", "help", "Help", id="library-help", show=False, tooltip="Help and the keys"),
        Binding("escape", "wizard", "Wizard", id="library-wizard", show=False,
                tooltip="Back to the wizard (new offer)"),
    ]
    DEFAULT_CSS = """
    LibraryScreen #library-bar { height: 1; padding: 0 1; color: $text-muted; }
    LibraryScreen #library-filter { height: 1; width: 1fr; border: none; padding: 0 1; }
    LibraryScreen #library-error { height: auto; padding: 0 1; color: $error; display: none; }
    LibraryScreen #library-error.-shown { display: block; }
    LibraryScreen OfferTable { height: 1fr; }
    """

    def __init__(self, acquire_client: Callable[[], Awaitable[Any]], *, page_size: int = PAGE_SIZE,
                 offer_type: str = "personalized",
                 placements: Callable[[], list[dict[str, Any]] | None] = lambda: None) -> None:
        super().__init__(id="library")
        self.acquire_client = acquire_client
        self.placements = placements
        self.page_size = page_size
        self.offer_type = offer_type
        self.status: str | None = None
        self.name_filter = ""
        self.total: int | None = None
        self.next_href: str | None = None
        self.error: str | None = None
        self.loading = False
        self._seen_hrefs: set[str] = set()
        self._pages = PageGuard()  # the same bounds as the CLI's listing: total-implied pages, hard cap
        self._generation = 0
        self._filter_timer: Timer | None = None
        self.filter_delay = FILTER_DELAY
        self.title = "Offer library"

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static("", id="library-bar", markup=False)
        # Always there (one line): "/" must focus it at once, so the next keys typed go into it.
        yield Input(placeholder="/ filter: name contains... (Enter or Esc: back to the table)", id="library-filter")
        yield Static("", id="library-error", markup=False)
        yield OfferTable(id="library-table")
        yield KeyFooter()

    @property
    def table(self) -> OfferTable:
        return self.query_one(OfferTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.reload()
        # The footer lists the focused table's keys (Mark); make sure it is drawn after the focus moved.
        self.call_after_refresh(self.refresh_bindings)

    # -- loading ------------------------------------------------------------------------------
    def properties(self) -> list[str]:
        from offer_tui.api.results import name_contains

        props = [f"status=={self.status}"] if self.status else []
        if self.name_filter:
            props.append(name_contains(self.name_filter))
        return props

    def reload(self) -> None:
        """From the first page again, with the current type and filters (the old rows go)."""
        self._generation += 1
        self.next_href = None
        self.total = None
        self._seen_hrefs.clear()
        self._pages = PageGuard()
        self.table.reset()
        self._fetch(first=True)

    def load_more(self) -> None:
        if self.next_href and not self.loading and self.error is None:
            self._fetch(first=False)

    def _fetch(self, *, first: bool) -> None:
        self.loading = True
        self._show_error(None)
        self._update_bar()
        self._load_page(first, self._generation)

    @work(exclusive=True, group="library-page")
    async def _load_page(self, first: bool, generation: int) -> None:
        from offer_tui.api import ApiError

        href = None if first else self.next_href
        try:
            client = await self.acquire_client()
            if href is not None and href in self._seen_hrefs:
                from offer_tui.api.results import repeated_page_error

                raise repeated_page_error(href)
            if href is not None:
                self._pages.another()
            page = await client.list_offers_page(self.offer_type, properties=self.properties(),
                                                 orderby="-modified", limit=self.page_size, href=href)
        except ApiError as error:
            failure: str | None = str(error)
        except Exception as error:  # in place, never a traceback
            swallowed("loading a page of the library")
            failure = f"{type(error).__name__}: {error}"
        else:
            failure = None
        if generation != self._generation:
            return  # the filter or type changed meanwhile: a newer request is on its way
        self.loading = False
        if failure is not None:
            self._show_error(failure)
            self._update_bar()
            return
        if href is not None:
            self._seen_hrefs.add(href)
        else:
            self._pages.first(page.total, len(page.results) or self.page_size)
        self.table.add_offers(page.results, self.offer_type)
        self.total = page.total
        self.next_href = page.next_href
        self._update_bar()

    def _show_error(self, message: str | None) -> None:
        self.error = message
        box = self.query_one("#library-error", Static)
        if message:
            box.update(f"✗ {terminal_safe(message, limit=600)}\n  r: retry · F6: credentials")
        box.set_class(bool(message), "-shown")

    def _update_bar(self) -> None:
        parts = [self.offer_type, f"status: {self.status or 'any'}"]
        if self.name_filter:
            parts.append(f"name contains {terminal_safe(self.name_filter, limit=40, one_line=True)!r}")
        shown = self.table.row_count
        if self.loading and not shown:
            parts.append("loading...")
        elif self.total is not None:
            parts.append(f"{self.total:,} offer{'s' if self.total != 1 else ''}"
                         + (f" ({shown:,} loaded)" if shown < self.total else ""))
        else:
            parts.append(f"{shown:,} loaded")
        if self.table.marked:
            parts.append(f"{len(self.table.marked)} marked")
        self.query_one("#library-bar", Static).update(" · ".join(parts) + "   Enter open · / filter · t type · s status · space mark")

    @on(OfferTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._update_bar()

    @on(OfferTable.NearEnd)
    def _near_end(self) -> None:
        if self.table.near_end():  # still: the message may have been posted while rows were being added
            self.load_more()

    # -- filters --------------------------------------------------------------------------------
    def action_filter(self) -> None:
        self.query_one("#library-filter", Input).focus()

    @on(Input.Changed, "#library-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(self.filter_delay, self._apply_filter)

    def _apply_filter(self) -> None:
        self._filter_timer = None
        text = self.query_one("#library-filter", Input).value.strip()
        if text != self.name_filter:
            self.name_filter = text
            self.reload()

    @on(Input.Submitted, "#library-filter")
    def _filter_done(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._apply_filter()
        self.table.focus()

    def action_toggle_type(self) -> None:
        self.offer_type = TYPES[(TYPES.index(self.offer_type) + 1) % len(TYPES)]
        self.reload()

    def action_cycle_status(self) -> None:
        self.status = STATUSES[(STATUSES.index(self.status) + 1) % len(STATUSES)]
        self.reload()

    # -- actions --------------------------------------------------------------------------------
    def current_row(self) -> OfferRow | None:
        return self.table.current

    def action_refresh(self) -> None:
        if self.error is not None and self.next_href and self.table.row_count:
            self._show_error(None)
            self.load_more()  # the next page failed: try it again, keep the rows
        else:
            self.reload()

    def action_open(self) -> None:
        row = self.current_row()
        if row is not None:
            from offer_tui.ui.screens.offer_detail import OfferDetailScreen

            self.app.push_screen(OfferDetailScreen(row, self.acquire_client, self.placement_names))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def placement_names(self) -> dict[str, str]:
        """Placement id -> name, from the catalog the app fetched (empty until it has)."""
        placements = self.placements() or []
        return {str(p.get("id")): str(p.get("name")) for p in placements if isinstance(p, dict)}

    def action_wizard(self) -> None:
        if self.query_one("#library-filter", Input).has_focus:
            self._filter_done()
            return
        self.dismiss()

    def action_help(self) -> None:
        from offer_tui.ui.keymap import help_table
        from offer_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(LIBRARY_HELP, help_table(self, self.app)))

    def marked_ids(self) -> list[str]:
        return sorted(self.table.marked)

    # -- what the flows tell the library --------------------------------------------------------
    def offer_changed(self, offer: dict[str, Any], offer_type: str) -> None:
        if offer_type == self.offer_type:
            self.table.update_offer(offer, offer_type)

    def offer_deleted(self, offer_id: str) -> None:
        self.table.remove_offer(offer_id)
        if self.total:
            self.total -= 1
        self._update_bar()


LIBRARY_HELP = """# Offer library

The offers of the sandbox, newest first, one page at a time (the next page loads as you scroll).
`/` filters by name as you type (on the server, case-insensitive); `s` cycles the status filter,
`t` switches between personalized and fallback offers. Enter opens an offer; the action keys work
on the highlighted row or on the open offer. Deleting asks you to type the offer's name.
Space marks rows; `p` copies the marked offers (or the highlighted one) to another profile's
sandbox, after showing how its placements and rules map by name.
"""
