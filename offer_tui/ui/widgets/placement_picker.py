"""Placement picker: every placement fetched from the API (the representation's channel first, the
others under a separator), or free text when the fetch failed. Typing in the open list finds a
placement by name or id. A placement of another channel may be picked: Review warns about it."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from offer_tui.model.constants import channel_short
from offer_tui.safe_text import terminal_safe
from offer_tui.ui.widgets.catalog_picker import SEPARATOR, CatalogPicker

OTHER_CHANNELS = "── other channels ──"


def display_name(placement: dict[str, Any]) -> str:
    """The name (or id) as the terminal may show it: server text, so no control characters."""
    return terminal_safe(placement.get("name") or placement.get("id") or "?", limit=120, one_line=True)


def placement_label(placement: dict[str, Any]) -> Text:
    """'Homepage hero banner · web · html · dps:offer-placement:...': the name, channel and
    componentType, then the id (last: a narrow list cuts it, and typing finds it all the same).

    Plain Text, never markup: a componentType in brackets ('[html]') would read as a style tag.
    """
    name = display_name(placement)
    channel = terminal_safe(channel_short(str(placement.get("channel") or "?")), limit=60, one_line=True)
    component_type = terminal_safe(placement.get("componentType") or "?", limit=60, one_line=True)
    placement_id = terminal_safe(placement.get("id") or "?", limit=120, one_line=True)
    return Text(f"{name} · {channel} · {component_type} · {placement_id}", end="", no_wrap=True, overflow="ellipsis")


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
        items = list(self._items or ())
        same = [p for p in items if p.get("channel") == self._channel]
        others = [p for p in items if p.get("channel") != self._channel]
        options: list[tuple[Any, str]] = [(placement_label(p), str(p.get("id"))) for p in same]
        if others:
            options.append((Text(OTHER_CHANNELS, style="dim", end=""), SEPARATOR))
            options += [(placement_label(p), str(p.get("id"))) for p in others]
        status = f"{len(same)} on this channel" if same else "None on this channel"
        if others:
            status += f", {len(others)} on others"
        return options, status + ": type a name or id to find one."

    def unlisted_note(self, current: str) -> str:
        other = self.info(current)
        if other:
            return f"other channel: {channel_short(str(other.get('channel') or '?'))} · {other.get('componentType') or '?'}"
        return "not in the fetched list"
