"""Preview a decision: which offers does this profile get on this placement, and why not the others.

The screen only asks and renders: :func:`offer_tui.service.preview.preview_decision` does the
work (resolve, send, explain), in a worker. A placement picker (the decision's placements), an
identity field that suggests the identities used before (kept by
:mod:`offer_tui.preview_history`), a count, then the offers in rank order (Enter opens one),
the highlighted offer's content as text, the fallback, and the "why not" lines. Every string from
the server goes through ``terminal_safe`` and is shown without markup.

    PreviewScreen(decision_id, acquire_client)   # acquire_client: the app's, an async callable
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Input, Label, Select, Static

from offer_tui.preview_history import IdentityHistory
from offer_tui.safe_text import terminal_safe
from offer_tui.ui.widgets.app_header import AppHeader
from offer_tui.ui.widgets.key_footer import KeyFooter

CAPPING_NOTE = ("A preview is a real decision request: it may count toward capping and reporting like a "
                "visit. F3: dry run (xdm:dryRun, unconfirmed here).")
INDENT = "\u00a0\u00a0"  # non-breaking: Textual drops a wrapped line's leading spaces


def _s(value: Any, limit: int = 200) -> str:
    return terminal_safe("" if value is None else value, limit=limit, one_line=True)


def split_identities(text: str) -> list[str]:
    """``Email:jane@example.com, ECID:123`` -> each identity (commas or spaces between them)."""
    return [part for part in re.split(r"[,\s]+", text.strip()) if part]


class PreviewScreen(Screen):
    AUTO_FOCUS = "#preview-identity"
    BINDINGS = [
        Binding("f5,ctrl+r", "run", "Preview", id="preview-run", tooltip="Send the preview request"),
        Binding("f3", "toggle_dry_run", "Dry run", id="preview-dry-run", tooltip="Send xdm:dryRun: true or not"),
        Binding("escape", "back", "Back", id="preview-back", tooltip="Back"),
    ]
    DEFAULT_CSS = """
    PreviewScreen #preview-form { height: auto; padding: 0 1; }
    PreviewScreen .preview-row { height: 1; }
    PreviewScreen .preview-label { width: 10; height: 1; }
    PreviewScreen #preview-placement { width: 1fr; height: 1; }
    PreviewScreen #preview-placement > SelectCurrent { border: none; height: 1; padding: 0 1; }
    PreviewScreen #preview-identity { width: 1fr; height: 1; border: none; padding: 0 1; }
    PreviewScreen #preview-count { width: 10; height: 1; border: none; padding: 0 1; }
    PreviewScreen #preview-note { color: $text-muted; height: auto; padding: 0 1; }
    PreviewScreen #preview-status { height: auto; padding: 0 1; }
    PreviewScreen #preview-status.-error { color: $error; }
    PreviewScreen #preview-offers { height: auto; max-height: 12; margin: 0 1; }
    PreviewScreen #preview-results { height: 1fr; padding: 0 1; }
    PreviewScreen #preview-content { height: auto; color: $text; border-left: solid $primary 40%; padding-left: 1; }
    PreviewScreen #preview-why { height: auto; margin-top: 1; }
    """

    def __init__(self, decision_id: str, acquire_client: Callable[[], Awaitable[Any]], *,
                 history: IdentityHistory | None = None, now: datetime | None = None,
                 profile: Any = None) -> None:
        """``decision_id``: the decision to preview (an id; a name works too). ``acquire_client``:
        the app's ``acquire_client``. ``history``: where identities are remembered (default: the
        state directory). ``now`` pins the clock of the "why not" dates (tests). ``profile``: for a
        per-profile decisions endpoint (default: the app's resolved profile)."""
        super().__init__(id="decision-preview")  # not "preview": the wizard's JSON pane has that id and its CSS (a border)
        self.decision_id = decision_id
        self.acquire_client = acquire_client
        self.history = history if history is not None else IdentityHistory()
        self.now = now
        self.profile = profile
        self.dry_run = False
        self.decision: dict[str, Any] | None = None
        self.placements: list[dict[str, Any]] = []
        self.result: Any = None
        self.rows: dict[str, tuple[str, str]] = {}  # row key -> (offer id, offer type)
        self.busy = False
        self.title = "Preview a decision"

    def compose(self) -> ComposeResult:
        remembered = self.history.load()
        suggestions = remembered + [f"{ns}:" for ns in self.history.namespaces()]
        yield AppHeader()
        with VerticalScroll(id="preview-form"):
            yield Static(f"Decision {_s(self.decision_id)}: loading...", id="preview-decision", markup=False)
            with Horizontal(classes="preview-row"):
                yield Label("Placement", classes="preview-label")
                yield Select([], prompt="(loading the decision's placements)", id="preview-placement",
                             allow_blank=True)
            with Horizontal(classes="preview-row"):
                yield Label("Identity", classes="preview-label")
                yield Input(remembered[0] if remembered else "", id="preview-identity",
                            placeholder="NAMESPACE:VALUE, e.g. Email:jane@example.com (several: commas)",
                            suggester=SuggestFromList(suggestions, case_sensitive=True) if suggestions else None)
                yield Label(" Count", classes="preview-label")
                yield Input("", id="preview-count", placeholder="auto", type="integer", max_length=2)
            used = ", ".join(_s(ns, 40) for ns in self.history.namespaces()[:6])
            yield Static(CAPPING_NOTE + (f"\nUsed before: {used}" if used else ""), id="preview-note", markup=False)
            yield Static("", id="preview-status", markup=False)
        yield DataTable(id="preview-offers", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="preview-results"):
            yield Static("", id="preview-content", markup=False)
            yield Static("", id="preview-why", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#preview-offers", DataTable)
        table.add_columns("Rank", "Name", "Score", "Id")
        table.display = False
        self.query_one("#preview-content").display = False
        self._load_decision()

    # -- the decision and its placements -----------------------------------------------------
    @work(exclusive=True, group="preview-decision")
    async def _load_decision(self) -> None:
        from offer_tui.api import ApiError
        from offer_tui.api.library import Library
        from offer_tui.service.preview import PreviewInputError, decision_placements, resolve_decision

        try:
            library = Library(await self.acquire_client())
            decision = await resolve_decision(library, self.decision_id)
            placements = await library.list_all("placements")
        except ApiError as error:
            self._status(f"✗ {error}", error=True)
            return
        except PreviewInputError as error:  # a name that is not one decision's
            matches = "".join(f"\n  {_s(i)}  {_s(n)}" for i, n in error.matches)
            self._status(f"✗ {error.message}{matches}", error=True)
            return
        except Exception as error:  # in place, never a traceback
            from offer_tui.log import swallowed

            swallowed("loading the decision to preview")
            self._status(f"✗ {type(error).__name__}: {error}", error=True)
            return
        self.decision = decision
        self.decision_id = str(decision.get("id") or self.decision_id)
        by_id = {str(p.get("id")): p for p in placements}
        self.placements = [by_id.get(pid, {"id": pid, "name": ""}) for pid in decision_placements(decision)]
        self.query_one("#preview-decision", Static).update(
            f"Decision {_s(decision.get('name')) or '(no name)'} ({_s(self.decision_id)}), "
            f"status {_s(decision.get('status')) or '?'}")
        select = self.query_one("#preview-placement", Select)
        select.set_options([(f"{_s(p.get('name')) or '(name unknown)'}  ({_s(p.get('id'))})", str(p.get("id")))
                            for p in self.placements])
        if self.placements:
            select.value = str(self.placements[0].get("id"))
        else:
            self._status("✗ This decision has no placement to preview.", error=True)

    @on(Select.Changed, "#preview-placement")
    def _placement_changed(self, event: Select.Changed) -> None:
        placement = next((p for p in self.placements if p.get("id") == event.value), None)
        count = placement.get("itemCount") if placement else None
        self.query_one("#preview-count", Input).placeholder = (
            f"{count}" if isinstance(count, int) and not isinstance(count, bool) else "1")

    # -- sending ------------------------------------------------------------------------------
    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_run()

    def action_toggle_dry_run(self) -> None:
        self.dry_run = not self.dry_run
        self._status("Dry run: the next preview sends xdm:dryRun: true." if self.dry_run
                     else "Dry run off: the next preview may count toward capping and reporting.")

    def action_run(self) -> None:
        placement = self.query_one("#preview-placement", Select).value
        if self.decision is None or placement in (Select.NULL, None):
            self._status("✗ The decision and its placements are not loaded yet.", error=True)
            return
        identities = split_identities(self.query_one("#preview-identity", Input).value)
        count_text = self.query_one("#preview-count", Input).value.strip()
        count = int(count_text) if count_text.lstrip("-").isdigit() else None
        from offer_tui.service.preview import PreviewInputError, check_inputs

        try:
            check_inputs(count, identities)
        except PreviewInputError as error:
            self._status(f"✗ {error.message}" + (f"\n  {error.hint}" if error.hint else ""), error=True)
            return
        self.busy = True
        self._status("Asking the Decisioning API" + (" (dry run)..." if self.dry_run else "..."))
        self._send(str(placement), identities, count, self.dry_run)

    @work(exclusive=True, group="preview-send")
    async def _send(self, placement: str, identities: list[str], count: int | None, dry_run: bool) -> None:
        from offer_tui.api import ApiError
        from offer_tui.service.preview import PreviewInputError, preview_decision

        try:
            client = await self.acquire_client()
            result = await preview_decision(client, self.decision_id, placement, identities, count=count,
                                            dry_run=dry_run, profile=self._profile(), now=self.now)
        except PreviewInputError as error:
            matches = "".join(f"\n  {_s(i)}  {_s(n)}" for i, n in error.matches)
            self._status(f"✗ {error.message}{matches}" + (f"\n  {error.hint}" if error.hint else ""), error=True)
            return
        except ApiError as error:
            self._status(f"✗ {error}", error=True)
            return
        except Exception as error:  # in place, never a traceback
            from offer_tui.log import swallowed

            swallowed("previewing a decision")
            self._status(f"✗ {type(error).__name__}: {error}", error=True)
            return
        finally:
            self.busy = False
        self.show_result(result)
        try:
            self.history.remember(identities)
        except OSError as error:
            self.notify(f"The identities were not remembered: {error}", title="Preview", severity="warning")

    def _profile(self) -> Any:
        if self.profile is not None:
            return self.profile
        resolution = getattr(getattr(self.app, "connection", None), "resolution", None)
        return getattr(resolution, "profile", None)

    # -- rendering ------------------------------------------------------------------------------
    def show_result(self, result: Any) -> None:
        self.result = result
        table = self.query_one("#preview-offers", DataTable)
        table.clear()
        self.rows.clear()
        for offer in result.offers:
            key = f"offer-{offer.rank}"
            self.rows[key] = (offer.id, "personalized")
            table.add_row(str(offer.rank), _s(offer.name, 60) or "(name unknown)",
                          "-" if offer.score is None else f"{offer.score:g}", _s(offer.id, 80), key=key)
        if result.fallback is not None:
            self.rows["fallback"] = (result.fallback.id, "fallback")
            table.add_row("fallback", _s(result.fallback.name, 60) or "(name unknown)", "-",
                          _s(result.fallback.id, 80), key="fallback")
        table.display = bool(self.rows)
        served = (f"{len(result.offers)} offer{'s' if len(result.offers) != 1 else ''} in rank order"
                  if result.offers else ("the fallback was served" if result.fallback else "nothing was served"))
        dry = " · dry run" if result.dry_run else ""
        self._status(f"✓ {_s(result.placement_name)} · count {result.count} · "
                     f"{_s(', '.join(str(i) for i in result.identities), 120)}: {served}{dry}"
                     + ("   Enter: open the offer" if self.rows else ""))
        why = ["Why not the others:"] + [f"{INDENT}{_s(w.name, 60)} ({_s(w.id, 80)}): {_s(w.reason, 160)}"
                                          for w in result.why_not] if result.why_not else \
            ["Why not the others: every offer the decision selects here was returned."]
        self.query_one("#preview-why", Static).update("\n".join(why))
        self._show_content(0)
        if self.rows:
            table.focus()

    def _offer_at(self, row: int) -> Any:
        if self.result is None:
            return None
        items = list(self.result.offers) + ([self.result.fallback] if self.result.fallback else [])
        return items[row] if 0 <= row < len(items) else None

    def _show_content(self, row: int) -> None:
        offer = self._offer_at(row)
        box = self.query_one("#preview-content", Static)
        box.display = offer is not None
        if offer is None:
            return
        content = offer.content if offer.content is not None else (offer.excerpt or "(no content in the answer)")
        # Text, never markup: the server's HTML is shown as its characters.
        box.update(f"{_s(offer.name, 60)}\n{terminal_safe(content, limit=2000)}")

    @on(DataTable.RowHighlighted, "#preview-offers")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_content(event.cursor_row)

    @on(DataTable.RowSelected, "#preview-offers")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_offer(str(event.row_key.value))

    def open_offer(self, key: str) -> None:
        """Open the offer on row ``key`` in the library's offer screen (it fetches it afresh)."""
        from offer_tui.ui.screens.offer_detail import OfferDetailScreen
        from offer_tui.ui.widgets.offer_table import OfferRow

        if key not in self.rows:
            return
        offer_id, offer_type = self.rows[key]
        offer = self._offer_at(list(self.rows).index(key))
        row = OfferRow(offer_id, _s(offer.name) if offer else "", "", offer_type, None)
        names = {str(p.get("id")): _s(p.get("name")) for p in self.placements}
        self.app.push_screen(OfferDetailScreen(row, self.acquire_client, lambda: names))

    def _status(self, text: str, *, error: bool = False) -> None:
        box = self.query_one("#preview-status", Static)
        box.update(terminal_safe(text, limit=1200))
        box.set_class(error, "-error")

    def action_back(self) -> None:
        self.dismiss()
