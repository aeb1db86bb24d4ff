"""A Session: what every operation runs with, built the same way for the CLI and the app.

It holds the credentials resolution (which profile, which sandbox), the API client, the time
budget of one action (``--timeout``), whether the target is production, and any demo server it
started. ``close()`` closes the client and stops that demo server. No Textual, no printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def is_production_target(resolution: Any, settings: Any, *, demo: bool = False) -> bool:
    """A production profile, or any sandbox whose name says prod (an env var can override a profile)."""
    if demo or settings is None:
        return False
    from offer_tui.credentials import is_production

    profile = getattr(resolution, "profile", None) if resolution is not None else None
    return bool(profile and is_production(profile)) or "prod" in (getattr(settings, "sandbox", None) or "").lower()


def build_client(settings: Any, resolution: Any, budget: float) -> tuple[Any, Any]:
    """(client, token provider): the one place a client is made from resolved credentials."""
    from offer_tui.api import OfferClient

    provider = None
    if resolution is not None:
        from offer_tui.credentials.tokens import KeyringTokenProvider

        provider = KeyringTokenProvider.from_resolution(resolution, timeout=budget)
    client = OfferClient.from_settings(settings, token_provider=provider, budget=budget)
    client.resolution = resolution  # which profile and sandbox (kept for older callers)
    return client, provider


@dataclass
class Session:
    client: Any
    budget: float
    resolution: Any = None
    settings: Any = None
    demo: bool = False
    demo_server: Any = None  # a DemoServer this session started (closed with it)
    provider: Any = field(default=None, repr=False)

    @classmethod
    def open(cls, settings: Any, resolution: Any = None, *, budget: float | None = None,
             demo: bool = False, demo_server: Any = None) -> "Session":
        from offer_tui.api.budget import DEFAULT_BUDGET

        budget = budget or DEFAULT_BUDGET
        client, provider = build_client(settings, resolution, budget)
        return cls(client, budget, resolution, settings, demo, demo_server, provider)

    @classmethod
    def for_client(cls, client: Any, *, budget: float | None = None, demo: bool = False) -> "Session":
        """Wrap a client someone else built (tests, the app given a client)."""
        resolution = getattr(client, "resolution", None)
        settings = getattr(resolution, "settings", None)
        return cls(client, budget or getattr(client, "budget", None) or 0.0, resolution, settings, demo)

    @property
    def sandbox(self) -> str:
        settings = self.settings if self.settings is not None else getattr(self.resolution, "settings", None)
        return (getattr(settings, "sandbox", None) or "") if settings is not None else ""

    @property
    def production(self) -> bool:
        settings = self.settings if self.settings is not None else getattr(self.resolution, "settings", None)
        return is_production_target(self.resolution, settings, demo=self.demo)

    async def close(self) -> None:
        """Close the client; stop the demo server this session started. Safe to call twice."""
        client, self.client = self.client, None
        try:
            if client is not None:
                await client.aclose()
        finally:
            server, self.demo_server = self.demo_server, None
            if server is not None:
                server.stop()
