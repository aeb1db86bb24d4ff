"""Helpers for the library's UI tests (imported by test_ui_library*.py; holds no tests)."""

from __future__ import annotations

from typing import Any

from test_ui_helpers import settle


async def wait_for_screen(pilot: Any, cls: type, timeout: float = 10.0) -> Any:
    """Wait (bounded) until ``cls`` is the active screen. Flows await their dialogs in a worker, so
    ``settle`` (which waits for every worker) cannot be used while a dialog is open."""
    for _ in range(int(timeout / 0.05)):
        if isinstance(pilot.app.screen, cls):
            await pilot.pause()
            return pilot.app.screen
        await pilot.pause(0.05)
    raise AssertionError(f"{cls.__name__} never showed; the screen is {pilot.app.screen!r}")


async def wait_until(pilot: Any, predicate, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError("the condition never held")


def notes(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def settled(pilot: Any) -> None:
    await settle(pilot)
