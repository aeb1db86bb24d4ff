"""After a PATCH or DELETE whose outcome is unknown: re-read the offer and say what the server holds.

UI-free (the CLI and the library screens share it). The rule, so that every answer is true:

- Re-read with one GET (retried like every read). Never resend the write.
- PATCH: the offer has a new etag and holds every value the patch set -> **applied**. It still
  has the etag the patch was computed against and the same content -> **not applied**. It is
  gone (404) -> **not applied** (nothing left to change). Anything else (a new etag without our
  values: someone else changed it too) -> **cannot tell**.
- DELETE: a 404 -> **deleted** (the offer is gone, whoever removed it). Still there -> **not deleted**.
- "Not applied" / "not deleted" is only certain when the service itself *answered* the write (an
  HTTP status other than a gateway's 502/504: it finished with the request). After a timeout, a
  dropped connection or a gateway's 502/504 the request may still be in flight and land after our
  GET, so those cases stay **cannot tell**, with what the server holds right now.
- The GET itself failing -> **cannot tell**.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offer_tui.api.errors import ApiError
from offer_tui.model import strip_server_fields
from offer_tui.model.patch import MISSING, resolve, same
from offer_tui.safe_text import terminal_safe

# ``noun``: what the object is called in the messages ("offer", "decision", "tag"); every kind of
# the Offer Library settles by these same rules (offer_tui/service/objects.py).

# A gateway's answer for a backend that did not answer in time: the write may still be running.
IN_FLIGHT_STATUSES = frozenset({502, 504})


def answered(error: ApiError) -> bool:
    """Did the service finish with the write? True for an HTTP answer other than a gateway's 502/504."""
    return error.status is not None and error.status not in IN_FLIGHT_STATUSES


@dataclass(frozen=True)
class Settled:
    """What a re-read proved. ``done``: True (the write's effect is there), False (it is not), None (cannot tell)."""

    done: bool | None
    message: str
    offer: dict[str, Any] | None = None  # what the server holds now, when it answered with the offer

    @property
    def certain(self) -> bool:
        return self.done is not None


def _status_text(offer: dict[str, Any]) -> str:
    status = offer.get("status")
    return f" and status {terminal_safe(status, limit=40, one_line=True)}" if isinstance(status, str) else ""


def _holds(offer: dict[str, Any], ops: list[dict[str, Any]]) -> bool:
    body = strip_server_fields(offer)[0]
    for op in ops:
        value = resolve(body, op.get("path", ""))
        if op.get("op") == "remove":
            if value is not MISSING:
                return False
        elif value is MISSING or not same(value, op.get("value")):
            return False
    return True


async def _reread(client, offer_id: str, offer_type: str) -> tuple[dict[str, Any] | None, ApiError | None]:
    try:
        return await client.get_offer(offer_id, offer_type), None
    except ApiError as error:
        return None, error


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _reread_failed(error: ApiError, noun: str = "offer") -> Settled:
    return Settled(None, f"Reading the {noun} again failed too "
                         f"({terminal_safe(error.message, limit=200, one_line=True)}): the outcome is still unknown.")


async def settle_patch(client, offer_id: str, offer_type: str, *, before: dict[str, Any],
                       ops: list[dict[str, Any]], answered: bool, noun: str = "offer") -> Settled:
    """Re-read after a PATCH of ``ops`` (computed against ``before``) whose outcome is unknown.

    ``answered``: the server sent an HTTP status (it finished with the request).
    """
    fresh, error = await _reread(client, offer_id, offer_type)
    if fresh is None:
        assert error is not None
        if error.status == 404:
            return Settled(False, f"The {noun} is gone (404): your change is not on the server, and there is nothing left to change.")
        return _reread_failed(error, noun)
    etag = fresh.get("etag")
    shown = terminal_safe(etag, limit=40, one_line=True)
    if not same(etag, before.get("etag")) and _holds(fresh, ops):
        return Settled(True, f"The server now has etag {shown}{_status_text(fresh)}: your change was applied.", fresh)
    unchanged = same(etag, before.get("etag")) and same(strip_server_fields(fresh)[0], strip_server_fields(before)[0])
    if unchanged and answered:
        return Settled(False, f"The server still has etag {shown} without your change: it was not applied; "
                              "you may send it again.", fresh)
    if unchanged:
        return Settled(None, f"The server still has etag {shown} without your change, but the request may still be "
                             f"in flight: read the {noun} again in a moment before sending anything.", fresh)
    return Settled(None, f"The {noun} changed on the server (now etag {shown}) but does not hold your change: "
                         "someone else may have edited it. Look at it before sending anything again.", fresh)


async def settle_delete(client, offer_id: str, offer_type: str, *, answered: bool, noun: str = "offer") -> Settled:
    """Re-read after a DELETE whose outcome is unknown."""
    fresh, error = await _reread(client, offer_id, offer_type)
    if fresh is None:
        assert error is not None
        if error.status == 404:
            return Settled(True, f"The {noun} is gone (404): it was deleted.")
        return _reread_failed(error, noun)
    shown = terminal_safe(fresh.get("etag"), limit=40, one_line=True)
    if answered:
        return Settled(False, f"The {noun} still exists (etag {shown}): it was not deleted.", fresh)
    return Settled(None, f"The {noun} still exists (etag {shown}) for now, but the request may still be in flight: "
                         "read it again in a moment before deleting again.", fresh)


async def settle_create(client, name: str, offer_type: str, *, answered: bool,
                        known_ids: frozenset[str] | None = None,
                        noun: str = "offer") -> tuple[Settled, tuple[dict[str, Any], ...]]:
    """Look up by name after a create whose outcome is unknown: (what it proved, the offers found).

    ``known_ids``: the ids of offers with this name that existed before the create was sent (the
    check by name before sending); without them an offer found by name may be an older one.
    """
    shown = terminal_safe(name, limit=120, one_line=True)
    try:
        found = tuple(o for o in await client.find_offers_by_name(name, offer_type) if isinstance(o, dict))
    except ApiError as error:
        return Settled(None, f"Looking the {noun} up by name failed too "
                             f"({terminal_safe(error.message, limit=200, one_line=True)}): the outcome is still unknown; "
                             "check by name before sending it again."), ()
    new = found if known_ids is None else tuple(o for o in found if o.get("id") not in known_ids)
    if new and known_ids is not None:
        ids = ", ".join(terminal_safe(o.get("id"), limit=80, one_line=True) for o in new[:3])
        return Settled(True, f"{_a(noun).capitalize()} named {shown!r} now exists that was not there before ({ids}): "
                             "it was created. Do not send it again.", new[0]), found
    if new:
        ids = ", ".join(terminal_safe(o.get("id"), limit=80, one_line=True) for o in new[:3])
        return Settled(None, f"{len(new)} {noun}(s) named {shown!r} exist now ({ids}): one may be the one just sent, "
                             "or an older one. Look at them before sending it again.", found[0]), found
    if answered:
        return Settled(False, f"No {noun} is named {shown!r}: it was not created; you may send it again."), found
    return Settled(None, f"No {noun} is named {shown!r} yet, but the request may still be in flight: "
                         "check by name again in a moment before sending it again."), found
