"""An open offer: a readable summary (placements by name, dates, eligibility, caps) beside its JSON.

The offer is fetched again when opened (and on ``r``), so what is shown is what the server holds
now. Every string from the server goes through ``terminal_safe``.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from offer_tui.safe_text import terminal_safe
from offer_tui.ui.screens.offer_actions import OFFER_ACTION_BINDINGS, OpenObjectKeys
from offer_tui.ui.widgets.app_header import AppHeader
from offer_tui.ui.widgets.json_preview import JsonPreview
from offer_tui.ui.widgets.key_footer import KeyFooter
from offer_tui.ui.widgets.offer_table import OfferRow, row_cells
from offer_tui.log import swallowed

def offer_summary(offer: dict[str, Any], offer_type: str, placement_names: dict[str, str]) -> str:
    """The offer as lines a person reads: the same summary ``offer-tui get`` prints
    (offer_tui/service/summary.py), so the two never disagree about a field."""
    from offer_tui.service.summary import offer_summary as summarize

    lines = summarize(offer, offer_type, placement_names).text_lines()
    # Non-breaking indents: Textual drops a wrapped line's leading spaces.
    return "\n".join("\u00a0" * (len(line) - len(line.lstrip(" "))) + line.lstrip(" ") for line in lines)


class OfferDetailScreen(OpenObjectKeys, Screen):
    AUTO_FOCUS = "#detail-summary"
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="detail-back", key_display="Esc", tooltip="Back to the library"),
        *OFFER_ACTION_BINDINGS,
        Binding("f2", "focus_json", "JSON", id="detail-json", show=False, tooltip="Move to the JSON (scroll it)"),
        Binding("f7", "to_library", "Library", id="detail-library", show=False, tooltip="Back to the library"),
    ]
    DEFAULT_CSS = """
    OfferDetailScreen #detail-body { height: 1fr; }
    OfferDetailScreen #detail-summary { width: 1fr; min-width: 40; padding: 0 1; }
    OfferDetailScreen #detail-json { width: 1fr; border-left: solid $primary 40%; }
    OfferDetailScreen #detail-error { color: $error; padding: 0 1; height: auto; }
    OfferDetailScreen.-narrow #detail-body { layout: vertical; }
    OfferDetailScreen.-narrow #detail-summary { height: auto; max-height: 60%; }
    OfferDetailScreen.-narrow #detail-json { border-left: none; border-top: solid $primary 40%; }
    """

    def __init__(self, row: OfferRow, acquire_client: Callable[[], Awaitable[Any]],
                 placement_names: Callable[[], dict[str, str]]) -> None:
        super().__init__(id="offer-detail")
        self.row = row
        self.acquire_client = acquire_client
        self.placement_names = placement_names
        self.offer: dict[str, Any] | None = None
        self.title = row.name or row.offer_id

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static("", id="detail-error", markup=False)
        with Horizontal(id="detail-body"):
            with VerticalScroll(id="detail-summary"):
                yield Static(f"Loading {self.row.offer_id}...", id="detail-text", markup=False)
            yield JsonPreview(id="detail-json")
        yield KeyFooter(wrap=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")
        self.query_one("#detail-summary").focus()
        self.action_refresh()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def action_refresh(self) -> None:
        self.query_one("#detail-error", Static).update("")
        self._fetch()

    @work(exclusive=True, group="offer-detail")
    async def _fetch(self) -> None:
        from offer_tui.api import ApiError

        try:
            client = await self.acquire_client()
            offer = await client.get_offer(self.row.offer_id, self.row.offer_type)
        except ApiError as error:
            self.show_error(str(error))
            return
        except Exception as error:  # in place, never a traceback
            swallowed("reading an offer for the open pane")
            self.show_error(f"{type(error).__name__}: {error}")
            return
        self.show_offer(offer)

    def show_error(self, message: str) -> None:
        self.query_one("#detail-error", Static).update(f"✗ {terminal_safe(message, limit=600)}\n  r: retry")

    def show_offer(self, offer: dict[str, Any]) -> None:
        self.offer = offer
        self.row, _ = row_cells(offer, self.row.offer_type)
        self.title = self.row.name or self.row.offer_id
        self.query_one("#detail-text", Static).update(offer_summary(offer, self.row.offer_type,
                                                                     self.placement_names()))
        # json.dumps escapes C0 controls; terminal_safe removes the C1 ones and bidi overrides too.
        text = terminal_safe(json.dumps(offer, indent=2, ensure_ascii=False), limit=200_000)
        self.query_one("#detail-json", JsonPreview).update_json(text)

    def action_focus_json(self) -> None:
        self.query_one("#detail-json").focus()

    # What the flows tell an open offer.
    def offer_changed(self, offer: dict[str, Any], offer_type: str) -> None:
        if str(offer.get("id")) == self.row.offer_id:
            self.show_offer(offer)
