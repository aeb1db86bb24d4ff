"""An export held in memory: a source sandbox (or a selection of it, with what it needs) as the
objects a folder would hold, for the Sandboxes view and ``copy --with-dependencies``. No printing.

``read_listings`` reads each kind once; ``closure`` follows references from a selection to
everything it needs (a decision's collections, rule, placements and fallback; a collection's tags
or offers; an offer's placements, rule and tags); ``as_folder`` writes them in file form, so the
plan, the reference resolution by name and the apply are the ones ``plan``/``apply`` use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from offer_tui.api.library import Library
from offer_tui.model.references import extract

from .fileform import KIND_ORDER, to_file_form
from .folder import FileObject, Folder

Listings = dict[str, list[dict[str, Any]]]


async def read_listings(library: Library, words: Iterable[str] = KIND_ORDER) -> Listings:
    """Each kind's objects, one listing per kind."""
    wanted = set(words)
    return {w: await library.list_all(w) for w in KIND_ORDER if w in wanted}


def closure(listings: Listings, seeds: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """``seeds`` ((kind, id) pairs) and every object they reference, directly or not."""
    by_id = {(w, o["id"]): o for w, items in listings.items() for o in items if isinstance(o.get("id"), str)}
    found: set[tuple[str, str]] = set()
    todo = [s for s in seeds if s in by_id]
    while todo:
        key = todo.pop()
        if key in found:
            continue
        found.add(key)
        for ref in extract(key[0], by_id[key]):
            if (ref.kind, ref.id) in by_id and (ref.kind, ref.id) not in found:
                todo.append((ref.kind, ref.id))
    return found


def as_folder(listings: Listings, only: set[tuple[str, str]] | None = None) -> Folder:
    """The objects (all, or those in ``only``) in file form, as plan reads a folder. Two objects of
    one kind with one name are a problem and left out, as in a folder."""
    from pathlib import Path

    names = {w: {o["id"]: o["name"] for o in items if isinstance(o.get("id"), str) and isinstance(o.get("name"), str)}
             for w, items in listings.items()}
    folder = Folder(Path("."))
    groups: dict[tuple[str, str], list[FileObject]] = {}
    for word in KIND_ORDER:
        folder.kinds.setdefault(word, None) if only is None else None
        for item in listings.get(word, []):
            name, object_id = item.get("name"), item.get("id")
            if not isinstance(name, str) or (only is not None and (word, object_id) not in only):
                continue
            doc, _notes = to_file_form(word, item, lambda w, i: names.get(w, {}).get(i))
            groups.setdefault((word, name), []).append(FileObject(word, name, f"{word}/{name}", doc))
    for (word, name), group in groups.items():
        if len(group) > 1:
            folder.problems.append(f"{word}/{name}: name: {len(group)} {word} in the source are named {name!r}: "
                                   "names are the identity across sandboxes: rename all but one")
            continue
        folder.objects.append(group[0])
    if only is not None:
        folder.kinds = {w: None for w, _ in only}
    folder.index()
    return folder
