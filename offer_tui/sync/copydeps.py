"""``copy ... --with-dependencies``: a selection plus an in-memory export and apply. No printing.

The selection (ids of any kind; offers by --name too) and everything it references, directly or
not, are read from the source and planned against the target by name, exactly as ``export`` +
``plan`` would. What the target lacks is created, in dependency order, each reference replaced by
the target's id; what it has is used as it is (never updated by a copy). A selected object whose
name the target already has is skipped and said so, as ``copy`` does without the flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from offer_tui.api.library import Library
from offer_tui.model.kinds import kind_of_id
from offer_tui.model.references import targets

from .fileform import KIND_ORDER
from .memory import as_folder, closure, read_listings
from .plan import CREATE, Plan, compute_plan, read_target


@dataclass
class CopyPlan:
    plan: Plan  # only creates
    selected: list[tuple[str, str]] = field(default_factory=list)  # (kind, name) of the selection
    skipped: list[str] = field(default_factory=list)  # selected objects the target already has
    dependencies: list[tuple[str, str]] = field(default_factory=list)  # created because the selection needs them


def _needed_kinds(words: Iterable[str]) -> set[str]:
    found: set[str] = set()
    todo = list(words)
    while todo:
        word = todo.pop()
        for target in targets(word):
            if target not in found:
                found.add(target)
                todo.append(target)
    return found


async def plan_copy(source: Library, target: Library, ids: Iterable[str], *, default_kind: str = "offers",
                    pattern: re.Pattern[str] | None = None) -> CopyPlan:
    """Read the selection and what it needs (one listing per kind involved, a GET per id given),
    the target's listings, and plan the creates."""
    selection: dict[tuple[str, str], dict[str, Any]] = {}
    for object_id in dict.fromkeys(ids):
        kd = kind_of_id(object_id)
        word = kd.word if kd is not None else default_kind
        selection[(word, object_id)] = await source.get(word, object_id)
    if pattern is not None:
        async for item in source.iterate(default_kind, properties=[f"name~{pattern.pattern}"], orderby=None,
                                         page_size=250):
            if isinstance(item.get("name"), str) and pattern.search(item["name"]) and isinstance(item.get("id"), str):
                selection.setdefault((default_kind, item["id"]), item)
    selected_kinds = {w for w, _ in selection}
    needed = _needed_kinds(selected_kinds)
    listings = await read_listings(source, needed)
    for (word, object_id), body in selection.items():  # the selection, without listing its whole kind
        items = listings.setdefault(word, [])
        if all(o.get("id") != object_id for o in items):
            items.append(body)
    keep = closure(listings, selection.keys())
    folder = as_folder(listings, keep)
    full = compute_plan(folder, await read_target(target, sorted(needed | selected_kinds)))
    chosen = {(w, body.get("name")) for (w, _), body in selection.items()}
    result = CopyPlan(Plan(listings=full.listings),
                      selected=sorted(chosen, key=lambda k: (KIND_ORDER.index(k[0]), str(k[1]))))
    # Problems of what will be created or was selected; what the target has is used as it is.
    relevant = {a.file for a in full.actions if a.action == CREATE} | {f"{w}/{n}" for w, n in chosen}
    result.plan.problems = [p for p in full.problems if p.split(": ", 1)[0] in relevant]
    for action in full.actions:
        key = (action.kind, action.name)
        if action.action == CREATE:
            result.plan.actions.append(action)
            if key not in chosen:
                result.dependencies.append(key)
        elif key in chosen:
            result.skipped.append(f"{action.kind}/{action.name}: already in the target ({action.target_id})")
    return result
