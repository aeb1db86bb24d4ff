"""A bulk run that must stop partway says why, prints its summary and exits 8 (issue 13, 2.8 and 3.2);
a hostile number is a row error, as in `validate` (3.3)."""

from __future__ import annotations

import errno
import json

import pytest
from bulk_support import creates, demo_env, stored_names, write_csv, write_template

from offer_tui.cli import main
from offer_tui.exit_codes import EXIT_INVALID, EXIT_STOPPED

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def env(server, monkeypatch):
    for key, value in demo_env(server).items():
        monkeypatch.setenv(key, value)
    return server


def run(capsys, *argv, command="bulk"):
    code = main([command, *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_full_disk_stops_the_run_with_its_summary_and_exit_8(env, tmp_path, capsys, monkeypatch):
    from offer_tui.bulk.journal import Journal

    commit = Journal._commit
    lines_written = {"n": 0}

    def disk_fills_up(self, data):
        # The disk is full once 40 lines (the header included) are on it.
        lines = data.count(b"\n")
        if lines_written["n"] + lines > 40:
            raise OSError(errno.ENOSPC, "No space left on device")
        lines_written["n"] += lines
        commit(self, data)

    monkeypatch.setattr(Journal, "_commit", disk_fills_up)
    rows = write_csv(tmp_path, 60)
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--concurrency", 4, "--json")
    assert code == EXIT_STOPPED, err
    assert "No space left on device" in err and "stopped early" in err
    assert "Future exception was never retrieved" not in err and "Traceback" not in err
    summary = json.loads(out)
    assert summary["exit_code"] == EXIT_STOPPED and summary["stopped"]
    assert summary["created"] == len(env.offers) > 0
    assert summary["created"] + summary["not_sent"] + summary["unknown"] + summary["refused"] == 60
    journal = rows.with_name("offers.csv.journal.jsonl").read_text()
    for name in {r["json"]["name"] for r in creates(env)}:  # every create that went out was journaled first
        assert f'"name": "{name}", "state": "sending"' in journal
    # Room again: the same command finishes the job, each row exactly once.
    monkeypatch.setattr(Journal, "_commit", commit)
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path))
    assert code == 0, err
    assert stored_names(env) == [f"Offer {i:05d}" for i in range(1, 61)]


def test_a_retry_after_longer_than_the_budget_stops_at_once_and_says_when(env, tmp_path, capsys):
    env.rate_limit_next(times=1, retry_after=86400, path_prefix="/offers", method="POST")
    rows = write_csv(tmp_path, 30)
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--concurrency", 2, "--json")
    assert code == EXIT_STOPPED, err
    assert "asked to wait 86400 s" in err and "come back at" in err and "--timeout" in err
    summary = json.loads(out)
    assert summary["stopped"] and summary["not_sent"] >= 1
    assert summary["created"] + summary["not_sent"] == 30
    assert len(env.offers) == summary["created"] < 30
    # The rows left unsent are sent by the same command later, none twice.
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path))
    assert code == 0, err
    assert stored_names(env) == [f"Offer {i:05d}" for i in range(1, 31)]


def test_a_short_retry_after_still_waits_and_finishes(env, tmp_path, capsys):
    env.rate_limit_next(times=2, retry_after=0.05, path_prefix="/offers", method="POST")
    rows = write_csv(tmp_path, 5)
    code, out, err = run(capsys, rows, "--template", write_template(tmp_path), "--json")
    assert code == 0, err
    assert json.loads(out)["rate_limited"] == 2 and len(env.offers) == 5


HUGE = "9" * 5000


def test_a_5000_digit_integer_in_json_lines_is_a_row_error_like_validate(env, tmp_path, capsys):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"name": "fine"}\n{"name": "huge", "rank": {"priority": ' + HUGE + '}}\n')
    code, out, err = run(capsys, path, "--template", write_template(tmp_path))
    assert code == EXIT_INVALID and "Traceback" not in err
    assert "row 2:" in err and "is an integer of 5,000 digits" in err
    assert creates(env) == []
    single = tmp_path / "one.json"
    single.write_text('{"name": "huge", "rank": {"priority": ' + HUGE + '}}')
    code, out, err = run(capsys, single, command="validate")
    assert code == EXIT_INVALID and "is an integer of 5,000 digits" in (out + err)


def test_a_5000_digit_integer_in_a_csv_json_cell_is_the_same_row_error(env, tmp_path, capsys):
    path = tmp_path / "rows.csv"
    path.write_text(f"name,rank.priority\nfine,1\nhuge,json:{HUGE}\n")
    code, out, err = run(capsys, path, "--template", write_template(tmp_path))
    assert code == EXIT_INVALID and "Traceback" not in err
    assert "row 2: rank.priority:" in err and "is an integer of 5,000 digits" in err
    assert creates(env) == []


def test_a_5000_digit_integer_in_a_csv_number_cell_is_refused_cleanly(env, tmp_path, capsys):
    path = tmp_path / "rows.csv"
    path.write_text(f"name,rank.priority\nhuge,{HUGE}\n")
    code, out, err = run(capsys, path, "--template", write_template(tmp_path))
    assert code == EXIT_INVALID and "Traceback" not in err and "row 1: rank.priority:" in err
    assert creates(env) == []
