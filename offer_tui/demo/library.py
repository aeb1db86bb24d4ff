"""Decisions and collections the demo server starts with, built on its placements, rules, tags
and the realistic offers, by name, so a salted sandbox (``--id-salt``) gets the same library
under its own ids.

Collections (4): two by any of their tags, one by all of them, one a fixed list of offers.
Decisions (3): a live one with two criteria (one with a rule), a live one on loyalty offers, and
a draft app decision whose offers are all drafts, so a preview serves its fallback. Every
decision has a fallback offer. ``decisions=N`` adds synthetic ones for scale (1,000 for the
benchmark), deterministic like the synthetic offers.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from .data import salt_id

if TYPE_CHECKING:
    from .store import DemoState

DEMO_DECISIONS = 3

# name, filterType, tag or offer names
COLLECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Winter campaign", "any-tags", ("Clearance", "Newsletter")),
    ("Loyalty rewards", "any-tags", ("Loyalty",)),
    ("Clearance for subscribers", "all-tags", ("Clearance", "Newsletter")),
    ("App launch picks", "offers", ("Winter sale 20% (app)", "App-only flash deal", "Push: weekend bundle")),
)

# name, status, start, end, fallback offer, criteria: (placement names, collection, rule name or "")
DECISIONS: tuple[tuple[str, str, str, str, str, tuple[tuple[tuple[str, ...], str, str], ...]], ...] = (
    ("Winter campaign: web and email", "live", "2026-12-01T00:00:00.000+00:00", "2027-01-15T23:59:59.000+00:00",
     "Default hero banner",
     ((("Homepage hero banner",), "Winter campaign", ""),
      (("Email body offer block",), "Clearance for subscribers", "Email subscribers"))),
    ("Loyalty rewards everywhere", "live", "2026-09-01T00:00:00.000+00:00", "2027-12-31T23:59:59.000+00:00",
     "Default email block",
     ((("Product page side rail", "Email body offer block"), "Loyalty rewards", "Gold loyalty members"),)),
    ("App home launch", "draft", "2026-12-05T00:00:00.000+00:00", "2027-01-31T23:59:59.000+00:00",
     "Default app card",
     ((("App home card", "Push notification text"), "App launch picks", ""),)),
)

_AUDIT = {"created": "2024-09-02T08:00:00.000Z", "modified": "2024-10-14T16:20:00.000Z", "etag": 2}


def _collection_id(index: int, salt: str | None) -> str:
    return salt_id(f"dps:offer-collection:3c4d5e6f70819{index:03x}", salt)


def _decision_id(index: int, salt: str | None) -> str:
    return salt_id(f"dps:offer-activity:4d5e6f708192{index:04x}", salt)


def _criterion(placements: list[str], collection: str, rule: str | None) -> dict[str, Any]:
    constraint: dict[str, Any] = {"profileConstraintType": "eligibilityRule", "eligibilityRule": rule} if rule \
        else {"profileConstraintType": "none"}
    return {"placements": placements, "rank": {"priority": 0, "order": {"orderEvaluationType": "static"}},
            "profileConstraint": constraint, "optionSelection": {"filter": collection}}


def seed_library(state: DemoState, decisions: int = DEMO_DECISIONS, seed: int = 11) -> None:
    """Add the 4 collections and the first ``decisions`` decisions (3 realistic, then synthetic).

    Needs the realistic offers (their names are referenced): ValueError when one is missing.
    """
    if decisions < 0:
        raise ValueError("the number of decisions cannot be negative")
    by_name: dict[str, dict[str, str]] = {}
    for key in ("placements", "offer-rules", "tags"):
        by_name[key] = {e["body"]["name"]: i for i, e in state.objects[key].items()}
    offers = {(e["offer_type"], e["body"].get("name")): i for i, e in state.offers.items()}

    def offer(offer_type: str, name: str) -> str:
        try:
            return offers[(offer_type, name)]
        except KeyError:
            raise ValueError(f"the demo library needs the realistic offer {name!r}: seed at least 30 offers") from None

    collection_ids = {}
    for index, (name, filter_type, members) in enumerate(COLLECTIONS):
        ids = [offer("personalized", m) for m in members] if filter_type == "offers" \
            else [by_name["tags"][m] for m in members]
        collection_ids[name] = _collection_id(index, state.salt)
        state.add_object("offer-collections", collection_ids[name],
                         {"name": name, "description": f"{name} (demo collection)", "filterType": filter_type,
                          "ids": ids, "labels": []},
                         created=_AUDIT["created"], modified=_AUDIT["modified"], etag=_AUDIT["etag"])

    realistic = DECISIONS[:decisions]
    for index, (name, status, start, end, fallback, criteria) in enumerate(realistic):
        body = {"name": name, "description": f"{name} (demo decision)", "status": status,
                "startDate": start, "endDate": end, "fallback": offer("fallback", fallback),
                "criteria": [_criterion([by_name["placements"][p] for p in places], collection_ids[coll],
                                        by_name["offer-rules"][rule] if rule else None)
                             for places, coll, rule in criteria]}
        state.add_object("offer-decisions", _decision_id(index, state.salt), body,
                         created=_AUDIT["created"], modified=_AUDIT["modified"], etag=_AUDIT["etag"])
    _synthetic_decisions(state, decisions - len(realistic), len(realistic), collection_ids, seed)


def _synthetic_decisions(state: DemoState, count: int, first: int, collection_ids: dict[str, str],
                         seed: int) -> None:
    if count <= 0:
        return
    rng = random.Random(seed)
    placements = list(state.objects["placements"])
    rules = list(state.objects["offer-rules"])
    collections = list(collection_ids.values())
    fallbacks = sorted(i for i, e in state.offers.items() if e["offer_type"] == "fallback")
    for index in range(first, first + count):
        places = rng.sample(placements, 1 + int(rng.random() * 3))
        rule = rules[int(rng.random() * len(rules))] if rng.random() < 0.3 else None
        month = 1 + index % 12
        body: dict[str, Any] = {
            "name": f"Decision {index + 1:04d} ({('web', 'email', 'app', 'mixed')[index % 4]})",
            "status": ("draft", "live", "archived")[int(rng.random() * 3)],
            "startDate": f"2026-{month:02d}-01T00:00:00.000+00:00",
            "endDate": f"2027-{month:02d}-01T00:00:00.000+00:00",
            "criteria": [_criterion(places, collections[int(rng.random() * len(collections))], rule)],
        }
        if fallbacks:
            body["fallback"] = fallbacks[int(rng.random() * len(fallbacks))]
        modified = f"2026-{month:02d}-{1 + index % 28:02d}T{index % 24:02d}:{index % 60:02d}:00.000Z"
        state.add_object("offer-decisions", _decision_id(index, state.salt), body,
                         created="2024-01-01T00:00:00.000Z", modified=modified, etag=1 + index % 3)
