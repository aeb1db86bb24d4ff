"""Shared by the edit, status and delete flows: send one PATCH or DELETE; when its outcome is
unknown, re-read the offer (``offer_tui.api.settle``) and say what the server now holds. Never
resend blindly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offer_tui.safe_text import terminal_safe


@dataclass
class WriteOutcome:
    kind: str  # "done" | "refused" | "unknown"
    message: str
    result: Any = None  # the WriteResult when the server confirmed it
    settled: Any = None  # after an unknown outcome: the re-read's Settled (done True / False / None)

    @property
    def happened(self) -> bool:
        """The change is on the server: confirmed, or proved by the re-read after an unknown outcome."""
        return self.kind == "done" or (self.settled is not None and self.settled.done is True)

    @property
    def verdict(self) -> str:
        """For a title: what the user can rely on now (the re-read may have settled the unknown)."""
        if self.kind != "unknown":
            return self.kind
        done = self.settled.done if self.settled is not None else None
        return "outcome unknown" if done is None else "applied" if done else "not applied"

    @property
    def offer(self) -> dict[str, Any] | None:
        return self.settled.offer if self.settled is not None else None


async def send_write(client: Any, kind: str, offer_id: str, offer_type: str, *,
                     ops: list[dict[str, Any]] | None = None, before: dict[str, Any] | None = None) -> WriteOutcome:
    """``kind`` "patch" (``ops`` computed against ``before``, the offer as fetched) or "delete"."""
    from offer_tui.api import ApiError
    from offer_tui.api.settle import settle_delete, settle_patch

    try:
        if kind == "patch":
            result = await client.patch_offer(offer_id, ops or [], offer_type)
        else:
            result = await client.delete_offer(offer_id, offer_type)
    except ApiError as error:
        message = terminal_safe(str(error), limit=600)
        if not error.outcome_unknown:
            return WriteOutcome("refused", f"Nothing changed: {message}")
        answered = error.status is not None
    except Exception as error:  # shown, never a traceback; whether it was sent cannot be known
        message = terminal_safe(f"{type(error).__name__}: {error}", limit=600)
        answered = False
    else:
        return WriteOutcome("done", "", result=result)
    if kind == "patch":
        settled = await settle_patch(client, offer_id, offer_type, before=before or {}, ops=ops or [],
                                     answered=answered)
    else:
        settled = await settle_delete(client, offer_id, offer_type, answered=answered)
    # What the re-read found first: the server's answer alone ("may or may not") is no longer the news.
    return WriteOutcome("unknown", f"{settled.message}\nThe server's answer: {message}", settled=settled)
