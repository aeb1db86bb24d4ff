"""No resend after an unknown outcome without a check by name (issue 7, item 3).

When a submit ends with the outcome unknown (a 5xx, a redirect, no receipt, a drop or a cancel
after the request was written), the offer may exist. The app remembers that offer's type and
name here; the next submit of the same offer first looks the name up (``ResendCheckScreen``: in a
worker, with progress) and says what it found: nothing, and then it sends; or the offers with that
name, and then it sends only if the user chooses "create a second offer" in so many words.

No Textual import at module level: the flow only pushes the screen when a check is needed.
"""

from __future__ import annotations

from typing import Any


def offer_key(doc: dict[str, Any], offer_type: str) -> tuple[str, str]:
    name = doc.get("name") if isinstance(doc, dict) else None
    return offer_type, name if isinstance(name, str) else ""


class ResendGuard:
    """Which offers (type, name) had a submit whose outcome is unknown, for this session."""

    def __init__(self) -> None:
        self._unknown: dict[tuple[str, str], str] = {}  # (offer type, name) -> what was unknown

    def needs_check(self, doc: dict[str, Any], offer_type: str) -> bool:
        return offer_key(doc, offer_type) in self._unknown

    def record(self, doc: dict[str, Any], offer_type: str, outcome: Any) -> None:
        """After a submit: an unknown outcome needs a check before the next send; a receipt
        clears it. A refusal changes nothing (it proves nothing about the earlier attempt)."""
        key = offer_key(doc, offer_type)
        kind = getattr(outcome, "kind", None)
        error = getattr(outcome, "error", None)
        service = getattr(outcome, "service", None)  # the service's verdict, when the create ran
        if kind == "success":
            self._unknown.pop(key, None)
        elif service is not None:
            if service.verdict == "unknown":
                self._unknown[key] = service.message or "the outcome is unknown"
        elif error is not None and getattr(error, "outcome_unknown", False):  # cancelled in flight
            self._unknown[key] = getattr(error, "message", "") or "the outcome is unknown"

    async def clear_to_send(self, app: Any, doc: dict[str, Any], offer_type: str) -> bool:
        """True when sending is safe or the user chose to create a second offer. Call it from a
        worker (it waits for the check screen)."""
        key = offer_key(doc, offer_type)
        if key not in self._unknown:
            return True
        from textual.app import ScreenStackError

        from offer_tui.ui.screens.resend_check import ResendCheckScreen

        try:
            go_ahead = bool(await app.push_screen_wait(ResendCheckScreen(key[1], offer_type, self._unknown[key])))
        except ScreenStackError:  # the app is quitting with the check on screen: send nothing
            return False
        if go_ahead:
            # Checked (or confirmed) now: this send's own outcome decides what comes next.
            self._unknown.pop(key, None)
        return go_ahead
