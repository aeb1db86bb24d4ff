"""Bulk never duplicates, even without its journal (issue 13, section 4).

Each case below was measured creating duplicates before: an emptied or deleted journal, a journal
cut mid-line, two runs with different --journal paths, and following the advice "Give --journal a
new path" after the input changed. The name is the key: a row without a journal record is skipped
as "already exists" when the sandbox has an offer of that name, unless --allow-duplicates.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from bulk_support import creates, demo_env, stored_names, write_csv, write_template

from offer_tui.cli import main

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def env(server, monkeypatch):
    for key, value in demo_env(server).items():
        monkeypatch.setenv(key, value)
    return server


def run(capsys, *argv):
    code = main(["bulk", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def duplicates(server) -> dict[str, int]:
    return {name: n for name, n in Counter(stored_names(server)).items() if n > 1}


def first_run(env, tmp_path, capsys, rows=20):
    path = write_csv(tmp_path, rows)
    template = write_template(tmp_path)
    code, out, err = run(capsys, path, "--template", template)
    assert code == 0, err
    assert len(env.offers) == rows
    return path, template, path.with_name("offers.csv.journal.jsonl")


def test_an_emptied_journal_creates_no_duplicate(env, tmp_path, capsys):
    path, template, journal = first_run(env, tmp_path, capsys)
    journal.write_text("")
    sent = len(creates(env))
    code, out, err = run(capsys, path, "--template", template, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["already_in_target"] == 20 and summary["requests_sent"] == 0
    assert duplicates(env) == {} and len(creates(env)) == sent
    assert "row 1: skipped 'Offer 00001': already in the target" in err


def test_a_deleted_journal_creates_no_duplicate(env, tmp_path, capsys):
    path, template, journal = first_run(env, tmp_path, capsys)
    journal.unlink()
    code, out, err = run(capsys, path, "--template", template)
    assert code == 0, err
    assert duplicates(env) == {} and len(env.offers) == 20


def test_a_journal_cut_mid_line_creates_no_duplicate_and_is_reported(env, tmp_path, capsys):
    path, template, journal = first_run(env, tmp_path, capsys)
    data = journal.read_bytes()
    journal.write_bytes(data[: len(data) * 2 // 3 - 7])  # cut in the middle of a line
    code, out, err = run(capsys, path, "--template", template)
    assert code == 0, err
    assert duplicates(env) == {} and len(env.offers) == 20
    assert "cut off" in err  # the damaged line is reported, not silently accepted


def test_a_damaged_line_that_parses_is_reported_not_silently_accepted(env, tmp_path, capsys):
    path, template, journal = first_run(env, tmp_path, capsys, rows=3)
    with open(journal, "a") as handle:
        handle.write('{"row": "two", "state": "created"}\n')
    code, out, err = run(capsys, path, "--template", template)
    assert "line 8" in err and "not a journal entry" in err
    assert duplicates(env) == {} and len(env.offers) == 3


def test_two_runs_with_different_journal_paths_create_no_duplicate(env, tmp_path, capsys):
    path = write_csv(tmp_path, 20)
    template = write_template(tmp_path)
    assert run(capsys, path, "--template", template, "--journal", tmp_path / "a.jsonl")[0] == 0
    code, out, err = run(capsys, path, "--template", template, "--journal", tmp_path / "b.jsonl", "--json")
    assert code == 0, err
    assert json.loads(out)["already_in_target"] == 20
    assert duplicates(env) == {} and len(env.offers) == 20


def test_following_the_advice_after_the_input_changed_creates_no_duplicate(env, tmp_path, capsys):
    path, template, journal = first_run(env, tmp_path, capsys)
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace("<p>row 3</p>", "<p>row 3 edited</p>")
    lines.append("Offer 00021,1,<p>row 21</p>")
    path.write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, path, "--template", template)
    assert code == 1 and "Give --journal a new path" in err, (code, err[-600:])
    code, out, err = run(capsys, path, "--template", template, "--journal", tmp_path / "new.jsonl", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["created"] == 1 and summary["already_in_target"] == 20
    assert duplicates(env) == {} and len(env.offers) == 21


def test_allow_duplicates_sends_them_anyway(env, tmp_path, capsys):
    path, template, journal = first_run(env, tmp_path, capsys, rows=3)
    journal.unlink()
    code, out, err = run(capsys, path, "--template", template, "--allow-duplicates")
    assert code == 0, err
    assert duplicates(env) == {f"Offer {i:05d}": 2 for i in (1, 2, 3)}


def test_names_are_listed_once_in_pages_not_looked_up_row_by_row(env, tmp_path, capsys):
    env.seed(2500)
    path = write_csv(tmp_path, 10)
    code, out, err = run(capsys, path, "--template", write_template(tmp_path))
    assert code == 0, err
    listings = [r for r in env.received if r["method"] == "GET" and r["rel"] == "/offers"]
    assert 1 <= len(listings) <= 5  # pages of up to 1000, not one lookup per row
    assert not any(v.startswith("name==") for r in listings for k, v in r["query_pairs"] if k == "property")
