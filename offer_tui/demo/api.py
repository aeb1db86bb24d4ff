"""Request handling of the demo server, free of socket plumbing.

``handle_ims`` answers the IMS token endpoint; ``handle_api`` checks the
documented headers and routes the dps endpoints. Both take a parsed
``Request`` and return a ``Reply``, which keeps them easy to read and test.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote

from . import data
from .http import (BAD_REQUEST_TYPE, NOT_FOUND_TYPE, OFFER_TYPES, Reply, Request, bad_request,  # noqa: F401
                   gateway_error, json_reply, not_found, problem)
from .http import client_id as _client_id
from .http import parse_json as _parse_json
from .library_api import handle_library
from .listing import ListQueryError, build_page, select, selection_key
from .patch import PatchError, apply_patch
from .store import DemoState

# -- IMS -------------------------------------------------------------------

def _oauth_error(status: int, error: str, description: str) -> Reply:
    return json_reply(status, {"error": error, "error_description": description})


def handle_ims(state: DemoState, req: Request) -> Reply:
    if req.method != "POST":
        return _oauth_error(405, "invalid_request", "Use POST")
    content_type = req.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return _oauth_error(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
    form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials")
    if not form.get("client_id"):
        return _oauth_error(400, "invalid_request", "client_id is missing")
    if form.get("client_id") != data.DEMO_CLIENT_ID or form.get("client_secret") != data.DEMO_CLIENT_SECRET:
        return _oauth_error(401, "invalid_client", "invalid client_id or client_secret")
    scopes = [s.strip() for s in form.get("scope", "").split(",") if s.strip()]
    if not scopes:
        return _oauth_error(400, "invalid_scope", "scope is missing")
    unknown = [s for s in scopes if s not in data.KNOWN_SCOPES]
    if unknown:
        return _oauth_error(400, "invalid_scope", f"invalid scope ({', '.join(unknown)})")
    token = state.issue_token(minted=True)
    return json_reply(200, {"access_token": token, "token_type": "bearer", "expires_in": 86399})


# -- header checks -----------------------------------------------------------

def check_headers(state: DemoState, req: Request) -> Reply | None:
    """The gateway's checks, in the order a request meets them."""
    auth = req.headers.get("authorization", "").strip()
    if not auth:
        return gateway_error(403, "403010", "Oauth token is missing.")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not state.token_valid(token.strip()):
        return gateway_error(401, "401013", "Oauth token is not valid")
    api_key = req.headers.get("x-api-key", "").strip()
    if not api_key:
        return gateway_error(403, "403000", "Api Key is required")
    if api_key != data.DEMO_CLIENT_ID:
        return gateway_error(403, "403003", "Api Key is invalid")
    org = req.headers.get("x-gw-ims-org-id", "").strip()
    sandbox = req.headers.get("x-sandbox-name", "").strip()
    if not org or not sandbox:
        return gateway_error(400, "400003", "Missing header")
    if org != data.DEMO_IMS_ORG or sandbox != data.DEMO_SANDBOX:
        return gateway_error(403, "403025", "Profile is not valid")
    if req.method in ("POST", "PATCH", "PUT"):
        content_type = req.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in ("application/json", "application/json-patch+json"):
            return bad_request("A valid content-type must be specified")
    return None


# -- routing -------------------------------------------------------------------

def _offer_type(req: Request) -> tuple[str | None, Reply | None]:
    raw = req.query("offer-type")
    if not raw:
        return None, bad_request("The offer-type query parameter is required (personalized or fallback)")
    offer_type = raw.strip().lower()
    if offer_type not in OFFER_TYPES:
        return None, bad_request(f"Unsupported offer-type {raw!r}; use personalized or fallback")
    return offer_type, None


