"""References: extracted from the kinds' paths (pure), checked against a sandbox and "used by"
(over loopback against the demo), with one listing per kind, never one GET per id."""

from __future__ import annotations

import pytest
from test_client_demo import Sleeps

from offer_tui.api import OfferClient
from offer_tui.api.library import Library
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.seed import DEMO_OFFERS
from offer_tui.model.references import Problem, Reference, extract, missing, referrers, used_by
from offer_tui.service import references as service

pytestmark = pytest.mark.timeout(90)

DECISION = {
    "name": "d", "fallback": "F1",
    "criteria": [
        {"placements": ["P1", "P2"], "optionSelection": {"filter": "C1"},
         "profileConstraint": {"profileConstraintType": "eligibilityRule", "eligibilityRule": "R1"},
         "rank": {"order": {"orderEvaluationType": "ranking-strategy", "rankingStrategy": "RS1"}}},
        {"placements": ["P3", ""], "optionSelection": {"filter": "C2"}, "profileConstraint": {"profileConstraintType": "none"}},
    ],
}


# -- pure --------------------------------------------------------------------------------

def test_a_decision_names_placements_collections_rule_and_fallback_by_path():
    assert extract("decisions", DECISION) == [
        Reference("criteria[0].placements[0]", "placements", "P1"),
        Reference("criteria[0].placements[1]", "placements", "P2"),
        Reference("criteria[1].placements[0]", "placements", "P3"),  # "" is no reference
        Reference("criteria[0].optionSelection.filter", "collections", "C1"),
        Reference("criteria[1].optionSelection.filter", "collections", "C2"),
        Reference("criteria[0].profileConstraint.eligibilityRule", "rules", "R1"),
        Reference("fallback", "fallbacks", "F1"),
    ]  # the ranking formula is not a kind: shown, never checked


@pytest.mark.parametrize("filter_type, target", [("any-tags", "tags"), ("all-tags", "tags"), ("offers", "offers")])
def test_a_collections_ids_point_at_tags_or_offers_by_filter_type(filter_type, target):
    assert extract("collections", {"filterType": filter_type, "ids": ["a", "b"]}) == [
        Reference("ids[0]", target, "a"), Reference("ids[1]", target, "b")]


def test_odd_bodies_give_no_references_instead_of_failing():
    assert extract("collections", {"filterType": "someday", "ids": ["a"]}) == []
    assert extract("decisions", {"criteria": "not a list", "fallback": 7}) == []
    assert extract("decisions", ["not", "an", "object"]) == []
    assert extract("offers", {"representations": [None, {"placement": "P"}], "tags": ["T", 3],
                              "selectionConstraint": {"eligibilityRule": "R"}}) == [
        Reference("representations[1].placement", "placements", "P"),
        Reference("selectionConstraint.eligibilityRule", "rules", "R"),
        Reference("tags[0]", "tags", "T")]
    assert extract("fallbacks", {"selectionConstraint": {"eligibilityRule": "R"}}) == []  # no rule on a fallback


def test_missing_names_path_and_id_and_judges_only_listed_kinds():
    problems = missing(extract("decisions", DECISION), {"placements": {"P1", "P3"}, "fallbacks": set()})
    assert problems == [Problem("criteria[0].placements[1]", "placements", "P2"), Problem("fallback", "fallbacks", "F1")]
    assert str(problems[0]) == "criteria[0].placements[1]: Placement 'P2' does not exist in this sandbox"
    assert problems[1].message == "Fallback offer 'F1' does not exist in this sandbox"


def test_referrers_are_the_kinds_that_can_name_a_kind():
    words = lambda kind: {k.word for k in referrers(kind)}  # noqa: E731
    assert words("tags") == {"offers", "collections"}
    assert words("offers") == {"collections"}
    assert words("fallbacks") == {"decisions"}
    assert words("placements") == {"offers", "fallbacks", "decisions"}
    assert words("rules") == {"offers", "decisions"}
    assert words("decisions") == set()
    assert words(None) == {"offers", "fallbacks", "decisions", "collections"}


def test_used_by_finds_every_object_naming_the_id_with_its_paths():
    listings = {"decisions": [DECISION | {"id": "D1"}, {"id": "D2", "name": "other", "fallback": "F2"}],
                "collections": [{"id": "C9", "name": "fixed", "filterType": "offers", "ids": ["F1"]}]}
    users = used_by("F1", listings)
    assert [(u.kind, u.id, u.name, u.paths) for u in users] == [
        ("decisions", "D1", "d", ("fallback",)), ("collections", "C9", "fixed", ("ids[0]",))]
    assert [u.kind for u in used_by("F1", listings, "fallbacks")] == ["decisions"]  # a fallback in no fixed list
    assert used_by("P2", listings)[0].paths == ("criteria[0].placements[1]",)


# -- against the demo --------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeded():
    server = DemoServer(page_size=5, seed_offers=DEMO_OFFERS).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def client(seeded):
    async with OfferClient.from_settings(demo_settings(seeded), sleep=Sleeps()) as c:
        yield c


