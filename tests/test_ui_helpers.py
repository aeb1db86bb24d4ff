"""Shared helpers for the UI tests (imported by the other test_ui*.py modules; holds no tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Button, Checkbox, Input, Select, TextArea

from offer_tui.drafts import DraftStore
from offer_tui.ui.app import OfferTuiApp

SIZE_WIDE = (120, 40)
SIZE_NARROW = (80, 24)


def make_app(settings: Any, tmp_path: Path, **kwargs: Any) -> OfferTuiApp:
    return OfferTuiApp(
        settings=settings,
        draft_store=DraftStore(tmp_path / "state"),
        config_directory=tmp_path / "config",
        **kwargs,
    )


async def settle(pilot: Any) -> None:
    """Wait for every worker, twice; an exclusive worker replaced by a newer one (cancelled) counts as
    done, as it does for the user (the credentials screen's details refresh is one)."""
    from textual.worker import WorkerCancelled

    for _ in range(2):
        for _ in range(3):
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                continue
        await pilot.pause()


async def type_in(pilot: Any, widget: Input, text: str) -> None:
    """Focus and replace the value, the way a user's typing would (a focused change)."""
    widget.focus()
    await pilot.pause()
    widget.value = text
    await pilot.pause()


async def pick(pilot: Any, widget: Select, value: Any) -> None:
    widget.focus()
    await pilot.pause()
    widget.value = value
    await pilot.pause()


async def write_area(pilot: Any, widget: TextArea, text: str) -> None:
    widget.focus()
    await pilot.pause()
    widget.select_all()
    widget.replace(text, *widget.selection)  # an edit: posts Changed like typing does
    await pilot.pause()


async def check(pilot: Any, widget: Checkbox, value: bool) -> None:
    widget.focus()
    await pilot.pause()
    widget.value = value
    await pilot.pause()


async def press(pilot: Any, button: Button) -> None:
    button.focus()
    await pilot.pause()
    button.press()
    await pilot.pause()
    await settle(pilot)
