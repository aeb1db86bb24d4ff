"""Reading an exported folder, every file validated before anything is planned. No I/O but reads.

Each problem is one line ``FILE: path: reason``: offers and fallback offers get the same rules as
``validate``; every kind gets the basic shape (a name, a known status, a collection's filterType
and ids) and its references checked for form (``"@<kind>/<name>"`` of the kind the path takes,
or a raw id, which plan then looks for in the target). Two files of one kind with one name are a
problem naming both: names are the identity, so plan never picks one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offer_tui.model.safejson import JsonFileError, load_json_file

from .fileform import KIND_ORDER, MANIFEST, map_references, parse_ref, shape_problems

OFFER_TYPE = {"offers": "personalized", "fallbacks": "fallback"}


@dataclass
class FileObject:
    kind: str
    name: str
    file: str  # relative to the folder: "offers/Winter sale.json"
    doc: dict[str, Any]


@dataclass
class Folder:
    root: Path
    objects: list[FileObject] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    kinds: dict[str, str | None] = field(default_factory=dict)  # kind -> the export's name filter
    warnings: int = 0

    def find(self, word: str, name: str) -> FileObject | None:
        return self._index.get((word, name)) if hasattr(self, "_index") else None

    def index(self) -> None:
        self._index = {(o.kind, o.name): o for o in self.objects}


def _reference_problems(word: str, doc: dict[str, Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def check(target: str, value: str, path: str) -> None:
        ref = parse_ref(value)
        if ref is None:
            if value.startswith("@"):
                found.append((path, f"{value!r} is not a reference: write \"@{target}/NAME\""))
            return None  # a raw id: plan looks for it in the target
        if ref[0] != target:
            found.append((path, f"names a {ref[0][:-1]}, but this field takes {target}"))
        return None

    map_references(word, doc, check)
    return found


def _offer_problems(word: str, doc: dict[str, Any]) -> tuple[list[tuple[str, str]], int]:
    from offer_tui.model import validate_offer

    report = validate_offer(doc, OFFER_TYPE[word])
    return [(i.path or "(offer)", i.message) for i in report.errors], len(report.warnings)


def read_folder(root: str | os.PathLike) -> Folder:
    """Every object file under ``root``, validated; ``problems`` empty when all are usable."""
    folder = Folder(Path(root))
    root = folder.root
    if not root.is_dir():
        folder.problems.append(f"{root}: not a folder (export one first: offer-tui export {root})")
        return folder
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        kinds = manifest.get("kinds") if isinstance(manifest, dict) else None
        if isinstance(kinds, dict):
            folder.kinds = {k: v if isinstance(v, str) else None for k, v in kinds.items() if k in KIND_ORDER}
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        folder.problems.append(f"{MANIFEST}: unreadable ({exc}); remove it or export again")
    by_name: dict[tuple[str, str], list[FileObject]] = {}
    for word in KIND_ORDER:
        directory = root / word
        if not directory.is_dir():
            continue
        folder.kinds.setdefault(word, None)
        for path in sorted(directory.glob("*.json")):
            rel = f"{word}/{path.name}"
            try:
                doc = load_json_file(path)
            except JsonFileError as exc:
                folder.problems.append(f"{rel}: (file): {str(exc).replace(str(path), '').lstrip(': ') or exc}")
                continue
            problems = shape_problems(word, doc)
            if not problems and word in OFFER_TYPE:
                offer_problems, warnings = _offer_problems(word, doc)
                problems += offer_problems
                folder.warnings += warnings
            if isinstance(doc, dict):
                problems += _reference_problems(word, doc)
            folder.problems += [f"{rel}: {p or '(file)'}: {reason}" for p, reason in problems]
            if not problems:
                by_name.setdefault((word, doc["name"]), []).append(FileObject(word, doc["name"], rel, doc))
    for (word, name), group in by_name.items():
        if len(group) > 1:  # never pick one: names are the identity
            files = ", ".join(o.file for o in group)
            folder.problems.append(f"{group[0].file}: name: {len(group)} files of {word} are named {name!r} ({files}); "
                                   "plan matches by name: rename all but one (in the source, then export again)")
            continue
        folder.objects.append(group[0])
    folder.index()
    return folder
