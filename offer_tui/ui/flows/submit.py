"""Create an offer: the production confirmation, the submit screen, then success or failure.

One guard (``busy``): a second F9 while a submit is being confirmed or sent does nothing.
The worker awaits the screens that decide what is sent (the confirmation, the submit screen) and
ends once the result is on screen: a worker never waits on a result the user may leave open for
hours (tests and the hang-up handler wait for workers). The result screen answers a method here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from offer_tui.model import strip_server_fields
from offer_tui.ui.flows.host import FlowHost, confirm_production
from offer_tui.ui.flows.resend_check import ResendGuard

if TYPE_CHECKING:
    from offer_tui.ui.screens.wizard import WizardScreen


class SubmitFlow:
    def __init__(self, host: FlowHost, wizard: "WizardScreen") -> None:
        self.host = host
        self.wizard = wizard
        self.busy = False
        self.doc: dict[str, Any] = {}
        self.offer_type = "personalized"
        self.offer_id = ""
        self.last_outcome: Any = None  # the service outcome of the last create (tests compare it with the CLI's)
        self.resend_guard = ResendGuard()  # no resend after an unknown outcome without a check by name

    def start(self, doc: dict[str, Any], offer_type: str, known_ids: frozenset[str] | None = None) -> bool:
        """Start submitting ``doc`` in a worker; False (and nothing happens) when one is under way.
        ``known_ids``: the ids the check by name found for this name before sending (see
        ``offer_tui.service.offers.create``)."""
        if self.busy:
            return False
        self.busy = True
        self.host.refresh_bindings()
        self.host.run_worker(self._run(doc, offer_type, known_ids), group="submit-flow")
        return True

    async def _run(self, doc: dict[str, Any], offer_type: str, known_ids: frozenset[str] | None = None) -> None:
        from offer_tui.ui.screens.submit import SubmitScreen

        try:
            if not await confirm_production(self.host, "submit this offer"):
                self.host.notify("Not submitted.", title="Production")
                return
            if not await self.resend_guard.clear_to_send(self.host, doc, offer_type):
                self.host.notify("Not submitted.", title="Check by name")
                return
            outcome = await self.host.push_screen_wait(SubmitScreen(doc, offer_type, known_ids=known_ids))
        finally:
            self.busy = False
            if self.host.screen_stack:  # ctrl+q while a confirmation was open: nothing left to refresh
                self.host.refresh_bindings()
        self.resend_guard.record(doc, offer_type, outcome)
        name = str(doc.get("name", ""))
        if outcome is not None and outcome.kind == "success":
            self.last_outcome = outcome.service
            await self._succeeded(doc, offer_type, name, outcome.result)
        else:
            await self._failed(offer_type, name, outcome.error if outcome is not None else None,
                               getattr(outcome, "service", None))

    async def _succeeded(self, doc: dict[str, Any], offer_type: str, name: str, result: Any) -> None:
        from offer_tui.ui.screens.success import SuccessScreen

        self.host.saver.discard()
        self.wizard.mark_clean()
        screen = SuccessScreen(result, offer_type, name)
        self.doc, self.offer_type, self.offer_id = doc, offer_type, screen.offer_id
        self.host.push_screen(screen, self._after_success)

    async def _after_success(self, choice: str | None) -> None:
        if choice == "another":
            copy_doc, _ = strip_server_fields(self.doc)
            await self.wizard.load_document(copy_doc, self.offer_type, based_on=self.offer_id or None)

    async def _failed(self, offer_type: str, name: str, error: Any, service: Any = None) -> None:
        from offer_tui.api import ApiError
        from offer_tui.ui.screens.failure import FailureScreen

        if error is None:
            error = ApiError("The request ended without a result")
        self.last_outcome = service
        self.host.push_screen(FailureScreen(error, offer_type, name, service), self._after_failure)

    def _after_failure(self, path: str | None) -> None:
        if path is not None:
            self.wizard.focus_path(path)
