"""The writes and lookups of offers, once, for the command line and the app.

Every write returns one :mod:`~offer_tui.service.outcomes` outcome and is sent exactly once:
after an answer that proves nothing, the object is read again (PATCH, DELETE) or looked up by
name (create) and the outcome says what that found. Nothing here resends a write. No Textual,
no printing.

Each function takes ``api`` (an :class:`~offer_tui.api.client.OfferClient` or a
:class:`~offer_tui.service.session.Session`), an object id and its ``offer_type``: the kind of
object is a parameter, never an assumption deep inside, so other kinds can join.
"""

from __future__ import annotations

from typing import Any

from offer_tui.api.errors import ApiError
from offer_tui.api.settle import answered, settle_create, settle_delete, settle_patch
from offer_tui.log import swallowed
from offer_tui.safe_text import terminal_safe
from offer_tui.service.outcomes import (
    APPLIED,
    CANNOT_TELL,
    NOT_APPLIED,
    NOT_CONFIRMED,
    Done,
    Outcome,
    Refused,
    Unknown,
)


def client_of(api: Any) -> Any:
    """The API client of a Session, or ``api`` itself."""
    from offer_tui.service.session import Session

    return api.client if isinstance(api, Session) else api


def _found(done: bool | None) -> str:
    return APPLIED if done else NOT_APPLIED if done is False else CANNOT_TELL


def _shown(value: Any, limit: int = 120) -> str:
    return terminal_safe("" if value is None else value, limit=limit, one_line=True)


def not_confirmed(reason: str) -> Refused:
    """A write the user did not confirm (or could not: no terminal): nothing was sent."""
    return Refused(reason, local=NOT_CONFIRMED)


# -- lookups ------------------------------------------------------------------------------------


async def get(api: Any, object_id: str, offer_type: str) -> dict[str, Any]:
    """The object as the server holds it now (raises ApiError)."""
    return await client_of(api).get_offer(object_id, offer_type)


async def find_by_name(api: Any, name: str, offer_type: str) -> list[dict[str, Any]]:
    """Every object of this type with exactly this name (raises ApiError)."""
    return await client_of(api).find_offers_by_name(name, offer_type)


def not_found_hint(error: ApiError, offer_type: str, *, type_was_guessed: bool) -> str | None:
    """After a 404 on a read whose type was a default guess: the other type to try."""
    if error.status != 404 or not type_was_guessed:
        return None
    other = "fallback" if offer_type == "personalized" else "personalized"
    return f"looked for a {offer_type} offer; if it is a {other} one, add --type {other}"


# -- the unknown path -----------------------------------------------------------------------


def _unknown_text(error: BaseException) -> tuple[str, bool, int | None]:
    """(what the answer was, did the service finish with the request, its status)."""
    if isinstance(error, ApiError):
        return error.message, answered(error), error.status
    return _shown(f"{type(error).__name__}: {error}", 600), False, None


# -- writes -------------------------------------------------------------------------------------


async def create(api: Any, doc: dict[str, Any], offer_type: str, *, known_ids: frozenset[str] | None = None,
                 progress: Any = None) -> Outcome:
    """POST ``doc``. After an unknown outcome, look it up by name (never resend).

    ``known_ids``: ids of objects with this name that existed before sending (the check by name
    the app makes before F9); with them a new match proves the create, without them it cannot.
    """
    client = client_of(api)
    try:
        result = await client.create_offer(doc, offer_type, progress=progress)
    except ApiError as error:
        if not error.outcome_unknown:
            return Refused(error.message, status=error.status, error=error)
        return await _settle_create(client, doc, offer_type, error, known_ids)
    except Exception as error:  # noqa: BLE001 - whether it was sent cannot be known: say so, never a traceback
        swallowed("creating an offer")
        return await _settle_create(client, doc, offer_type, error, known_ids)
    name = _shown(doc.get("name"))
    return Done(f"Created {offer_type} offer {name!r}.", receipt=result.receipt, status=result.status, result=result)


async def _settle_create(client: Any, doc: dict[str, Any], offer_type: str, error: BaseException,
                         known_ids: frozenset[str] | None) -> Unknown:
    message, finished, status = _unknown_text(error)
    name = doc.get("name")
    if not isinstance(name, str) or not name:
        return Unknown(message, CANNOT_TELL, "The offer has no name to look it up by.", status, error=error)
    settled, found = await settle_create(client, name, offer_type, answered=finished, known_ids=known_ids)
    return Unknown(message, _found(settled.done), settled.message, status, offer=settled.offer,
                   matches=found, error=error)


