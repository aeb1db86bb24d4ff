"""OfferClient against the demo server over real loopback HTTP.

Every test starts its own DemoServer on 127.0.0.1 with a free port and stops it
afterwards; sleeps between retries are recorded instead of waited out.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from urllib.parse import unquote

import httpx
import pytest

from offer_tui import __version__
from offer_tui.api import ApiError, OfferClient, Settings, StaticTokenProvider
from offer_tui.demo import DEMO_CLIENT_ID, DEMO_IMS_ORG, DEMO_SANDBOX, DemoServer, demo_settings

pytestmark = pytest.mark.timeout(30)

WEB_HTML_PLACEMENT = "dps:offer-placement:1a2b3c4d5e6f7081"
OFFER = {
    "name": "Summer sale 10%",
    "description": "Kept exactly as typed",
    "status": "draft",
    "representations": [
        {
            "channel": "https://ns.adobe.com/xdm/channel-types/web",
            "placement": WEB_HTML_PLACEMENT,
            "components": [
                {"type": "html", "format": "text/html", "language": ["en-us"], "content": "<p>Hi – 10%</p>"}
            ],
        }
    ],
    "selectionConstraint": {
        "startDate": "2025-01-01T00:00:00.000+00:00",
        "endDate": "2026-01-01T00:00:00.000+00:00",
        "profileConstraintType": "none",
    },
    "rank": {"priority": 0},
    "unknownFieldKept": {"x": 1},
}


def offer(name: str = OFFER["name"]) -> dict:
    doc = copy.deepcopy(OFFER)
    doc["name"] = name
    return doc


class Sleeps:
    """An injectable sleep that records the delays and does not wait."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


@pytest.fixture
def demo():
    server = DemoServer(page_size=5).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def client(demo, sleeps):
    async with OfferClient.from_settings(demo_settings(demo), sleep=sleeps, backoff_base=0.01) as c:
        yield c


def requests_to(demo: DemoServer, method: str, rel_prefix: str) -> list[dict]:
    return [r for r in demo.received if r["method"] == method and r["rel"].startswith(rel_prefix)]


# --- the happy paths ---------------------------------------------------------


async def test_create_offer_sends_the_document_and_returns_the_receipt(demo, client):
    result = await client.create_offer(offer())
    assert result.status == 201
    assert result.receipt["id"] == result.offer_id
    assert result.receipt["etag"] == 1
    assert result.elapsed >= 0
    assert result.raw.strip().startswith("{")
    assert result.offer_id in demo.offers
    (post,) = requests_to(demo, "POST", "/offers")
    assert post["query"] == {"offer-type": "personalized"}
    assert post["json"] == OFFER
    headers = post["headers"]
    assert headers["authorization"].startswith("Bearer ")
    assert headers["x-api-key"] == DEMO_CLIENT_ID
    assert headers["x-gw-ims-org-id"] == DEMO_IMS_ORG
    assert headers["x-sandbox-name"] == DEMO_SANDBOX
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == f"offer-tui/{__version__}"


async def test_create_fallback_offer_uses_the_fallback_type(demo, client):
    doc = offer("Fallback")
    result = await client.create_offer(doc, offer_type="fallback")
    assert demo.offers[result.offer_id]["offer_type"] == "fallback"
    assert requests_to(demo, "POST", "/offers")[0]["query"]["offer-type"] == "fallback"


async def test_unknown_offer_type_is_refused_before_sending(demo, client):
    with pytest.raises(ValueError):
        await client.create_offer(offer(), offer_type="PERSONALIZED ")
    assert requests_to(demo, "POST", "/offers") == []


async def test_get_offer_percent_encodes_the_id(demo, client):
    created = await client.create_offer(offer())
    got = await client.get_offer(created.offer_id)
    assert got["id"] == created.offer_id
    assert got["name"] == OFFER["name"]
    (get,) = requests_to(demo, "GET", "/offers/")
    assert ":" in created.offer_id
    assert unquote(get["rel"]) == f"/offers/{created.offer_id}"
    assert "%3A" in get["path"]
    assert get["headers"]["accept"] == "application/json"
    assert "content-type" not in get["headers"]
    assert get["headers"]["authorization"].startswith("Bearer ")


