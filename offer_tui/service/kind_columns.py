"""Each kind's table columns (from :attr:`Kind.columns`), as text cells, for ``list KIND`` and
the library screen alike. Pure: what a cell needs beyond the object itself (names of referenced
objects, how many offers a collection selects) comes in a :class:`Context` that
:func:`context_for` builds with one listing per kind involved. Every value terminal-safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from offer_tui.model.kinds import Kind
from offer_tui.safe_text import terminal_safe

HEADERS = {"filterType": "type", "componentType": "component", "selects": "selects", "dates": "start-end"}
WIDTHS = {"name": 40, "id": 60, "description": 50, "condition": 50, "channel": 10, "status": 10}


@dataclass(frozen=True)
class Context:
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # kind word -> id -> name
    selects: dict[str, int] = field(default_factory=dict)  # collection id -> offers it selects


def cell(value: Any, width: int = 80) -> str:
    if value is None or value == "":
        return "-"
    text = terminal_safe(value, limit=None, one_line=True)
    return text if len(text) <= width else text[: width - 3] + "..."


def _day(value: Any) -> str:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else "-"


def dates(obj: dict[str, Any]) -> str:
    """A decision's start..end (an offer's come from its selectionConstraint)."""
    holder = obj.get("selectionConstraint") if isinstance(obj.get("selectionConstraint"), dict) else obj
    if not (holder.get("startDate") or holder.get("endDate")):
        return "-"
    return f"{_day(holder.get('startDate'))}..{_day(holder.get('endDate'))}"


def decision_placements(obj: dict[str, Any]) -> list[str]:
    """Every placement id a decision's criteria name, once each, in order."""
    criteria = obj.get("criteria") if isinstance(obj.get("criteria"), list) else []
    found: dict[str, None] = {}
    for criterion in criteria:
        places = criterion.get("placements") if isinstance(criterion, dict) else None
        for place in places if isinstance(places, list) else []:
            if isinstance(place, str):
                found[place] = None
    return list(found)


def channel_short(value: Any) -> str:
    return value.rsplit("/", 1)[-1] if isinstance(value, str) and "/" in value else cell(value, 20)


def _named(context: Context, word: str, object_id: Any) -> str:
    if not isinstance(object_id, str) or not object_id:
        return "-"
    name = context.names.get(word, {}).get(object_id)
    return cell(name, 40) if name else cell(object_id, 60)


def value(kind: Kind, column: str, obj: dict[str, Any], context: Context | None = None) -> str:
    """One cell of ``obj`` (a ``kind``) in ``column``."""
    context = context or Context()
    if column == "dates":
        return dates(obj)
    if column == "placements" and kind.word == "decisions":
        places = decision_placements(obj)
        named = [context.names.get("placements", {}).get(p) for p in places]
        if places and all(named):
            return cell(", ".join(n for n in named if n), 60)
        return str(len(places))
    if column == "fallback":
        return _named(context, "fallbacks", obj.get("fallback"))
    if column == "selects":
        count = context.selects.get(obj.get("id")) if isinstance(obj.get("id"), str) else None
        return "-" if count is None else f"{count:,}"
    if column == "channel":
        return channel_short(obj.get("channel"))
    if column == "condition":
        condition = obj.get("condition")
        return cell(condition.get("value") if isinstance(condition, dict) else None, WIDTHS["condition"])
    if column == "priority":
        rank = obj.get("rank")
        return cell(rank.get("priority"), 8) if isinstance(rank, dict) else "-"
    if column == "modified":
        stamp = obj.get("modified") or obj.get("created")
        return cell(stamp[:10] + " " + stamp[11:16], 16) if isinstance(stamp, str) and len(stamp) >= 16 else "-"
    return cell(obj.get(column), WIDTHS.get(column, 40))


def headers(kind: Kind) -> tuple[str, ...]:
    return tuple(HEADERS.get(c, c) for c in kind.columns)


def row(kind: Kind, obj: dict[str, Any], context: Context | None = None) -> tuple[str, ...]:
    return tuple(value(kind, c, obj, context) for c in kind.columns)


async def context_for(api: Any, kind: Kind, objects: list[dict[str, Any]], *, names: bool = False,
                      cache: dict[str, Any] | None = None) -> Context:
    """What ``kind``'s columns need beyond each of ``objects``: a collection's count of the offers
    it selects (one listing of offers for all of them); with ``names``, the names of a
    decision's placements and fallbacks (one listing each). Nothing for the other kinds.
    ``cache``: a dict kept across pages of one listing, so each listing is read once."""
    from offer_tui.service.objects import library_of

    library = library_of(api)
    if kind.word == "collections" and objects:
        from offer_tui.model.references import selects

        cache = {} if cache is None else cache
        if "offers" not in cache:
            cache["offers"] = await library.list_all("offers")
        offers = cache["offers"]
        return Context(selects={c["id"]: len(selects(c, offers)) for c in objects if isinstance(c.get("id"), str)})
    if kind.word == "decisions" and names:
        cache = {} if cache is None else cache
        for word in ("placements", "fallbacks"):
            if word not in cache:
                cache[word] = {i["id"]: i.get("name") or "" for i in await library.list_all(word)
                               if isinstance(i.get("id"), str)}
        return Context(names={w: cache[w] for w in ("placements", "fallbacks")})
    return Context()
