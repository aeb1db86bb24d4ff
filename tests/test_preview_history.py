"""The identities the preview screen remembers: newest first, deduplicated, bounded, private, and a
damaged file is read as empty and replaced."""

from __future__ import annotations

import json
import stat

from offer_tui.preview_history import MAX_KEPT, IdentityHistory, history_path


def test_newest_first_once_each_and_bounded(tmp_path):
    history = IdentityHistory(tmp_path / "h.json")
    assert history.load() == [] and history.namespaces() == []
    history.remember(["Email:a@x"])
    history.remember(["ECID:1", "Email:b@x"])
    assert history.remember(["Email:a@x"]) == ["Email:a@x", "ECID:1", "Email:b@x"]
    assert history.namespaces() == ["Email", "ECID"]
    history.remember([f"Email:{n}@x" for n in range(MAX_KEPT + 5)])
    assert len(history.load()) == MAX_KEPT
    assert stat.S_IMODE((tmp_path / "h.json").stat().st_mode) == 0o600


def test_a_damaged_file_reads_as_empty_and_is_replaced(tmp_path):
    path = tmp_path / "h.json"
    for junk in ("{not json", json.dumps([1, 2]), json.dumps({"identities": [3, "no-colon", "Email:ok@x"]})):
        path.write_text(junk)
        assert IdentityHistory(path).load() in ([], ["Email:ok@x"])
    IdentityHistory(path).remember(["Email:new@x"])
    assert json.loads(path.read_text()) == {"version": 1, "identities": ["Email:new@x", "Email:ok@x"]}


def test_it_lives_in_the_state_directory(tmp_path):
    assert history_path({"OFFER_TUI_STATE_DIR": str(tmp_path)}) == tmp_path / "preview-identities.json"
