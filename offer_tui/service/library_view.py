"""What the library screen reads for a kind other than offers, as plain data (no Textual).

One page of a kind, the names its rows refer to (one listing per referenced kind, never one GET
per id), how many offers each collection selects, an object with the names of everything it
references and what uses it, and a delete that refuses an object in use unless forced. The
writes go through :mod:`offer_tui.api.library` and end in the typed outcomes of
:mod:`offer_tui.service.outcomes`; the screen only renders them.

(A stopgap until the generic service operations of ``service/objects.py`` land; the screen
calls only the functions here, so swapping them is one file.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from offer_tui.api.library import Library, as_kind
from offer_tui.model.kinds import Kind, kind
from offer_tui.model.references import User, extract, referenced_kinds, selects
from offer_tui.safe_text import terminal_safe
from offer_tui.service.outcomes import APPLIED, CANNOT_TELL, NOT_APPLIED, Done, Outcome, Refused, Unknown

IN_USE = "in use"


def library_of(client: Any) -> Library:
    return client if isinstance(client, Library) else Library(client)


def _s(value: Any, limit: int = 120) -> str:
    return terminal_safe(value if value is not None else "", limit=limit, one_line=True)


@dataclass
class Names:
    """Kind word -> id -> name, for the kinds a listing refers to."""

    by_kind: dict[str, dict[str, str]] = field(default_factory=dict)
    selects: dict[str, int] = field(default_factory=dict)  # collection id -> offers it selects

    def name(self, word: str, object_id: Any) -> str:
        if not isinstance(object_id, str) or not object_id:
            return "-"
        for w in word.split("|"):
            found = self.by_kind.get(w, {}).get(object_id)
            if found is not None:
                return _s(found, 60)
        return _s(object_id, 120)


def _dates(obj: dict[str, Any]) -> str:
    start, end = obj.get("startDate"), obj.get("endDate")
    day = lambda v: v[:10] if isinstance(v, str) and len(v) >= 10 else "-"  # noqa: E731
    if start or end:
        return f"{day(start)} - {day(end)}"
    return "-"


def decision_placements(obj: dict[str, Any]) -> list[str]:
    ids: list[str] = []
    for criterion in obj.get("criteria") or []:
        if isinstance(criterion, dict):
            ids.extend(p for p in criterion.get("placements") or [] if isinstance(p, str))
    return list(dict.fromkeys(ids))


# The table's columns for each kind that is not an offer: (key, header).
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "decisions": (("name", "Name"), ("status", "Status"), ("id", "Id"), ("dates", "Start - End"),
                  ("placements", "Placements"), ("fallback", "Fallback")),
    "collections": (("name", "Name"), ("type", "Type"), ("selects", "Offers"), ("id", "Id")),
    "placements": (("name", "Name"), ("channel", "Channel"), ("component", "Component"), ("id", "Id")),
    "rules": (("name", "Name"), ("description", "Description"), ("id", "Id")),
    "tags": (("name", "Name"), ("id", "Id")),
}

CHANNELS = {"https://ns.adobe.com/xdm/channel-types/web": "web", "https://ns.adobe.com/xdm/channel-types/email": "email",
            "https://ns.adobe.com/xdm/channel-types/mobile": "mobile"}
FILTER_TYPES = {"any-tags": "any tags", "all-tags": "all tags", "offers": "fixed list"}


def cells(word: str, obj: dict[str, Any], names: Names) -> dict[str, str]:
    """The cells of one row of ``word`` (keys of :data:`COLUMNS`), terminal-safe."""
    out = {"name": _s(obj.get("name")), "id": _s(obj.get("id")), "status": _s(obj.get("status"), 20)}
    if word == "decisions":
        placements = decision_placements(obj)
        shown = ", ".join(names.name("placements", p) for p in placements[:2])
        out["placements"] = (shown + (f" +{len(placements) - 2}" if len(placements) > 2 else "")) or "-"
        out["dates"] = _dates(obj)
        out["fallback"] = names.name("fallbacks", obj.get("fallback"))
    elif word == "collections":
        out["type"] = FILTER_TYPES.get(str(obj.get("filterType")), _s(obj.get("filterType"), 20))
        count = names.selects.get(str(obj.get("id")))
        out["selects"] = "-" if count is None else str(count)
    elif word == "placements":
        channel = str(obj.get("channel") or "")
        out["channel"] = CHANNELS.get(channel, _s(channel.rsplit("/", 1)[-1], 20))
        out["component"] = _s(str(obj.get("componentType") or "").rsplit("/", 1)[-1], 30)
    elif word == "rules":
        out["description"] = _s(obj.get("description") or "", 60) or "-"
    return out


async def page(client: Any, word: str, *, properties: list[str], limit: int, href: str | None) -> Any:
    """One page of ``word`` (the server's order; offers newest first)."""
    return await library_of(client).list_page(word, properties=properties, limit=limit, href=href)


async def names_for(client: Any, word: str, objects: list[dict[str, Any]]) -> Names:
    """The names a page of ``word`` shows instead of ids (one listing per kind involved), and
    for collections how many offers each selects (one listing of the offers)."""
    library = library_of(client)
    found = Names()
    wanted: set[str] = set()
    for obj in objects:
        wanted.update(referenced_kinds(extract(kind(word), obj)))
    if word == "collections":
        offers = await library.list_all("offers")
        for obj in objects:
            found.selects[str(obj.get("id"))] = len(selects(obj, offers))
        found.by_kind["offers"] = {str(o.get("id")): str(o.get("name") or "") for o in offers}
        wanted.discard("offers")
    for w in sorted(wanted):
        found.by_kind[w] = {str(o.get("id")): str(o.get("name") or "") for o in await library.list_all(w)}
    return found


@dataclass
class Opened:
    """An object as the server holds it, with the names of what it references and who uses it."""

    kind: Kind
    obj: dict[str, Any]
    references: list[tuple[str, str, str, str]]  # (JSON path, kind word, id, name)
    users: list[User]


async def open_object(client: Any, word: str, object_id: str) -> Opened:
    from offer_tui.service.references import used_by

    library = library_of(client)
    k = as_kind(word)
    obj = await library.get(k, object_id)
    refs = extract(k, obj)
    names = Names()
    for w in referenced_kinds(refs):
        names.by_kind[w] = {str(o.get("id")): str(o.get("name") or "") for o in await library.list_all(w)}
    references = [(r.path, r.kind, r.id, names.name(r.kind, r.id)) for r in refs]
    return Opened(k, obj, references, await used_by(library, object_id, k))


def users_lines(users: list[User]) -> list[str]:
    return [f"{kind(u.kind).singular} “{_s(u.name, 60)}” ({_s(u.id)})" for u in users]


async def delete(client: Any, word: str, object_id: str, *, force: bool = False) -> Outcome:
    """DELETE one object: refused while others use it (unless ``force``); an unknown answer is
    settled by reading it again (gone: applied; still there: not applied). Never resent."""
    from offer_tui.api import ApiError
    from offer_tui.service.references import used_by

    library = library_of(client)
    k = as_kind(word)
    if not force:
        users = await used_by(library, object_id, k)
        if users:
            return Refused(f"Not deleted: {len(users)} object(s) use it: " + "; ".join(users_lines(users)),
                           local=IN_USE)
    try:
        result = await library.delete(k, object_id)
    except ApiError as error:
        if not getattr(error, "outcome_unknown", False):
            return Refused(str(error), status=getattr(error, "status", None), error=error)
        try:
            await library.get(k, object_id)
        except ApiError as reread:
            if getattr(reread, "status", None) == 404:
                return Unknown(str(error), found=APPLIED, reread="A re-read found it gone.", error=error)
            return Unknown(str(error), found=CANNOT_TELL, reread=f"The re-read failed too: {reread}", error=error)
        return Unknown(str(error), found=NOT_APPLIED, reread="A re-read found it still there.", error=error)
    return Done(f"Deleted {object_id}.", status=getattr(result, "status", None), result=result)


async def settle_cancelled_patch(client: Any, object_id: str, offer_type: str, *, before: dict[str, Any],
                                 ops: list[dict[str, Any]]) -> Outcome:
    """The user cancelled a PATCH in flight: the outcome is unknown (it may have reached the
    server), so read the offer again, as after a dropped connection, and say what it holds."""
    from offer_tui.api import ApiError
    from offer_tui.service import offers

    error = ApiError("Cancelled while the PATCH was in flight: it may or may not have been applied",
                     code="cancelled", outcome_unknown=True)
    return await offers._settle_patch(offers.client_of(client), object_id, offer_type, before, ops, error)


async def create(client: Any, word: str, doc: dict[str, Any]) -> Outcome:
    """POST a new object of ``word``: its references checked first (a missing id refuses it, nothing
    sent); "created" only on a receipt with an id; an unknown answer is settled by looking the name
    up (found: applied; none: not applied), never by resending."""
    from offer_tui.api import ApiError
    from offer_tui.service.outcomes import INVALID
    from offer_tui.service.references import check_references

    library = library_of(client)
    problems = await check_references(library, word, doc)
    if problems:
        return Refused("Nothing sent: " + "; ".join(str(p) for p in problems), local=INVALID)
    try:
        result = await library.create(word, doc)
    except ApiError as error:
        if not getattr(error, "outcome_unknown", False):
            return Refused(str(error), status=getattr(error, "status", None), error=error)
        try:
            found = await library.find_by_name(word, str(doc.get("name") or ""))
        except ApiError as lookup:
            return Unknown(str(error), found=CANNOT_TELL, reread=f"The lookup by name failed too: {lookup}",
                           error=error)
        if found:
            return Unknown(str(error), found=APPLIED, reread=f"{len(found)} object(s) by that name exist now.",
                           matches=tuple(found), error=error)
        return Unknown(str(error), found=NOT_APPLIED, reread="None by that name exists: it was not created.",
                       error=error)
    if not result.offer_id:
        return Unknown("The receipt carries no id.", found=CANNOT_TELL, status=result.status)
    return Done(f"Created {result.offer_id}.", receipt=result.receipt, status=result.status, result=result)


async def patch(client: Any, word: str, object_id: str, *, before: dict[str, Any],
                ops: list[dict[str, Any]]) -> Outcome:
    """PATCH ``ops`` (computed against ``before``) once, references checked first; an unknown answer
    is settled by reading the object again (the change there: applied; the old etag: not applied)."""
    import jsonpatch

    from offer_tui.api import ApiError
    from offer_tui.service.outcomes import INVALID
    from offer_tui.service.references import check_references

    library = library_of(client)
    try:
        after = jsonpatch.apply_patch(before, ops)
    except jsonpatch.JsonPatchException as error:
        return Refused(f"Nothing sent: the change does not apply ({error}).", local=INVALID)
    problems = await check_references(library, word, after)
    if problems:
        return Refused("Nothing sent: " + "; ".join(str(p) for p in problems), local=INVALID)
    try:
        result = await library.patch(word, object_id, ops)
    except ApiError as error:
        if not getattr(error, "outcome_unknown", False):
            return Refused(str(error), status=getattr(error, "status", None), error=error)
        try:
            fresh = await library.get(word, object_id)
        except ApiError as reread:
            return Unknown(str(error), found=CANNOT_TELL, reread=f"The re-read failed too: {reread}", error=error)
        if fresh.get("etag") == before.get("etag"):
            return Unknown(str(error), found=NOT_APPLIED, reread="A re-read found the old etag: not applied.",
                           offer=fresh, error=error)
        applied = all(fresh.get(k) == v for k, v in after.items() if k not in ("etag", "modified", "lastModifiedBy"))
        return Unknown(str(error), found=APPLIED if applied else CANNOT_TELL, offer=fresh, error=error,
                       reread="A re-read found the change there." if applied else
                       "A re-read found a new etag but not exactly this change: look before retrying.")
    return Done(f"Updated {object_id}: etag {_s(before.get('etag'), 20)} -> {_s(result.etag, 20)}.",
                receipt=result.receipt, status=result.status, result=result)
