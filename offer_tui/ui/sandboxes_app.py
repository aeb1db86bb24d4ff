"""`offer-tui sandboxes`: the Sandboxes view on its own (the library app can push the same screen)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.app import App

from offer_tui.ui.screens.sandboxes import SandboxesScreen


class SandboxesApp(App[None]):
    TITLE = "offer-tui: sandboxes"

    def __init__(self, open_side: Callable[[str], Awaitable[object]] | None = None,
                 profiles: list[str] | None = None) -> None:
        super().__init__()
        self._open_side = open_side
        self._profiles = profiles

    def on_mount(self) -> None:
        self.push_screen(SandboxesScreen(self._open_side, self._profiles))
