"""List responses: ``property`` filters, ``orderby`` and cursor paging.

Mirrors the documented list contract: ``{"results", "count", "total", "_links"}``
with hrefs relative to the base and ``next`` missing on the last page. The
``start`` cursor is deliberately opaque (base64) so clients must follow
``_links.next`` instead of building cursors themselves.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any
from urllib.parse import urlencode

MAX_LIMIT = 1000

_PROPERTY_RE = re.compile(r"^(?P<neg>!?)(?P<field>[A-Za-z0-9_.@\-]+?)(?:(?P<op>==|!=|<=|>=|<|>|~)(?P<value>.*))?$", re.S)


class ListQueryError(ValueError):
    """A list query parameter the server cannot honour (-> 400)."""


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(token: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        kind, _, number = raw.partition(":")
        offset = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ListQueryError("The start parameter is not a valid cursor") from None
    if kind != "o" or offset < 0:
        raise ListQueryError("The start parameter is not a valid cursor")
    return offset


def _lookup(item: Any, dotted: str) -> tuple[bool, Any]:
    current = item
    for part in dotted.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        else:
            return False, None
    return True, current


def _compare(actual: Any, op: str, expected: str) -> bool:
    if op == "~":
        try:
            return re.search(expected, str(actual)) is not None
        except re.error:
            raise ListQueryError(f"Invalid regular expression: {expected!r}") from None
    left: Any
    right: Any
    if isinstance(actual, bool):
        left, right = str(actual).lower(), expected.lower()
    elif isinstance(actual, (int, float)):
        try:
            left, right = actual, float(expected)
        except ValueError:
            left, right = str(actual), expected
    else:
        left, right = str(actual), expected
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right


def parse_property(expr: str):
    """Turn ``[!]field OP value`` (or ``[!]field`` for existence) into a predicate."""
    match = _PROPERTY_RE.match(expr.strip())
    if not match:
        raise ListQueryError(f"Invalid property filter: {expr!r}")
    negate = bool(match["neg"])
    field, op, value = match["field"], match["op"], match["value"]

    def predicate(item: dict[str, Any]) -> bool:
        found, actual = _lookup(item, field)
        if op is None:
            result = found
        elif not found:
            result = False
        elif isinstance(actual, list):
            result = any(_compare(a, op, value) for a in actual)
        else:
            result = _compare(actual, op, value)
        return result != negate

    return predicate


def _sort_key(item: dict[str, Any], field: str):
    found, value = _lookup(item, field)
    if not found or value is None:
        return (0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    return (2, str(value))


def apply_orderby(items: list[dict[str, Any]], orderby: str | None) -> list[dict[str, Any]]:
    if not orderby:
        return items
    result = list(items)
    # Stable sorts applied from the least to the most significant key.
    for spec in reversed([s.strip() for s in orderby.split(",") if s.strip()]):
        descending = spec.startswith("-")
        field = spec.lstrip("+-")
        result.sort(key=lambda item, f=field: _sort_key(item, f), reverse=descending)
    return result


def parse_limit(raw: str | None, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        limit = int(raw)
    except ValueError:
        raise ListQueryError(f"limit must be a whole number, not {raw!r}") from None
    if limit < 1:
        raise ListQueryError("limit must be at least 1")
    return min(limit, MAX_LIMIT)


def select(items: list[dict[str, Any]], query_pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The items that pass every ``property`` filter, in ``orderby`` order."""
    selected = items
    for key, value in query_pairs:
        if key == "property":
            predicate = parse_property(value)
            selected = [item for item in selected if predicate(item)]
    orderby = next((v for k, v in query_pairs if k == "orderby"), None)
    return apply_orderby(selected, orderby)


def selection_key(query_pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """What decides a selection (not the page): for caching it between page requests."""
    return tuple((k, v) for k, v in query_pairs if k in ("property", "orderby"))


def build_page(
    items: list[dict[str, Any]],
    *,
    path: str,
    query_pairs: list[tuple[str, str]],
    default_limit: int,
    selected: bool = False,
) -> dict[str, Any]:
    """Filter, sort and cut one page of ``items`` for the list endpoint at ``path``.

    ``path`` is relative to the API base (``/placements``) and is what the
    ``_links`` hrefs start with. ``selected=True``: ``items`` is already
    :func:`select`-ed for these query parameters.
    """
    query = {}
    for key, value in query_pairs:
        query.setdefault(key, value)
    limit = parse_limit(query.get("limit"), default_limit)
    offset = decode_cursor(query["start"]) if query.get("start") else 0

    selected_items = items if selected else select(items, query_pairs)
    page = selected_items[offset : offset + limit]
    # Keep every other parameter (offer-type, property, orderby) in the links.
    kept = [(k, v) for k, v in query_pairs if k not in ("limit", "start")]

    def href(start: int | None) -> str:
        pairs = list(kept) + [("limit", str(limit))]
        if start:
            pairs.append(("start", encode_cursor(start)))
        return f"{path}?{urlencode(pairs)}"

    links: dict[str, Any] = {"self": {"href": href(offset)}}
    if offset + limit < len(selected_items):
        links["next"] = {"href": href(offset + limit)}
    if offset > 0:
        links["prev"] = {"href": href(max(0, offset - limit))}
    return {"results": page, "count": len(page), "total": len(selected_items), "_links": links}
