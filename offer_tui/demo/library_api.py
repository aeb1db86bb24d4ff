"""The demo API's decisions, collections, placements, rules and tags: list, get, create, PATCH,
DELETE, with the offers' paging, filters, receipts and etags.

References are checked with :mod:`offer_tui.model.references`, the code the client checks with,
so a body the client accepts is one the demo accepts and the other way round. The demo does not
refuse deleting an object that others use (Adobe's docs do not say the service does): the
client's own check is what stands between a user and a dangling reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from offer_tui.model.kinds import COLLECTION_TARGETS, Kind, kinds_at
from offer_tui.model.references import Problem, extract, missing, referenced_kinds

from .listing import build_page, select, selection_key
from .patch import PatchError, apply_patch

if TYPE_CHECKING:
    from .http import Reply, Request
    from .store import DemoState

# The collection (or offer type) in the store that holds each kind's objects.
_WHERE = {"offers": ("offers", "personalized"), "fallbacks": ("offers", "fallback"),
          "decisions": ("offer-decisions", None), "collections": ("offer-collections", None),
          "placements": ("placements", None), "rules": ("offer-rules", None), "tags": ("tags", None)}


def existing(state: DemoState, words: tuple[str, ...]) -> dict[str, set[str]]:
    """The ids of each kind named in ``words``, as the reference check needs them."""
    return {word: state.ids(*_WHERE[word]) for word in words}


def reference_problems(state: DemoState, kind: Kind | str, doc: dict[str, Any]) -> list[Problem]:
    refs = extract(kind, doc)
    return missing(refs, existing(state, referenced_kinds(refs)))


def _shape_errors(kind: Kind, doc: Any) -> list[dict[str, str]]:
    if not isinstance(doc, dict):
        return [{"path": "", "message": f"A {kind.title} must be a JSON object"}]
    errors = []
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append({"path": "name", "message": "A name is required"})
    status = doc.get("status")
    if kind.statuses and status is not None and status not in kind.statuses:
        errors.append({"path": "status", "message": f"status must be one of {', '.join(kind.statuses)}"})
    if kind.word == "collections":
        filter_type = doc.get("filterType")
        if filter_type not in COLLECTION_TARGETS:
            errors.append({"path": "filterType",
                           "message": f"filterType must be one of {', '.join(COLLECTION_TARGETS)}"})
        ids = doc.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            errors.append({"path": "ids", "message": "ids must be a list of ids"})
    return errors


def _validation_reply(state: DemoState, kind: Kind, doc: Any) -> Reply | None:
    from .http import bad_request

    errors = _shape_errors(kind, doc)
    if not errors:
        errors = [{"path": p.path, "message": p.message} for p in reference_problems(state, kind, doc)]
    if not errors:
        return None
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    where = f"{first['path']}: " if first["path"] else ""
    return bad_request(f"Invalid {kind.title}: {where}{first['message']}{more}", errors=errors)


def handle_library(state: DemoState, req: Request, collection: str, item_id: str | None,
                   default_limit: int) -> Reply:
    """``/offer-decisions``, ``/offer-collections``, ``/placements``, ``/offer-rules`` and ``/tags``."""
    from .http import bad_request, json_reply, not_found, problem
    from .http import client_id as _client_id
    from .http import parse_json as _parse_json
    from .http import Reply as _Reply

    kind = kinds_at("/" + collection)[0]
    label = kind.title[:1].upper() + kind.title[1:]
    if item_id is None:
        if req.method == "GET":
            selected = state.selection(collection, selection_key(req.query_pairs),
                                       lambda: select(state.list_objects(collection), req.query_pairs))
            return json_reply(200, build_page(selected, path=f"/{collection}", query_pairs=req.query_pairs,
                                              default_limit=default_limit, selected=True))
        if req.method == "POST":
            doc, error = _parse_json(req.body)
            if error is None:
                error = _validation_reply(state, kind, doc)
            if error is not None:
                return error
            return json_reply(201, state.create_object(collection, doc, _client_id(req)))
        return problem(405, "MethodNotAllowedError", f"{req.method} is not supported on /{collection}")

    if req.method == "GET":
        item = state.get_object(collection, item_id)
        return json_reply(200, item) if item is not None else not_found(f"{label} {item_id!r}")
    if req.method == "DELETE":
        if not state.delete_object(collection, item_id):
            return not_found(f"{label} {item_id!r}")
        return _Reply(200, b"", {"Content-Length": "0"})
    if req.method == "PATCH":
        current = state.raw_object(collection, item_id)
        if current is None:
            return not_found(f"{label} {item_id!r}")
        ops, error = _parse_json(req.body)
        if error is not None:
            return error
        try:
            updated = apply_patch(current, ops)
        except PatchError as exc:
            return bad_request(str(exc))
        error = _validation_reply(state, kind, updated)
        if error is not None:
            return error
        return json_reply(200, state.replace_object(collection, item_id, updated, _client_id(req)))
    return problem(405, "MethodNotAllowedError", f"{req.method} is not supported on /{collection}/{{id}}")
