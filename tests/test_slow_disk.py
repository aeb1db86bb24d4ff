"""A slow home directory (NFS on a jump host) never stalls the UI (issue 13, 5): the draft autosave
and the theme save fsync in a worker thread. While an fsync is blocked, keys are still processed;
once it returns, the last draft typed is the one on disk."""

from __future__ import annotations

import json
import os
import threading

import pytest
from textual.widgets import Input

from offer_tui.demo import demo_settings
from test_ui_helpers import SIZE_NARROW, make_app, settle
from library_support import wait_until

pytestmark = pytest.mark.timeout(60)

BLOCK = 8.0  # seconds a blocked fsync waits at most: bounds the test on code that writes on the loop


class SlowFsync:
    """os.fsync that blocks (bounded) until released, and says whether it ever gave up waiting."""

    def __init__(self, monkeypatch) -> None:
        self.real = os.fsync
        self.entered = threading.Event()
        self.release = threading.Event()
        self.timed_out = False
        monkeypatch.setattr(os, "fsync", self)

    def __call__(self, fd: int) -> None:
        self.entered.set()
        if not self.release.wait(BLOCK):
            self.timed_out = True
        self.real(fd)


async def test_typing_goes_on_while_the_draft_autosave_is_stuck_in_fsync(server, tmp_path, monkeypatch):
    app = make_app(demo_settings(server), tmp_path, draft_delay=0.05)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        name = app.wizard.query_one("#name", Input)
        name.focus()
        slow = SlowFsync(monkeypatch)
        await pilot.press(*"Slow")
        await wait_until(pilot, slow.entered.is_set)  # the autosave is writing, and stuck
        await pilot.press(*" disk")
        await wait_until(pilot, lambda: name.value == "Slow disk", timeout=3)
        assert not slow.timed_out  # the keys were handled while the fsync was still blocked
        slow.release.set()
        await wait_until(pilot, lambda: not app.saver.pending and not any(
            w.group == "draft-write" and w.is_running for w in app.workers))
        await pilot.pause(0.2)
        await wait_until(pilot, lambda: not app.saver.pending and not any(
            w.group == "draft-write" and w.is_running for w in app.workers))
        saved = json.loads(app.saver.store.path.read_text())
        assert saved["doc"]["name"] == "Slow disk"  # the last draft typed is the one on disk


async def test_the_theme_save_does_not_block_the_keys(server, tmp_path, monkeypatch):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        name = app.wizard.query_one("#name", Input)
        name.focus()
        slow = SlowFsync(monkeypatch)
        app.theme = "textual-light"
        await wait_until(pilot, slow.entered.is_set)
        await pilot.press(*"abc")
        await wait_until(pilot, lambda: name.value.endswith("abc"), timeout=3)
        assert not slow.timed_out
        app.theme = "nord"  # a second choice while the first write is stuck: the last one wins
        slow.release.set()
        await wait_until(pilot, lambda: not any(w.group == "prefs-write" and w.is_running for w in app.workers))
    assert json.loads((tmp_path / "config" / "ui.json").read_text())["theme"] == "nord"
