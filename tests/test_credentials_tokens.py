"""KeyringTokenProvider: cache reuse, the 10-minute margin, single flight, pasted tokens, JWT expiry."""

from __future__ import annotations

import asyncio
import base64
import json

import httpx
import pytest
from offer_tui.api.config import Settings
from offer_tui.api.errors import ApiError
from offer_tui.credentials import (
    CachedToken,
    CredentialError,
    KeyringStore,
    KeyringTokenProvider,
    MemoryStore,
    describe_remaining,
    token_expiry,
)

CANARY = "CANARY-5ecret-0000-do-not-leak"
NOW = 1_700_000_000.0


def jwt(payload: dict) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join([b64(b'{"alg":"RS256"}'), b64(json.dumps(payload).encode()), b64(b"signature")])


class FakeIms:
    """An httpx transport that mints numbered tokens and counts the requests."""

    def __init__(self, lifetime: int = 86399, delay: float = 0.0) -> None:
        self.lifetime = lifetime
        self.delay = delay
        self.mints = 0

    async def handler(self, request: httpx.Request) -> httpx.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.mints += 1
        return httpx.Response(200, json={"access_token": f"token-{self.mints}", "expires_in": self.lifetime})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def settings(**kw) -> Settings:
    values = dict(ims_url="https://ims.test/ims/token/v3", client_id="cid", client_secret=CANARY, ims_org="o", sandbox="s")
    values.update(kw)
    return Settings(**values)


def provider(store, ims, clock, **kw):
    return KeyringTokenProvider(settings(**kw), store, "dev", transport=ims.transport(), clock=clock)


async def test_two_calls_mint_once(memory_keyring):
    ims, clock = FakeIms(), Clock()
    p = provider(KeyringStore(memory_keyring), ims, clock)
    assert await p() == "token-1"
    assert await p() == "token-1"
    assert ims.mints == 1 and p.mints == 1
    assert p.persisted is True
    assert p.current.expires_at == NOW + 86399


async def test_next_run_reuses_the_keyring_cache(memory_keyring):
    ims, clock = FakeIms(), Clock()
    await provider(KeyringStore(memory_keyring), ims, clock)()
    clock.now += 3600
    second_run = provider(KeyringStore(memory_keyring), ims, clock)
    assert await second_run() == "token-1"
    assert ims.mints == 1 and second_run.current.origin == "minted"


async def test_refresh_when_fewer_than_ten_minutes_left(memory_keyring):
    ims, clock = FakeIms(lifetime=3600), Clock()
    p = provider(KeyringStore(memory_keyring), ims, clock)
    assert await p() == "token-1"
    clock.now += 3600 - 601
    assert await p() == "token-1"
    clock.now += 2
    assert await p() == "token-2"
    # ...and the next run sees the new one.
    assert KeyringStore(memory_keyring).get_token("dev").token == "token-2"


async def test_cache_for_another_client_id_is_ignored(memory_keyring):
    store = KeyringStore(memory_keyring)
    store.set_token("dev", CachedToken("someone-elses", NOW + 86000, "other-cid"))
    ims = FakeIms()
    assert await provider(store, ims, Clock())() == "token-1"


async def test_concurrent_callers_share_one_mint():
    ims = FakeIms(delay=0.05)
    p = provider(MemoryStore(), ims, Clock())
    tokens = await asyncio.gather(*(p() for _ in range(10)))
    assert set(tokens) == {"token-1"} and ims.mints == 1


def test_provider_survives_several_event_loops():
    ims = FakeIms(delay=0.01)
    p = provider(MemoryStore(), ims, Clock())

    async def burst():
        return await asyncio.gather(p(force_refresh=True), p(force_refresh=True))

    assert asyncio.run(burst()) == ["token-1", "token-1"]
    assert asyncio.run(burst()) == ["token-2", "token-2"]


async def test_concurrent_force_refresh_after_401_mints_once():
    ims = FakeIms(delay=0.05)
    p = provider(MemoryStore(), ims, Clock())
    await p()
    tokens = await asyncio.gather(*(p(force_refresh=True) for _ in range(5)))
    assert set(tokens) == {"token-2"} and ims.mints == 2


