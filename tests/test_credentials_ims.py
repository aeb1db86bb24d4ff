"""The credentials flow against the demo API over real loopback HTTP (127.0.0.1 only)."""

from __future__ import annotations

import pytest
from offer_tui.api import ApiError, OfferClient
from offer_tui.credentials import (
    KeyringStore,
    KeyringTokenProvider,
    Profile,
    ProfileStore,
    choose_store,
    detect_keyring,
    resolve_settings,
)
from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX, PLACEMENTS

pytestmark = pytest.mark.timeout(30)


def offer(name: str) -> dict:
    placement = next(p for p in PLACEMENTS if p["componentType"] == "html")
    return {
        "name": name,
        "status": "draft",
        "representations": [{
            "channel": placement["channel"],
            "placement": placement["id"],
            "components": [{"type": "html", "format": "text/html", "language": ["en-us"], "content": "<p>Hi</p>"}],
        }],
        "selectionConstraint": {
            "startDate": "2025-01-01T00:00:00.000+00:00",
            "endDate": "2026-01-01T00:00:00.000+00:00",
            "profileConstraintType": "none",
        },
        "rank": {"priority": 0},
    }


def add_demo_profile(server, *, secret=DEMO_CLIENT_SECRET, scopes=None) -> KeyringStore:
    profile = Profile(
        "demo", client_id=DEMO_CLIENT_ID, ims_org=DEMO_IMS_ORG, sandbox=DEMO_SANDBOX,
        endpoint=server.base_url, ims_url=server.ims_url,
        **({"scopes": scopes} if scopes else {}),
    )
    ProfileStore().add(profile)
    status = detect_keyring(timeout=1.0)
    assert status.secure
    store = choose_store(status)
    store.set_client_secret("demo", secret)
    return store


def provider_for(store) -> KeyringTokenProvider:
    resolution = resolve_settings(store=store)
    assert resolution.sources["client_secret"] == "keyring"
    return KeyringTokenProvider.from_resolution(resolution, backoff_base=0.0)


async def test_mint_success_is_cached_in_the_keyring(demo_server, memory_keyring):
    store = add_demo_profile(demo_server)
    token = await provider_for(store)()
    assert demo_server.token_mints == 1
    cached = store.get_token("demo")
    assert cached.token == token and cached.client_id == DEMO_CLIENT_ID
    # Keyed as documented.
    assert ("offer-tui", "demo:access_token") in memory_keyring.passwords


async def test_invalid_client_has_its_hint(demo_server):
    store = add_demo_profile(demo_server, secret="wrong-secret-CANARY-123")
    with pytest.raises(ApiError) as info:
        await provider_for(store)()
    err = info.value
    assert err.code == "invalid_client" and err.status == 401
    assert "OFFER_TUI_CLIENT_SECRET" in (err.hint or "")
    assert "wrong-secret-CANARY-123" not in f"{err} {err!r} {err.raw}"


async def test_invalid_scope_has_its_hint(demo_server):
    store = add_demo_profile(demo_server, scopes="openid,no_such_scope")
    with pytest.raises(ApiError) as info:
        await provider_for(store)()
    assert info.value.code == "invalid_scope"
    assert "OFFER_TUI_SCOPES" in (info.value.hint or "")
    assert DEMO_CLIENT_SECRET not in f"{info.value} {info.value.raw}"


async def test_5xx_then_success(demo_server):
    store = add_demo_profile(demo_server)
    demo_server.fail_next(503, path_prefix="/ims")
    token = await provider_for(store)()
    assert token and demo_server.token_mints == 1


async def test_two_submits_in_two_runs_mint_once(demo_server):
    store = add_demo_profile(demo_server)
    for name in ("first", "second"):
        # A new provider and client each time, like two `offer-tui submit` runs.
        resolution = resolve_settings(store=KeyringStore(store.backend))
        provider = KeyringTokenProvider.from_resolution(resolution, backoff_base=0.0)
        async with OfferClient.from_settings(resolution.settings, token_provider=provider) as client:
            result = await client.create_offer(offer(f"Credentials test {name}"))
        assert result.status in (200, 201)
    assert demo_server.token_mints == 1
    assert len(demo_server.offers) == 2


async def test_expired_token_refreshed_once_on_401(demo_server):
    store = add_demo_profile(demo_server)
    provider = provider_for(store)
    resolution = resolve_settings(store=store)
    async with OfferClient.from_settings(resolution.settings, token_provider=provider) as client:
        await client.list_placements()
        demo_server.expire_tokens()
        await client.list_placements()
    assert demo_server.token_mints == 2
    assert store.get_token("demo").token == provider.current.token
