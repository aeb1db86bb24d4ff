"""References between objects of the Offer Library, from the kinds' reference paths. Pure.

One piece of code for three features: the check before sending (every referenced id exists),
"used by" (``refs``), and export/apply (ids rewritten by name in another sandbox). The demo API
checks POSTs and PATCHes with the same functions, so the client and the demo cannot disagree.

Paths are written in the project's one notation (``criteria[0].placements[1]``, see
:mod:`offer_tui.model.jsonpath`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from offer_tui.model.kinds import COLLECTION_TARGETS, KINDS, Kind, kind
from offer_tui.model.jsonpath import join_path


@dataclass(frozen=True)
class Reference:
    """One id named by a body: where (``path``), and what kind of object it must be."""

    path: str  # "criteria[0].placements[1]"
    kind: str  # the kind word of the target: "placements"
    id: str


@dataclass(frozen=True)
class Problem:
    """A reference to an object that is not in the sandbox."""

    path: str
    kind: str
    id: str

    @property
    def message(self) -> str:
        title = kind(self.kind).title
        return f"{title[:1].upper()}{title[1:]} {self.id!r} does not exist in this sandbox"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class User:
    """An object that references another: its kind, name and id, and the paths that do."""

    kind: str
    id: str
    name: str
    paths: tuple[str, ...] = field(default=())


def _as_kind(k: Kind | str) -> Kind:
    return k if isinstance(k, Kind) else kind(k)


def target_of(target: str, body: Any) -> str | None:
    """The kind word a reference path points at: ``"tags|offers"`` follows the collection's
    ``filterType``; None when it cannot be known (an unknown filterType: nothing is checked)."""
    if "|" not in target:
        return target
    filter_type = body.get("filterType") if isinstance(body, dict) else None
    return COLLECTION_TARGETS.get(filter_type) if isinstance(filter_type, str) else None


def _walk(value: Any, parts: list[str], done: list[str | int]) -> Iterable[tuple[list[str | int], Any]]:
    if not parts:
        yield done, value
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _walk(item, rest, done + [index])
    elif isinstance(value, dict) and head in value:
        yield from _walk(value[head], rest, done + [head])


def extract(k: Kind | str, body: Any) -> list[Reference]:
    """Every reference ``body`` (of kind ``k``) makes, in path order. Empty strings and
    non-strings are not references (validation, not this, reports a wrong type)."""
    found: list[Reference] = []
    for pattern, target in _as_kind(k).references:
        target_word = target_of(target, body)
        if target_word is None:
            continue
        for parts, value in _walk(body, pattern.split("."), []):
            if isinstance(value, str) and value:
                found.append(Reference(join_path(parts), target_word, value))
    return found


def targets(k: Kind | str) -> tuple[str, ...]:
    """The kind words ``k`` may reference ("tags|offers" gives both), without duplicates."""
    words: list[str] = []
    for _pattern, target in _as_kind(k).references:
        for word in target.split("|"):
            if word not in words:
                words.append(word)
    return tuple(words)


def referenced_kinds(refs: Iterable[Reference]) -> tuple[str, ...]:
    """The kinds to list to check ``refs``: one listing each, whatever the number of ids."""
    return tuple(dict.fromkeys(r.kind for r in refs))


def missing(refs: Iterable[Reference], existing: Mapping[str, Collection[str]]) -> list[Problem]:
    """The references whose id is not among ``existing[kind]`` (kind word -> the ids there).
    A kind missing from ``existing`` was not listed: its references are not judged."""
    return [Problem(r.path, r.kind, r.id) for r in refs if r.kind in existing and r.id not in existing[r.kind]]


def referrers(target_kind: Kind | str | None) -> tuple[Kind, ...]:
    """The kinds whose objects can reference an object of ``target_kind`` (None: any kind),
    the only ones "used by" has to list."""
    if target_kind is None:
        return tuple(k for k in KINDS if k.references)
    word = _as_kind(target_kind).word
    return tuple(k for k in KINDS if word in targets(k))


def uses(k: Kind | str, body: Any, target_id: str, target_kind: Kind | str | None = None) -> list[str]:
    """The paths at which ``body`` names ``target_id`` (as a ``target_kind`` when given)."""
    word = _as_kind(target_kind).word if target_kind is not None else None
    return [r.path for r in extract(k, body) if r.id == target_id and (word is None or r.kind == word)]


def used_by(target_id: str, objects: Mapping[str, Iterable[dict[str, Any]]],
            target_kind: Kind | str | None = None) -> list[User]:
    """Every object in ``objects`` (kind word -> that kind's listing) that references
    ``target_id``, in the order of the listings."""
    found: list[User] = []
    for word, items in objects.items():
        for item in items:
            if not isinstance(item, dict):
                continue
            paths = uses(word, item, target_id, target_kind)
            if paths:
                name = item.get("name")
                object_id = item.get("id")
                found.append(User(word, object_id if isinstance(object_id, str) else "",
                                  name if isinstance(name, str) else "", tuple(paths)))
    return found


def selects(collection: Any, offers: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The offers ``collection`` selects, in the order given: those with any (``any-tags``) or
    all (``all-tags``) of its tags, or those its fixed list names (``offers``). An unknown
    filterType or an empty tag list selects nothing. Used by the collection column ("selects"),
    a decision's preview ("why not the others") and the demo's evaluator."""
    if not isinstance(collection, dict):
        return []
    ids = [i for i in collection.get("ids", []) if isinstance(i, str)] if isinstance(collection.get("ids"), list) else []
    filter_type = collection.get("filterType")
    if filter_type == "offers":
        wanted = set(ids)
        return [o for o in offers if isinstance(o, dict) and o.get("id") in wanted]
    if filter_type not in ("any-tags", "all-tags") or not ids:
        return []
    test = any if filter_type == "any-tags" else all
    chosen = []
    for offer in offers:
        tags = offer.get("tags") if isinstance(offer, dict) else None
        have = {t for t in tags if isinstance(t, str)} if isinstance(tags, list) else set()
        if test(t in have for t in ids):
            chosen.append(offer)
    return chosen
