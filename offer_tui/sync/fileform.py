"""Objects in their file form, and file names. Pure: no I/O.

The file form of an object is its body without server fields, keys in a stable order (name,
description, status first, then the rest sorted, at every level), pretty-printed, with every id
that points at another object written as ``"@<kind>/<name>"``. Names are the identity across
sandboxes; ids are not.

The reference paths come from :mod:`offer_tui.model.kinds`, the same ones the reference checks
and "used by" read, so export, plan and the checks cannot disagree about what is a reference.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from offer_tui.model.document import SERVER_FIELDS
from offer_tui.model.kinds import KINDS, Kind, kind
from offer_tui.model.jsonpath import join_path
from offer_tui.model.references import target_of

# Dependency order: what an object references is always created before it.
ORDER: tuple[tuple[str, ...], ...] = (("tags", "placements", "rules"), ("offers", "fallbacks"),
                                      ("collections",), ("decisions",))
KIND_ORDER: tuple[str, ...] = tuple(w for level in ORDER for w in level)
FIRST_KEYS = ("name", "description", "status")
REF_PREFIX = "@"
MANIFEST = "offer-tui-export.json"  # which kinds and names a folder holds (prune stays inside it)
LIVE = {"offers": "approved", "fallbacks": "approved", "decisions": "live"}

assert sorted(KIND_ORDER) == sorted(k.word for k in KINDS)


def is_server_field(key: str) -> bool:
    """Fields the server owns on every kind: ids, etags, audit fields, links, client ids."""
    return key in SERVER_FIELDS or key.endswith("ClientId") or key in ("_links", "_embedded")


def strip_server(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if not is_server_field(k)}


def ordered(value: Any) -> Any:
    """The value with every object's keys in the file order (lists keep theirs)."""
    if isinstance(value, dict):
        first = [k for k in FIRST_KEYS if k in value]
        rest = sorted(k for k in value if k not in FIRST_KEYS)
        return {k: ordered(value[k]) for k in first + rest}
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


def dumps(doc: dict[str, Any]) -> bytes:
    """The bytes of a file: a diff in git shows one changed field as one changed line."""
    return (json.dumps(ordered(doc), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# -- references -------------------------------------------------------------------------------


def ref_text(kind_word: str, name: str) -> str:
    return f"{REF_PREFIX}{kind_word}/{name}"


def parse_ref(value: Any) -> tuple[str, str] | None:
    """``"@placements/Homepage banner"`` -> ("placements", "Homepage banner"); None for anything
    else (a raw id). The kind word has no "/", so a name may hold one."""
    if not isinstance(value, str) or not value.startswith(REF_PREFIX):
        return None
    word, sep, name = value[1:].partition("/")
    if not sep or not name or word not in KIND_ORDER:
        return None
    return word, name


def _map(value: Any, parts: list[str], done: list[str | int], fn: Callable[[Any, str], Any]) -> Any:
    if not parts:
        return fn(value, join_path(done))
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(value, list):
            return [_map(item, rest, done + [i], fn) for i, item in enumerate(value)]
        return value
    if isinstance(value, dict) and head in value:
        return {**value, head: _map(value[head], rest, done + [head], fn)}
    return value


def map_references(k: Kind | str, body: dict[str, Any],
                   fn: Callable[[str, str, str], str | None]) -> dict[str, Any]:
    """A copy of ``body`` with each reference (a non-empty string at a reference path) replaced by
    ``fn(target kind word, value, path)``; None keeps the value. A collection's ``ids`` follow its
    filterType (tags or offers); an unknown filterType leaves them alone."""
    kd = k if isinstance(k, Kind) else kind(k)
    result = body
    for pattern, target in kd.references:
        word = target_of(target, body)
        if word is None:
            continue

        def one(value: Any, path: str, word: str = word) -> Any:
            if not isinstance(value, str) or not value:
                return value
            new = fn(word, value, path)
            return value if new is None else new

        result = _map(result, pattern.split("."), [], one)
    return result


def to_file_form(k: str, body: dict[str, Any], name_of: Callable[[str, str], str | None],
                 ) -> tuple[dict[str, Any], list[str]]:
    """(the file form of ``body``, notes): ids replaced by ``@kind/name`` where ``name_of(kind,
    id)`` knows the name; an id it does not know is kept as it is and named in a note."""
    notes: list[str] = []

    def by_name(word: str, value: str, path: str) -> str | None:
        name = name_of(word, value)
        if name is None:
            notes.append(f"{path}: {word[:-1]} {value} is not in the source sandbox; kept as an id")
            return None
        return ref_text(word, name)

    return ordered(map_references(k, strip_server(body), by_name)), notes


# -- file names -------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))})
MAX_STEM_BYTES = 150  # well under 255 bytes with the hash and ".json"


def name_hash(name: str) -> str:
    """8 hex digits of the exact name: what tells two files apart whose safe names are one."""
    return hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()


def name_key(name: str) -> int:
    """A 64-bit key of a name: what duplicate detection keeps per object instead of the name."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def safe_stem(name: str) -> str:
    """``name`` as a file name on Linux, macOS and Windows: no separators or reserved characters,
    no control or invisible format characters, no trailing dot or space, no reserved device name
    (CON, NUL, COM1...), not hidden, at most 150 UTF-8 bytes."""
    text = unicodedata.normalize("NFC", name)
    text = "".join("_" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") else c for c in text)
    text = _UNSAFE.sub("_", text).strip(" ")
    text = text.rstrip(". ")
    if text.startswith("."):
        text = "_" + text[1:]
    if text.split(".")[0].upper().rstrip(" ") in _RESERVED:
        text = "_" + text
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_STEM_BYTES:
        text = encoded[:MAX_STEM_BYTES].decode("utf-8", "ignore").rstrip(". ")
    return text or "_"


def file_stem(name: str) -> str:
    """The stem of ``name``'s file. A name that is not safe as it is gets a short hash of the
    exact name too, so two names that only differ in unsafe characters ("A/B", "A:B") never share
    a file, whatever order they come in."""
    stem = safe_stem(name)
    return stem if stem == name else f"{stem}~{name_hash(name)}"


# -- validation of a file's basic shape (offers get validate_offer on top) --------------------


def shape_problems(k: str, doc: Any) -> list[tuple[str, str]]:
    """(path, reason) for what any kind needs: an object with a name; a known status; a
    collection's filterType and ids."""
    if not isinstance(doc, dict):
        return [("", "expected a JSON object")]
    problems = []
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(("name", "is required (names are what plan matches objects by)"))
    kd = kind(k)
    status = doc.get("status")
    if kd.statuses and status is not None and status not in kd.statuses:
        problems.append(("status", f"must be one of {', '.join(kd.statuses)}"))
    if k == "collections":
        from offer_tui.model.kinds import COLLECTION_TARGETS

        if doc.get("filterType") not in COLLECTION_TARGETS:
            problems.append(("filterType", f"must be one of {', '.join(COLLECTION_TARGETS)}"))
        ids = doc.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems.append(("ids", "must be a list of references (\"@tags/NAME\" or \"@offers/NAME\")"))
    server = [key for key in doc if is_server_field(key)]
    for key in server:
        problems.append((key, "is a server field; remove it (plan matches by name)"))
    return problems