async def test_too_long_token_is_kept_in_memory_only(memory_keyring):
    long_token = "L" * 1500

    async def handler(request):
        return httpx.Response(200, json={"access_token": long_token, "expires_in": 86399})

    store = KeyringStore(memory_keyring, max_token_length=1280)
    p = KeyringTokenProvider(settings(), store, "dev", transport=httpx.MockTransport(handler), clock=Clock())
    assert await p() == long_token
    assert p.persisted is False
    assert ("offer-tui", "dev:access_token") not in memory_keyring.passwords
    assert await p() == long_token


async def test_store_failure_does_not_fail_the_request():
    class Broken(MemoryStore):
        def set(self, profile, item, value):
            raise CredentialError("Could not save access token of profile 'dev': boom")

        def get(self, profile, item):
            raise CredentialError("Could not read access token of profile 'dev': boom")

    ims = FakeIms()
    p = provider(Broken(), ims, Clock())
    assert await p() == "token-1"
    assert p.persisted is False and len(p.notes) == 2


async def test_pasted_jwt_is_used_until_it_expires():
    ims = FakeIms()
    pasted = jwt({"exp": NOW + 120})
    clock = Clock()
    p = provider(MemoryStore(), ims, clock, client_secret=None, access_token=pasted)
    assert await p() == pasted
    assert p.current.origin == "pasted" and p.current.expires_at == NOW + 120
    assert await p(force_refresh=True) == pasted  # cannot renew; the 401 will speak
    clock.now += 121
    with pytest.raises(ApiError, match="expired") as info:
        await p()
    assert info.value.code == "token_expired"
    assert ims.mints == 0


async def test_pasted_token_near_expiry_is_renewed_when_a_secret_exists():
    ims = FakeIms()
    p = provider(MemoryStore(), ims, Clock(), access_token=jwt({"exp": NOW + 60}))
    assert await p() == "token-1"


async def test_accept_pasted_stores_it_with_its_expiry(memory_keyring):
    store = KeyringStore(memory_keyring)
    p = provider(store, FakeIms(), Clock(), client_secret=None)
    adobe = jwt({"created_at": str(int(NOW * 1000)), "expires_in": "86400000"})
    cached = await p.accept_pasted("  " + adobe + "\n")
    assert cached.expires_at == NOW + 86400
    assert await p() == adobe
    assert store.get_token("dev").origin == "pasted"
    with pytest.raises(CredentialError, match="expired"):
        await p.accept_pasted(jwt({"exp": 1}))


async def test_no_credentials_at_all():
    p = KeyringTokenProvider(Settings(client_id="cid"), MemoryStore(), "dev", clock=Clock())
    with pytest.raises(ApiError) as info:
        await p()
    assert info.value.code == "no_credentials" and "OFFER_TUI_CLIENT_SECRET" in str(info.value)


def test_provider_repr_hides_secrets():
    p = KeyringTokenProvider(settings(access_token=CANARY), MemoryStore(), "dev")
    assert CANARY not in repr(p)
    assert CANARY in p.secret_values()


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (jwt({"exp": 1_700_000_123}), 1_700_000_123.0),
        (jwt({"created_at": "1700000000000", "expires_in": "86400000"}), 1_700_086_400.0),
        (jwt({"created_at": 1700000000000, "expires_in": 3600000}), 1_700_003_600.0),
        (jwt({"sub": "x"}), None),
        (jwt({"exp": "soon"}), None),
        ("opaque-token", None),
        ("a.!!!.c", None),
        ("a." + base64.urlsafe_b64encode(b"[1]").decode() + ".c", None),
    ],
)
def test_token_expiry(token, expected):
    assert token_expiry(token) == expected


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, "unknown"), (-1, "expired"), (30, "30s"), (540, "9m"), (86399, "23h 59m")]
)
def test_describe_remaining(seconds, text):
    assert describe_remaining(seconds) == text
