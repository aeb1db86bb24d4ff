"""Drafts: atomic 0600 files with no secrets, debounced saving, flush on SIGHUP/SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import stat

import pytest

from offer_tui.drafts import Draft, DraftSaver, DraftStore, install_flush_on_signals, state_dir


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


def test_sighup_flushes_the_pending_draft(tmp_path):
    store = DraftStore(tmp_path)
    saver = DraftSaver(store)
    seen: list[int] = []

    def before(signum, frame):  # whatever was installed before must come back, exactly
        raise AssertionError("the previous handler ran")

    originals = {sig: signal.signal(sig, before) for sig in (signal.SIGHUP, signal.SIGTERM)}
    restore = install_flush_on_signals(saver, then=seen.append)
    try:
        saver.schedule(Draft({"name": "typed just now"}))
        os.kill(os.getpid(), signal.SIGHUP)
        assert seen == [signal.SIGHUP]
        assert store.load().doc == {"name": "typed just now"}
        saver.schedule(Draft({"name": "then killed"}))
        os.kill(os.getpid(), signal.SIGTERM)
        assert store.load().doc == {"name": "then killed"}
        assert signal.getsignal(signal.SIGHUP) is not before
    finally:
        restore()
        try:
            assert signal.getsignal(signal.SIGHUP) is before
            assert signal.getsignal(signal.SIGTERM) is before
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)
