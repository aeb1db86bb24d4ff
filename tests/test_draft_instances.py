"""One draft per running instance (issue 7, items 12-13): owned drafts are never listed or deleted,
orphaned ones are offered, corrupt ones are moved aside, the old single draft.json joins in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from offer_tui.drafts import Draft, DraftStore, describe_age

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.timeout(60)


def orphan(directory: Path, name: str, step: str = "basics", age: float = 0.0) -> DraftStore:
    """A draft left by an instance that has ended (saved, never claimed or released)."""
    store = DraftStore(directory)
    store.save(Draft({"name": name}, "personalized", step))
    if age:
        then = time.time() - age
        os.utime(store.path, (then, then))
    return store


def test_two_running_instances_never_see_each_others_drafts(tmp_path):
    first, second = DraftStore(tmp_path), DraftStore(tmp_path)
    assert first.claim() and second.claim()
    first.save(Draft({"name": "first"}))
    second.save(Draft({"name": "second"}))
    assert first.path != second.path
    assert first.others() == [] and second.others() == []  # both are alive
    assert first.load().doc == {"name": "first"} and second.load().doc == {"name": "second"}

    second.release()  # the second instance ends with its draft unsubmitted
    [info] = first.others()
    assert info.name == "second" and info.path == second.path


def test_a_running_instances_draft_cannot_be_discarded_or_adopted(tmp_path):
    running = DraftStore(tmp_path)
    running.claim()
    running.save(Draft({"name": "mine"}))
    other = DraftStore(tmp_path)
    other.claim()
    listed = orphan(tmp_path, "left behind")
    [info] = other.others()
    assert info.name == "left behind"

    from offer_tui.drafts import DraftInfo

    owned = DraftInfo(running.id, running.path, Draft({"name": "mine"}), 0.0)
    assert other.discard(owned) is False and other.adopt(owned) is False
    assert running.path.exists()
    assert other.discard(info) is True
    assert not listed.path.exists() and running.path.exists()


def test_adopting_a_draft_makes_it_this_instances_file(tmp_path):
    left = orphan(tmp_path, "resume me", "representations")
    store = DraftStore(tmp_path)
    store.claim()
    [info] = store.others()
    assert store.adopt(info)
    assert store.path == left.path and store.id == info.id
    store.save(Draft({"name": "resume me, edited"}))
    assert json.loads(left.path.read_text())["doc"]["name"] == "resume me, edited"
    late = DraftStore(tmp_path)
    assert late.others() == []  # adopted: owned by a running instance now
    store.release()
    assert [i.name for i in late.others()] == ["resume me, edited"]


def test_drafts_are_listed_newest_first_with_their_age(tmp_path):
    orphan(tmp_path, "old", age=3 * 86400)
    orphan(tmp_path, "new", age=120)
    infos = DraftStore(tmp_path).others()
    assert [i.name for i in infos] == ["new", "old"]
    assert describe_age(time.time() - infos[1].saved_at) == "3 days ago"
    assert describe_age(time.time() - infos[0].saved_at) == "2 minutes ago"
    assert [describe_age(s) for s in (0, 59, 3600, 7300)] == ["just now", "just now", "1 hour ago", "2 hours ago"]


@pytest.mark.parametrize(
    "content, words",
    [
        (b"{ not json", "malformed JSON"),
        (b'{"doc": ' + b"[" * 5000 + b"]" * 5000 + b"}", "levels deep"),
        (b'{"doc": 3}', "not a draft (no offer document in it)"),
        (b"\xff\xfe{\x00}\x00", "UTF-16"),
    ],
    ids=["malformed", "too-deep", "no-doc", "utf16"],
)
def test_a_corrupt_draft_is_moved_aside_and_said(tmp_path, content, words):
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "broken.json").write_bytes(content)
    store = DraftStore(tmp_path)
    assert store.others() == []
    assert (folder / "broken.json.corrupt").read_bytes() == content
    assert not (folder / "broken.json").exists() and not (folder / "broken.lock").exists()
    [problem] = store.problems
    assert problem.startswith(f"A damaged draft was moved aside as {folder / 'broken.json.corrupt'} (") and words in problem


def test_the_old_single_draft_file_joins_the_drafts(tmp_path):
    (tmp_path / "draft.json").write_text(json.dumps(Draft({"name": "from 0.x"}).to_payload()))
    [info] = DraftStore(tmp_path).others()
    assert info.name == "from 0.x" and info.path.name.endswith("-legacy.json")
    assert not (tmp_path / "draft.json").exists()


HOLD = """
import sys, time
from offer_tui.drafts import Draft, DraftStore
store = DraftStore(sys.argv[1])
assert store.claim()
store.save(Draft({"name": "held by " + sys.argv[2]}, "personalized", "representations"))
print(store.id, flush=True)
sys.stdin.readline()  # hold the claim until the test says so
"""


def hold_draft(directory: Path, who: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(directory), who], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return proc, proc.stdout.readline().strip()


def test_another_process_owns_its_draft_until_it_ends(tmp_path):
    proc, draft_id = hold_draft(tmp_path, "process A")
    try:
        assert draft_id
        store = DraftStore(tmp_path)
        store.claim()
        assert store.others() == []  # alive elsewhere: neither offered nor deletable
    finally:
        proc.communicate("\n", timeout=20)
    [info] = store.others()  # the process ended without submitting: now it is an orphan
    assert info.id == draft_id and info.name == "held by process A"
