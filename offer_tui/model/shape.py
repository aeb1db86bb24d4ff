"""A plain-Python check of the offer's shape: required fields, types, enums, bounds.

It says the same thing, at the same paths and in the same words, as the strict
pydantic models in `offer.py` (a property test holds the two together), but it
does not load pydantic. The wizard runs it on every keystroke, which keeps
pydantic's ~12 MiB and ~100 ms of start-up off the interactive path; submit and
the CLI run both layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .constants import (
    CAP_ENTITIES,
    CAP_SCOPES,
    MAX_FREQUENCY_CAPS,
    MAX_TAGS,
    PROFILE_CONSTRAINT_TYPES,
    REPEAT_UNITS,
    STATUSES,
)


@dataclass(frozen=True)
class F:
    """One field: its kind, whether it must be present (required fields are never null)."""

    kind: str  # str | int | bool | enum | object | list | map
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    of: Any = None  # an object's field table, or a list's item F
    max_items: int | None = None


def _item(spec: dict[str, F]) -> F:
    return F("object", True, of=spec)


STRING_ITEM = F("str", True)
COMPONENT = {
    "type": F("str", True),
    "format": F("str", True),
    # Optional in the XDM component schema: Adobe's documented fallback offer has none.
    "language": F("list", of=STRING_ITEM),
    "content": F("str"),
    "deliveryURL": F("str"),
    "linkURL": F("str"),
}
REPRESENTATION = {
    "channel": F("str", True),
    "placement": F("str", True),
    "components": F("list", True, of=_item(COMPONENT)),
}
SEGMENT = {"_id": F("str", True), "namespace": F("object", of={"code": F("str", True)})}
SELECTION = {
    "startDate": F("str"),
    "endDate": F("str"),
    "profileConstraintType": F("enum", choices=PROFILE_CONSTRAINT_TYPES),
    "eligibilityRule": F("str"),
    "segmentIdentities": F("list", of=_item(SEGMENT)),
}
REPEAT = {
    "enabled": F("bool", True),
    "unit": F("enum", True, choices=REPEAT_UNITS),
    "unitCount": F("int", True, minimum=1),
}
# In the documented key order (`put_in_order` inserts new keys by it).
FREQUENCY_CAP = {
    "enabled": F("bool", True),
    "limit": F("int", True, minimum=1),
    "startDate": F("str"),
    "endDate": F("str"),
    "scope": F("enum", True, choices=CAP_SCOPES),
    "entity": F("enum", True, choices=CAP_ENTITIES),
    "repeat": F("object", of=REPEAT),
}
FALLBACK_OFFER = {
    "name": F("str", True),
    "description": F("str"),
    "status": F("enum", choices=STATUSES),
    "representations": F("list", True, of=_item(REPRESENTATION)),
    "selectionConstraint": F("object", of=SELECTION),
    "rank": F("object", of={"priority": F("int", True, minimum=0)}),
    "characteristics": F("map"),
    "tags": F("list", of=STRING_ITEM, max_items=MAX_TAGS),
}
PERSONALIZED_OFFER = {
    **FALLBACK_OFFER,
    "cappingConstraint": F(
        "object", of={"globalCap": F("int", minimum=1), "profileCap": F("int", minimum=1)}
    ),
    "frequencyCappingConstraints": F("list", of=_item(FREQUENCY_CAP), max_items=MAX_FREQUENCY_CAPS),
}
SPEC_FOR_TYPE = {"personalized": PERSONALIZED_OFFER, "fallback": FALLBACK_OFFER}

_TYPE_MESSAGES = {
    "str": "must be a string",
    "int": "must be a whole number",
    "bool": "must be true or false",
    "object": "must be an object",
    "map": "must be an object",
    "list": "must be a list",
}


def one_of(choices: tuple[str, ...]) -> str:
    quoted = [f"'{c}'" for c in choices]
    return f"must be one of {', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else f"must be {quoted[0]}"


def _kind_ok(kind: str, value: Any) -> bool:
    if kind in ("str", "enum"):
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("object", "map"):
        return isinstance(value, dict)
    return isinstance(value, list)


Report = Callable[[str, str], None]


def check_value(path: str, field: F, value: Any, report: Report) -> None:
    if value is None and not field.required:
        return
    if field.kind == "enum":
        if not (isinstance(value, str) and value in field.choices):
            report(path, one_of(field.choices))
        return
    if not _kind_ok(field.kind, value):
        report(path, _TYPE_MESSAGES[field.kind])
        return
    if field.kind == "int" and field.minimum is not None and value < field.minimum:
        report(path, f"must be at least {field.minimum}")
    elif field.kind == "object":
        check_object(path, field.of, value, report)
    elif field.kind == "map":
        for key, item in value.items():
            if not isinstance(item, str):
                report(f"{path}.{key}" if path else str(key), "must be a string")
    elif field.kind == "list":
        for index, item in enumerate(value):
            check_value(f"{path}[{index}]", field.of, item, report)
        if field.max_items is not None and len(value) > field.max_items:
            report(path, f"has {len(value)} items; at most {field.max_items} are allowed")


def check_object(path: str, spec: dict[str, F], obj: dict, report: Report) -> None:
    for name, field in spec.items():
        where = f"{path}.{name}" if path else name
        if name not in obj:
            if field.required:
                report(where, "is required")
            continue
        check_value(where, field, obj[name], report)


def check_shape(doc: dict, offer_type: str, report: Report) -> None:
    check_object("", SPEC_FOR_TYPE[offer_type], doc, report)


def put_in_order(obj: dict, key: str, value: Any, order: list[str] | tuple[str, ...] | dict) -> None:
    """Set ``obj[key]``; a key not yet there goes after the last present key that precedes it in
    ``order`` (the documented order), so the object's own order is kept and new keys land where
    the documentation puts them."""
    if key in obj or key not in order:
        obj[key] = value
        return
    keys = list(order)
    before = set(keys[: keys.index(key)])
    items = list(obj.items())
    at = 0
    for index, (existing, _) in enumerate(items):
        if existing in before:
            at = index + 1
    items.insert(at, (key, value))
    obj.clear()
    obj.update(items)
