"""Edits as JSON Patch (RFC 6902): compute, render, apply, and check for a conflict.

Pure: no I/O, no Textual. Patches are *applied* with the ``jsonpatch`` library;
they are *computed* by the small diff below rather than ``jsonpatch.make_patch``,
because that one emits ``move``/``copy`` operations (the demo API, like our
reading of Adobe's docs, accepts only add/replace/remove) and index operations
inside arrays whose elements shift (``remove /tags/0``), which we must not send:

Adobe's docs do not say how index paths behave inside an array whose elements
shift (is ``/tags/1`` read before or after an earlier ``remove /tags/0``?). So an
array whose length changed is replaced whole, and index paths are only used
inside arrays of unchanged length, where every index names the same element
before and after.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from typing import Any

from offer_tui.safe_text import terminal_safe

from .document import strip_server_fields

_MISSING = object()
VALUE_WIDTH = 60  # characters of a value shown in one readable line


# -- computing ----------------------------------------------------------------


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def same(a: Any, b: Any) -> bool:
    """JSON equality with types: ``1`` is not ``1.0`` and ``True`` is not ``1``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def _diff(before: Any, after: Any, path: str, ops: list[dict[str, Any]]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before:
            if key not in after:
                ops.append({"op": "remove", "path": f"{path}/{_escape(key)}"})
        for key, value in after.items():
            child = f"{path}/{_escape(key)}"
            if key in before:
                _diff(before[key], value, child, ops)
            else:
                ops.append({"op": "add", "path": child, "value": copy.deepcopy(value)})
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        # Same length: index i is the same slot before and after, so paths stay unambiguous.
        for index, (old, new) in enumerate(zip(before, after)):
            _diff(old, new, f"{path}/{index}", ops)
        return
    if not same(before, after):
        # Includes arrays whose length changed: replaced whole (see the module docstring).
        ops.append({"op": "replace", "path": path, "value": copy.deepcopy(after)})


def diff_documents(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The add/replace/remove operations that turn ``before`` into ``after`` (no stripping)."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        raise TypeError("both documents must be JSON objects")
    ops: list[dict[str, Any]] = []
    _diff(before, after, "", ops)
    return ops


def make_edit_patch(fetched: dict[str, Any], edited: dict[str, Any]) -> list[dict[str, Any]]:
    """The JSON Patch to send: from the offer as fetched to the offer as edited.

    Server fields (id, etag, modified, ...) are dropped on both sides first, so an
    edited copy of ``get --json`` output and a plain body give the same patch.
    """
    return diff_documents(strip_server_fields(fetched)[0], strip_server_fields(edited)[0])


# -- applying -----------------------------------------------------------------


class PatchApplyError(ValueError):
    """An operation does not apply to the document (path gone, index out of range)."""


def apply_edit(doc: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """``doc`` with ``ops`` applied by ``jsonpatch``; ``doc`` itself is left unchanged."""
    import jsonpatch
    import jsonpointer

    try:
        return jsonpatch.apply_patch(copy.deepcopy(doc), copy.deepcopy(ops), in_place=True)
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
        raise PatchApplyError(str(exc)) from None


def resolve(doc: Any, path: str) -> Any:
    """The value at JSON pointer ``path`` in ``doc``, or ``MISSING``."""
    if path == "":
        return doc
    if not isinstance(path, str) or not path.startswith("/"):
        return _MISSING
    current = doc
    for token in (_unescape(t) for t in path[1:].split("/")):
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            return _MISSING
    return current


MISSING = _MISSING


# -- reading ------------------------------------------------------------------


def _one_line(value: Any) -> str:
    if value is _MISSING:
        return "(none)"
    return terminal_safe(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")), limit=None, one_line=True)


def _elide(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 3, 1)] + "..."


def short_value(value: Any, width: int = VALUE_WIDTH) -> str:
    """A value as compact JSON on one terminal-safe line, elided past ``width``."""
    return _elide(_one_line(value), width)


def short_pair(old: Any, new: Any, width: int = VALUE_WIDTH) -> tuple[str, str]:
    """``old`` and ``new`` elided so that the difference shows: a long text changed near its end
    must not read as ``"same..." -> "same..."``. Two texts start a little before the first difference."""
    a, b = _one_line(old), _one_line(new)
    common = len(os.path.commonprefix([a, b]))
    texts = isinstance(old, str) and isinstance(new, str)  # a window into JSON structure reads badly
    if not texts or (len(a) <= width and len(b) <= width) or common < width - 12:
        return _elide(a, width), _elide(b, width)
    start = common - 12  # some context before the first difference
    return _elide("..." + a[start:], width), _elide("..." + b[start:], width)


def patch_lines(ops: list[dict[str, Any]], before: dict[str, Any], width: int = VALUE_WIDTH) -> list[str]:
    """One readable line per operation: ``op path: old -> new``.

    ``before`` is the document the patch applies to (server fields may be left in;
    paths never point at them).
    """
    lines = []
    for op in ops:
        raw_path = op.get("path", "")
        path = terminal_safe(raw_path, limit=200, one_line=True)
        old = resolve(before, raw_path)
        if op.get("op") == "add" and isinstance(raw_path, str) and isinstance(resolve(before, raw_path.rpartition("/")[0]), list):
            old = _MISSING  # an add into an array inserts: nothing is overwritten
        new = op.get("value", _MISSING) if op.get("op") != "remove" else _MISSING
        old_text, new_text = short_pair(old, new, width)
        lines.append(f"{op.get('op')} {path}: {old_text} -> {new_text}")
    return lines


# -- conflicts ----------------------------------------------------------------


@dataclass(frozen=True)
class ServerChanges:
    """What happened on the server between opening an offer and sending an edit."""

    changed: bool
    opened_etag: Any
    server_etag: Any
    ops: list[dict[str, Any]] = field(default_factory=list)  # opened -> fresh
    lines: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if not self.changed:
            return f"The server still has etag {self.opened_etag}: nobody changed it since you opened it."
        what = f"{len(self.ops)} change{'s' * (len(self.ops) != 1)}" if self.ops else "no field changes"
        return f"The offer changed on the server since you opened it (etag {self.opened_etag} -> {self.server_etag}): {what}."


def server_changes(opened: dict[str, Any], fresh: dict[str, Any], opened_etag: Any = None) -> ServerChanges:
    """Compare the copy the user opened with a fresh GET.

    ``opened_etag`` defaults to the opened copy's own ``etag``. A different etag, or
    different content under the same etag, counts as changed.
    """
    if opened_etag is None:
        opened_etag = opened.get("etag")
    ops = make_edit_patch(opened, fresh)
    server_etag = fresh.get("etag")
    changed = bool(ops) or not same(opened_etag, server_etag)
    base = strip_server_fields(opened)[0]
    return ServerChanges(changed, opened_etag, server_etag, ops, patch_lines(ops, base))


@dataclass(frozen=True)
class Reapplied:
    """The user's edit re-applied on a fresh copy."""

    doc: dict[str, Any]  # the fresh copy (server fields dropped) with the user's ops that still apply
    ops: list[dict[str, Any]]  # the patch to send now: fresh -> doc
    skipped: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (op, why not applied)

    @property
    def lines(self) -> list[str]:
        return [f"not applied: {op.get('op')} {terminal_safe(op.get('path', ''), limit=200, one_line=True)}: {why}"
                for op, why in self.skipped]


def reapply(user_ops: list[dict[str, Any]], opened: dict[str, Any], fresh: dict[str, Any]) -> Reapplied:
    """Apply the user's operations to ``fresh``, one by one.

    An operation is skipped, never applied over someone else's work, when the
    server changed the value it targets (its value in ``fresh`` differs from the
    copy the user opened) or when it no longer applies (its path is gone).
    """
    base = strip_server_fields(opened)[0]
    current = strip_server_fields(fresh)[0]
    fresh_body = copy.deepcopy(current)
    skipped: list[tuple[dict[str, Any], str]] = []
    for op in user_ops:
        path = op.get("path", "")
        theirs, ours = resolve(current, path), resolve(base, path)
        if not (theirs is ours is _MISSING) and (theirs is _MISSING or ours is _MISSING or not same(theirs, ours)):
            skipped.append((op, f"the server changed it too (now {short_value(theirs)})"))
            continue
        try:
            current = apply_edit(current, [op])
        except PatchApplyError as exc:
            skipped.append((op, f"no longer applies ({terminal_safe(exc, limit=200, one_line=True)})"))
    return Reapplied(current, diff_documents(fresh_body, current), skipped)
