"""`offer-tui bulk` against the demo API over loopback: journal, faults, resumption, exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bulk_support import creates, demo_env, stored_names, write_csv, write_template

from offer_tui.cli import main
from offer_tui.demo import DemoServer

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(server, monkeypatch):
    for key, value in demo_env(server).items():
        monkeypatch.setenv(key, value)
    return server


def run(capsys, *argv):
    code = main(["bulk", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def journal_states(path: Path) -> list[tuple[int, str]]:
    return [(e["row"], e["state"]) for e in map(json.loads, path.read_text().splitlines()[1:])]


def test_a_run_creates_every_row_once_with_one_token_and_a_journal(env, tmp_path, capsys):
    rows = write_csv(tmp_path, 30)
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--concurrency", 8, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["created"] == 30 and summary["exit_code"] == 0 and summary["requests_sent"] == 30
    assert stored_names(env) == [f"Offer {i:05d}" for i in range(1, 31)]
    assert env.token_mints == 1
    journal = rows.with_name("offers.csv.journal.jsonl")
    assert summary["journal"] == str(journal)
    states = journal_states(journal)
    assert sorted(s for s in states if s[1] == "created") == [(i, "created") for i in range(1, 31)]
    for row in range(1, 31):  # the "sending" line comes before the "created" one
        assert states.index((row, "sending")) < states.index((row, "created"))
    # The same command again: every row is already created, nothing is sent.
    before = len(creates(env))
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--json")
    assert code == 0 and json.loads(out)["created_earlier"] == 30 and len(creates(env)) == before
    assert "resuming" in err


def test_a_bad_row_in_the_middle_sends_nothing_and_names_row_and_path(env, tmp_path, capsys):
    rows = write_csv(tmp_path, 40, bad={20: "urgent"})
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--json")
    assert code == 1
    assert "row 20: rank.priority: expected a number" in err and "nothing was sent" in err
    assert json.loads(out) == {"total": 40, "invalid_rows": [20], "sent": 0, "exit_code": 1}
    assert creates(env) == [] and not rows.with_name("offers.csv.journal.jsonl").exists()


def test_skip_invalid_sends_the_rest_and_journals_the_bad_row_as_skipped(env, tmp_path, capsys):
    rows = write_csv(tmp_path, 5, bad={3: "x"})
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--skip-invalid", "--json")
    assert code == 1  # the worst row's: an invalid row
    assert json.loads(out)["created"] == 4 and len(env.offers) == 4
    assert (3, "skipped") in journal_states(rows.with_name("offers.csv.journal.jsonl"))


def test_dry_run_prints_the_bodies_and_sends_nothing(env, tmp_path, capsys):
    rows = write_csv(tmp_path, 3)
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--dry-run")
    assert code == 0 and "nothing was sent" in err
    assert [json.loads(line)["name"] for line in out.splitlines()] == ["Offer 00001", "Offer 00002", "Offer 00003"]
    assert env.received == []


def test_creates_answered_500_after_storing_end_unknown_and_the_rerun_creates_only_the_missing(env, tmp_path, capsys):
    rows = write_csv(tmp_path, 12)
    template = write_template(tmp_path)
    # Two creates are stored and then answered 500; two more are answered 500 without storing.
    env.fail_next(500, times=2, path_prefix="/offers", method="POST", process_first=True)
    env.fail_next(500, times=2, path_prefix="/offers", method="POST")
    code, out, err = run(capsys, rows, "--template", template, "--concurrency", 1, "--json")
    assert code == 4, err
    summary = json.loads(out)
    assert summary["unknown"] == 4 and summary["created"] == 8
    assert len(env.offers) == 10
    unknown_rows = sorted(p["row"] for p in summary["problems"])
    assert unknown_rows == [1, 2, 3, 4] and "row 1: unknown" in err

    code, out, err = run(capsys, rows, "--template", template, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["created_earlier"] == 8 and summary["resolved_by_name"] == 2 and summary["requests_sent"] == 2
    assert stored_names(env) == [f"Offer {i:05d}" for i in range(1, 13)]  # each exactly once
    assert len(creates(env)) == 12 + 2


def test_a_429_storm_slows_the_whole_run_and_loses_no_row(env, tmp_path, capsys):
    rows = write_csv(tmp_path, 24)
    env.rate_limit_next(times=20, retry_after=0.05, path_prefix="/offers", method="POST")
    started = time.monotonic()
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--concurrency", 4, "--json")
    elapsed = time.monotonic() - started
    assert code == 0, err
    summary = json.loads(out)
    assert summary["created"] == 24 and summary["rate_limited"] == 20
    assert stored_names(env) == [f"Offer {i:05d}" for i in range(1, 25)]
    assert len(creates(env)) == 24 + 20
    # Each 429 closed the gate for everyone for its Retry-After: the run took at least
    # one wait per burst of in-flight 429s (20 answers, at most 4 in flight at once).
    assert elapsed >= 20 / 4 * 0.05


def test_a_second_run_on_the_same_journal_is_refused_while_the_first_holds_it(env, tmp_path, capsys):
    from offer_tui.bulk import Journal, RowSource

    rows = write_csv(tmp_path, 2)
    template = write_template(tmp_path)
    fingerprint = RowSource(rows, template=template).fingerprint()
    holder = Journal.open(rows.with_name("offers.csv.journal.jsonl"), fingerprint)
    try:
        code, out, err = run(capsys, rows, "--template", template)
    finally:
        holder.close()
    assert code == 1 and "another offer-tui run" in err and creates(env) == []


def test_a_journal_from_another_file_is_refused(env, tmp_path, capsys):
    rows = write_csv(tmp_path, 2)
    template = write_template(tmp_path)
    journal = tmp_path / "j.jsonl"
    assert run(capsys, rows, "--template", template, "--journal", journal)[0] == 0
    other = write_csv(tmp_path, 3, prefix="Other", name="other.csv")
    code, out, err = run(capsys, other, "--template", template, "--journal", journal)
    assert code == 1 and "belongs to another input" in err
    assert len(env.offers) == 2


class HoldingServer(DemoServer):
    """A demo API that holds every create after the first ``hold_after`` until released.

    The run can then never finish before the test stops it: no race between "enough creates seen"
    and the signal (the old version lost it now and then on a busy machine). ``latency`` is read
    by each request's handler thread, so that is where it waits.
    """

    hold_after = 80

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.release = threading.Event()
        self.held = 0
        # Only creates are held: a lookup by name sent while the run winds down after the signal
        # must be answered, or the child would wait on the test (seen once under load: 20 s).
        self._request = threading.local()
        record = self.state.record

        def recording(entry):
            self._request.method = entry.get("method")
            return record(entry)

        self.state.record = recording

    @property
    def latency(self) -> float:
        if getattr(self._request, "method", None) != "POST":
            return 0.0
        if not self.release.is_set() and len(creates(self)) > self.hold_after:
            self.held += 1
            self.release.wait(30)  # bounded: teardown releases it in any case
        return 0.0


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_a_run_stopped_in_the_middle_then_the_same_command_leaves_every_row_exactly_once(
        stop, tmp_path, capsys, monkeypatch):
    server = HoldingServer().start()
    try:
        _stop_and_rerun(server, stop, tmp_path, capsys, monkeypatch)
    finally:
        server.release.set()
        server.stop()


def _stop_and_rerun(server, stop, tmp_path, capsys, monkeypatch):
    rows = write_csv(tmp_path, 200)
    template = write_template(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFER_TUI_")}
    env.update(demo_env(server), OFFER_TUI_CONFIG_DIR=str(tmp_path / "c"), OFFER_TUI_STATE_DIR=str(tmp_path / "s"),
               PYTHONPATH=str(ROOT), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    argv = ["bulk", str(rows), "--template", str(template), "--concurrency", "8"]
    # A shell runs a background job (CI's runner may be one) with SIGINT ignored, and the child
    # would inherit that: Ctrl-C is what this test is about, so give the child the terminal's default.
    child = subprocess.Popen([sys.executable, "-m", "offer_tui", *argv], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 30
        # Wait until creates are held in flight: the run is then stuck in the middle until released.
        while server.held == 0 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.01)
        assert child.poll() is None and server.held, "the run did not reach the held creates"
        os.kill(child.pid, stop)
        child_err = child.communicate(timeout=20)[1].decode()
    finally:
        if child.poll() is None:
            child.kill()
    if stop == signal.SIGINT:
        assert child.returncode == 130 and "run the same command again" in child_err
        assert "Traceback" not in child_err
    # The creates held in flight land now (the server stores them; nobody hears back).
    server.release.set()
    deadline = time.monotonic() + 20
    while any(r["status"] is None for r in creates(server)) and time.monotonic() < deadline:
        time.sleep(0.01)
    first = len(server.offers)
    assert 0 < first < 200
    for key, value in demo_env(server).items():
        monkeypatch.setenv(key, value)
    before = len(creates(server))
    code, out, err = run(capsys, *argv[1:], "--json")
    assert code == 0, err
    summary = json.loads(out)
    names = stored_names(server)
    assert names == [f"Offer {i:05d}" for i in range(1, 201)]  # every row exactly once
    assert len(set(names)) == len(server.offers) == 200
    assert summary["created"] + summary["already_in_target"] == 200
    assert summary["requests_sent"] == len(creates(server)) - before
    assert summary["created_earlier"] + summary["resolved_by_name"] + summary["requests_sent"] \
        + summary["already_in_target"] == 200


def test_a_refusal_every_row_would_meet_stops_the_run(env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OFFER_TUI_SANDBOX", "not-this-one")  # 403 "Profile is not valid" on every request
    rows = write_csv(tmp_path, 40)
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--concurrency", 2, "--json")
    assert code == 3
    summary = json.loads(out)
    assert summary["created"] == 0 and summary["stopped"] and "403" in summary["stopped"]
    assert len(creates(env)) <= 2 + 2  # the rows already in flight, not 40 refusals one by one
    assert summary["not_sent"] + summary["refused"] == 40 and "stopped early" in err


def test_when_the_journal_cannot_be_written_nothing_unjournaled_is_sent(env, tmp_path, capsys, monkeypatch):
    from offer_tui.bulk.journal import Journal

    commit = Journal._commit

    def failing_commit(self, data):
        # The disk fills up when row 12's "sending" line is written (lines are committed in batches).
        if any(json.loads(line)["row"] >= 12 for line in data.decode().splitlines()):
            raise OSError(28, "No space left on device")
        commit(self, data)

    monkeypatch.setattr(Journal, "_commit", failing_commit)
    rows = write_csv(tmp_path, 30)
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--concurrency", 4)
    assert code == 8 and "journal cannot be written" in err and "No space left" in err and "stopped early" in err
    journal = rows.with_name("offers.csv.journal.jsonl").read_text()
    sent = {r["json"]["name"] for r in creates(env)}
    assert sent and all(name < "Offer 00012" for name in sent)
    for name in sent:  # every create that went out was journaled first
        assert f'"name": "{name}", "state": "sending"' in journal


def test_an_over_long_line_is_a_row_error_not_a_memory_spike(env, tmp_path, capsys):
    from offer_tui.bulk.rows import MAX_ROW_BYTES

    path = tmp_path / "big.jsonl"
    with open(path, "w") as handle:
        handle.write('{"name": "ok"}\n')
        handle.write('{"name": "' + "x" * (MAX_ROW_BYTES + 10) + '"}\n')
        handle.write('{"name": "also ok"}\n')
    code, out, err = run(capsys, path, "--template", write_template(tmp_path))
    assert code == 1 and "row 2: (row): longer than" in err and creates(env) == []


def test_a_run_that_would_pass_the_sandbox_limit_says_so_before_sending(tmp_path, capsys, monkeypatch):
    with DemoServer(seed_offers=9_990) as server:
        for key, value in demo_env(server).items():
            monkeypatch.setenv(key, value)
        code, out, err = run(capsys, write_csv(tmp_path, 20), "--template", write_template(tmp_path))
    assert code == 0, err
    # The seed's fallbacks count too: the limit is on offers of both types.
    warning = next(line for line in err.splitlines() if "offers in the sandbox" in line)
    assert warning.startswith("warning: ") and "would pass Adobe's published limit of 10,000" in warning


def test_a_small_run_has_no_limit_warning(env, tmp_path, capsys):
    code, out, err = run(capsys, write_csv(tmp_path, 3), "--template", write_template(tmp_path))
    assert code == 0 and "published limit" not in err