def _reference_errors(doc: dict[str, Any], offer_type: str, catalogue: dict) -> list[dict[str, str]]:
    """What the service checks beyond the body's shape: that referenced objects exist (with the
    model's reference paths, as the client checks them), and that a placement's channel matches."""
    from offer_tui.model.references import extract, missing

    placements = catalogue["placements"][1]
    existing = {"placements": placements, "rules": catalogue["offer-rules"][1], "tags": catalogue["tags"][1]}
    errors = [{"path": p.path, "message": p.message}
              for p in missing(extract("offers" if offer_type == "personalized" else "fallbacks", doc), existing)]
    representations = doc.get("representations")
    for i, rep in enumerate(representations if isinstance(representations, list) else []):
        if not isinstance(rep, dict) or not isinstance(rep.get("placement"), str):
            continue
        placement = placements.get(rep["placement"])
        if placement is not None and isinstance(rep.get("channel"), str) and rep["channel"] != placement["channel"]:
            errors.append({"path": f"representations[{i}].channel",
                           "message": f"Placement {placement['name']!r} is on channel {placement['channel']}"})
    return errors


def _validation_reply(doc: Any, offer_type: str, catalogue: dict) -> Reply | None:
    # Imported here: the model is the project's single source of validation rules.
    from offer_tui.model import validate_offer

    report = validate_offer(doc, offer_type)
    errors = [{"path": issue.path, "message": issue.message} for issue in report.errors]
    if isinstance(doc, dict):
        errors += _reference_errors(doc, offer_type, catalogue)
    if not errors:
        return None
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return bad_request(f"Invalid {offer_type} offer: {first['path']}: {first['message']}{more}", errors=errors)


def _offers(state: DemoState, req: Request, offer_id: str | None, default_limit: int) -> Reply:
    offer_type, error = _offer_type(req)
    if error:
        return error
    assert offer_type is not None
    if offer_id is None:
        if req.method == "GET":
            selected = state.selection(offer_type, selection_key(req.query_pairs),
                                       lambda: select(state.list_offers(offer_type), req.query_pairs))
            return json_reply(200, build_page(selected, path="/offers", query_pairs=req.query_pairs,
                                              default_limit=default_limit, selected=True))
        if req.method == "POST":
            doc, error = _parse_json(req.body)
            if error:
                return error
            error = _validation_reply(doc, offer_type, state.catalogue)
            if error:
                return error
            return json_reply(201, state.create_offer(offer_type, doc, _client_id(req)))
        return problem(405, "MethodNotAllowedError", f"{req.method} is not supported on /offers")

    if req.method == "GET":
        offer = state.get_offer(offer_id, offer_type)
        return json_reply(200, offer) if offer is not None else not_found(f"Offer {offer_id!r}")
    if req.method == "DELETE":
        if not state.delete_offer(offer_id, offer_type):
            return not_found(f"Offer {offer_id!r}")
        return Reply(200, b"", {"Content-Length": "0"})
    if req.method == "PATCH":
        current = state.raw_offer(offer_id, offer_type)
        if current is None:
            return not_found(f"Offer {offer_id!r}")
        ops, error = _parse_json(req.body)
        if error:
            return error
        try:
            updated = apply_patch(current, ops)
        except PatchError as exc:
            return bad_request(str(exc))
        error = _validation_reply(updated, offer_type, state.catalogue)
        if error:
            return error
        return json_reply(200, state.replace_offer(offer_id, updated, _client_id(req)))
    return problem(405, "MethodNotAllowedError", f"{req.method} is not supported on /offers/{{id}}")


def handle_api(state: DemoState, req: Request, default_limit: int) -> Reply:
    error = check_headers(state, req)
    if error:
        return error
    parts = req.rel.strip("/").split("/")
    collection = parts[0]
    # Ids arrive percent-encoded (":" as %3A); unquote only after splitting.
    item_id = unquote(parts[1]) if len(parts) == 2 else None
    if len(parts) > 2:
        return not_found(f"Path {req.rel!r}")
    try:
        if collection == "offers":
            return _offers(state, req, item_id, default_limit)
        if collection in state.objects:
            return handle_library(state, req, collection, item_id, default_limit)
    except ListQueryError as exc:
        return bad_request(str(exc))
    return not_found(f"Path {req.rel!r}")
