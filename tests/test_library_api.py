"""api/library.py against the demo API over loopback: every kind listed, iterated, read, found by
name, created, patched and deleted through one client; reads retried, writes sent once."""

from __future__ import annotations

import pytest
from test_client_demo import Sleeps

from offer_tui.api import OfferClient
from offer_tui.api.errors import ApiError
from offer_tui.api.library import Library, as_kind
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.seed import DEMO_OFFERS
from offer_tui.model.kinds import KINDS

pytestmark = pytest.mark.timeout(60)

WEB_BANNER = "dps:offer-placement:1a2b3c4d5e6f7081"
TOTALS = {"offers": 21, "fallbacks": 9, "decisions": 3, "collections": 4, "placements": 12, "rules": 8, "tags": 6}
OFFER = {"name": "Library offer", "status": "draft",
         "representations": [{"channel": "https://ns.adobe.com/xdm/channel-types/web", "placement": WEB_BANNER,
                              "components": [{"type": "html", "format": "text/html", "language": ["en-us"],
                                              "content": "<p>Hi</p>"}]}],
         "selectionConstraint": {"startDate": "2027-01-01T00:00:00.000+00:00",
                                 "endDate": "2027-02-01T00:00:00.000+00:00", "profileConstraintType": "none"},
         "rank": {"priority": 1}}
NEW = {"offers": OFFER, "fallbacks": {k: v for k, v in OFFER.items() if k != "rank"},
       "decisions": {"name": "Library decision", "status": "draft", "criteria": []},
       "collections": {"name": "Library collection", "filterType": "any-tags", "ids": []},
       "placements": {"name": "Library placement", "componentType": "html",
                      "channel": "https://ns.adobe.com/xdm/channel-types/web", "itemCount": 1},
       "rules": {"name": "Library rule", "condition": {"type": "PQL", "format": "pql/text", "value": "true"}},
       "tags": {"name": "Library tag"}}


@pytest.fixture
def server():
    server = DemoServer(page_size=5, seed_offers=DEMO_OFFERS).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def library(server):
    async with OfferClient.from_settings(demo_settings(server), sleep=Sleeps(), backoff_base=0.01) as client:
        yield Library(client)


def gets(server, path: str) -> list[dict]:
    return [r for r in server.received if r["method"] == "GET" and r["rel"].startswith(path)]


@pytest.mark.parametrize("word", [k.word for k in KINDS])
async def test_every_kind_lists_pages_and_totals(server, library, word):
    kind = as_kind(word)
    page = await library.list_page(word, limit=2)
    assert page.total == TOTALS[word] and len(page.results) == 2 and page.next_href
    sent = server.received[-1]
    assert sent["rel"] == kind.path and sent["query"].get("limit") == "2"
    assert sent["query"].get("offer-type") == kind.offer_type  # None for the kinds outside /offers
    assert sent["query"].get("orderby") == ("-modified" if kind.offer_type else None)
    listed = [item["id"] async for item in library.iterate(word, page_size=4)]
    assert len(listed) == len(set(listed)) == TOTALS[word]
    assert all(i.startswith(kind.id_prefixes[0]) for i in listed)


async def test_iterate_follows_next_links_and_stops_at_the_limit(server, library):
    before = len(gets(server, "/placements"))
    names = [p["name"] async for p in library.iterate("placements")]  # server pages of 5
    assert len(names) == 12 and len(gets(server, "/placements")) - before == 3
    assert len([t async for t in library.iterate("tags", limit=4, page_size=2)]) == 4


async def test_list_all_is_one_request_per_kind_and_passes_filters(server, library):
    before = len(gets(server, "/offers"))
    offers = await library.list_all("offers")
    assert len(offers) == 21 and len(gets(server, "/offers")) - before == 1
    live = await library.list_all("decisions", properties=["status==live"])
    assert {d["status"] for d in live} == {"live"} and len(live) == 2
    named = await library.list_page("tags", properties=["name~^(Summer|Mobile)"], orderby="name")
    assert [t["name"] for t in named.results] == ["Mobile only", "Summer sale"]