async def test_get_missing_offer_is_a_404_with_a_hint(client):
    with pytest.raises(ApiError) as info:
        await client.get_offer("dps:personalized-offer:nope")
    assert info.value.status == 404
    assert "not found" in info.value.message
    assert "check the id" in info.value.hint


async def test_find_offers_by_name_follows_pages_and_encodes_the_name(demo, client):
    name = "Sale & more 50% off"
    for _ in range(7):
        await client.create_offer(offer(name))
    await client.create_offer(offer("Something else"))
    demo.page_size = 2
    found = await client.find_offers_by_name(name)
    assert len(found) == 7
    assert {o["name"] for o in found} == {name}
    gets = requests_to(demo, "GET", "/offers")
    assert len(gets) == 4  # 2 + 2 + 2 + 1
    assert gets[0]["query"]["property"] == f"name=={name}"


async def test_find_offers_by_name_returns_empty_when_absent(client):
    assert await client.find_offers_by_name("No such offer") == []


async def test_list_placements_follows_next_links_across_pages(demo, client):
    placements = await client.list_placements()
    assert len(placements) == 12
    assert len({p["id"] for p in placements}) == 12
    gets = requests_to(demo, "GET", "/placements")
    assert len(gets) == 3
    assert "start" not in gets[0]["query"] and "start" in gets[1]["query"]


async def test_list_placements_filters_by_channel_short_name_or_uri(client):
    email = await client.list_placements("email")
    assert len(email) == 3
    assert email == await client.list_placements("https://ns.adobe.com/xdm/channel-types/email")
    assert await client.list_placements("direct-mail") == []


async def test_list_rules(demo, client):
    rules = await client.list_rules()
    assert len(rules) == 8
    assert all(r["condition"]["type"] == "PQL" for r in rules)
    assert len(requests_to(demo, "GET", "/offer-rules")) == 2


async def test_paging_is_bounded(demo, sleeps):
    # A list that does not end within the bound fails clearly instead of printing a partial list.
    async with OfferClient.from_settings(demo_settings(demo), sleep=sleeps, max_pages=2) as c:
        with pytest.raises(ApiError) as info:
            await c.list_placements()
    assert info.value.code == "too_many_pages"
    assert len(requests_to(demo, "GET", "/placements")) == 2


async def test_paging_stops_on_a_repeating_next_link(demo, client):
    page = {"results": [{"id": "p"}], "count": 1, "total": 1, "_links": {"next": {"href": "/placements?limit=1"}}}
    demo.fail_next(200, times=5, body=page, path_prefix="/placements")
    with pytest.raises(ApiError) as info:
        await client.list_placements()
    assert info.value.code == "repeated_page"  # an error, not duplicates with success
    assert len(requests_to(demo, "GET", "/placements")) == 2


async def test_paging_refuses_a_next_link_to_another_host(demo, client):
    page = {"results": [], "_links": {"next": {"href": "http://example.invalid/data/core/dps/placements"}}}
    demo.fail_next(200, body=page, path_prefix="/placements")
    with pytest.raises(ApiError) as info:
        await client.list_placements()
    assert info.value.code == "bad_next_link"


async def test_paging_accepts_an_href_that_already_holds_the_base_path(demo, client):
    first = {"results": [{"id": "a"}], "_links": {"next": {"href": "/data/core/dps/offer-rules?limit=5&start=x"}}}
    demo.fail_next(200, body=first, path_prefix="/offer-rules")
    # The second request is a real one; the demo cursor "x" is invalid, so expect its 400.
    with pytest.raises(ApiError) as info:
        await client.list_rules()
    assert info.value.status == 400
    second = requests_to(demo, "GET", "/offer-rules")[1]
    assert second["path"] == "/data/core/dps/offer-rules"


