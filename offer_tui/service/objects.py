"""Every kind of the Offer Library through one set of operations: which kind an id is, read,
names of the objects a body references, "used by", guardrails, and the writes (create with
validation and reference checks, patch, delete with the in-use check).

Each takes ``api`` (an :class:`~offer_tui.api.client.OfferClient`, a
:class:`~offer_tui.service.session.Session` or a :class:`~offer_tui.api.library.Library`) and a
kind (a :class:`~offer_tui.model.kinds.Kind` or its word). Reads cost one listing per kind
involved, never one GET per id. No Textual, no printing: the command line and the library screen
call these and render what comes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from offer_tui.api.library import Library, as_kind
from offer_tui.api.results import name_contains
from offer_tui.model.guardrails import Guardrail, body_warnings, sandbox_counts_needed, sandbox_warnings
from offer_tui.model.kinds import Kind, kind_named, kind_of_id, kind_words
from offer_tui.model.references import Problem, User, extract, referenced_kinds


class KindNeeded(ValueError):
    """The kind of an id cannot be told from it (or the word given is not a kind)."""


def library_of(api: Any) -> Library:
    """A Library over the client of ``api`` (a client, a Session, or a Library)."""
    if isinstance(api, Library):
        return api
    client = getattr(api, "client", None) if not hasattr(api, "_fetch_page") else api
    return Library(client if client is not None else api)


def resolve_kind(object_id: str | None, word: str | None) -> Kind:
    """The kind named by ``word`` (--kind), else the one the id's prefix proves. KindNeeded, whose
    message says what to pass and lists the kinds, when neither tells."""
    if word:
        found = kind_named(word)
        if found is None:
            raise KindNeeded(f"{word!r} is not a kind; use one of: {kind_words()}")
        return found
    found = kind_of_id(object_id or "")
    if found is None:
        raise KindNeeded(f"The kind of {object_id!r} cannot be told from its id: add --kind KIND, "
                         f"one of: {kind_words()}")
    return found


def name_filter(text: str | None) -> list[str]:
    """The ``property`` filter for "name contains TEXT" (any case, literal), as offers use."""
    return [name_contains(text)] if text else []


# -- reads --------------------------------------------------------------------------------------


async def read(api: Any, kind: Kind | str, object_id: str) -> dict[str, Any]:
    """The object as the server holds it now (ApiError 404 when absent)."""
    return await library_of(api).get(kind, object_id)


async def names_of(api: Any, kind: Kind | str, body: Any) -> dict[str, dict[str, str]]:
    """Kind word -> {id: name} for the kinds ``body`` references: one listing per kind, whatever
    the number of ids (a decision's 30 placements are one listing of placements)."""
    library = library_of(api)
    found: dict[str, dict[str, str]] = {}
    for word in referenced_kinds(extract(as_kind(kind), body)):
        found[word] = {item["id"]: item.get("name") if isinstance(item.get("name"), str) else ""
                       for item in await library.list_all(word) if isinstance(item.get("id"), str)}
    return found


async def used_by(api: Any, object_id: str, kind: Kind | str | None = None) -> list[User]:
    """Every object that references ``object_id``, by kind, name and id (one listing per kind
    that can reference it)."""
    from offer_tui.service.references import used_by as _used_by

    return await _used_by(library_of(api), object_id, kind)


async def check_references(api: Any, kind: Kind | str, body: Any) -> list[Problem]:
    """Every id ``body`` names that the sandbox does not hold, with its JSON path."""
    from offer_tui.service.references import check_references as _check

    return await _check(library_of(api), kind, body)


async def count(api: Any, key: str) -> int | None:
    """How many objects of a kind word ("live decisions" too) the sandbox holds, from the
    ``total`` of a one-item page (None when the server does not say)."""
    library = library_of(api)
    if key == "live decisions":
        page = await library.list_page("decisions", properties=["status==live"], limit=1, orderby=None)
        return page.total
    if key == "offers":  # the sandbox's limit counts personalized and fallback offers together
        totals = [(await library.list_page(w, limit=1, orderby=None)).total for w in ("offers", "fallbacks")]
        return None if None in totals else sum(totals)  # type: ignore[arg-type]
    return (await library.list_page(key, limit=1, orderby=None)).total


async def guardrails(api: Any, kind: Kind | str, body: Any = None, *, adding: int = 1) -> list[Guardrail]:
    """The published limits that creating ``adding`` objects of ``kind`` (like ``body``) would
    pass, with the counts: the body's own (tags per offer, placements per decision, ...) and the
    sandbox's (10,000 offers, 1,000 live decisions, ...), each count one small read. For a bulk
    run, pass ``adding`` = the rows to create and one representative ``body`` (or None)."""
    k = as_kind(kind)
    found = body_warnings(k.word, body) if body is not None else []
    needed = sandbox_counts_needed(k.word, body)
    if needed:
        counts = {key: await count(api, key) for key in needed}
        found += sandbox_warnings(counts, {key: adding for key in needed})
    return found


@dataclass(frozen=True)
class Reference:
    """One reference of an object, with the name of what it names ("" when not found)."""

    path: str
    kind: str
    id: str
    name: str | None  # None: not in the sandbox (or its kind could not be listed)


async def references(api: Any, kind: Kind | str, body: Any) -> tuple[list[Reference], dict[str, dict[str, str]]]:
    """The references ``body`` makes with the names of their targets, and the names by kind."""
    names = await names_of(api, kind, body)
    refs = [Reference(r.path, r.kind, r.id, names.get(r.kind, {}).get(r.id)) for r in extract(as_kind(kind), body)]
    return refs, names


def referrer_words(kind: Kind | str | None) -> tuple[str, ...]:
    """The kinds whose listings ``used_by`` reads for ``kind`` (for figures and messages)."""
    from offer_tui.model.references import referrers

    return tuple(k.word for k in referrers(kind if kind is None else as_kind(kind)))


def users_text(users: Iterable[User]) -> list[str]:
    """One line per user: kind, name, id (for a refusal's message or a dialog)."""
    from offer_tui.safe_text import terminal_safe

    return [f"{as_kind(u.kind).singular} {terminal_safe(u.name, limit=80, one_line=True)!r} "
            f"({terminal_safe(u.id, limit=80, one_line=True)})" for u in users]
