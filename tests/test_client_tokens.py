"""IMS client-credentials tokens and the token providers (demo IMS over loopback, plus MockTransport)."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import parse_qsl

import httpx
import pytest

from offer_tui.api import (
    ApiError,
    ClientCredentialsProvider,
    OfferClient,
    Settings,
    StaticTokenProvider,
    Token,
    TokenProvider,
    fetch_token,
)
from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DemoServer, demo_settings

pytestmark = pytest.mark.timeout(30)

SCOPES = "openid,session,AdobeID,read_organizations,additional_info.projectedProductContext"
CANARY = "CANARY-ims-5e6f-s3cr3t"


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def ims_requests(demo: DemoServer) -> list[dict]:
    return [r for r in demo.received if r["path"].startswith("/ims/")]


async def test_fetch_token_posts_a_form_with_the_secret_only_in_the_body(demo):
    async with httpx.AsyncClient() as http:
        before = time.time()
        token = await fetch_token(http, demo.ims_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SCOPES)
    assert isinstance(token, Token)
    assert before + 86399 - 5 <= token.expires_at <= time.time() + 86399
    assert token.access_token not in repr(token)
    (req,) = ims_requests(demo)
    assert req["method"] == "POST"
    assert req["query"] == {}
    assert req["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert req["form"] == {
        "grant_type": "client_credentials",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": "***",  # the demo masks it in its own record
        "scope": SCOPES,
    }
    assert "authorization" not in req["headers"]
    assert demo.token_mints == 1


async def test_fetch_token_accepts_a_scope_list():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(parse_qsl(request.content.decode()))
        assert DEMO_CLIENT_SECRET not in str(request.url)
        return httpx.Response(200, json={"access_token": "tok-123456", "token_type": "bearer", "expires_in": 100})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        token = await fetch_token(http, "https://ims.test/ims/token/v3", "cid", DEMO_CLIENT_SECRET,
                                  ["openid", " AdobeID ", ""], clock=lambda: 50.0)
    assert seen["scope"] == "openid,AdobeID"
    assert seen["client_secret"] == DEMO_CLIENT_SECRET
    assert token == Token("tok-123456", 150.0)


@pytest.mark.parametrize(
    ("client_secret", "scopes", "code", "hint_word"),
    [
        ("wrong-" + CANARY, SCOPES, "invalid_client", "OFFER_TUI_CLIENT_SECRET"),
        (DEMO_CLIENT_SECRET, "openid,not_a_scope", "invalid_scope", "Scopes tab"),
    ],
)
async def test_ims_rejections_name_what_to_check(demo, client_secret, scopes, code, hint_word):
    async with httpx.AsyncClient() as http:
        with pytest.raises(ApiError) as info:
            await fetch_token(http, demo.ims_url, DEMO_CLIENT_ID, client_secret, scopes)
    assert info.value.code == code
    assert hint_word in info.value.hint
    assert CANARY not in str(info.value) + repr(info.value) + (info.value.raw or "")


async def test_ims_is_retried_on_503_and_429(demo):
    demo.fail_next(503, path_prefix="/ims/")
    demo.rate_limit_next(retry_after=3, path_prefix="/ims/")
    sleeps = Sleeps()
    async with httpx.AsyncClient() as http:
        token = await fetch_token(http, demo.ims_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SCOPES,
                                  sleep=sleeps, backoff_base=0.01)
    assert token.access_token
    assert len(ims_requests(demo)) == 3
    assert len(sleeps.delays) == 2 and sleeps.delays[1] == 3.0


async def test_ims_gives_up_after_three_retries(demo):
    demo.fail_next(502, times=10, path_prefix="/ims/")
    sleeps = Sleeps()
    async with httpx.AsyncClient() as http:
        with pytest.raises(ApiError) as info:
            await fetch_token(http, demo.ims_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SCOPES, sleep=sleeps)
    assert info.value.status == 502
    assert len(ims_requests(demo)) == 4


async def test_ims_echoing_the_secret_or_token_is_scrubbed():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400,
            text=f'{{"error": "invalid_request", "error_description": "got {request.content.decode()}"}}',
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(ApiError) as info:
            await fetch_token(http, "https://ims.test/t", "cid", "sec+/" + CANARY, SCOPES)
    error = info.value
    for text in (str(error), repr(error), error.raw, error.message):
        assert CANARY not in text


async def test_ims_success_without_token_is_an_error():
    transport = httpx.MockTransport(lambda r: httpx.Response(200, text="<html>login page</html>"))
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(ApiError) as info:
            await fetch_token(http, "https://ims.test/t", "cid", "secret", SCOPES)
    assert info.value.code == "no_access_token"
    assert "OFFER_TUI_IMS_URL" in info.value.hint


async def test_ims_unreachable(demo):
    url = demo.ims_url
    demo.stop()
    async with httpx.AsyncClient() as http:
        with pytest.raises(ApiError) as info:
            await fetch_token(http, url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SCOPES, sleep=Sleeps())
    assert "could not connect" in info.value.message
    assert "demo server running" in info.value.hint


# --- providers -----------------------------------------------------------------


async def test_provider_caches_until_ten_minutes_remain(demo):
    clock = Clock(time.time())
    provider = ClientCredentialsProvider(demo_settings(demo), clock=clock)
    assert isinstance(provider, TokenProvider)
    first = await provider()
    assert await provider() == first
    clock.now += 86399 - 601  # 10 min + 1 s left: still reused
    assert await provider() == first
    assert demo.token_mints == 1
    clock.now += 2  # 9 min 59 s left: renewed
    second = await provider()
    assert second != first
    assert demo.token_mints == 2
    assert provider.mints == 2


async def test_force_refresh_mints_a_new_token(demo):
    provider = ClientCredentialsProvider(demo_settings(demo))
    first = await provider()
    assert await provider(force_refresh=True) != first
    assert demo.token_mints == 2


async def test_single_flight_mint(demo):
    demo.latency = 0.05
    provider = ClientCredentialsProvider(demo_settings(demo))
    tokens = await asyncio.gather(*(provider() for _ in range(5)))
    assert len(set(tokens)) == 1
    assert demo.token_mints == 1
    forced = await asyncio.gather(*(provider(force_refresh=True) for _ in range(5)))
    assert len(set(forced)) == 1 and forced[0] != tokens[0]
    assert demo.token_mints == 2


async def test_failed_mint_is_not_cached(demo):
    provider = ClientCredentialsProvider(demo_settings(demo), sleep=Sleeps())
    demo.fail_next(400, body={"error": "invalid_client", "error_description": "nope"}, path_prefix="/ims/")
    with pytest.raises(ApiError):
        await provider()
    assert await provider()
    assert demo.token_mints == 1


async def test_provider_without_credentials():
    with pytest.raises(ApiError) as info:
        await ClientCredentialsProvider(Settings())()
    assert info.value.code == "no_credentials"


async def test_static_provider():
    provider = StaticTokenProvider(CANARY)
    assert isinstance(provider, TokenProvider)
    assert await provider() == CANARY
    assert await provider(force_refresh=True) == CANARY
    assert CANARY not in repr(provider)


def test_from_settings_without_any_credentials_says_what_to_set():
    with pytest.raises(ApiError) as info:
        OfferClient.from_settings(Settings(client_id="cid"))
    assert "OFFER_TUI_ACCESS_TOKEN" in info.value.hint


async def test_from_settings_prefers_the_access_token(demo):
    settings = demo_settings(demo, with_token=True)
    async with OfferClient.from_settings(settings) as client:
        assert len(await client.list_rules()) == 8
    assert demo.token_mints == 0
    assert "CANARY" not in repr(client)


async def test_provider_repr_hides_the_secret(demo):
    settings = Settings(**{**demo_settings(demo).__dict__, "client_secret": CANARY})
    provider = ClientCredentialsProvider(settings)
    assert CANARY not in repr(provider)


def test_provider_survives_successive_event_loops(demo):
    provider = ClientCredentialsProvider(demo_settings(demo))
    first = asyncio.run(provider())
    assert asyncio.run(provider(force_refresh=True)) != first
    assert demo.token_mints == 2
