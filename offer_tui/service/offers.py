"""The writes and lookups of offers, once, for the command line and the app.

Every write returns one :mod:`~offer_tui.service.outcomes` outcome and is sent exactly once:
after an answer that proves nothing, the object is read again (PATCH, DELETE) or looked up by
name (create) and the outcome says what that found. Nothing here resends a write. No Textual,
no printing.

Each function takes ``api`` (an :class:`~offer_tui.api.client.OfferClient` or a
:class:`~offer_tui.service.session.Session`), an object id and its ``offer_type``. The writes are
:mod:`offer_tui.service.objects`' with the offer kinds: every kind shares them.
"""

from __future__ import annotations

from typing import Any

from offer_tui.api.errors import ApiError
from offer_tui.api.transport import check_offer_type
from offer_tui.model.kinds import Kind, kind
from offer_tui.safe_text import terminal_safe
from offer_tui.service import objects
from offer_tui.service.outcomes import NOT_CONFIRMED, Outcome, Refused, Unknown


def client_of(api: Any) -> Any:
    """The API client of a Session, or ``api`` itself."""
    from offer_tui.service.session import Session

    return api.client if isinstance(api, Session) else api


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


# -- writes -------------------------------------------------------------------------------------
# Offers are two kinds of the Offer Library: their writes are the generic ones of
# service/objects.py (one copy of the send-once and settling rules for every kind), kept here
# under their historical signatures for the app and the commands.


def kind_of(offer_type: str) -> Kind:
    """The kind of an ``offer_type`` ("personalized" -> offers, "fallback" -> fallbacks)."""
    check_offer_type(offer_type)
    return kind("fallbacks" if offer_type == "fallback" else "offers")


async def create(api: Any, doc: dict[str, Any], offer_type: str, *, known_ids: frozenset[str] | None = None,
                 progress: Any = None) -> Outcome:
    """POST ``doc``. After an unknown outcome, look it up by name (never resend).

    ``known_ids``: ids of objects with this name that existed before sending (the check by name
    the app makes before F9); with them a new match proves the create, without them it cannot.
    """
    return await objects.create(api, kind_of(offer_type), doc, check=False, known_ids=known_ids, progress=progress)


async def patch(api: Any, object_id: str, offer_type: str, *, before: dict[str, Any],
                ops: list[dict[str, Any]]) -> Outcome:
    """Send ``ops`` (computed against ``before``, the object as read) once; re-read after an unknown."""
    return await objects.patch(api, kind_of(offer_type), object_id, before=before, ops=ops)


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
    anything else is unknown until the re-read settles it. No in-use check here (the caller shows
    what uses it first: :func:`offer_tui.service.objects.in_use`)."""
    return await objects.delete(api, kind_of(offer_type), object_id, force=True)


async def recheck_create(api: Any, name: str, offer_type: str, *, error: BaseException | None = None,
                         known_ids: frozenset[str] | None = None) -> Unknown:
    """Look up by name again after a create whose outcome was unknown (``error``: its answer).
    The result's ``found`` and ``reread`` say what the lookup proves; nothing is sent."""
    return await objects.settle_create(api, kind_of(offer_type), {"name": name}, error, known_ids)
