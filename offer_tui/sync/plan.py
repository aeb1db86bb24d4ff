"""A folder against a sandbox: per object create, update (a JSON Patch), unchanged, or delete.

Sends no write, and reads each kind's listing once (all its pages), never one GET per object:
the listing already holds every body. References are resolved by name in the target, or to an
object the plan itself creates (kept as ``"@kind/name"`` until apply knows its new id). The plan
stops, naming them, on a reference that resolves to nothing or to several objects, and on a
file whose name two objects of the target share. No printing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from offer_tui.api.library import Library
from offer_tui.model.patch import diff_documents, patch_lines
from offer_tui.model.references import extract, targets

from .fileform import KIND_ORDER, LIVE, map_references, parse_ref, ref_text, strip_server
from .folder import FileObject, Folder

CREATE, UPDATE, UNCHANGED, DELETE = "create", "update", "unchanged", "delete"
ACTIONS = (CREATE, UPDATE, UNCHANGED, DELETE)


@dataclass
class Action:
    kind: str
    name: str
    action: str
    file: str = ""
    target_id: str | None = None
    etag: Any = None  # the target's etag when planned: apply checks it before a PATCH
    body: dict[str, Any] | None = None  # desired body; refs to objects the plan creates stay "@kind/name"
    patch: list[dict[str, Any]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    live: bool = False  # the object will be live (approved offer, live decision) in the target

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "action": self.action, "patch": self.patch}


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    listings: int = 0  # kinds listed (each once)

    def count(self, action: str) -> int:
        return sum(1 for a in self.actions if a.action == action)

    @property
    def changes(self) -> list[Action]:
        return [a for a in self.actions if a.action != UNCHANGED]

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in ACTIONS}


def _is_live(word: str, body: dict[str, Any] | None) -> bool:
    return word in LIVE and isinstance(body, dict) and body.get("status") == LIVE[word]


class Resolver:
    """References by name in the target, or to objects the folder creates."""

    def __init__(self, folder: Folder, target: dict[str, list[dict[str, Any]]]) -> None:
        self.folder = folder
        self.by_name: dict[str, dict[str, list[str]]] = {}
        self.ids: dict[str, set[str]] = {}
        for word, items in target.items():
            names: dict[str, list[str]] = {}
            for item in items:
                if isinstance(item.get("name"), str) and isinstance(item.get("id"), str):
                    names.setdefault(item["name"], []).append(item["id"])
            self.by_name[word] = names
            self.ids[word] = {i for ids in names.values() for i in ids}

    def resolve(self, obj: FileObject, problems: list[str]) -> dict[str, Any]:
        def one(word: str, value: str, path: str) -> str | None:
            ref = parse_ref(value)
            if ref is None:  # a raw id: usable only when the target has it
                if value not in self.ids.get(word, ()):
                    problems.append(f"{obj.file}: {path}: {value} is an id, and the target has no {word[:-1]} "
                                    f"with it: write \"@{word}/NAME\"")
                return None
            found = self.by_name.get(word, {}).get(ref[1], [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                problems.append(f"{obj.file}: {path}: {value} resolves to {len(found)} {word} in the target "
                                f"({', '.join(found[:5])}): rename or delete all but one there")
                return None
            if self.folder.find(word, ref[1]) is None:
                problems.append(f"{obj.file}: {path}: {value} resolves to nothing: the target has no {word[:-1]} "
                                "of that name, and the folder does not create one")
            return None  # created by this plan: apply fills in its id

        return map_references(obj.kind, obj.doc, one)


async def read_target(library: Library, words: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each kind's listing, once."""
    return {w: await library.list_all(w) for w in KIND_ORDER if w in words}


def kinds_to_read(folder: Folder, prune: bool) -> list[str]:
    words = set(folder.kinds) | {o.kind for o in folder.objects}
    for word in list(words):
        words.update(targets(word))
    if prune:  # deletes are checked against everything that could still use them
        words.update(w for w in KIND_ORDER if any(t in words for t in targets(w)))
    return [w for w in KIND_ORDER if w in words]


