"""The library's listing: pages of the current kind (a refresh keeps the last table until the new
first page is in, Esc cancels it), the bar above the table, and why a list is empty. A mixin of
:class:`~offer_tui.ui.screens.library.LibraryScreen`, which holds the state it uses.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.widgets import Static

from offer_tui.api.paging import PageGuard
from offer_tui.log import swallowed
from offer_tui.model.kinds import kind as kind_of_word
from offer_tui.safe_text import terminal_safe
from offer_tui.ui.widgets.kind_rows import OFFER_KINDS, row_cells_of


class LibraryLoading:
    # -- loading ------------------------------------------------------------------------------
    def properties(self) -> list[str]:
        from offer_tui.api.results import name_contains

        props = [f"status=={self.status}"] if self.status else []
        if self.name_filter:
            props.append(name_contains(self.name_filter))
        return props

    def reload(self) -> None:
        """From the first page again, with the current kind and filters. The last table stays
        until the new first page is in (marks stay too), so a slow server never blanks it."""
        self._generation += 1
        self.next_href = None
        self._seen_hrefs.clear()
        self._pages = PageGuard()
        self.refreshing = True
        self.note = ""
        self._fetch(first=True)

    def load_more(self) -> None:
        if self.next_href and not self.fetching and self.error is None:
            self._fetch(first=False)

    def _fetch(self, *, first: bool) -> None:
        self.fetching = True
        self._show_error(None)
        self._update_bar()
        self._load_page(first, self._generation)

    def cancel_refresh(self) -> None:
        """Esc while a page is on its way: stop waiting for it; the table keeps what it shows."""
        self._generation += 1
        self.workers.cancel_group(self, "library-page")
        self.fetching = self.refreshing = False
        self.note = "refresh cancelled (r: again)"
        self._update_bar()

    @work(exclusive=True, group="library-page")
    async def _load_page(self, first: bool, generation: int) -> None:
        from offer_tui.api import ApiError

        href = None if first else self.next_href
        word = self.kind
        names: Any = None
        try:
            client = await self.acquire_client()
            if href is not None and href in self._seen_hrefs:
                from offer_tui.api.results import repeated_page_error

                raise repeated_page_error(href)
            if href is not None:
                self._pages.another()
            if word in OFFER_KINDS:
                page = await client.list_offers_page(OFFER_KINDS[word], properties=self.properties(),
                                                     orderby="-modified", limit=self.page_size, href=href)
            else:
                from offer_tui.service import library_view

                page = await library_view.page(client, word, properties=self.properties(), limit=self.page_size,
                                               href=href)
                names = await library_view.names_for(client, word, page.results)
        except ApiError as error:
            failure: str | None = str(error)
        except Exception as error:  # in place, never a traceback
            swallowed("loading a page of the library")
            failure = f"{type(error).__name__}: {error}"
        else:
            failure = None
        if generation != self._generation:
            return  # the filter or kind changed meanwhile: a newer request is on its way
        self.fetching = self.refreshing = False
        if failure is not None:
            self._show_error(failure)
            self._update_bar()
            return
        table = self.table
        if href is not None:
            self._seen_hrefs.add(href)
        else:
            self._pages.first(page.total, len(page.results) or self.page_size)
            keep = table.current.offer_id if table.current else None
            table.reset()  # the new first page replaces the last table now, not before
        rows = row_cells_of(word, page.results, names)
        table.add_rows_of(rows)
        if href is None and keep is not None:
            table.move_to(keep)
        self.total = page.total
        self.next_href = page.next_href
        self._update_bar()

    def _show_error(self, message: str | None) -> None:
        self.error = message
        box = self.query_one("#library-error", Static)
        if message:
            box.update(f"✗ {terminal_safe(message, limit=600)}\n  r: retry · F6: credentials")
        box.set_class(bool(message), "-shown")

    def _sandbox(self) -> str:
        sandbox = getattr(self.app, "badge_info", (None, None, False))[1]
        return terminal_safe(sandbox or "this sandbox", limit=60, one_line=True)

    def empty_reason(self) -> str:
        """Why the list is empty, in words: "No fallback offers in sandbox dev"."""
        k = kind_of_word(self.kind)
        what = f"{k.title}s" if self.kind in OFFER_KINDS else k.word
        filters = []
        if self.status:
            filters.append(f"with status {self.status}")
        if self.name_filter:
            filters.append(f"whose name contains {terminal_safe(self.name_filter, limit=40, one_line=True)!r}")
        text = f"No {what} {' and '.join(filters) + ' ' if filters else ''}in sandbox {self._sandbox()}."
        return text + (" (/ or s: change the filter)" if filters else "")

    def _update_bar(self) -> None:
        k = kind_of_word(self.kind)
        parts = [k.title + "s" if self.kind in OFFER_KINDS else k.word]
        if k.statuses:
            parts.append(f"status: {self.status or 'any'}")
        if self.name_filter:
            parts.append(f"name contains {terminal_safe(self.name_filter, limit=40, one_line=True)!r}")
        table = self.table
        shown = table.row_count
        if self.fetching and self.refreshing and shown:
            parts.append("refreshing... (Esc: cancel)")
        elif self.fetching and not shown:
            parts.append("loading... (Esc: cancel)")
        elif self.total is not None:
            noun = "offer" if self.kind in OFFER_KINDS else "object"
            parts.append(f"{self.total:,} {noun}{'s' if self.total != 1 else ''}")
            if shown < self.total:
                parts[-1] += f" ({shown:,} loaded)"
        else:
            parts.append(f"{shown:,} loaded")
        if table.marked:
            hidden = table.hidden_marks
            parts.append(f"{len(table.marked)} marked" + (f" ({hidden} not shown)" if hidden else ""))
        if self.note:
            parts.append(self.note)
        self.query_one("#library-bar", Static).update(" · ".join(parts))
        empty = not self.fetching and self.error is None and self.total is not None and not shown
        box = self.query_one("#library-empty", Static)
        box.update(self.empty_reason() if empty else "")
        box.set_class(empty, "-shown")
