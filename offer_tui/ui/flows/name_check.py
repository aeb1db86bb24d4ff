"""Look an offer's name up for the wizard (``NameCheckWanted``): in a worker, never blocking input."""

from __future__ import annotations

from typing import Any


async def look_up_name(host: Any, name: str, offer_type: str) -> None:
    """Hand the wizard the offers that already have ``name`` (``None`` when the lookup failed:
    a warning is advice, so a failed lookup stays silent and F9 goes ahead)."""
    from offer_tui.api import ApiError

    try:
        client = await host.acquire_client()
        matches: list[dict[str, Any]] | None = await client.find_offers_by_name(name, offer_type)
    except (ApiError, OSError):
        matches = None
    if host.is_screen_installed("wizard"):
        host.wizard.set_name_matches(offer_type, name, matches)
