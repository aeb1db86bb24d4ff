"""JSON paths in the one notation every layer uses: ``representations[0].components[1].format``.

Validation writes them, the API's error bodies are normalized to them, the wizard splits them to
find a widget, the preview maps them to lines, and the review reads them out in words.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def join_path(parts: Iterable[str | int], *, digits_are_indexes: bool = False) -> str:
    """``("representations", 0, "format")`` -> ``representations[0].format``.

    ``digits_are_indexes``: a part like ``"0"`` is an index too (paths from an API's error body);
    a name already indexed (``components[0]``) is kept as it is.
    """
    path = ""
    for part in parts:
        if isinstance(part, int) or (digits_are_indexes and str(part).isdigit()):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def json_path(loc: tuple | list) -> str:
    """A pydantic error location -> its path (only ints are indexes: a digit key stays a key)."""
    return join_path(loc)


def child_path(parent: str, key: str | int) -> str:
    """The path of ``parent``'s member ``key`` (an int is a list index)."""
    return join_path([parent, key] if parent else [key])


def normalize_path(path: Any) -> str:
    """``/representations/0/format``, ``$.representations.0.format`` or a list of parts -> ours."""
    if isinstance(path, (list, tuple)):
        parts = [str(p) for p in path]
    else:
        text = str(path).strip()
        if text.startswith("$."):
            text = text[2:]
        parts = [p for p in re.split(r"[/.]", text) if p != ""]
    return join_path(parts, digits_are_indexes=True)


def split_path(path: str) -> list[str | int]:
    """``a[0].b`` -> ``["a", 0, "b"]``. Tolerates the pydantic style ``a.0.b`` too."""
    tokens: list[str | int] = []
    for name, index in _TOKEN.findall(path or ""):
        if index:
            tokens.append(int(index))
        elif name.isdigit():
            tokens.append(int(name))
        else:
            tokens.append(name)
    return tokens


# What the wizard's labels call each key (the web UI's words where it has them).
_ITEM_WORDS = {
    "representations": "representation",
    "components": "component",
    "language": "language",
    "frequencyCappingConstraints": "frequency cap",
    "segmentIdentities": "audience",
    "tags": "tag",
}
_KEY_WORDS = {
    "name": "name",
    "description": "description",
    "status": "status",
    "representations": "representations",
    "channel": "channel",
    "placement": "placement",
    "components": "components",
    "type": "type",
    "format": "format",
    "language": "languages",
    "content": "content",
    "deliveryURL": "image URL",
    "linkURL": "link URL",
    "startDate": "start date",
    "endDate": "end date",
    "profileConstraintType": "eligibility",
    "eligibilityRule": "decision rule",
    "segmentIdentities": "audiences",
    "_id": "id",
    "priority": "priority",
    "globalCap": "global cap",
    "profileCap": "profile cap",
    "frequencyCappingConstraints": "frequency caps",
    "enabled": "enabled",
    "limit": "limit",
    "scope": "scope",
    "entity": "entity",
    "unit": "reset unit",
    "unitCount": "reset every",
    "characteristics": "attributes",
    "tags": "tags",
}
# Objects said by their members' words; named only when the issue is about the object itself.
_CONTAINER_WORDS = {"selectionConstraint": "constraints", "rank": "priority",
                    "cappingConstraint": "legacy capping", "repeat": "reset"}


def path_in_words(path: str) -> str:
    """``representations[0].components[0].format`` -> ``Representation 1, component 1, format``."""
    tokens = split_path(path)
    words: list[str] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if isinstance(token, int):
            continue  # said with its list's name
        if isinstance(following, int):
            words.append(f"{_ITEM_WORDS.get(token, token)} {following + 1}")
        elif token in _CONTAINER_WORDS:
            if following is None:
                words.append(_CONTAINER_WORDS[token])
        else:
            words.append(_KEY_WORDS.get(token, token))
    text = ", ".join(words) if words else "offer"
    return text[0].upper() + text[1:]
