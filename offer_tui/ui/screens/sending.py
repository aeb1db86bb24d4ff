"""Sending one write (an edit's PATCH): says so while it is on its way, goes when the answer comes.

Esc cancels it with the same honesty as a create: once the request may have reached the server,
the outcome is unknown, so the object is read again (``settle``) and the dialog's result is what
that re-read found. Dismisses the service's outcome (Done / Refused / Unknown).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from offer_tui.log import swallowed


class SendingScreen(ModalScreen[Any]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="sending-cancel",
                        tooltip="Stop waiting: the outcome is then unknown, and the offer is read again")]
    DEFAULT_CSS = """
    SendingScreen { align: center middle; }
    SendingScreen > Vertical { width: 64; max-width: 95%; height: auto; border: round $primary;
                               background: $surface; padding: 0 1; }
    SendingScreen #sending-keys { color: $text-muted; }
    """

    def __init__(self, title: str, what: str, send: Callable[[], Awaitable[Any]],
                 settle: Callable[[], Awaitable[Any]]) -> None:
        super().__init__()
        self._title = title
        self.what = what
        self._send = send
        self._settle = settle
        self.cancelled = False
        self._done = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, classes="section-title", markup=False)
            yield Static(f"Sending {self.what}...", id="sending-text", markup=False)
            yield Static("Esc: cancel (the outcome is then unknown; the offer is read again)", id="sending-keys",
                         markup=False)

    def on_mount(self) -> None:
        self.send()

    @work(exclusive=True, group="sending")
    async def send(self) -> None:
        outcome = await self._send()
        self._finish(outcome)

    def action_cancel(self) -> None:
        if self._done or self.cancelled:
            return
        self.cancelled = True
        self.workers.cancel_group(self, "sending")
        self.query_one("#sending-text", Static).update("Cancelled while the request was in flight: reading the offer "
                                                       "again to see whether the change is there...")
        self.query_one("#sending-keys", Static).update("")
        self.settle()

    @work(exclusive=True, group="settling")
    async def settle(self) -> None:
        try:
            outcome = await self._settle()
        except Exception as error:  # the service settles; this is a last guard against a traceback
            swallowed("re-reading after a cancelled write")
            from offer_tui.service.outcomes import Unknown

            outcome = Unknown(f"Cancelled while in flight; the re-read failed: {type(error).__name__}: {error}")
        self._finish(outcome)

    def _finish(self, outcome: Any) -> None:
        if not self._done:
            self._done = True
            self.dismiss(outcome)
