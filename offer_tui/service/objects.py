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


async def check_added_references(api: Any, kind: Kind | str, before: Any, after: Any) -> list[Problem]:
    """For an edit: the references ``after`` adds to ``before`` (an id it did not name) that the
    sandbox does not hold. References the object already had are not read again, so an edit of
    a name or a status lists nothing."""
    from offer_tui.model.references import missing

    k = as_kind(kind)
    had = {(r.kind, r.id) for r in extract(k, before)}
    added = [r for r in extract(k, after) if (r.kind, r.id) not in had]
    if not added:
        return []
    from offer_tui.service.references import existing_ids

    return missing(added, await existing_ids(library_of(api), referenced_kinds(added)))


async def ids_named(api: Any, kind: Kind | str, name: Any) -> frozenset[str] | None:
    """The ids of the ``kind`` objects already named ``name`` (before a create: with them, a new
    match after an unknown outcome proves the create). None when there is no name to look up."""
    if not isinstance(name, str) or not name:
        return None
    found = await library_of(api).find_by_name(kind, name)
    return frozenset(o["id"] for o in found if isinstance(o.get("id"), str))


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


async def tagging_guardrails(api: Any, offer_ids: Iterable[str], tag_id: str) -> list[Guardrail]:
    """Before adding tag ``tag_id`` to the offers ``offer_ids`` (the library's T on marked offers,
    a bulk tag run): offers that would pass 20 tags, and any-tags collections of that tag that
    would select more than 500 offers, with the counts. Two listings (offers, collections)."""
    from offer_tui.model.guardrails import tagging_warnings
    from offer_tui.model.references import selects

    library = library_of(api)
    offers = await library.list_all("offers")
    wanted = set(offer_ids)
    collections = [dict(c, _selects=len(selects(c, offers))) for c in await library.list_all("collections")]
    return tagging_warnings([o for o in offers if o.get("id") in wanted], tag_id, collections)


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


def users_text(users: Iterable[User]) -> list[str]:
    """One line per user: kind, name, id (for a refusal's message or a dialog)."""
    from offer_tui.safe_text import terminal_safe

    return [f"{as_kind(u.kind).singular} {terminal_safe(u.name, limit=80, one_line=True)!r} "
            f"({terminal_safe(u.id, limit=80, one_line=True)})" for u in users]


# -- writes: each sent once; an answer that proves nothing is settled by a re-read --------------
# The offers' writes (service/offers.py) are these with the offer kinds: one copy of the rules.


class _KindReads:
    """The two reads :mod:`offer_tui.api.settle` makes (``get_offer``, ``find_offers_by_name``),
    for any kind, so the settling rules are the offers' own, not a second copy."""

    def __init__(self, library: Library, kind: Kind) -> None:
        self.library = library
        self.kind = kind

    async def get_offer(self, object_id: str, _offer_type: str | None = None) -> dict[str, Any]:
        return await self.library.get(self.kind, object_id)

    async def find_offers_by_name(self, name: str, _offer_type: str | None = None) -> list[dict[str, Any]]:
        return await self.library.find_by_name(self.kind, name)


def _shown(value: Any, limit: int = 120) -> str:
    from offer_tui.safe_text import terminal_safe

    return terminal_safe("" if value is None else value, limit=limit, one_line=True)


def _found(done: bool | None) -> str:
    from offer_tui.service.outcomes import APPLIED, CANNOT_TELL, NOT_APPLIED

    return APPLIED if done else NOT_APPLIED if done is False else CANNOT_TELL


def _unknown_text(error: BaseException) -> tuple[str, bool, int | None]:
    """(what the answer was, did the service finish with the request, its status)."""
    from offer_tui.api.errors import ApiError
    from offer_tui.api.settle import answered

    if isinstance(error, ApiError):
        return error.message, answered(error), error.status
    return _shown(f"{type(error).__name__}: {error}", 600), False, None


def references_refusal(kind: Kind, problems: list[Problem]) -> Any:
    """A body naming ids the sandbox does not hold: refused as invalid input, nothing sent."""
    from offer_tui.service.outcomes import INVALID, Refused

    lines = [f"Not sent: the {kind.singular} names {len(problems)} object(s) that are not in this sandbox:"]
    lines += [f"  {_shown(p.path, 120)}: {_shown(p.message, 200)}" for p in problems]
    return Refused("\n".join(lines), local=INVALID)


async def create(api: Any, kind: Kind | str, doc: dict[str, Any], *, check: bool = True, dry_run: bool = False,
                 known_ids: frozenset[str] | None = None, progress: Any = None) -> Any:
    """POST ``doc`` as a new ``kind``. With ``check``, its references are checked first (one
    listing per referenced kind): a missing id is refused as invalid and nothing is sent. With
    ``dry_run``, nothing is sent either way (a Refused "nothing to do" says the body would go).
    After an answer that proves nothing, the object is looked up by name, never resent."""
    from offer_tui.api.errors import ApiError
    from offer_tui.log import swallowed
    from offer_tui.service.outcomes import NOTHING_TO_DO, Done, Refused

    k = as_kind(kind)
    library = library_of(api)
    if check:
        problems = await check_references(library, k, doc)
        if problems:
            return references_refusal(k, problems)
    if dry_run:
        checked = "its references exist; " if check else ""
        return Refused(f"Dry run: the {k.singular} is valid, {checked}nothing was sent.", local=NOTHING_TO_DO)
    try:
        result = await library.create(k, doc, progress=progress)
    except ApiError as error:
        if not error.outcome_unknown:
            return Refused(error.message, status=error.status, error=error)
        return await settle_create(library, k, doc, error, known_ids)
    except Exception as error:  # noqa: BLE001 - whether it was sent cannot be known: say so, never a traceback
        swallowed(f"creating {k.title}")
        return await settle_create(library, k, doc, error, known_ids)
    return Done(f"Created {k.title} {_shown(doc.get('name'))!r}.", receipt=result.receipt, status=result.status,
                result=result)


