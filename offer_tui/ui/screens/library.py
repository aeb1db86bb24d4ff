"""The Offer Library: a table of one kind of object (offers first), filtered on the server, one
page at a time.

k9s and lazygit are the models: ``:`` switches kind (a row of kind names shows where you are),
``/`` filters as you type (debounced, sent as a ``name~`` filter), Enter opens, one key per
action, space marks (and the actions that make sense on many act on the marked rows). Only the
pages the user scrolls to are fetched; the count comes from the server's ``total``. A refresh
keeps the last table in place (the bar says "refreshing...") and Esc cancels it. A failed
request shows in place, with ``r`` to retry.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from offer_tui.api.paging import PageGuard
from offer_tui.model.kinds import kind as kind_of_word
from offer_tui.safe_text import terminal_safe
from offer_tui.ui.screens.offer_actions import OFFER_ACTION_BINDINGS, OFFER_ONLY, OfferActions
from offer_tui.ui.widgets.app_header import AppHeader
from offer_tui.ui.widgets.kind_bar import KIND_WORDS, KindBar, KindPrompt
from offer_tui.ui.widgets.key_footer import KeyFooter
from offer_tui.ui.screens.library_help import LIBRARY_HELP
from offer_tui.ui.screens.library_loading import LibraryLoading
from offer_tui.ui.widgets.kind_rows import OFFER_KINDS, columns_of
from offer_tui.ui.widgets.offer_table import OfferRow, OfferTable

PAGE_SIZE = 50
FILTER_DELAY = 0.3  # seconds of quiet typing before the filter is sent
TYPES = ("personalized", "fallback")

class LibraryScreen(LibraryLoading, OfferActions, Screen):
    AUTO_FOCUS = "#library-table"
    BINDINGS = [
        Binding("enter", "open", "Open", id="library-open", key_display="Enter",
                tooltip="Open: summary, references by name, what uses it, and the JSON"),
        Binding("slash", "filter", "Filter", id="library-filter", key_display="/",
                tooltip="Filter by name as you type"),
        Binding("colon", "kind_prompt", "Kind", id="library-kind", key_display=":",
                tooltip="Switch kind: offers, fallbacks, decisions, collections, placements, rules, tags"),
        *OFFER_ACTION_BINDINGS,
        Binding("t", "toggle_type", "Type", id="library-type", tooltip="Show personalized or fallback offers"),
        Binding("s", "cycle_status", "Status", id="library-status",
                tooltip="Filter by status: any, then each status of the kind"),
        Binding("p", "offer('copy')", "Copy to", id="library-copy",
                tooltip="Copy the marked offers (or this one) to another profile's sandbox, mapping shown first"),
        Binding("n", "new", "New", id="library-new", tooltip="A new object of this kind (a small form)"),
        Binding("T", "offer('tag')", "Tag", id="library-tag",
                tooltip="Add or remove a tag on the marked offers (or this one): one PATCH each, shown first"),
        Binding("v", "preview", "Preview", id="library-preview", tooltip="Preview the decision: what it would pick"),
        Binding("question_mark,f1", "help", "Help", id="library-help", key_display="?/F1",
                tooltip="Help and the keys"),
        Binding("f7", "refresh", "Refresh", id="library-f7", show=False, tooltip="Refresh (the library is open)"),
        Binding("q", "back", "Back", id="library-back", tooltip="Back to the wizard"),
        Binding("escape", "escape", "Back", id="library-wizard", show=False,
                tooltip="Cancel a refresh in progress, leave the filter, or go back to the wizard"),
    ]
    DEFAULT_CSS = """
    LibraryScreen #library-bar { height: auto; padding: 0 1; color: $text-muted; }
    LibraryScreen #library-filter { height: 1; width: 1fr; border: none; padding: 0 1; }
    LibraryScreen #library-kind-prompt { height: 1; width: 1fr; border: none; padding: 0 1; display: none; }
    LibraryScreen #library-kind-prompt.-shown { display: block; }
    LibraryScreen #library-error { height: auto; padding: 0 1; color: $error; display: none; }
    LibraryScreen #library-error.-shown { display: block; }
    LibraryScreen #library-empty { height: auto; padding: 1 2; color: $text-muted; display: none; }
    LibraryScreen #library-empty.-shown { display: block; }
    LibraryScreen OfferTable { height: 1fr; }
    """

    def __init__(self, acquire_client: Callable[[], Awaitable[Any]], *, page_size: int = PAGE_SIZE,
                 offer_type: str = "personalized",
                 placements: Callable[[], list[dict[str, Any]] | None] = lambda: None) -> None:
        super().__init__(id="library")
        self.acquire_client = acquire_client
        self.placements = placements
        self.page_size = page_size
        self.kind = "fallbacks" if offer_type == "fallback" else "offers"
        self.status: str | None = None
        self.name_filter = ""
        self.total: int | None = None
        self.next_href: str | None = None
        self.error: str | None = None
        self.fetching = False  # not ``loading``: that would cover the whole screen with dots
        self.refreshing = False  # a reload in progress over the last table
        self._seen_hrefs: set[str] = set()
        self._pages = PageGuard()  # the same bounds as the CLI's listing: total-implied pages, hard cap
        self._generation = 0
        self._filter_timer: Timer | None = None
        self.filter_delay = FILTER_DELAY
        self.note = ""  # one line of news in the bar ("refresh cancelled")
        self.title = "Offer library"

    @property
    def offer_type(self) -> str | None:
        return OFFER_KINDS.get(self.kind)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield KindBar(self.kind, id="library-kinds")
        yield Static("", id="library-bar", markup=False)
        # Always there (one line): "/" must focus it at once, so the next keys typed go into it.
        yield Input(placeholder="/ filter: name contains... (Enter or Esc: back to the table)", id="library-filter")
        yield KindPrompt(id="library-kind-prompt")
        yield Static("", id="library-error", markup=False)
        yield Static("", id="library-empty", markup=False)
        yield OfferTable(columns_of(self.kind), id="library-table")
        yield KeyFooter(wrap=True)

    @property
    def table(self) -> OfferTable:
        return self.query_one(OfferTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.reload()
        # The footer lists the focused table's keys (Mark); make sure it is drawn after the focus moved.
        self.call_after_refresh(self.refresh_bindings)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from offer_tui.ui.screens.object_form import FORM_KINDS

        # Keys that do nothing for this kind are not offered (nor shown in the footer).
        if action == "offer" and parameters and parameters[0] in ("clone", "edit"):
            return self.offer_type is not None or self.kind in FORM_KINDS + ("decisions", "rules")
        if action == "offer" and parameters and parameters[0] in OFFER_ONLY:
            return self.offer_type is not None
        if action == "new":
            return self.kind in FORM_KINDS + ("decisions", "rules")
        if action == "toggle_type":
            return self.offer_type is not None
        if action == "cycle_status":
            return bool(kind_of_word(self.kind).statuses)
        if action == "preview":
            return self.kind == "decisions"
        return True

    # Textual registers @on handlers of the screen's own class, not of a plain mixin: they live here.
    @on(OfferTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._update_bar()

    @on(OfferTable.NearEnd)
    def _near_end(self) -> None:
        if self.table.near_end():  # still: the message may have been posted while rows were being added
            self.load_more()

    # -- filters and kinds ----------------------------------------------------------------------
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

    def action_kind_prompt(self) -> None:
        prompt = self.query_one(KindPrompt)
        prompt.value = ""
        prompt.add_class("-shown")
        prompt.focus()

    @on(Input.Submitted, "#library-kind-prompt")
    def _kind_chosen(self, event: Input.Submitted) -> None:
        event.stop()
        prompt = self.query_one(KindPrompt)
        word = KindPrompt.word_of(event.value)
        if word is None and event.value.strip():
            self.notify(f"No kind {terminal_safe(event.value, limit=40, one_line=True)!r}; "
                        "one of: " + ", ".join(KIND_WORDS), title="Kind")
            return
        prompt.remove_class("-shown")
        self.table.focus()
        if word is not None:
            self.switch_kind(word)

    def switch_kind(self, word: str) -> None:
        if word == self.kind:
            return
        self.kind = word
        self.status = None
        self.total = None
        self._generation += 1
        self.workers.cancel_group(self, "library-page")
        dropped = len(self.table.marked)
        self.table.set_columns(columns_of(word))
        if dropped:  # marks are per kind: say so rather than let them vanish
            self.notify(f"{dropped} mark{'s' if dropped != 1 else ''} cleared: marks belong to one kind.",
                        title="Marks")
        self.query_one(KindBar).show(word)
        self.refresh_bindings()
        self.reload()

    def action_toggle_type(self) -> None:
        self.switch_kind("fallbacks" if self.kind == "offers" else "offers")

    def action_cycle_status(self) -> None:
        statuses = (None, *kind_of_word(self.kind).statuses)
        self.status = statuses[(statuses.index(self.status) + 1) % len(statuses)] if self.status in statuses else None
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
        if row is None:
            return
        if row.kind in OFFER_KINDS:
            from offer_tui.ui.screens.offer_detail import OfferDetailScreen

            self.app.push_screen(OfferDetailScreen(row, self.acquire_client, self.placement_names))
        else:
            from offer_tui.ui.screens.object_detail import ObjectDetailScreen

            self.app.push_screen(ObjectDetailScreen(row.kind, row.offer_id, self.acquire_client,
                                                    self.placement_names, name=row.name))

    def action_new(self) -> None:
        from offer_tui.ui.screens.offer_actions import OfferAction

        self.post_message(OfferAction("new", OfferRow("", "", "", None, None, self.kind)))

    def action_preview(self) -> None:
        row = self.current_row()
        if row is not None and row.kind == "decisions":
            from offer_tui.ui.screens.preview import PreviewScreen

            self.app.push_screen(PreviewScreen(row.offer_id, self.acquire_client))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def placement_names(self) -> dict[str, str]:
        """Placement id -> name, from the catalog the app fetched (empty until it has)."""
        placements = self.placements() or []
        return {str(p.get("id")): str(p.get("name")) for p in placements if isinstance(p, dict)}

    def action_escape(self) -> None:
        prompt = self.query_one(KindPrompt)
        if prompt.has_focus:
            prompt.remove_class("-shown")
            self.table.focus()
        elif self.query_one("#library-filter", Input).has_focus:
            self._filter_done()
        elif self.fetching:
            self.cancel_refresh()
        else:
            self.dismiss()

    def action_back(self) -> None:
        self.dismiss()

    def action_help(self) -> None:
        from offer_tui.ui.keymap import help_table
        from offer_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(LIBRARY_HELP, help_table(self, self.table, self.app)))

    def marked_ids(self) -> list[str]:
        return sorted(self.table.marked)

    def marked_rows(self) -> list[OfferRow]:
        return [self.table.marked[i] for i in sorted(self.table.marked)]

    # -- what the flows tell the library --------------------------------------------------------
    def offer_changed(self, offer: dict[str, Any], offer_type: str) -> None:
        if offer_type == self.offer_type:
            self.table.update_offer(offer, offer_type)

    def offer_deleted(self, offer_id: str) -> None:
        self.table.remove_offer(offer_id)
        if self.total:
            self.total -= 1
        self._update_bar()