# --- error shapes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "code", "message", "hint_word"),
    [
        (403, {"error_code": "403010", "message": "Oauth token is missing."}, "403010", "Oauth token is missing.",
         "OFFER_TUI_ACCESS_TOKEN"),
        (403, {"error_code": "403000", "message": "Api Key is required"}, "403000", "Api Key is required",
         "x-api-key"),
        (403, {"error_code": "403003", "message": "Api Key is invalid"}, "403003", "Api Key is invalid",
         "OFFER_TUI_CLIENT_ID"),
        (400, {"error_code": "400003", "message": "Missing header"}, "400003", "Missing header", "OFFER_TUI_IMS_ORG"),
        (403, {"error_code": "403025", "message": "Profile is not valid"}, "403025", "Profile is not valid",
         "OFFER_TUI_SANDBOX"),
        (400, {"type": "https://ns.adobe.com/aep/errors/DPS-4000-400", "status": 400, "title": "BadRequestError",
               "detail": "A valid content-type must be specified"}, "BadRequestError",
         "A valid content-type must be specified", "fields"),
        (400, {"error": "invalid_request", "error_description": "odd"}, "invalid_request", "odd", "fields"),
        (500, "<html><body><h1>Internal error</h1></body></html>", None, "HTTP 500 Internal Server Error: Internal error",
         "trouble"),
        (500, "", None, "HTTP 500 Internal Server Error with an empty body", "trouble"),
        (418, "I'm a teapot, not JSON", None, "HTTP 418", None),
    ],
)
async def test_every_error_shape_becomes_an_api_error(demo, client, status, body, code, message, hint_word):
    demo.fail_next(status, body=body, path_prefix="/offer-rules")
    with pytest.raises(ApiError) as info:
        await client.list_rules()
    error = info.value
    assert error.status == status
    assert error.code == code
    assert error.message.startswith(message)
    if hint_word:
        assert hint_word in error.hint
    if body:
        assert error.raw
    assert "\n" not in str(error)


async def test_real_header_problems_map_to_hints(demo, sleeps):
    good = demo_settings(demo)
    cases = [
        (Settings(**{**good.__dict__, "client_id": "wrong"}), None, "403003"),
        (Settings(**{**good.__dict__, "ims_org": None}), None, "400003"),
        (Settings(**{**good.__dict__, "sandbox": "other-sandbox"}), None, "403025"),
    ]
    for settings, _, code in cases:
        # A token minted with the right credentials, sent with the wrong headers.
        provider = StaticTokenProvider(demo.issue_token())
        async with OfferClient.from_settings(settings, token_provider=provider, sleep=sleeps) as c:
            with pytest.raises(ApiError) as info:
                await c.list_rules()
        assert info.value.code == code, settings.describe()
        assert info.value.hint


async def test_service_validation_errors_carry_field_paths(client):
    doc = offer()
    doc["representations"][0]["placement"] = "dps:offer-placement:does-not-exist"
    with pytest.raises(ApiError) as info:
        await client.create_offer(doc)
    error = info.value
    assert error.status == 400
    assert not error.outcome_unknown
    assert ("representations[0].placement", error.field_errors[0][1]) == error.field_errors[0]
    assert "does not exist" in error.field_errors[0][1]


# --- retries -----------------------------------------------------------------


async def test_get_is_retried_through_503s_then_succeeds(demo, client, sleeps):
    demo.fail_next(503, times=2, path_prefix="/offer-rules")
    assert len(await client.list_rules()) == 8
    assert len(requests_to(demo, "GET", "/offer-rules")) == 4  # 2 failures, then 2 pages
    assert len(sleeps.delays) == 2
    assert sleeps.delays[1] > 0


async def test_retries_back_off_exponentially(demo, sleeps):
    demo.fail_next(502, times=3, path_prefix="/offer-rules")
    async with OfferClient.from_settings(demo_settings(demo), sleep=sleeps, backoff_base=1.0) as c:
        await c.list_rules()
    assert len(sleeps.delays) == 3
    for attempt, delay in enumerate(sleeps.delays):
        assert 2**attempt / 2 <= delay <= 2**attempt


async def test_429_retry_after_is_honoured(demo, client, sleeps):
    demo.rate_limit_next(retry_after=2, path_prefix="/offer-rules")
    assert len(await client.list_rules()) == 8
    assert sleeps.delays == [2.0]


async def test_retry_after_is_capped(demo, client, sleeps):
    demo.rate_limit_next(retry_after=3600, path_prefix="/offer-rules")
    await client.list_rules()
    assert sleeps.delays == [30.0]


