"""The bulk journal: durable lines, a lock, a torn tail, a fingerprint."""

from __future__ import annotations

import asyncio
import json

import pytest

from offer_tui.bulk import Journal, JournalError


def test_lines_are_on_disk_when_record_returns_and_states_survive_a_reopen(tmp_path):
    path = tmp_path / "j.jsonl"

    async def go():
        with Journal.open(path, "fp1", {"file": "x.csv"}) as journal:
            assert not journal.resumed
            await journal.record(1, "A", "sending")
            assert json.loads(path.read_text().splitlines()[-1])["state"] == "sending"
            await asyncio.gather(journal.record(1, "A", "created", id="dps:1"), journal.record(2, "B", "sending"),
                                 journal.record(3, "C", "unknown", reason="HTTP 500"))

    asyncio.run(go())
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["journal"] == "offer-tui bulk" and lines[0]["fingerprint"] == "fp1"
    assert {"row": 1, "state": "created", "id": "dps:1"}.items() <= lines[2].items()
    with Journal.open(path, "fp1") as journal:
        assert journal.resumed
        assert [journal.state(n) for n in (1, 2, 3, 4)] == ["created", "sending", "unknown", None]


def test_a_torn_last_line_is_ignored_and_cut_before_appending(tmp_path):
    path = tmp_path / "j.jsonl"

    async def write(journal, *entries):
        for row, state in entries:
            await journal.record(row, f"n{row}", state)

    with Journal.open(path, "fp") as journal:
        asyncio.run(write(journal, (1, "sending"), (1, "created")))
    with open(path, "ab") as handle:
        handle.write(b'{"row": 2, "name": "n2", "sta')  # kill -9 in the middle of a write
    with Journal.open(path, "fp") as journal:
        assert journal.state(1) == "created" and journal.state(2) is None
        asyncio.run(write(journal, (2, "sending")))
    assert [json.loads(line)["state"] for line in path.read_text().splitlines()[1:]] == ["sending", "created", "sending"]


def test_a_journal_of_another_input_is_refused(tmp_path):
    path = tmp_path / "j.jsonl"
    Journal.open(path, "fp-of-file-a").close()
    with pytest.raises(JournalError, match="another input"):
        Journal.open(path, "fp-of-file-b")


def test_a_damaged_middle_line_or_a_foreign_file_is_refused(tmp_path):
    path = tmp_path / "j.jsonl"
    Journal.open(path, "fp").close()
    with open(path, "a") as handle:
        handle.write("garbage\n{\"row\": 1, \"state\": \"sending\"}\n")
    with pytest.raises(JournalError, match="line 2 is damaged"):
        Journal.open(path, "fp")
    other = tmp_path / "notes.txt"
    other.write_text('{"hello": 1}\n')
    with pytest.raises(JournalError, match="not an offer-tui bulk journal"):
        Journal.open(other, "fp")


def test_two_runs_cannot_hold_one_journal(tmp_path):
    path = tmp_path / "j.jsonl"
    first = Journal.open(path, "fp")
    try:
        with pytest.raises(JournalError, match="another offer-tui run"):
            Journal.open(path, "fp")
    finally:
        first.close()
    Journal.open(path, "fp").close()  # free again once the first run is done


def test_a_failed_write_leaves_no_future_exception_never_retrieved(tmp_path, monkeypatch):
    """A full disk used to end a bulk run with "Future exception was never retrieved": lines queued
    by rows that were then never sent kept their error. drain() reports it; the futures are quiet."""
    import errno
    import gc

    def disk_full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Journal, "_commit", disk_full)
    complaints, errors = [], []

    async def go():
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: complaints.append(context["message"]))
        with Journal.open(tmp_path / "j.jsonl", "fp") as journal:
            queued = [journal.record_soon(row, f"n{row}", "sending") for row in range(3)]
            for attempt in (journal.drain, lambda: journal.record_soon(4, "n4", "sending")):
                try:  # not pytest.raises: its traceback would keep the futures alive past the check
                    result = attempt()
                    if asyncio.iscoroutine(result):
                        await result
                except JournalError as error:
                    errors.append(str(error))
            del queued
        del journal, attempt
        gc.collect()  # the journal's failure and the futures form a cycle: collect it while the loop runs

    asyncio.run(go())
    assert len(errors) == 2 and all("No space left" in e for e in errors)
    assert complaints == []
