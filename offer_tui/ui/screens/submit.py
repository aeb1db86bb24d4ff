"""Submitting: which phase it is in and how long it has taken; Esc cancels.

Esc before the request went out (resolving credentials, getting a token) says "nothing was sent";
once the POST is on its way the outcome is unknown and the check by name follows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import LoadingIndicator, Static

from offer_tui.api import ApiError
from offer_tui.log import swallowed


@dataclass
class SubmitOutcome:
    kind: str  # "success" | "error" | "cancelled"
    result: Any = None
    error: ApiError | None = None
    service: Any = None  # the service outcome (Done / Refused / Unknown) when the create ran


def submit_outcome(outcome: Any) -> SubmitOutcome:
    """The service's outcome as this screen's result; the failure screen shows the lookup's finding."""
    if outcome.verdict == "done":
        return SubmitOutcome("success", result=outcome.result, service=outcome)
    error = outcome.error if isinstance(outcome.error, ApiError) else ApiError(
        outcome.message, status=outcome.status, outcome_unknown=outcome.verdict == "unknown")
    return SubmitOutcome("error", error=error, service=outcome)


def not_sent_error() -> ApiError:
    return ApiError(
        "Cancelled before the request went out: nothing was sent, so nothing was created",
        code="cancelled",
        hint="Your form is intact: submit again when you are ready.",
    )


def cancelled_error() -> ApiError:
    return ApiError(
        "Cancelled while the request was in flight: the offer may or may not have been created",
        code="cancelled",
        hint="Check by name before submitting again, so you do not create a duplicate.",
        outcome_unknown=True,
    )


class SubmitScreen(ModalScreen[SubmitOutcome]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="submit-cancel")]
    DEFAULT_CSS = """
    SubmitScreen { align: center middle; }
    SubmitScreen > Vertical { width: 64; max-width: 95%; height: auto; border: round $primary;
                              background: $surface; padding: 0 1; }
    SubmitScreen LoadingIndicator { height: 3; }
    SubmitScreen #submit-clock { color: $text-muted; }
    """

    def __init__(self, doc: dict[str, Any], offer_type: str, *, known_ids: frozenset[str] | None = None) -> None:
        super().__init__()
        self.doc = doc
        self.offer_type = offer_type
        # Ids that had this name before sending (the check by name F9 made): after an unknown
        # answer, a new id found by name then proves the create.
        self.known_ids = known_ids
        self._done = False
        self.phase = "start"  # start -> token -> sending (only "sending" may have reached the server)
        self._started = 0.0
        self._clock: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Creating the {self.offer_type} offer...", classes="section-title", markup=False)
            yield Static(_PHASES["start"], id="submit-phase", markup=False)
            yield LoadingIndicator()
            yield Static("", id="submit-clock", markup=False)
            yield Static("Esc cancels: nothing is sent before the token is in hand.", id="submit-keys", markup=False)

    def on_mount(self) -> None:
        self._started = time.monotonic()
        self._clock = self.set_interval(0.5, self._tick)
        self._tick()
        self.send()

    def _tick(self) -> None:
        budget = getattr(getattr(self.app, "connection", None), "budget", None)
        allowed = f" of the {budget:g} s allowed (--timeout)" if budget else ""
        self.query_one("#submit-clock", Static).update(f"{time.monotonic() - self._started:.0f} s{allowed}")

    def _progress(self, phase: str) -> None:
        self.phase = phase
        self.query_one("#submit-phase", Static).update(_PHASES.get(phase, phase))
        if phase == "sending":
            self.query_one("#submit-keys", Static).update("Esc cancels, but the outcome is then unknown.")

    @work(exclusive=True, group="submit")
    async def send(self) -> None:
        from offer_tui.service import offers

        try:
            client = await self.app.acquire_client()  # type: ignore[attr-defined]
            self._progress("token")
            # The service sends it once and, after an answer that proves nothing, looks it up by name.
            outcome = await offers.create(client, self.doc, self.offer_type, known_ids=self.known_ids,
                                          progress=self._progress)
        except ApiError as error:  # before sending: the credentials or the client could not be made
            self._finish(SubmitOutcome("error", error=error))
        except Exception as error:  # never a traceback on screen: describe it in place
            swallowed("submitting an offer")
            self._finish(SubmitOutcome("error", error=ApiError(f"{type(error).__name__}: {error}")))
        else:
            self._finish(submit_outcome(outcome))

    def _finish(self, outcome: SubmitOutcome) -> None:
        if not self._done:
            self._done = True
            if self._clock is not None:
                self._clock.stop()
            self.dismiss(outcome)

    def action_cancel(self) -> None:
        if self._done:
            return
        self.workers.cancel_group(self, "submit")
        sent = self.phase == "sending"
        self._finish(SubmitOutcome("cancelled", error=cancelled_error() if sent else not_sent_error()))


_PHASES = {
    "start": "Reading the credentials... (nothing sent yet)",
    "token": "Getting an access token... (nothing sent yet)",
    "sending": "Sent; waiting for the receipt...",
}