async def test_get_gives_up_after_three_retries(demo, client, sleeps):
    demo.fail_next(504, times=10, path_prefix="/offer-rules")
    with pytest.raises(ApiError) as info:
        await client.list_rules()
    assert info.value.status == 504
    assert info.value.code == "504000"
    assert "trouble" in info.value.hint
    assert len(requests_to(demo, "GET", "/offer-rules")) == 4
    assert len(sleeps.delays) == 3


async def test_dropped_get_is_retried(demo, client, sleeps):
    demo.drop_connection_next(path_prefix="/offer-rules")
    assert len(await client.list_rules()) == 8
    assert len(sleeps.delays) == 1


async def test_post_is_never_retried_on_503(demo, client, sleeps):
    demo.fail_next(503, times=3, path_prefix="/offers")
    with pytest.raises(ApiError) as info:
        await client.create_offer(offer())
    error = info.value
    assert len(requests_to(demo, "POST", "/offers")) == 1
    assert sleeps.delays == []
    assert error.status == 503
    assert error.outcome_unknown
    assert "outcome is unknown" in error.message
    assert "offer-tui find --name 'Summer sale 10%'" in error.hint


async def test_dropped_post_has_an_unknown_outcome_and_is_not_retried(demo, client, sleeps):
    demo.drop_connection_next(path_prefix="/offers")
    with pytest.raises(ApiError) as info:
        await client.create_offer(offer())
    error = info.value
    assert error.outcome_unknown
    assert error.status is None
    assert "outcome is unknown" in str(error)
    assert "find --name" in error.hint
    assert len(requests_to(demo, "POST", "/offers")) == 1
    assert sleeps.delays == []
    # The demo stored it before dropping: the hint's advice finds exactly that one.
    found = await client.find_offers_by_name(OFFER["name"])
    assert len(found) == 1 and len(demo.offers) == 1


async def test_post_500_is_an_unknown_outcome_not_retried(demo, client, sleeps):
    # A JSON 500 does not prove nothing was stored: the server failed after receiving it.
    demo.fail_next(500, path_prefix="/offers")
    with pytest.raises(ApiError) as info:
        await client.create_offer(offer())
    assert info.value.status == 500
    assert info.value.outcome_unknown
    assert "find --name" in info.value.hint
    assert len(requests_to(demo, "POST", "/offers")) == 1


async def test_post_429_is_not_retried_and_says_nothing_was_created(demo, client, sleeps):
    demo.rate_limit_next(retry_after=7, path_prefix="/offers")
    with pytest.raises(ApiError) as info:
        await client.create_offer(offer())
    assert info.value.status == 429
    assert not info.value.outcome_unknown
    assert "nothing was created" in info.value.hint and "7 s" in info.value.hint
    assert len(requests_to(demo, "POST", "/offers")) == 1
    assert sleeps.delays == []


async def test_post_timeout_has_an_unknown_outcome(demo, sleeps):
    settings = demo_settings(demo, with_token=True)
    async with OfferClient.from_settings(settings, sleep=sleeps, timeout=httpx.Timeout(0.3)) as c:
        demo.latency = 2.0
        with pytest.raises(ApiError) as info:
            await c.create_offer(offer())
    assert info.value.outcome_unknown
    assert info.value.code == "ReadTimeout"
    assert len(requests_to(demo, "POST", "/offers")) == 1
    assert sleeps.delays == []


async def test_get_timeout_is_retried_then_reported(demo, sleeps):
    settings = demo_settings(demo, with_token=True)
    async with OfferClient.from_settings(settings, sleep=sleeps, timeout=0.2, max_retries=1) as c:
        demo.latency = 1.0
        with pytest.raises(ApiError) as info:
            await c.list_rules()
    assert "timed out" in info.value.message
    assert len(requests_to(demo, "GET", "/offer-rules")) == 2


async def test_connection_refused(sleeps):
    server = DemoServer().start()
    settings = demo_settings(server, with_token=True)
    server.stop()  # nothing listens on that port now
    async with OfferClient.from_settings(settings, sleep=sleeps) as c:
        with pytest.raises(ApiError) as info:
            await c.list_rules()
        assert len(sleeps.delays) == 3
        assert "demo server running" in info.value.hint
        assert "OFFER_TUI_ENDPOINT" in info.value.hint
        sleeps.delays.clear()
        with pytest.raises(ApiError) as info:
            await c.create_offer(offer())
    assert not info.value.outcome_unknown  # nothing was sent
    assert "nothing was sent" in info.value.message
    assert sleeps.delays == []


