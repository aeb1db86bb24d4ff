"""First-run detection and "Test connection": mint a token and list placements, as a submit would.

No Textual: the credentials screen calls these and shows the (secret-free) text they return.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import Any

from offer_tui.api import ApiError, OfferClient
from offer_tui.api.config import ENV_ACCESS_TOKEN, ENV_CLIENT_ID, ENV_CLIENT_SECRET
from offer_tui.api.errors import scrub
from offer_tui.credentials.errors import CredentialError
from offer_tui.credentials.profiles import ProfileStore
from offer_tui.credentials.resolve import LABELS, REQUIRED, resolve_settings
from offer_tui.credentials.store import SecretStore
from offer_tui.credentials.tokeninfo import describe_remaining
from offer_tui.credentials.tokens import KeyringTokenProvider
from offer_tui.log import swallowed


def needs_first_run(profiles: ProfileStore, environ: Mapping[str, str] | None = None) -> bool:
    """True when there is no profile and the environment names no credential: open this screen first."""
    env = os.environ if environ is None else environ
    has_env = any((env.get(name) or "").strip() for name in (ENV_CLIENT_ID, ENV_ACCESS_TOKEN))
    return not has_env and not profiles.names()


async def run_connection_test(
    profiles: ProfileStore,
    store: SecretStore,
    name: str | None,
    *,
    environ: Mapping[str, str] | None = None,
    transport: Any | None = None,
) -> tuple[bool, str]:
    """Mint a token and list placements the way a submit would; (ok, secret-free text for the user)."""
    try:
        resolution = await asyncio.to_thread(
            resolve_settings, profile_flag=name, environ=environ, profiles=profiles, store=store,
            require_credentials=False,
        )
    except CredentialError as exc:
        return False, f"Cannot resolve the credentials: {exc}"
    settings = resolution.settings
    missing = [LABELS[field].lower() for field in REQUIRED if not getattr(settings, field)]
    if not settings.access_token and not settings.client_secret:
        missing.append("client secret")
    if missing:
        return False, (f"Missing {', '.join(missing)}: fill in the form and save (ctrl+s), "
                       "or set the OFFER_TUI_* environment variables.")
    secrets = settings.secret_values()
    provider = KeyringTokenProvider.from_resolution(resolution, transport=transport)
    try:
        # force_refresh: a cached token would prove nothing about the stored secret.
        await provider(force_refresh=provider.can_mint)
    except Exception as exc:  # noqa: BLE001 - reported, never raised into the UI
        swallowed("testing the credentials: getting a token")
        return False, _failure("Getting a token failed", exc, secrets, resolution.env_overrides())
    current = provider.current
    left = describe_remaining(current.remaining() if current else None)
    left = "an unknown time" if left == "unknown" else left
    try:
        async with OfferClient.from_settings(settings, token_provider=provider, transport=transport) as client:
            placements = await client.list_placements()
    except Exception as exc:  # noqa: BLE001
        swallowed("testing the credentials: listing placements")
        return False, _failure("The token works, but listing placements failed", exc, secrets)
    return True, (f"OK: token valid for {left}, {len(placements)} placements "
                  f"(sandbox {settings.sandbox}, org {settings.ims_org}).")


def override_fix(overrides: list[tuple[str, str]]) -> str:
    """How to stop environment variables winning over the saved profile (empty when none do)."""
    if not overrides:
        return ""
    names = [variable for _, variable in overrides]
    which = ", ".join(f"{label} ({variable})" for label, variable in overrides)
    return (f"The environment wins over the saved profile for: {which}. To use the profile's values, "
            f"run `unset {' '.join(names)}` in the shell and start offer-tui again; or fix the variable's value.")


def _failure(what: str, exc: BaseException, secrets: tuple[str, ...],
             overrides: list[tuple[str, str]] | None = None) -> str:
    if isinstance(exc, (ApiError, CredentialError)):
        code = getattr(exc, "code", None)
        text = f"{what}: {exc.message}" + (f" ({code})" if code else "")
        if exc.hint:
            text += f"\nHint: {exc.hint}"
        if code in ("invalid_client", "unauthorized_client"):
            # Re-typing the saved secret cannot help while a variable supplies the id or secret.
            credential = [o for o in overrides or () if o[1] in (ENV_CLIENT_ID, ENV_CLIENT_SECRET)]
            if credential:
                text += "\nHere: " + override_fix(credential)
            else:
                text += "\nHere: type the client secret again, ctrl+s, then F5."
    else:
        text = f"{what}: {type(exc).__name__}"
    return scrub(text, secrets)
