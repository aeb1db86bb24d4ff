"""The first frame is laid out and rendered once, with the start document in it (bench/first_screen.py).

Textual runs ``App.on_mount`` inside a batch update and drops any frame rendered within it. The
wizard used to be pushed (and its start document loaded) from there: its first frame was
rendered for nothing, then again (~50 ms of the first screen).
"""

from __future__ import annotations

import json
import os

from textual.screen import Screen
from textual.widgets import Input

from offer_tui.ui.screens.wizard import WizardScreen
from test_ui_helpers import SIZE_WIDE, settle
from test_ui_session import make_app


def count_dropped_renders(monkeypatch) -> list[str]:
    """Names of the screens rendered while the app batched updates (frames nobody sees)."""
    dropped: list[str] = []
    render = Screen._compositor_refresh

    def counting(self: Screen) -> None:
        if self.app._batch_count and self is self.app.screen:
            dropped.append(type(self).__name__)
        render(self)

    monkeypatch.setattr(Screen, "_compositor_refresh", counting)
    return dropped


async def test_the_wizard_is_the_first_screen_and_no_frame_is_dropped(tmp_path, monkeypatch):
    dropped = count_dropped_renders(monkeypatch)
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        assert app.screen_stack == [app.wizard]  # not pushed over Textual's empty default screen
        assert app.focused is app.wizard.query_one("#name", Input)
    assert dropped == []


async def test_a_file_given_with_from_is_in_the_first_frame(tmp_path, monkeypatch, seed_doc):
    """The start document is loaded before the wizard's first layout, so no frame shows an empty form."""
    path = tmp_path / "offer.json"
    path.write_text(json.dumps(seed_doc), encoding="utf-8")
    names_rendered: list[str] = []
    render = Screen._compositor_refresh

    def recording(self: Screen) -> None:
        if isinstance(self, WizardScreen) and self.is_mounted:
            names_rendered.append(self.query_one("#name", Input).value)
            # The preview and the step bar were built from it too (the file's end dates are past).
            assert self.doc.get("name") == seed_doc["name"] and self.report.warnings
        render(self)

    monkeypatch.setattr(Screen, "_compositor_refresh", recording)
    app = make_app(tmp_path, demo=True, from_file=str(path))
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        assert app.wizard.query_one("#name", Input).value == seed_doc["name"]
    assert names_rendered and set(names_rendered) == {seed_doc["name"]}


async def test_the_collector_paused_for_the_start_up_runs_again_after_the_first_frame(tmp_path):
    import gc

    from offer_tui.ui import startup_gc

    app = make_app(tmp_path, demo=True)
    startup_gc.pause()  # as the wizard command does
    try:
        assert not gc.isenabled()
        async with app.run_test(size=SIZE_WIDE) as pilot:
            await settle(pilot)
            assert gc.isenabled()
    finally:
        startup_gc.resume()
        gc.enable()


def test_the_wizard_command_without_a_terminal_leaves_the_collector_on(monkeypatch):
    import gc

    from offer_tui.cli import main

    monkeypatch.setattr("sys.stdin", open(os.devnull))  # not a terminal: the wizard refuses
    assert main([]) != 0
    assert gc.isenabled()