async def test_get_by_percent_encoded_id_and_find_by_name(server, library):
    decision = (await library.find_by_name("decisions", "Loyalty rewards everywhere"))[0]
    got = await library.get("decisions", decision["id"])
    assert got == decision and server.received[-1]["path"].endswith(decision["id"].replace(":", "%3A"))
    assert await library.find_by_name("tags", "Loyalty") != [] and await library.find_by_name("tags", "Loy") == []
    with pytest.raises(ApiError) as error:
        await library.get("tags", "dps:offer-tag:nope")
    assert error.value.status == 404
    fallback = (await library.find_by_name("fallbacks", "Default app card"))[0]
    assert server.received[-1]["query"]["offer-type"] == "fallback"
    with pytest.raises(ApiError):  # a fallback is not found as a personalized offer
        await library.get("offers", fallback["id"])


@pytest.mark.parametrize("word", [k.word for k in KINDS])
async def test_create_patch_delete_every_kind(server, library, word):
    kind = as_kind(word)
    created = await library.create(word, NEW[word])
    assert created.verdict.done and created.etag == 1 and created.offer_id.startswith(kind.id_prefixes[0])
    assert server.received[-1]["query"].get("offer-type") == kind.offer_type
    patched = await library.patch(word, created.offer_id, [{"op": "replace", "path": "/name", "value": "Renamed"}])
    assert patched.etag == 2 and (await library.get(word, created.offer_id))["name"] == "Renamed"
    deleted = await library.delete(word, created.offer_id)
    assert deleted.status == 200 and deleted.verdict.done
    assert await library.find_by_name(word, "Renamed") == []


async def test_reads_are_retried_like_the_offers_reads(server, library):
    server.fail_next(503, times=2, path_prefix="/offer-decisions")
    page = await library.list_page("decisions")
    assert page.total == 3 and len(gets(server, "/offer-decisions")) == 3
    server.rate_limit_next(times=1, retry_after=0, path_prefix="/tags")
    assert len(await library.list_all("tags")) == 6


async def test_a_write_is_sent_once_and_a_5xx_after_it_is_unknown(server, library):
    server.fail_next(502, path_prefix="/tags", process_first=True, method="POST")
    with pytest.raises(ApiError) as error:
        await library.create("tags", {"name": "Maybe there"})
    assert error.value.outcome_unknown and "offer-tui list tags --name 'Maybe there'" in error.value.hint
    assert len([r for r in server.received if r["method"] == "POST" and r["rel"] == "/tags"]) == 1
    assert len(await library.find_by_name("tags", "Maybe there")) == 1  # it was created after all
    server.drop_connection_next(path_prefix="/offer-rules", method="PATCH")
    rule = (await library.list_page("rules", limit=1)).results[0]
    with pytest.raises(ApiError) as error:
        await library.patch("rules", rule["id"], [{"op": "replace", "path": "/name", "value": "x"}])
    assert error.value.outcome_unknown and f"offer-tui get {rule['id']}" in error.value.hint
    assert len([r for r in server.received if r["method"] == "PATCH"]) == 1


async def test_a_refused_reference_names_its_path(server, library):
    with pytest.raises(ApiError) as error:
        await library.create("collections", {"name": "Bad", "filterType": "all-tags", "ids": ["dps:offer-tag:nope"]})
    assert error.value.status == 400 and not error.value.outcome_unknown
    assert error.value.field_errors[0][0] == "ids[0]" and "dps:offer-tag:nope" in error.value.field_errors[0][1]


def test_an_unknown_kind_word_names_the_kinds():
    with pytest.raises(ValueError) as error:
        as_kind("widgets")
    assert "decisions" in str(error.value) and "tags" in str(error.value)
    assert as_kind("Decision").word == "decisions" and as_kind(as_kind("tag")).word == "tags"


async def test_a_read_past_the_budget_names_the_kind_and_the_way_to_allow_more(server):
    # A pasted token: the budget covers only the read, not a token mint slowed down too.
    async with OfferClient.from_settings(demo_settings(server, with_token=True), sleep=Sleeps(), budget=0.2) as client:
        server.latency = 2
        with pytest.raises(ApiError) as error:
            await Library(client).list_page("decisions")
        assert error.value.code == "timeout" and str(error.value).startswith("Listing decisions: no answer within 0.2 s")
        assert "--timeout" in error.value.hint
