"""The two ends of a comparison or an apply: a profile's client, label, sandbox and whether it is
production. No Textual, no printing. (The session layer will own opening profiles; this is the
small piece the Sandboxes view needs until then.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offer_tui.api.library import Library


@dataclass
class Side:
    key: str  # the profile name
    label: str  # "stage (sandbox stage-eu)"
    sandbox: str
    production: bool
    client: Any

    @property
    def library(self) -> Library:
        return Library(self.client)

    @property
    def identity(self) -> str:
        """What a journal is keyed by: the sandbox and endpoint, whichever profile reaches them."""
        return f"{getattr(self.client, '_sandbox', self.sandbox)}|{getattr(self.client, 'base_url', '')}"

    async def close(self) -> None:
        await self.client.aclose()


def profile_names() -> list[str]:
    """The profiles there are (a damaged profiles.json gives none: the credentials screen says why)."""
    from offer_tui.credentials import ProfileStore

    try:
        return ProfileStore().names()
    except Exception:
        from offer_tui.log import swallowed

        swallowed("reading the profiles for the Sandboxes view")
        return []


def open_profile(name: str, *, budget: float | None = None) -> Side:
    """A client for profile ``name`` (blocking: call off the UI thread). CredentialError when it
    cannot be resolved without a prompt."""
    from offer_tui.api import OfferClient
    from offer_tui.api.budget import DEFAULT_BUDGET
    from offer_tui.credentials import KeyringTokenProvider, choose_store, detect_keyring, is_production, resolve_settings

    budget = budget or DEFAULT_BUDGET
    resolution = resolve_settings(profile_flag=name, store=choose_store(detect_keyring()), prompt=None)
    settings = resolution.settings
    sandbox = settings.sandbox or ""
    client = OfferClient.from_settings(settings, token_provider=KeyringTokenProvider.from_resolution(
        resolution, timeout=budget), budget=budget)
    return Side(name, f"{name} (sandbox {sandbox})", sandbox, is_production(resolution.profile) or
                "prod" in sandbox.lower(), client)
