"""The demo's Decisioning API: ``POST /data/core/ods/decisions`` with a deterministic evaluator.

For each proposition request (activity = decision, placement):

1. the decision's criteria that name the placement, and the offers their collections select
   (:func:`offer_tui.model.references.selects`: any tags, all tags, or a fixed list);
2. of those, the personalized offers that are ``approved``, inside their dates (now, or
   ``state.preview_now`` when a test pins it), with a representation for the placement;
3. eligible: the criterion's rule and the offer's own rule, each a demo rule that qualifies the
   identities listed for it (``data.RULE_IDENTITIES``, ``state.rule_qualifies``); a constraint of
   type ``none`` (or none at all) qualifies everyone, segments qualify nobody (the demo has none);
4. ranked by priority, highest first, ties by name then id (the real service breaks ties at
   random; a ranking formula is ranked by priority too), cut to ``xdm:itemCount``; the score is
   the priority as a float;
5. when none qualifies, the decision's fallback offer instead.

Errors have the documented shapes: 400 for a body that is not a decision request, 404 for an
unknown decision or placement, 422 for a placement the decision does not use. Nothing is
recorded for capping or reporting, ``xdm:dryRun`` or not.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from offer_tui.model.references import selects

if TYPE_CHECKING:
    from .http import Reply, Request
    from .store import DemoState

DECISIONS_PATH = "/data/core/ods/decisions"
MEDIA_TYPE = "application/vnd.adobe.xdm+json"
COMPONENT_TYPE = "https://ns.adobe.com/experience/offer-management/content-component-"
NOT_FOUND_TYPE = "https://ns.adobe.com/aep/errors/ODE-0001-404"
UNPROCESSABLE_TYPE = "https://ns.adobe.com/aep/errors/ODE-0002-422"
MAX_ITEMS = 30


def _date(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _qualifies(state: DemoState, constraint: Any, identities: list[str]) -> bool:
    if not isinstance(constraint, dict):
        return True
    kind = constraint.get("profileConstraintType", "none")
    if kind in (None, "none"):
        return True
    if kind == "eligibilityRule":
        rule = constraint.get("eligibilityRule")
        return isinstance(rule, str) and state.rule_qualifies(rule, identities)
    return False  # segments: the demo has no profiles in segments


def _available(offer: dict[str, Any], placement_id: str, now: datetime) -> bool:
    if offer.get("status") != "approved":
        return False
    sc = offer.get("selectionConstraint") if isinstance(offer.get("selectionConstraint"), dict) else {}
    start, end = _date(sc.get("startDate")), _date(sc.get("endDate"))
    if (start is not None and start > now) or (end is not None and end <= now):
        return False
    return _representation(offer, placement_id) is not None


def _representation(offer: dict[str, Any], placement_id: str) -> dict[str, Any] | None:
    for rep in offer.get("representations") or []:
        if isinstance(rep, dict) and rep.get("placement") == placement_id:
            return rep
    return None


def _priority(offer: dict[str, Any]) -> float:
    rank = offer.get("rank") if isinstance(offer.get("rank"), dict) else {}
    value = rank.get("priority")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _option(offer: dict[str, Any], placement_id: str, fmt: dict[str, Any], *, score: bool) -> dict[str, Any]:
    rep = _representation(offer, placement_id) or {}
    components = [c for c in rep.get("components") or [] if isinstance(c, dict)]
    component = components[0] if components else {}
    option: dict[str, Any] = {"xdm:id": offer["id"], "repo:etag": offer.get("etag"),
                              "@type": COMPONENT_TYPE + str(component.get("type") or "html")}
    if fmt.get("xdm:includeContent"):
        if "content" in component:
            option["xdm:content"] = component["content"]
        if "deliveryURL" in component:
            option["xdm:deliveryURL"] = component["deliveryURL"]
    if "name" in _metadata(fmt, "xdm:option"):
        option["xdm:name"] = offer.get("name")
    if score:
        option["xdm:score"] = _priority(offer)
    return option


def _metadata(fmt: dict[str, Any], key: str) -> list[Any]:
    meta = fmt.get("xdm:includeMetadata") if isinstance(fmt.get("xdm:includeMetadata"), dict) else {}
    value = meta.get(key)
    return value if isinstance(value, list) else []


def _bad(detail: str) -> Reply:
    from .http import bad_request

    return bad_request(detail)


def _check_body(doc: Any) -> str | None:
    """Why ``doc`` is not a decision request, or None."""
    if not isinstance(doc, dict):
        return "The request body must be a JSON object"
    requests = doc.get("xdm:propositionRequests")
    if not isinstance(requests, list) or not requests:
        return "xdm:propositionRequests must be a non-empty list"
    for i, item in enumerate(requests):
        if not isinstance(item, dict):
            return f"xdm:propositionRequests[{i}] must be an object"
        for key in ("xdm:activityId", "xdm:placementId"):
            if not isinstance(item.get(key), str) or not item[key]:
                return f"xdm:propositionRequests[{i}].{key} is required"
        count = item.get("xdm:itemCount", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_ITEMS:
            return f"xdm:propositionRequests[{i}].xdm:itemCount must be an integer from 1 to {MAX_ITEMS}"
    profiles = doc.get("xdm:profiles")
    if not isinstance(profiles, list) or len(profiles) != 1 or not isinstance(profiles[0], dict):
        return "xdm:profiles must hold exactly one profile"
    identity_map = profiles[0].get("xdm:identityMap")
    if not isinstance(identity_map, dict) or not identity_map:
        return "xdm:profiles[0].xdm:identityMap must map namespaces to identities"
    for namespace, entries in identity_map.items():
        if not isinstance(entries, list) or not entries or not all(
                isinstance(e, dict) and isinstance(e.get("xdm:id"), str) and e["xdm:id"] for e in entries):
            return f"xdm:identityMap.{namespace} must be a list of {{\"xdm:id\": ...}}"
    fmt = doc.get("xdm:responseFormat", {})
    if not isinstance(fmt, dict):
        return "xdm:responseFormat must be an object"
    if "xdm:dryRun" in doc and not isinstance(doc["xdm:dryRun"], bool):
        return "xdm:dryRun must be true or false"
    return None


def _identities(doc: dict[str, Any]) -> list[str]:
    identity_map = doc["xdm:profiles"][0]["xdm:identityMap"]
    return [f"{namespace}:{entry['xdm:id']}" for namespace, entries in identity_map.items() for entry in entries]


def evaluate(state: DemoState, activity_id: str, placement_id: str, count: int, identities: list[str],
             fmt: dict[str, Any], now: datetime) -> dict[str, Any] | Reply:
    """One proposition, or the error reply for an unknown decision or placement."""
    from .http import problem

    decision = state.get_object("offer-decisions", activity_id)
    if decision is None:
        return problem(404, "NotFoundError", f"Decision {activity_id!r} not found", type_=NOT_FOUND_TYPE)
    placement = state.get_object("placements", placement_id)
    if placement is None:
        return problem(404, "NotFoundError", f"Placement {placement_id!r} not found", type_=NOT_FOUND_TYPE)
    criteria = [c for c in decision.get("criteria") or []
                if isinstance(c, dict) and placement_id in (c.get("placements") or [])]
    if not criteria:
        return problem(422, "UnprocessableEntityError",
                       f"Decision {activity_id!r} has no criterion for placement {placement_id!r}",
                       type_=UNPROCESSABLE_TYPE)
    offers = state.list_offers("personalized")
    chosen: dict[str, dict[str, Any]] = {}
    for criterion in criteria:
        if not _qualifies(state, criterion.get("profileConstraint"), identities):
            continue
        selection = criterion.get("optionSelection") if isinstance(criterion.get("optionSelection"), dict) else {}
        collection = state.get_object("offer-collections", selection.get("filter") or "")
        for offer in selects(collection, offers):
            if (_available(offer, placement_id, now)
                    and _qualifies(state, offer.get("selectionConstraint"), identities)):
                chosen.setdefault(offer["id"], offer)
    ranked = sorted(chosen.values(), key=lambda o: (-_priority(o), str(o.get("name")), o["id"]))[:count]

    activity: dict[str, Any] = {"xdm:id": activity_id, "repo:etag": decision.get("etag")}
    if "name" in _metadata(fmt, "xdm:activity"):
        activity["xdm:name"] = decision.get("name")
    where: dict[str, Any] = {"xdm:id": placement_id, "repo:etag": placement.get("etag")}
    if "name" in _metadata(fmt, "xdm:placement"):
        where["xdm:name"] = placement.get("name")
    proposition: dict[str, Any] = {"xdm:activity": activity, "xdm:placement": where}
    if ranked:
        proposition["xdm:options"] = [_option(o, placement_id, fmt, score=True) for o in ranked]
        return proposition
    fallback_id = decision.get("fallback")
    fallback = state.get_offer(fallback_id, "fallback") if isinstance(fallback_id, str) else None
    if fallback is not None:
        proposition["xdm:fallback"] = _option(fallback, placement_id, fmt, score=False)
    else:
        proposition["xdm:options"] = []
    return proposition


def handle_decisions(state: DemoState, req: Request) -> Reply:
    """``POST /data/core/ods/decisions``: the gateway's checks, the body's, then the evaluator."""
    from .api import check_headers
    from .http import json_reply, problem
    from .http import parse_json as _parse_json

    if req.method != "POST":
        return problem(405, "MethodNotAllowedError", f"{req.method} is not supported on {DECISIONS_PATH}")
    # The gateway's checks as for any API call; the content type is this API's own (below).
    error = check_headers(state, replace(req, method="GET"))
    if error is not None:
        return error
    content_type = req.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != MEDIA_TYPE:
        return _bad(f"A valid content-type must be specified ({MEDIA_TYPE}; schema=...decision-request...)")
    doc, error = _parse_json(req.body)
    if error is not None:
        return error
    problem_text = _check_body(doc)
    if problem_text is not None:
        return _bad(problem_text)
    now = getattr(state, "preview_now", None) or datetime.now(UTC)
    fmt = doc.get("xdm:responseFormat") or {}
    identities = _identities(doc)
    propositions = []
    for item in doc["xdm:propositionRequests"]:
        answer = evaluate(state, item["xdm:activityId"], item["xdm:placementId"], item.get("xdm:itemCount", 1),
                          identities, fmt, now)
        if not isinstance(answer, dict):
            return answer
        propositions.append(answer)
    # The same request at the same moment gets the same id: deterministic, like the ranking.
    digest = hashlib.sha256(json.dumps([doc, now.isoformat()], sort_keys=True).encode()).digest()
    created = int(now.timestamp() * 1000) if getattr(state, "preview_now", None) else int(time.time() * 1000)
    return json_reply(200, {"xdm:propositionId": str(uuid.UUID(bytes=digest[:16], version=4)),
                            "xdm:propositions": propositions, "ode:createDate": created})