async def patch(api: Any, object_id: str, offer_type: str, *, before: dict[str, Any],
                ops: list[dict[str, Any]]) -> Outcome:
    """Send ``ops`` (computed against ``before``, the object as read) once; re-read after an unknown."""
    client = client_of(api)
    try:
        result = await client.patch_offer(object_id, ops, offer_type)
    except ApiError as error:
        if not error.outcome_unknown:
            return Refused(error.message, status=error.status, error=error)
        return await _settle_patch(client, object_id, offer_type, before, ops, error)
    except Exception as error:  # noqa: BLE001
        swallowed("sending a PATCH")
        return await _settle_patch(client, object_id, offer_type, before, ops, error)
    name = _shown(before.get("name"), 80)
    return Done(f"Updated {name!r}: etag {_shown(before.get('etag'), 20)} -> {_shown(result.etag, 20)}",
                receipt=result.receipt, status=result.status, result=result)


async def _settle_patch(client: Any, object_id: str, offer_type: str, before: dict[str, Any],
                        ops: list[dict[str, Any]], error: BaseException) -> Unknown:
    message, finished, status = _unknown_text(error)
    settled = await settle_patch(client, object_id, offer_type, before=before, ops=ops, answered=finished)
    return Unknown(message, _found(settled.done), settled.message, status, offer=settled.offer, error=error)


def status_ops(before: dict[str, Any], status: str) -> list[dict[str, Any]]:
    """The one PATCH that sets ``status`` ([] when it already has it)."""
    if before.get("status") == status:
        return []
    return [{"op": "replace" if "status" in before else "add", "path": "/status", "value": status}]


async def set_status(api: Any, object_id: str, offer_type: str, status: str, *,
                     before: dict[str, Any]) -> Outcome:
    """PATCH /status to ``status``; ``before`` is the object as just read."""
    ops = status_ops(before, status)
    if not ops:
        from offer_tui.service.outcomes import NOTHING_TO_DO

        return Refused(f"{_shown(before.get('name'), 80)!r} is already {status}.", local=NOTHING_TO_DO)
    return await patch(api, object_id, offer_type, before=before, ops=ops)


async def delete(api: Any, object_id: str, offer_type: str) -> Outcome:
    """DELETE once. Done only on the documented answer (200, empty body) confirmed by a re-read's 404;
    anything else is unknown until the re-read settles it."""
    client = client_of(api)
    try:
        result = await client.delete_offer(object_id, offer_type)
    except ApiError as error:
        if not error.outcome_unknown:
            return Refused(error.message, status=error.status, error=error)
        return await _settle_delete(client, object_id, offer_type, error)
    except Exception as error:  # noqa: BLE001
        swallowed("sending a DELETE")
        return await _settle_delete(client, object_id, offer_type, error)
    settled = await settle_delete(client, object_id, offer_type, answered=True)
    if settled.done:
        return Done(f"Deleted {offer_type} offer {_shown(object_id, 80)}.", status=result.status, result=result)
    return Unknown(f"HTTP {result.status}: the service said it deleted the offer.", _found(settled.done),
                   settled.message, result.status, offer=settled.offer)


async def _settle_delete(client: Any, object_id: str, offer_type: str, error: BaseException) -> Unknown:
    message, finished, status = _unknown_text(error)
    settled = await settle_delete(client, object_id, offer_type, answered=finished)
    return Unknown(message, _found(settled.done), settled.message, status, offer=settled.offer, error=error)


async def recheck_create(api: Any, name: str, offer_type: str, *, error: BaseException | None = None,
                         known_ids: frozenset[str] | None = None) -> Unknown:
    """Look up by name again after a create whose outcome was unknown (``error``: its answer).
    The result's ``found`` and ``reread`` say what the lookup proves; nothing is sent."""
    message, finished, status = _unknown_text(error) if error is not None else ("", False, None)
    settled, found = await settle_create(client_of(api), name, offer_type, answered=finished, known_ids=known_ids)
    return Unknown(message, _found(settled.done), settled.message, status, offer=settled.offer, matches=found,
                   error=error)