def lists(server, since: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in server.received[since:]:
        if r["method"] == "GET":
            key = r["rel"] + (f"?{r['query']['offer-type']}" if "offer-type" in r["query"] else "")
            counts[key] = counts.get(key, 0) + 1
    return counts


async def test_the_seeded_library_passes_the_check(seeded, client):
    library = Library(client)
    for word in ("decisions", "collections", "offers", "fallbacks"):
        for item in await library.list_all(word):
            assert await service.check_references(library, word, item) == [], item["name"]


async def test_a_check_reads_each_referenced_kind_once_whatever_the_number_of_ids(seeded, client):
    decision = (await Library(client).find_by_name("decisions", "Loyalty rewards everywhere"))[0]
    placements = decision["criteria"][0]["placements"]
    broken = decision | {"fallback": "dps:fallback-offer:gone",
                         "criteria": [decision["criteria"][0] | {"placements": placements + ["dps:offer-placement:gone"]}]}
    since = len(seeded.received)
    problems = await service.check_references(client, "decisions", broken)
    assert [(p.path, p.id) for p in problems] == [("criteria[0].placements[2]", "dps:offer-placement:gone"),
                                                  ("fallback", "dps:fallback-offer:gone")]
    assert lists(seeded, since) == {"/placements": 1, "/offer-collections": 1, "/offer-rules": 1, "/offers?fallback": 1}
    since = len(seeded.received)
    assert await service.check_references(client, "tags", {"name": "nothing to check"}) == []
    assert lists(seeded, since) == {}


async def test_used_by_a_tag_lists_offers_and_collections_once_each(seeded, client):
    clearance = (await Library(client).find_by_name("tags", "Clearance"))[0]["id"]
    since = len(seeded.received)
    users = await service.used_by(client, clearance)
    assert {(u.kind, u.name) for u in users} == {
        ("offers", "Winter sale 20% (web)"), ("offers", "Winter sale 20% (email)"), ("offers", "Back to school 25% (web)"),
        ("collections", "Winter campaign"), ("collections", "Clearance for subscribers")}
    assert lists(seeded, since) == {"/offers?personalized": 1, "/offer-collections": 1}


async def test_used_by_a_placement_a_fallback_and_an_unused_tag(seeded, client):
    library = Library(client)
    banner = (await library.find_by_name("placements", "Homepage hero banner"))[0]["id"]
    users = await service.used_by(library, banner)
    kinds = {u.kind for u in users}
    assert kinds == {"offers", "fallbacks", "decisions"}
    assert ("decisions", "Winter campaign: web and email") in {(u.kind, u.name) for u in users}
    fallback = (await library.find_by_name("fallbacks", "Default app card"))[0]["id"]
    assert [(u.kind, u.name, u.paths) for u in await service.used_by(library, fallback)] == [
        ("decisions", "App home launch", ("fallback",))]
    unused = (await library.find_by_name("tags", "New customers"))[0]["id"]
    assert [u.kind for u in await service.used_by(library, unused)] == ["offers"]  # one offer, no collection
    assert await service.used_by(library, "dps:offer-tag:nobody") == []


async def test_used_by_at_scale_reads_pages_of_a_thousand():
    server = DemoServer(page_size=50, seed_offers=3000).start()
    try:
        async with OfferClient.from_settings(demo_settings(server), sleep=Sleeps()) as client:
            tag = (await Library(client).find_by_name("tags", "Summer sale"))[0]["id"]
            since = len(server.received)
            users = await service.used_by(client, tag, "tags")
            expected = sum(1 for e in server.offers.values() if tag in e["body"].get("tags", []))
            assert len(users) == expected > 100
            assert lists(server, since) == {"/offers?personalized": 3, "/offer-collections": 1}
    finally:
        server.stop()


def test_a_collection_selects_by_any_tag_all_tags_or_its_fixed_list():
    from offer_tui.model.references import selects

    offers = [{"id": "o1", "tags": ["a"]}, {"id": "o2", "tags": ["a", "b"]}, {"id": "o3"}, {"id": "o4", "tags": "a"}]
    ids = lambda c: [o["id"] for o in selects(c, offers)]  # noqa: E731
    assert ids({"filterType": "any-tags", "ids": ["a", "b"]}) == ["o1", "o2"]
    assert ids({"filterType": "all-tags", "ids": ["a", "b"]}) == ["o2"]
    assert ids({"filterType": "offers", "ids": ["o3", "o1", "gone"]}) == ["o1", "o3"]  # in the offers' order
    assert ids({"filterType": "all-tags", "ids": []}) == []  # no tags: nothing, not everything
    assert ids({"filterType": "some-tags", "ids": ["a"]}) == [] and ids("junk") == []


async def test_the_seeded_collections_select_what_their_names_promise(seeded, client):
    from offer_tui.model.references import selects

    library = Library(client)
    offers = await library.list_all("offers")
    chosen = {c["name"]: {o["name"] for o in selects(c, offers)} for c in await library.list_all("collections")}
    assert chosen["Clearance for subscribers"] == {"Winter sale 20% (email)"}
    assert chosen["App launch picks"] == {"Winter sale 20% (app)", "App-only flash deal", "Push: weekend bundle"}
    assert {"Gold members: double points", "Platinum lounge invitation"} <= chosen["Loyalty rewards"]
    assert "Winter sale 20% (web)" in chosen["Winter campaign"]