# --- tokens ------------------------------------------------------------------


async def test_expired_token_is_refreshed_once_and_the_get_repeated(demo, client):
    await client.list_rules()
    assert demo.token_mints == 1
    demo.expire_tokens()
    before = len(demo.received)
    assert len(await client.list_rules()) == 8
    assert demo.token_mints == 2
    statuses = [r["status"] for r in demo.received[before:] if r["rel"].startswith("/offer-rules")]
    assert statuses == [401, 200, 200]


async def test_post_401_is_repeated_once_with_a_fresh_token(demo, client):
    await client.list_rules()
    demo.expire_tokens()
    result = await client.create_offer(offer())
    assert result.status == 201
    assert [r["status"] for r in requests_to(demo, "POST", "/offers")] == [401, 201]
    assert len(demo.offers) == 1
    assert demo.token_mints == 2


async def test_401_is_retried_only_once(demo, client):
    body = {"error_code": "401013", "message": "Oauth token is not valid"}
    demo.fail_next(401, times=5, body=body, path_prefix="/offers")
    with pytest.raises(ApiError) as info:
        await client.create_offer(offer())
    assert info.value.code == "401013"
    assert "expired" in info.value.hint
    assert len(requests_to(demo, "POST", "/offers")) == 2
    assert demo.token_mints == 2
    assert demo.offers == {}


async def test_static_token_is_not_repeated_after_401(demo, sleeps):
    settings = demo_settings(demo, with_token=True)
    demo.expire_tokens()
    async with OfferClient.from_settings(settings, sleep=sleeps) as c:
        with pytest.raises(ApiError) as info:
            await c.list_rules()
    assert info.value.code == "401013"
    assert len(requests_to(demo, "GET", "/offer-rules")) == 1
    assert demo.token_mints == 0


async def test_concurrent_calls_share_one_token_mint(demo, client):
    demo.latency = 0.05  # keep the mint in flight while the others arrive
    results = await asyncio.gather(*(client.list_rules() for _ in range(5)))
    assert all(len(r) == 8 for r in results)
    assert demo.token_mints == 1


async def test_concurrent_401s_lead_to_one_refresh(demo, client):
    await client.list_rules()
    demo.expire_tokens()
    demo.latency = 0.02
    await asyncio.gather(*(client.list_placements() for _ in range(5)))
    assert demo.token_mints == 2


# --- secrets -----------------------------------------------------------------

CANARY = "CANARY-7c1d-s3cr3t"


async def test_no_secret_or_token_in_errors_or_logs(demo, sleeps, caplog):
    caplog.set_level(logging.DEBUG)
    token = demo.issue_token()
    settings = Settings(**{**demo_settings(demo).__dict__, "client_secret": CANARY, "access_token": token})
    async with OfferClient.from_settings(settings, sleep=sleeps) as c:
        # A server that echoes what it received: the token, the secret, both encoded.
        echo = {"error_code": "500123", "message": f"bad token {token} for secret {CANARY}",
                "errors": [{"path": "/name", "message": f"Bearer {token}"}]}
        demo.fail_next(500, body=echo, path_prefix="/offers")
        with pytest.raises(ApiError) as info:
            await c.create_offer(offer())
        demo.fail_next(400, body=f"<p>Authorization: Bearer {token} client_secret={CANARY}</p>", path_prefix="/offer-rules")
        with pytest.raises(ApiError) as info2:
            await c.list_rules()
    for error in (info.value, info2.value):
        texts = [str(error), repr(error), error.message, error.hint or "", error.raw or "", repr(error.field_errors)]
        for text in texts:
            assert CANARY not in text
            assert token not in text
    assert "[redacted]" in info.value.raw
    for record in caplog.records:
        assert CANARY not in record.getMessage() and token not in record.getMessage()
    assert CANARY not in repr(settings) and token not in repr(settings)
