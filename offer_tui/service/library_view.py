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
from offer_tui.service.outcomes import Outcome, Refused

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
    summary_lines: list[str] = field(default_factory=list)  # the summary `offer-tui get` prints


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
    lines = object_summary(k, obj, names.by_kind)
    return Opened(k, obj, references, await used_by(library, object_id, k), lines)


def object_summary(k: Kind, obj: dict[str, Any], names: dict[str, dict[str, str]]) -> list[str]:
    """The same summary ``offer-tui get`` prints (service/kind_summary.py), as lines."""
    from offer_tui.service.kind_summary import object_summary as summarize

    summary = summarize(k, obj, names)
    return [f"{k.title.capitalize()} “{summary.title}”"] + summary.text_lines()[1:]


def users_lines(users: list[User]) -> list[str]:
    return [f"{kind(u.kind).singular} “{_s(u.name, 60)}” ({_s(u.id)})" for u in users]


async def delete(client: Any, word: str, object_id: str, *, force: bool = False,
                 users: list[User] | None = None) -> Outcome:
    """DELETE one object through the service (refused while others use it unless ``force``; an
    unknown answer settled by a re-read, never resent)."""
    from offer_tui.service import objects

    return await objects.delete(client, word, object_id, force=force, users=users)


async def create(client: Any, word: str, doc: dict[str, Any]) -> Outcome:
    """POST through the service: references checked first, a lookup by name after an unknown answer."""
    from offer_tui.service import objects

    return await objects.create(client, word, doc)


async def patch(client: Any, word: str, object_id: str, *, before: dict[str, Any],
                ops: list[dict[str, Any]]) -> Outcome:
    """PATCH through the service, with the references of the result checked first (a collection's
    tags or offers, say): a missing id is refused and nothing is sent."""
    import jsonpatch

    from offer_tui.service import objects
    from offer_tui.service.outcomes import INVALID

    try:
        after = jsonpatch.apply_patch(before, ops)
    except jsonpatch.JsonPatchException as error:
        return Refused(f"Nothing sent: the change does not apply ({error}).", local=INVALID)
    problems = await objects.check_references(client, word, after)
    if problems:
        return objects.references_refusal(as_kind(word), problems)
    return await objects.patch(client, word, object_id, before=before, ops=ops)


async def settle_cancelled_patch(client: Any, object_id: str, offer_type: str, *, before: dict[str, Any],
                                 ops: list[dict[str, Any]]) -> Outcome:
    """The user cancelled a PATCH in flight: the outcome is unknown (it may have reached the
    server), so read the offer again, as after a dropped connection, and say what it holds."""
    from offer_tui.api import ApiError
    from offer_tui.service import objects
    from offer_tui.service.offers import kind_of

    error = ApiError("Cancelled while the PATCH was in flight: it may or may not have been applied",
                     code="cancelled", outcome_unknown=True)
    # The service's own settling after an unknown PATCH (private there; one rule, not a copy here).
    return await objects.settle_unknown_patch(objects.library_of(client), kind_of(offer_type), object_id, before, ops, error)
