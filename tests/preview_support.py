"""A decision for preview tests (imported by test_*preview*.py; holds no tests).

"Side rail picks" on "Product page side rail" (itemCount 3) selects a fixed list of nine offers,
one per outcome: three returned (two tied at priority 70, ranked by name), one ranked below, and
one each for status draft, ended, starts, no representation and not eligible (a rule). The clock
is pinned on both sides (``NOW``), so dates decide the same way every day.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from offer_tui.demo import DemoServer

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
SIDE_RAIL = "dps:offer-placement:1a2b3c4d5e6f7083"  # Product page side rail, itemCount 3
HERO = "dps:offer-placement:1a2b3c4d5e6f7081"
PLATINUM = "dps:eligibility-rule:19af09a9ae45a8d4"  # qualifies Email:max@example.com
DECISION = "dps:offer-activity:5e6f708192a3b4c5"
DECISION_NAME = "Side rail picks"
COLLECTION = "dps:offer-collection:5e6f708192a3b4c6"
FALLBACK = "dps:fallback-offer:1e9d5c000000001a"  # "Default side rail (fr)", seeded, on the side rail
AUDIT = {"created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-02T00:00:00.000Z"}


def offer_id(n: int) -> str:
    return f"dps:personalized-offer:5e6f7081920000{n:02x}"


def _offer(name: str, priority: int, *, status: str = "approved", placement: str = SIDE_RAIL,
           start: str = "2026-01-01T00:00:00.000+00:00", end: str = "2027-12-31T00:00:00.000+00:00",
           rule: str | None = None, content: str | None = None) -> dict[str, Any]:
    constraint: dict[str, Any] = {"startDate": start, "endDate": end,
                                  "profileConstraintType": "eligibilityRule" if rule else "none"}
    if rule:
        constraint["eligibilityRule"] = rule
    return {"name": name, "status": status, "rank": {"priority": priority}, "selectionConstraint": constraint,
            "representations": [{"channel": "https://ns.adobe.com/xdm/channel-types/web", "placement": placement,
                                 "components": [{"type": "html", "format": "text/html", "language": ["en-us"],
                                                 "content": content or f"<p>{name}: <b>offer</b></p>"}]}]}


# (name, body) in the collection's order
OFFERS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("Beta 70", _offer("Beta 70", 70)),
    ("Alpha 70", _offer("Alpha 70", 70)),
    ("Gamma 60", _offer("Gamma 60", 60)),
    ("Delta 50", _offer("Delta 50", 50)),
    ("Draft 99", _offer("Draft 99", 99, status="draft")),
    ("Ended 99", _offer("Ended 99", 99, end="2026-06-30T23:59:59.000+00:00")),
    ("Future 99", _offer("Future 99", 99, start="2027-06-01T00:00:00.000+00:00")),
    ("Elsewhere 99", _offer("Elsewhere 99", 99, placement=HERO)),
    ("Platinum 99", _offer("Platinum 99", 99, rule=PLATINUM)),
)
IDS = {name: offer_id(i) for i, (name, _body) in enumerate(OFFERS)}

EXPECTED_WHY_NOT = {
    "Delta 50": "ranked below (priority 50; count 3, lowest returned 60)",
    "Draft 99": "status draft",
    "Ended 99": "ended 2026-06-30T23:59:59.000+00:00",
    "Future 99": "starts 2027-06-01T00:00:00.000+00:00",
    "Elsewhere 99": "no representation for this placement",
    "Platinum 99": "not eligible (decided by the server: rule Platinum loyalty members)",
}


def add_side_rail_decision(server: DemoServer, *, name: str = DECISION_NAME, decision_id: str = DECISION) -> None:
    """The nine offers, their fixed-list collection and the decision (the clock pinned to NOW)."""
    state = server.state
    state.preview_now = NOW
    for name_, body in OFFERS:
        if IDS[name_] not in state.offers:
            state.add_offer("personalized", IDS[name_], dict(body), etag=1, **AUDIT)
    if state.get_object("offer-collections", COLLECTION) is None:
        state.add_object("offer-collections", COLLECTION,
                         {"name": "Side rail list", "filterType": "offers", "ids": list(IDS.values())}, **AUDIT)
    state.add_object("offer-decisions", decision_id, {
        "name": name, "status": "live", "fallback": FALLBACK,
        "startDate": "2026-01-01T00:00:00.000+00:00", "endDate": "2027-12-31T00:00:00.000+00:00",
        "criteria": [{"placements": [SIDE_RAIL], "rank": {"priority": 0, "order": {"orderEvaluationType": "static"}},
                      "profileConstraint": {"profileConstraintType": "none"},
                      "optionSelection": {"filter": COLLECTION}}]}, **AUDIT)


def seeded_server(**kwargs: Any) -> DemoServer:
    server = DemoServer(seed_offers=30, **kwargs)
    add_side_rail_decision(server)
    return server
