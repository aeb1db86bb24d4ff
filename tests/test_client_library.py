"""List pages, get, PATCH and DELETE against the demo API over loopback."""

from __future__ import annotations

import pytest

from offer_tui.api import ApiError, OfferClient
from offer_tui.api.client import name_contains, regex_escape
from offer_tui.demo import DemoServer, demo_settings
from test_client_demo import Sleeps, offer, requests_to

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def demo():
    server = DemoServer(page_size=5).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def client(demo):
    async with OfferClient.from_settings(demo_settings(demo), sleep=Sleeps(), backoff_base=0.01) as c:
        yield c


async def _create(client, names):
    ids = []
    for name in names:
        ids.append((await client.create_offer(offer(name))).offer_id)
    return ids


async def test_pages_are_fetched_only_when_asked_and_links_followed_as_given(demo, client):
    await _create(client, [f"Page offer {i}" for i in range(7)])
    before = len(requests_to(demo, "GET", "/offers"))
    first = await client.list_offers_page(properties=[name_contains("page offer")], limit=3)
    assert len(first.results) == 3 and first.total == 7 and first.next_href
    assert len(requests_to(demo, "GET", "/offers")) == before + 1  # one page, not the sandbox
    second = await client.list_offers_page(href=first.next_href)
    assert [o["id"] for o in second.results] != [o["id"] for o in first.results]
    # The cursor is the server's own, passed back untouched.
    from urllib.parse import parse_qs, urlsplit

    start = parse_qs(urlsplit(first.next_href).query)["start"][0]
    assert requests_to(demo, "GET", "/offers")[-1]["query"]["start"] == start


async def test_iter_offers_is_lazy_and_stops_at_the_limit(demo, client):
    await _create(client, [f"Lazy {i}" for i in range(12)])
    before = len(requests_to(demo, "GET", "/offers"))
    got = []
    async for item in client.iter_offers(properties=[name_contains("lazy")], limit=4, page_size=3):
        got.append(item)
    assert len(got) == 4
    assert len(requests_to(demo, "GET", "/offers")) == before + 2  # two pages of 3, not four pages


async def test_name_filter_is_case_insensitive_and_literal(client):
    await _create(client, ["Promo (A+B) 50%", "promo a b"])
    found = [o["name"] async for o in client.iter_offers(properties=[name_contains("(a+b)")])]
    assert found == ["Promo (A+B) 50%"]


def test_regex_escape_makes_user_text_literal():
    import re

    for text in ["a.b", "(x)", "50% [off]", "a\\b", "^$|*?{}"]:
        assert re.fullmatch(regex_escape(text), text)
    assert name_contains("Ab").startswith("name~[aA][bB]")


async def test_patch_returns_the_new_etag_and_the_server_holds_the_change(client):
    (offer_id,) = await _create(client, ["To approve"])
    result = await client.patch_offer(offer_id, [{"op": "replace", "path": "/status", "value": "approved"}])
    assert result.etag == 2
    assert (await client.get_offer(offer_id))["status"] == "approved"


async def test_patch_500_is_an_unknown_outcome_and_not_retried(demo, client):
    (offer_id,) = await _create(client, ["Patch fails"])
    demo.fail_next(500, path_prefix="/offers/")
    with pytest.raises(ApiError) as info:
        await client.patch_offer(offer_id, [{"op": "replace", "path": "/name", "value": "x"}])
    assert info.value.outcome_unknown and f"offer-tui get {offer_id}" in info.value.hint
    assert len(requests_to(demo, "PATCH", "/offers/")) == 1


async def test_delete_then_get_is_404(client):
    (offer_id,) = await _create(client, ["To delete"])
    result = await client.delete_offer(offer_id)
    assert result.status == 200
    with pytest.raises(ApiError) as info:
        await client.get_offer(offer_id)
    assert info.value.status == 404


async def test_delete_of_a_missing_offer_is_refused(client):
    with pytest.raises(ApiError) as info:
        await client.delete_offer("dps:personalized-offer:nope")
    assert info.value.status == 404 and not info.value.outcome_unknown


async def test_a_dropped_delete_is_unknown(demo, client):
    (offer_id,) = await _create(client, ["Drop delete"])
    demo.drop_connection_next(path_prefix="/offers/")
    with pytest.raises(ApiError) as info:
        await client.delete_offer(offer_id)
    assert info.value.outcome_unknown
    assert len(requests_to(demo, "DELETE", "/offers/")) == 1


async def test_a_repeated_next_link_is_an_error(demo, client):
    page = {"results": [{"id": "o"}], "total": 2, "_links": {"next": {"href": "/offers?offer-type=personalized&limit=1"}}}
    demo.fail_next(200, times=5, body=page, path_prefix="/offers")
    with pytest.raises(ApiError) as info:
        _ = [o async for o in client.iter_offers(limit=None)]
    assert info.value.code == "repeated_page"
