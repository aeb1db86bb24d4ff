"""Placement picker: the placements fetched from the API for one channel, or free text when the fetch failed."""

from __future__ import annotations

from typing import Any

from offer_tui.ui.widgets.catalog_picker import CatalogPicker


def placement_label(placement: dict[str, Any]) -> str:
    name = placement.get("name") or placement.get("id") or "?"
    return f"{name}  [{placement.get('componentType', '?')}]"


class PlacementPicker(CatalogPicker):
    """The placements on one channel, showing name and componentType."""

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

    def options(self, current: str) -> tuple[list[tuple[str, str]], str]:
        matching = [p for p in self._items or () if p.get("channel") == self._channel]
        status = (f"{len(matching)} placement(s) on this channel." if matching
                  else "No placements on this channel: pick another channel.")
        return [(placement_label(p), str(p.get("id"))) for p in matching], status

    def unlisted_note(self, current: str) -> str:
        return "other channel" if self.info(current) else "not in the fetched list"
