"""Submitting: a progress indicator while the POST is in flight; Esc cancels (outcome then unknown)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import LoadingIndicator, Static

from offer_tui.api import ApiError


@dataclass
class SubmitOutcome:
    kind: str  # "success" | "error" | "cancelled"
    result: Any = None
    error: ApiError | None = None


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
    SubmitScreen > Vertical { width: 60; max-width: 95%; height: 9; border: round $primary;
                              background: $surface; padding: 0 1; }
    SubmitScreen LoadingIndicator { height: 3; }
    """

    def __init__(self, doc: dict[str, Any], offer_type: str) -> None:
        super().__init__()
        self.doc = doc
        self.offer_type = offer_type
        self._done = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Creating the {self.offer_type} offer...", classes="section-title", markup=False)
            yield LoadingIndicator()
            yield Static("Esc cancels (the outcome is then unknown).", markup=False)

    def on_mount(self) -> None:
        self.send()

    @work(exclusive=True, group="submit")
    async def send(self) -> None:
        try:
            client = await self.app.acquire_client()  # type: ignore[attr-defined]
            result = await client.create_offer(self.doc, self.offer_type)
        except ApiError as error:
            self._finish(SubmitOutcome("error", error=error))
        except Exception as error:  # never a traceback on screen: describe it in place
            self._finish(SubmitOutcome("error", error=ApiError(f"{type(error).__name__}: {error}")))
        else:
            self._finish(SubmitOutcome("success", result=result))

    def _finish(self, outcome: SubmitOutcome) -> None:
        if not self._done:
            self._done = True
            self.dismiss(outcome)

    def action_cancel(self) -> None:
        if self._done:
            return
        self.workers.cancel_group(self, "submit")
        self._finish(SubmitOutcome("cancelled", error=cancelled_error()))
