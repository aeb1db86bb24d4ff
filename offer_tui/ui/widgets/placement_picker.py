"""Placement picker: the placements fetched from the API for one channel, or free text when the fetch failed."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static


def placement_label(placement: dict[str, Any]) -> str:
    name = placement.get("name") or placement.get("id") or "?"
    return f"{name}  [{placement.get('componentType', '?')}]"


class PlacementPicker(Vertical):
    """Shows a Select once the catalog is loaded; until then, or when loading failed, a text input."""

    DEFAULT_CSS = """
    PlacementPicker { height: auto; width: 1fr; }
    PlacementPicker .placement-status { color: $text-muted; height: auto; }
    PlacementPicker .placement-status.-failed { color: $warning; }
    """

    def __init__(self, value: str = "", channel: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._initial = value
        self._channel = channel
        self._placements: list[dict[str, Any]] | None = None
        self._error: str | None = None
        self.loaded_value: str | None = value or None

    def compose(self) -> ComposeResult:
        select: Select[str] = Select([], prompt="Pick a placement", classes="placement-select")
        select.display = False
        yield select
        yield Input(self._initial, placeholder="placement id, e.g. dps:offer-placement:...", classes="placement-text")
        yield Static("Loading placements...", classes="placement-status", markup=False)

    @property
    def select(self) -> Select[str]:
        return self.query_one(".placement-select", Select)

    @property
    def text_input(self) -> Input:
        return self.query_one(".placement-text", Input)

    @property
    def list_mode(self) -> bool:
        return self._placements is not None

    @property
    def value(self) -> str:
        if not self.is_mounted or not self.children:
            return self._initial
        if self.list_mode:
            value = self.select.value
            return value if isinstance(value, str) else ""
        return self.text_input.value.strip()

    def focus_target(self) -> Select[str] | Input:
        return self.select if self.list_mode else self.text_input

    def info(self, placement_id: str) -> dict[str, Any] | None:
        for placement in self._placements or ():
            if placement.get("id") == placement_id:
                return placement
        return None

    def set_catalog(self, placements: list[dict[str, Any]] | None, error: str | None) -> None:
        current = self.value
        self._placements = placements
        self._error = error
        self._render_options(current)

    def set_channel(self, channel: str) -> None:
        if channel == self._channel:
            return
        current = self.value
        self._channel = channel
        self._render_options(current)

    def _render_options(self, current: str) -> None:
        status = self.query_one(".placement-status", Static)
        status.remove_class("-failed")
        if self._placements is None:
            self.select.display = False
            self.text_input.display = True
            self.text_input.value = current
            if self._error:
                status.update(f"Could not fetch placements: {self._error}\nType the placement id (F5 retries).")
                status.add_class("-failed")
            else:
                status.update("Loading placements...")
            return
        matching = [p for p in self._placements if p.get("channel") == self._channel]
        options = [(placement_label(p), str(p.get("id"))) for p in matching]
        known = {value for _, value in options}
        if current and current not in known:
            other = self.info(current)
            suffix = "other channel" if other else "not in the fetched list"
            options.append((f"{current}  ({suffix})", current))
        with self.prevent(Select.Changed):
            self.select.set_options(options)
            if current:
                self.select.value = current
        self.select.display = True
        self.text_input.display = False
        if matching:
            status.update(f"{len(matching)} placement(s) on this channel.")
        else:
            status.update("No placements on this channel: pick another channel.")
