"""Placement picker: the placements fetched from the API for one channel, or free text when the fetch failed."""

from __future__ import annotations

from typing import Any

from textual.content import Content

from offer_tui.model.constants import channel_short
from offer_tui.safe_text import terminal_safe
from offer_tui.ui.widgets.catalog_picker import CatalogPicker


def display_name(placement: dict[str, Any]) -> str:
    """The name (or id) as the terminal may show it: server text, so no control characters."""
    return terminal_safe(placement.get("name") or placement.get("id") or "?", limit=120, one_line=True)


def placement_label(placement: dict[str, Any]) -> Content:
    """'Homepage hero banner · web · html': the name, then channel and componentType (no padding:
    the closed Select shows the label in its own, narrower box).

    Plain Content, never markup: a componentType in brackets ('[html]') would read as a style tag.
    """
    name = display_name(placement)
    channel = terminal_safe(channel_short(str(placement.get("channel") or "?")), limit=60, one_line=True)
    component_type = terminal_safe(placement.get("componentType") or "?", limit=60, one_line=True)
    return Content(f"{name} · {channel} · {component_type}")


class PlacementPicker(CatalogPicker):
    """The placements on one channel, showing name, channel and componentType."""

    NOUN = "placement"
    PLACEHOLDER = "placement id, e.g. dps:offer-placement:..."

    def __init__(self, value: str = "", channel: str = "", **kwargs: Any) -> None:
        super().__init__(value, **kwargs)
        self._channel = channel
        self.loaded_value: str | None = value or None

    def info(self, placement_id: str) -> dict[str, Any] | None:
        return self.find(placement_id)

    def set_channel(self, channel: str) -> None:
        if channel == self._channel:
            return
        current = self.value
        self._channel = channel
        self._render_options(current)

    def options(self, current: str) -> tuple[list[tuple[Any, str]], str]:
        matching = [p for p in self._items or () if p.get("channel") == self._channel]
        status = (f"{len(matching)} placement(s) on this channel." if matching
                  else "No placements on this channel: pick another channel.")
        return [(placement_label(p), str(p.get("id"))) for p in matching], status

    def unlisted_note(self, current: str) -> str:
        other = self.info(current)
        if other:
            return f"other channel: {channel_short(str(other.get('channel') or '?'))} · {other.get('componentType') or '?'}"
        return "not in the fetched list"