def compute_plan(folder: Folder, target: dict[str, list[dict[str, Any]]], *, as_draft: bool = False,
                 prune: bool = False) -> Plan:
    """The plan, pure: from the folder and the target's listings."""
    plan = Plan(problems=list(folder.problems), listings=len(target))
    resolver = Resolver(folder, target)
    for word in KIND_ORDER:
        for obj in (o for o in folder.objects if o.kind == word):
            desired = resolver.resolve(obj, plan.problems)
            matches = [t for t in target.get(word, []) if t.get("name") == obj.name]
            if len(matches) > 1:
                ids = ", ".join(str(t.get("id")) for t in matches[:5])
                plan.problems.append(f"{obj.file}: name: the target has {len(matches)} {word} named {obj.name!r} "
                                     f"({ids}): rename or delete all but one there")
                continue
            if not matches:
                body = dict(desired)
                if as_draft and _is_live(word, body):
                    body["status"] = "draft"
                plan.actions.append(Action(word, obj.name, CREATE, obj.file, body=body, live=_is_live(word, body)))
                continue
            current = matches[0]
            body = dict(desired)
            if as_draft and "status" in current and word in LIVE:
                body["status"] = current["status"]  # --as-draft never makes anything live
            before = strip_server(current)
            ops = diff_documents(before, body)
            live = any(op.get("path") == "/status" and op.get("value") == LIVE.get(word) for op in ops)
            plan.actions.append(Action(word, obj.name, UPDATE if ops else UNCHANGED, obj.file, current.get("id"),
                                       current.get("etag"), body, ops, patch_lines(ops, before), live))
    if prune:
        _prune(folder, target, plan)
    return plan


def _prune(folder: Folder, target: dict[str, list[dict[str, Any]]], plan: Plan) -> None:
    """Deletes, dependents first, of the exported kinds' objects the folder lacks; refused when an
    object that stays would still use one."""
    import re

    doomed: dict[str, str] = {}  # id -> "kind/name"
    deletes: list[Action] = []
    for word in reversed(KIND_ORDER):
        if word not in folder.kinds:
            continue
        try:
            pattern = re.compile(folder.kinds[word]) if folder.kinds[word] is not None else None
        except re.error as exc:
            plan.problems.append(f"offer-tui-export.json: kinds.{word}: {folder.kinds[word]!r} is not a regular "
                                 f"expression ({exc}): --prune cannot tell which {word} were exported")
            continue
        for item in target.get(word, []):
            name, object_id = item.get("name"), item.get("id")
            if not isinstance(name, str) or not isinstance(object_id, str):
                continue
            if pattern is not None and not pattern.search(name):
                continue  # outside what was exported
            if folder.find(word, name) is None:
                deletes.append(Action(word, name, DELETE, target_id=object_id, etag=item.get("etag")))
                doomed[object_id] = f"{word}/{name}"
    if not doomed:
        return
    planned = {(a.kind, a.name): a for a in plan.actions}
    for word, items in target.items():
        for item in items:
            if item.get("id") in doomed:
                continue
            action = planned.get((word, item.get("name")))
            body = action.body if action is not None and action.body is not None else item
            for ref in extract(word, body):
                if ref.id in doomed:
                    plan.problems.append(f"{word}/{item.get('name')}: {ref.path}: still uses {doomed[ref.id]}, "
                                         "which --prune would delete: keep it in the folder, or change the user first")
    plan.actions.extend(deletes)


def pending_refs(action: Action) -> list[tuple[str, str]]:
    """The ``(kind, name)`` of objects this action's body names that the plan creates."""
    found: list[tuple[str, str]] = []
    if action.body is None:
        return found

    def see(word: str, value: str, path: str) -> None:
        ref = parse_ref(value)
        if ref is not None:
            found.append(ref)

    map_references(action.kind, action.body, see)
    return found


def fill_ids(action: Action, ids: dict[tuple[str, str], str]) -> dict[str, Any] | None:
    """The action's body with every ``"@kind/name"`` replaced by the id apply now knows; None
    when one is still unknown (its create failed)."""
    missing: list[str] = []

    def fill(word: str, value: str, path: str) -> str | None:
        ref = parse_ref(value)
        if ref is None:
            return None
        if ref in ids:
            return ids[ref]
        missing.append(value)
        return None

    body = map_references(action.kind, copy.deepcopy(action.body or {}), fill)
    return None if missing else body


async def make_plan(library: Library, folder: Folder, *, as_draft: bool = False, prune: bool = False) -> Plan:
    """Read the target (one listing per kind involved) and compute the plan."""
    target = await read_target(library, kinds_to_read(folder, prune))
    return compute_plan(folder, target, as_draft=as_draft, prune=prune)


__all__ = ["ACTIONS", "Action", "CREATE", "DELETE", "Plan", "UNCHANGED", "UPDATE", "compute_plan", "fill_ids",
           "make_plan", "pending_refs", "read_target", "ref_text"]
