"""Adobe's published limits (issue 14, section 4): the pure rules, and the service's counts against
the demo API over loopback."""

from __future__ import annotations

import pytest

from offer_tui.api import OfferClient
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.seed import DEMO_OFFERS
from offer_tui.model import guardrails as g
from offer_tui.model.kind_shape import validate_object
from offer_tui.model.kinds import kind

pytestmark = pytest.mark.timeout(60)


def test_each_published_limit_is_the_documented_number():
    assert g.SANDBOX_LIMITS == {"offers": 10_000, "decisions": 10_000, "placements": 1_000, "tags": 1_000,
                                "collections": 10_000}
    assert (g.LIVE_DECISIONS, g.OFFERS_PER_COLLECTION, g.TAGS_PER_OFFER, g.PLACEMENTS_PER_DECISION) == (1_000, 500, 20, 30)


@pytest.mark.parametrize("key, now, adding, warned", [
    ("offers", 9_999, 1, False), ("offers", 10_000, 1, True), ("offers", 9_990, 11, True),
    ("placements", 999, 1, False), ("placements", 1_000, 1, True),
    ("decisions", 10_000, 1, True), ("live decisions", 1_000, 1, True), ("live decisions", 999, 1, False),
    ("tags", 1_000, 1, True), ("collections", 10_000, 1, True), ("offers", None, 5, False),
])
def test_sandbox_limits_warn_only_past_the_limit_with_the_count(key, now, adding, warned):
    found = g.sandbox_warnings({key: now}, {key: adding})
    assert bool(found) == warned
    if warned:
        assert f"{now + adding:,}" in found[0].message and "published limit" in found[0].message


def test_body_limits_tags_per_offer_and_placements_per_decision():
    offer = {"tags": [f"t{i}" for i in range(21)]}
    [warning] = g.body_warnings("offers", offer)
    assert warning.path == "tags" and "21 tags on one offer" in warning.message and "20" in warning.message
    assert g.body_warnings("offers", {"tags": [f"t{i}" for i in range(20)]}) == []
    decision = {"criteria": [{"placements": [f"p{i}" for i in range(16)]}, {"placements": [f"p{i}" for i in range(15, 31)]}]}
    [warning] = g.body_warnings("decisions", decision)
    assert "31 placements in one decision" in warning.message
    fixed = {"filterType": "offers", "ids": [f"o{i}" for i in range(501)]}
    assert "501 offers in one collection" in g.body_warnings("collections", fixed)[0].message


def test_validation_carries_the_body_limits_as_warnings_not_errors():
    report = validate_object(kind("collections"), {"name": "Big", "filterType": "any-tags",
                                                   "ids": [f"t{i}" for i in range(21)]})
    assert report.ok and "21 tags on one collection" in str(report.warnings[0])


def test_tagging_warns_for_offers_at_twenty_tags_and_collections_past_500():
    offers = [{"name": "Full", "tags": [f"t{i}" for i in range(20)]}, {"name": "Light", "tags": []}]
    collection = {"name": "Summer", "filterType": "any-tags", "ids": ["summer"], "_selects": 499}
    found = g.tagging_warnings(offers, "summer", [collection])
    texts = [w.message for w in found]
    assert any("tags on 1 offer(s)" in t and "'Full'" in t for t in texts)
    assert any("501 offers selected by collection 'Summer'" in t for t in texts)
    assert g.tagging_warnings([{"name": "x", "tags": ["summer"]}], "summer", [collection]) == []


@pytest.mark.parametrize("word, body, expected", [
    ("decisions", {"name": "x"}, []),
    ("decisions", {"name": " "}, ["name"]),
    ("decisions", {"name": "x", "status": "approved"}, ["status"]),
    ("collections", {"name": "x", "filterType": "some-tags", "ids": []}, ["filterType"]),
    ("collections", {"name": "x", "filterType": "any-tags"}, ["ids"]),
    ("tags", {"description": "no name"}, ["name"]),
    ("placements", {"name": "x", "channel": "web"}, ["channel"]),
    ("decisions", {"name": "x", "criteria": [{"rank": {"order": {"orderEvaluationType": "ranking-strategy"}}}]},
     ["criteria[0].rank.order.rankingStrategy"]),
])
def test_basic_shape_of_each_kind(word, body, expected):
    assert [i.path for i in validate_object(kind(word), body).errors] == expected


async def test_the_service_counts_with_one_small_page_and_warns_past_a_limit(monkeypatch):
    from offer_tui.service import objects

    server = DemoServer(page_size=5, seed_offers=DEMO_OFFERS).start()
    try:
        async with OfferClient.from_settings(demo_settings(server)) as client:
            assert await objects.count(client, "placements") == 12
            assert await objects.count(client, "offers") == DEMO_OFFERS  # personalized + fallback
            assert await objects.count(client, "live decisions") == 2
            assert await objects.guardrails(client, "placements", {"name": "p"}) == []
            monkeypatch.setitem(g.SANDBOX_LIMITS, "placements", 12)
            monkeypatch.setattr(g, "LIVE_DECISIONS", 2)
            [warning] = await objects.guardrails(client, "placements", {"name": "p"})
            assert "13 placements in the sandbox" in warning.message and "12" in warning.message
            found = await objects.guardrails(client, "decisions", {"name": "d", "status": "live"})
            assert [w.limit_name for w in found] == ["live decisions in the sandbox"]
            assert await objects.guardrails(client, "decisions", {"name": "d", "status": "draft"}) == []
            bulk = await objects.guardrails(client, "offers", None, adding=10_000)
            assert "10,030 offers in the sandbox" in bulk[0].message
    finally:
        server.stop()


async def test_tagging_guardrails_count_what_a_collection_would_select(monkeypatch):
    from offer_tui.service import objects

    server = DemoServer(page_size=5, seed_offers=DEMO_OFFERS).start()
    try:
        loyalty = next(i for i, e in server.state.objects["tags"].items() if e["body"]["name"] == "Loyalty")
        untagged = [o["id"] for o in server.state.list_offers("personalized") if loyalty not in (o.get("tags") or [])]
        async with OfferClient.from_settings(demo_settings(server)) as client:
            assert await objects.tagging_guardrails(client, untagged[:2], loyalty) == []
            monkeypatch.setattr(g, "OFFERS_PER_COLLECTION", 5)  # "Loyalty rewards" selects 4 today
            [warning] = await objects.tagging_guardrails(client, untagged[:2], loyalty)
            assert "6 offers selected by collection 'Loyalty rewards'" in warning.message
    finally:
        server.stop()
