"""Export a sandbox to a folder: ``DIR/<kind>/<name>.json``, one file per object. No printing.

Streams: offers are read a page at a time and each is written before the next page is asked
for, so 10,000 offers cost no more memory than 100. What is kept per object is small and fixed:
an 8-byte hash of its name (duplicates, file name collisions, stale files), and for offers only
the names of those a fixed-list collection names (id -> name, never bodies). The other kinds are
small (Adobe's limits: 1,000 placements and tags) and are read whole, once each.

A file whose bytes would not change is not written (its mtime stays), so a re-export into a git
checkout shows only what changed in the sandbox.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offer_tui.api.library import Library
from offer_tui.model.kinds import COLLECTION_TARGETS, kind
from offer_tui.model.references import targets

from .fileform import KIND_ORDER, MANIFEST, dumps, file_stem, name_hash, name_key, to_file_form

MAX_NOTES = 200  # notes kept for the summary; the count goes on
# Offers per page: the bodies the export holds at its peak, whatever the total. Measured (bench/sync.py):
# 1,000 a page costs 17 MiB more at 10,000 offers than at 100; 250 a page, 8 MiB; 100, 7 MiB.
PAGE_SIZE = 250


@dataclass
class KindCount:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass
class ExportResult:
    root: Path
    counts: dict[str, KindCount] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # kept ids, file name collisions
    duplicates: list[str] = field(default_factory=list)  # two objects of one kind with one name
    more_notes: int = 0

    def note(self, text: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(text)
        else:
            self.more_notes += 1

    @property
    def total(self) -> int:
        return sum(c.written + c.unchanged for c in self.counts.values())


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless the file already holds exactly these bytes."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


class _KindWriter:
    """Files of one kind: names made safe, collisions and duplicates said, stale files found."""

    def __init__(self, root: Path, word: str, result: ExportResult) -> None:
        self.word = word
        self.dir = root / word
        self.dir.mkdir(parents=True, exist_ok=True)
        self.result = result
        self.count = result.counts.setdefault(word, KindCount())
        # Per object only 64-bit keys (and the first id of a name, for the duplicate message).
        self.names: dict[int, str] = {}  # name -> the id of its first object
        self.stems: dict[int, int] = {}  # casefolded stem -> the name that owns it
        self.kept: set[int] = set()  # file names written or left untouched

    def write(self, name: str, object_id: str, doc: dict[str, Any]) -> None:
        key = name_key(name)
        stem = file_stem(name)
        if key in self.names:
            # Never pick one silently: both files are written, plan refuses the name.
            stem = f"{stem}~{name_hash(object_id)}"
            self.result.duplicates.append(
                f"{self.word}: two objects are named {name!r} ({self.names[key]} and {object_id}); both were "
                f"written ({stem}.json is the second) and plan refuses them until one is renamed in the source")
        else:
            self.names[key] = object_id
            owner = self.stems.get(name_key(stem.casefold()))
            if owner is not None and owner != key:
                # Two names whose files would be one on a case-insensitive file system (Windows, macOS).
                stem = f"{stem}~{name_hash(name)}"
                self.result.note(f"{self.word}: {name!r} is written as {stem}.json: its plain file name "
                                 "is taken by another name that differs only in case")
        self.stems.setdefault(name_key(stem.casefold()), key)
        filename = stem + ".json"
        self.kept.add(name_key(filename))
        if write_if_changed(self.dir / filename, dumps(doc)):
            self.count.written += 1
        else:
            self.count.unchanged += 1

    def remove_stale(self) -> None:
        """Files of objects the source no longer has (only after a whole kind was exported)."""
        for path in self.dir.glob("*.json"):
            if name_key(path.name) not in self.kept:
                path.unlink()
                self.count.removed += 1


def _manifest(root: Path, words: Sequence[str], pattern: str | None) -> None:
    path = root / MANIFEST
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        kinds = old.get("kinds") if isinstance(old, dict) and isinstance(old.get("kinds"), dict) else {}
    except (OSError, ValueError):
        kinds = {}
    kinds.update({w: pattern for w in words})
    data = {"format": 1, "kinds": {w: kinds[w] for w in KIND_ORDER if w in kinds}}
    write_if_changed(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))


async def export(library: Library, root: str | os.PathLike, *, kinds: Sequence[str] = (),
                 pattern: re.Pattern[str] | None = None,
                 on_progress: Callable[[str, int], None] | None = None) -> ExportResult:
    """Write the objects of ``kinds`` (default every kind) whose name matches ``pattern`` to
    ``root``. Raises ApiError when a listing fails (files already written stay: each is whole)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    words = [w for w in KIND_ORDER if not kinds or w in kinds]
    result = ExportResult(root)
    properties = [f"name~{pattern.pattern}"] if pattern is not None else []

    def matches(item: dict[str, Any]) -> bool:
        name = item.get("name")
        return isinstance(name, str) and (pattern is None or pattern.search(name) is not None)

    # The small kinds, read once each: those exported and those referenced by what is exported.
    needed = set(words)
    for w in words:
        needed.update(t for t in targets(w) if t != "offers")
    small: dict[str, list[dict[str, Any]]] = {}
    for w in KIND_ORDER:
        if w in needed and w != "offers":
            small[w] = await library.list_all(w)
    names: dict[str, dict[str, str]] = {
        w: {o["id"]: o["name"] for o in items if isinstance(o.get("id"), str) and isinstance(o.get("name"), str)}
        for w, items in small.items()}
    # Offers a fixed-list collection names: only their names are kept, whatever the offer count.
    wanted = {i for c in small.get("collections", ()) if COLLECTION_TARGETS.get(c.get("filterType")) == "offers"
              for i in (c.get("ids") or []) if isinstance(i, str)} if "collections" in words else set()
    names["offers"] = {}
    # A names-only pass when the offers written below would not include every wanted one.
    if wanted and ("offers" not in words or pattern is not None):
        async for offer in library.iterate("offers", orderby=None, page_size=1000):
            if offer.get("id") in wanted and isinstance(offer.get("name"), str):
                names["offers"][offer["id"]] = offer["name"]

    def name_of(word: str, object_id: str) -> str | None:
        return names.get(word, {}).get(object_id)

    for w in words:
        writer = _KindWriter(root, w, result)
        items = small[w] if w != "offers" else library.iterate("offers", properties=properties, orderby=None,
                                                                page_size=PAGE_SIZE)
        done = 0

        async def each(item: dict[str, Any]) -> None:
            nonlocal done
            if not isinstance(item.get("name"), str) or not item["name"]:
                result.note(f"{w}: {item.get('id')!r} has no name, and names are what plan matches by: not exported")
                return
            if not matches(item):
                return
            object_id = item.get("id") if isinstance(item.get("id"), str) else "?"
            if w == "offers" and object_id in wanted:
                names["offers"][object_id] = item["name"]
            doc, notes = to_file_form(w, item, name_of)
            for text in notes:
                result.note(f"{w}/{item['name']}: {text}")
            writer.write(item["name"], object_id, doc)
            done += 1
            if on_progress is not None and done % 500 == 0:
                on_progress(w, done)

        if isinstance(items, list):
            for item in items:
                await each(item)
        else:
            async for item in items:
                await each(item)
        if pattern is None:
            writer.remove_stale()
        result.counts[w] = writer.count
    _manifest(root, words, pattern.pattern if pattern is not None else None)
    return result


def kind_title(word: str) -> str:
    return kind(word).title
