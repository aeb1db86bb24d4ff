"""Validation of a body of any kind: offers get the full offer rules (validate_offer); the other
kinds a basic shape, from what Adobe's docs show (offer-api.md: "no page lists which fields are
required: send what the example sends"). So this refuses only what is certainly wrong (no name, a
status the kind does not have, a collection without a known filterType or a list of ids, a
decision's criteria that are not objects) and leaves the rest to the server. Pure.
"""

from __future__ import annotations

from typing import Any

from offer_tui.model.guardrails import body_warnings
from offer_tui.model.issues import Issue, Report
from offer_tui.model.kinds import COLLECTION_TARGETS, Kind

CHANNEL_PREFIX = "https://ns.adobe.com/xdm/channel-types/"
ORDER_TYPES = ("static", "ranking-strategy")
PROFILE_TYPES = ("none", "eligibilityRule", "anySegments", "allSegments")


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _decision(doc: dict[str, Any], errors: list[Issue]) -> None:
    criteria = doc.get("criteria")
    if criteria is None:
        return
    if not isinstance(criteria, list):
        errors.append(Issue("criteria", "criteria must be a list"))
        return
    for i, criterion in enumerate(criteria):
        at = f"criteria[{i}]"
        if not isinstance(criterion, dict):
            errors.append(Issue(at, "each criterion must be an object"))
            continue
        if "placements" in criterion and not _string_list(criterion["placements"]):
            errors.append(Issue(f"{at}.placements", "placements must be a list of placement ids"))
        selection = criterion.get("optionSelection")
        if selection is not None and not (isinstance(selection, dict) and isinstance(selection.get("filter"), str)):
            errors.append(Issue(f"{at}.optionSelection.filter", "the collection id is missing"))
        rank = criterion.get("rank")
        order = rank.get("order") if isinstance(rank, dict) else None
        kind = order.get("orderEvaluationType") if isinstance(order, dict) else None
        if kind is not None and kind not in ORDER_TYPES:
            errors.append(Issue(f"{at}.rank.order.orderEvaluationType", f"must be one of {', '.join(ORDER_TYPES)}"))
        if kind == "ranking-strategy" and not order.get("rankingStrategy"):
            errors.append(Issue(f"{at}.rank.order.rankingStrategy", "a ranking-strategy order needs the formula's id"))
        constraint = criterion.get("profileConstraint")
        ptype = constraint.get("profileConstraintType") if isinstance(constraint, dict) else None
        if ptype is not None and ptype not in PROFILE_TYPES:
            errors.append(Issue(f"{at}.profileConstraint.profileConstraintType", f"must be one of {', '.join(PROFILE_TYPES)}"))
        if ptype == "eligibilityRule" and not constraint.get("eligibilityRule"):
            errors.append(Issue(f"{at}.profileConstraint.eligibilityRule", "an eligibilityRule constraint needs the rule's id"))
    if "fallback" in doc and not (isinstance(doc["fallback"], str) and doc["fallback"]):
        errors.append(Issue("fallback", "fallback must be the id of a fallback offer"))


def validate_object(kind: Kind, doc: Any) -> Report:
    """Errors (certainly wrong) and warnings (guardrails inside the body) of a ``kind`` body."""
    if kind.offer_type is not None:
        from offer_tui.model import validate_offer

        report = validate_offer(doc, kind.offer_type)
        if isinstance(doc, dict):
            report.warnings.extend(Issue(w.path, w.message, "warning") for w in body_warnings(kind.word, doc))
        return report
    report = Report()
    if not isinstance(doc, dict):
        report.errors.append(Issue("", f"a {kind.title} must be a JSON object"))
        return report
    errors = report.errors
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(Issue("name", "a name is required"))
    status = doc.get("status")
    if kind.statuses and status is not None and status not in kind.statuses:
        errors.append(Issue("status", f"status must be one of {', '.join(kind.statuses)}"))
    if kind.word == "collections":
        if doc.get("filterType") not in COLLECTION_TARGETS:
            errors.append(Issue("filterType", f"filterType must be one of {', '.join(COLLECTION_TARGETS)}"))
        if not (isinstance(doc.get("ids"), list) and all(isinstance(i, str) for i in doc["ids"])):
            errors.append(Issue("ids", "ids must be a list of tag ids (or offer ids for a fixed list)"))
    elif kind.word == "decisions":
        _decision(doc, errors)
    elif kind.word == "placements":
        channel = doc.get("channel")
        if channel is not None and not (isinstance(channel, str) and channel.startswith(CHANNEL_PREFIX)):
            errors.append(Issue("channel", f"channel must be a channel URI ({CHANNEL_PREFIX}web, ...)"))
        count = doc.get("itemCount")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
            errors.append(Issue("itemCount", "itemCount must be a whole number of at least 1"))
    elif kind.word == "rules":
        condition = doc.get("condition")
        if condition is not None and not (isinstance(condition, dict) and isinstance(condition.get("value"), str)):
            errors.append(Issue("condition.value", "a rule's condition needs its PQL text in condition.value"))
    report.warnings.extend(Issue(w.path, w.message, "warning") for w in body_warnings(kind.word, doc))
    return report
