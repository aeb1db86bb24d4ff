"""The two ends of a comparison or an apply: a profile's client, label, sandbox and whether it is
production. No Textual, no printing. Profiles are opened by ``service.copy`` (copy's target), so
the Sandboxes view and copy resolve credentials the same way.
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
    """A client for profile ``name`` (blocking: call off the UI thread), opened as copy opens its
    target. CredentialError when it cannot be resolved without a prompt."""
    from offer_tui.api.budget import DEFAULT_BUDGET
    from offer_tui.service.copy import open_profile_target

    target = open_profile_target(name, budget=budget or DEFAULT_BUDGET)
    return Side(target.key, target.label, target.sandbox, target.production, target.client)