async def settle_create(api: Any, kind: Kind | str, doc: dict[str, Any], error: BaseException | None,
                        known_ids: frozenset[str] | None = None) -> Any:
    """After a create whose answer proved nothing (``error``): look it up by name; nothing is sent."""
    from offer_tui.api.settle import settle_create as _settle
    from offer_tui.service.outcomes import CANNOT_TELL, Unknown

    k = as_kind(kind)
    message, finished, status = _unknown_text(error) if error is not None else ("", False, None)
    name = doc.get("name")
    if not isinstance(name, str) or not name:
        return Unknown(message, CANNOT_TELL, f"The {k.singular} has no name to look it up by.", status, error=error)
    settled, found = await _settle(_KindReads(library_of(api), k), name, k.offer_type or k.word,
                                   answered=finished, known_ids=known_ids, noun=k.singular)
    return Unknown(message, _found(settled.done), settled.message, status, offer=settled.offer,
                   matches=found, error=error)


async def patch(api: Any, kind: Kind | str, object_id: str, *, before: dict[str, Any],
                ops: list[dict[str, Any]]) -> Any:
    """Send ``ops`` (computed against ``before``, the object as read) once; re-read after an unknown."""
    from offer_tui.api.errors import ApiError
    from offer_tui.log import swallowed
    from offer_tui.service.outcomes import Done, Refused

    k = as_kind(kind)
    library = library_of(api)
    try:
        result = await library.patch(k, object_id, ops)
    except ApiError as error:
        if not error.outcome_unknown:
            return Refused(error.message, status=error.status, error=error)
        return await settle_unknown_patch(library, k, object_id, before, ops, error)
    except Exception as error:  # noqa: BLE001
        swallowed("sending a PATCH")
        return await settle_unknown_patch(library, k, object_id, before, ops, error)
    return Done(f"Updated {_shown(before.get('name'), 80)!r}: etag {_shown(before.get('etag'), 20)} -> "
                f"{_shown(result.etag, 20)}", receipt=result.receipt, status=result.status, result=result)


async def settle_unknown_patch(library: Library, k: Kind, object_id: str, before: dict[str, Any],
                               ops: list[dict[str, Any]], error: BaseException) -> Any:
    from offer_tui.api.settle import settle_patch
    from offer_tui.service.outcomes import Unknown

    message, finished, status = _unknown_text(error)
    settled = await settle_patch(_KindReads(library, k), object_id, k.offer_type or k.word, before=before, ops=ops,
                                 answered=finished, noun=k.singular)
    return Unknown(message, _found(settled.done), settled.message, status, offer=settled.offer, error=error)


async def in_use(api: Any, kind: Kind | str, object_id: str) -> list[User]:
    """What references ``object_id`` (a delete would leave them pointing at nothing)."""
    return await used_by(api, object_id, kind)


def in_use_refusal(kind: Kind | str, object_id: str, users: list[User]) -> Any:
    """The delete of an object others use, refused (exit 7), listing them."""
    from offer_tui.service.outcomes import IN_USE, Refused

    k = as_kind(kind)
    lines = [f"Not deleted: {len(users)} object(s) use {k.singular} {_shown(object_id, 80)} "
             "(delete or change them first, or pass --force):"]
    lines += [f"  {line}" for line in users_text(users)]
    return Refused("\n".join(lines), local=IN_USE)


async def delete(api: Any, kind: Kind | str, object_id: str, *, force: bool = False,
                 users: list[User] | None = None) -> Any:
    """DELETE once, unless others use it (refused, IN_USE, listing them) and not ``force``.
    ``users``: the in-use check already made (the confirmation showed them); None: made here.
    Done only on the documented answer confirmed by a re-read's 404; anything else is unknown
    until the re-read settles it."""
    from offer_tui.api.errors import ApiError
    from offer_tui.api.settle import settle_delete
    from offer_tui.log import swallowed
    from offer_tui.service.outcomes import Done, Refused, Unknown

    k = as_kind(kind)
    library = library_of(api)
    if not force:
        users = users if users is not None else await in_use(library, k, object_id)
        if users:
            return in_use_refusal(k, object_id, users)
    try:
        result = await library.delete(k, object_id)
    except ApiError as error:
        if not error.outcome_unknown:
            return Refused(error.message, status=error.status, error=error)
        return await _settle_delete(library, k, object_id, error)
    except Exception as error:  # noqa: BLE001
        swallowed("sending a DELETE")
        return await _settle_delete(library, k, object_id, error)
    settled = await settle_delete(_KindReads(library, k), object_id, k.offer_type or k.word, answered=True,
                                  noun=k.singular)
    if settled.done:
        return Done(f"Deleted {k.title} {_shown(object_id, 80)}.", status=result.status, result=result)
    return Unknown(f"HTTP {result.status}: the service said it deleted the {k.singular}.", _found(settled.done),
                   settled.message, result.status, offer=settled.offer)


async def _settle_delete(library: Library, k: Kind, object_id: str, error: BaseException) -> Any:
    from offer_tui.api.settle import settle_delete
    from offer_tui.service.outcomes import Unknown

    message, finished, status = _unknown_text(error)
    settled = await settle_delete(_KindReads(library, k), object_id, k.offer_type or k.word, answered=finished,
                                  noun=k.singular)
    return Unknown(message, _found(settled.done), settled.message, status, offer=settled.offer, error=error)
