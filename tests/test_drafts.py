"""Drafts: atomic 0600 files with no secrets, debounced saving, flush on SIGHUP/SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import stat

import pytest

from offer_tui.drafts import Draft, DraftSaver, DraftStore, state_dir


def test_state_dir_honours_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OFFER_TUI_STATE_DIR", str(tmp_path / "elsewhere"))
    assert state_dir() == tmp_path / "elsewhere"


def test_save_is_atomic_private_and_round_trips(tmp_path):
    store = DraftStore(tmp_path / "state")
    doc = {"name": "Été", "custom": {"kept": True}, "representations": []}
    path = store.save(Draft(doc, "fallback", "representations", based_on="abc"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.parent == tmp_path / "state" / "drafts" and path.name == f"{store.id}.json"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind
    loaded = store.load()
    assert loaded == Draft(doc, "fallback", "representations", "abc")


def test_draft_payload_holds_only_the_offer(tmp_path):
    store = DraftStore(tmp_path)
    store.save(Draft({"name": "x"}))
    payload = json.loads(store.path.read_text())
    assert set(payload) == {"version", "offer_type", "step", "based_on", "doc"}


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"doc": 3}'])
def test_a_broken_draft_file_is_ignored(tmp_path, content):
    store = DraftStore(tmp_path)
    store.path.parent.mkdir(parents=True)
    store.path.write_text(content)
    assert store.load() is None


def test_missing_draft_and_delete_twice(tmp_path):
    store = DraftStore(tmp_path / "none")
    assert store.load() is None
    store.delete()
    store.delete()


def test_saver_writes_only_on_flush_and_discard_deletes(tmp_path):
    store = DraftStore(tmp_path)
    saver = DraftSaver(store, delay=0.5)
    saver.schedule(Draft({"name": "one"}))
    saver.schedule(Draft({"name": "two"}))
    assert not store.path.exists() and saver.pending
    assert saver.flush() is True
    assert store.load().doc == {"name": "two"}
    assert saver.flush() is False  # nothing pending
    saver.discard()
    assert not store.path.exists()


def test_saver_reports_write_errors_instead_of_raising(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    saver = DraftSaver(DraftStore(blocker / "sub"))
    saver.schedule(Draft({"name": "x"}))
    assert saver.flush() is False
    assert isinstance(saver.last_error, OSError)


def test_suspended_saver_ignores_changes(tmp_path):
    saver = DraftSaver(DraftStore(tmp_path))
    saver.suspended = True
    saver.schedule(Draft({"name": "x"}))
    assert not saver.pending


async def test_the_app_restores_the_previous_signal_handlers_when_it_exits(server, tmp_path):
    """The hang-up guard (offer_tui/ui/hangup.py) replaces SIGHUP and SIGTERM while the app runs and
    must give back exactly what was there. Sending a real signal here would end pytest itself: that
    is done to a real app under a pty in tests/test_ui_features.py."""
    from offer_tui.demo import demo_settings
    from test_ui_helpers import SIZE_WIDE, make_app, settle

    def previous_hup(signum, frame):
        pass

    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGCONT)}
    signal.signal(signal.SIGHUP, previous_hup)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        app = make_app(demo_settings(server), tmp_path, install_signal_handlers=True)
        async with app.run_test(size=SIZE_WIDE) as pilot:
            await settle(pilot)
            assert signal.getsignal(signal.SIGHUP) not in (previous_hup, signal.SIG_DFL, None)
            assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_IGN, signal.SIG_DFL, None)
        assert signal.getsignal(signal.SIGHUP) is previous_hup
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def test_a_run_of_failed_saves_is_reported_once_and_retried(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    saver = DraftSaver(DraftStore(blocker / "sub"))
    saver.schedule(Draft({"name": "x"}))
    assert saver.flush() is False and isinstance(saver.last_error, OSError)
    saver.last_error = None  # the UI has said it
    saver.schedule(Draft({"name": "xy"}))
    assert saver.flush() is False and saver.last_error is None  # not said again
    assert saver.pending and isinstance(saver.failing, OSError)  # kept for the next try and for quit
    saver.store = DraftStore(tmp_path / "ok")
    assert saver.flush() is True and saver.failing is None
    assert saver.store.load().doc == {"name": "xy"}
