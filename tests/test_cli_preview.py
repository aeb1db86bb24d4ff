"""`offer-tui preview` against the demo API over loopback: output, --json as returned, exit codes."""

from __future__ import annotations

import io
import json
import sys

import httpx
import pytest

from offer_tui.api.preview import CONTENT_TYPE
from offer_tui.cli import EXIT_API, EXIT_INVALID, EXIT_OK, main
from offer_tui.demo import demo_settings
from offer_tui.exit_codes import EXIT_USAGE
from preview_support import DECISION, DECISION_NAME, EXPECTED_WHY_NOT, IDS, NOW, add_side_rail_decision, seeded_server

pytestmark = pytest.mark.timeout(60)

ODS = "/data/core/ods/decisions"
BASE = ["preview", DECISION_NAME, "--placement", "Product page side rail", "--identity", "Email:jane@example.com"]


@pytest.fixture
def demo(monkeypatch):
    server = seeded_server().start()
    settings = demo_settings(server)
    for name, value in {
        "OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
        "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
        "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr("offer_tui.service.preview._now", lambda: NOW)  # the demo's clock is pinned too
    try:
        yield server
    finally:
        server.stop()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def posts(server) -> list[dict]:
    return [r for r in server.received if r["method"] == "POST" and r["path"] == ODS]


def test_the_offers_ranked_one_line_each_then_why_not(demo, capsys):
    code, out, err = run(capsys, *BASE)
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0] == "Side rail picks on Product page side rail for Email:jane@example.com (count 3)"
    assert lines[1].split() == ["RANK", "NAME", "ID", "SCORE", "CONTENT"]
    assert [line.split("  ")[0] for line in lines[2:5]] == ["1", "2", "3"]
    for line, name in zip(lines[2:5], ("Alpha 70", "Beta 70", "Gamma 60")):
        assert name in line and IDS[name] in line
    assert lines[2].split()[-4:] == ["70", "Alpha", "70:", "offer"]
    assert lines[5] == "why not the others:"
    assert sorted(lines[6:]) == sorted(f"  {name} ({IDS[name]}): {reason}" for name, reason in EXPECTED_WHY_NOT.items())
    assert err.count("may count toward capping and reporting") == 1


def test_the_fallback_line(demo, capsys):
    code, out, _err = run(capsys, "preview", "App home launch", "--placement", "App home card",
                          "--identity", "Email:jane@example.com", "--dry-run")
    assert code == EXIT_OK
    assert "fallback: Default app card (dps:fallback-offer:1e9d5c0000000018)" in out.splitlines()
    assert posts(demo)[0]["json"]["xdm:dryRun"] is True


def test_dry_run_sends_the_flag_and_drops_the_capping_note(demo, capsys):
    code, _out, err = run(capsys, *BASE, "--dry-run", "--count", "2")
    assert code == EXIT_OK and "capping" not in err
    assert posts(demo)[0]["json"]["xdm:propositionRequests"][0]["xdm:itemCount"] == 2


def test_json_prints_the_answer_as_returned(demo, capsys):
    code, out, _err = run(capsys, *BASE, "--json")
    assert code == EXIT_OK
    [sent] = posts(demo)
    # The evaluator is deterministic at a pinned clock: the same request gets the same answer.
    token = demo.issue_token()
    again = httpx.post(demo.url + ODS, content=json.dumps(sent["json"]), headers={
        "Authorization": f"Bearer {token}", "x-api-key": "demo-client-id-0000", "Content-Type": CONTENT_TYPE,
        "x-gw-ims-org-id": "DEMO0000000000000000000@AdobeOrg", "x-sandbox-name": "demo-sandbox"})
    assert json.loads(out) == again.json()
    assert [o["xdm:score"] for o in json.loads(out)["xdm:propositions"][0]["xdm:options"]] == [70.0, 70.0, 60.0]


def test_an_ambiguous_name_lists_the_matches_and_stops(demo, capsys):
    add_side_rail_decision(demo, decision_id="dps:offer-activity:5e6f708192a3b4ff")
    code, out, err = run(capsys, *BASE)
    assert code == EXIT_INVALID and out == ""
    assert f"2 decisions are named '{DECISION_NAME}': give the id" in err
    assert f"  {DECISION}  {DECISION_NAME}" in err.splitlines()
    assert "  dps:offer-activity:5e6f708192a3b4ff  Side rail picks" in err.splitlines()
    assert posts(demo) == []
    code, out, _err = run(capsys, "preview", DECISION, *BASE[2:])  # the id settles it
    assert code == EXIT_OK and "Alpha 70" in out


@pytest.mark.parametrize("extra, words", [
    (["--count", "0"], "The count must be from 1 to 30, not 0"),
    (["--count", "31"], "The count must be from 1 to 30, not 31"),
    (["--identity", "jane"], "An identity is NAMESPACE:VALUE"),
])
def test_bad_input_is_exit_1_and_sends_nothing(demo, capsys, extra, words):
    code, out, err = run(capsys, *BASE, *extra)
    assert code == EXIT_INVALID and out == "" and words in err
    assert demo.received == []  # not even a token


def test_unknown_names_are_exit_1(demo, capsys):
    code, _out, err = run(capsys, "preview", "Nope", *BASE[2:])
    assert code == EXIT_INVALID and "No decision has the id or the exact name 'Nope'" in err
    code, _out, err = run(capsys, "preview", "dps:offer-activity:0000000000000000", *BASE[2:])
    assert code == EXIT_INVALID and "No decision has the id or the exact name" in err
    code, _out, err = run(capsys, *BASE[:2], "--placement", "Homepage hero banner", *BASE[4:])
    assert code == EXIT_INVALID and "does not use the placement 'Homepage hero banner'" in err
    assert posts(demo) == []


def test_missing_flags_are_usage_errors(demo, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["preview", DECISION_NAME, "--identity", "Email:x"])
    assert caught.value.code == EXIT_USAGE


def test_429_retried_then_answered_and_refusals_are_exit_3(demo, capsys):
    demo.rate_limit_next(times=1, retry_after=0, path_prefix=ODS)
    code, out, _err = run(capsys, *BASE)
    assert code == EXIT_OK and "Alpha 70" in out
    assert [r["status"] for r in posts(demo)] == [429, 200]
    demo.fail_next(403, times=1, path_prefix=ODS, body={"error_code": "403025", "message": "Profile is not valid"})
    code, out, err = run(capsys, *BASE)
    assert code == EXIT_API and out == "" and "Profile is not valid" in err and "unknown" not in err
    demo.fail_next(500, times=20, path_prefix=ODS)
    code, _out, err = run(capsys, *BASE)
    assert code == EXIT_API and "unknown" not in err.lower()


def test_server_text_is_made_terminal_safe(demo, capsys):
    body = dict(demo.state.offers[IDS["Alpha 70"]]["body"])
    body["name"] = "Alpha\x1b]52;c;aGk=\x07 70\x1b[2J"
    rep = dict(body["representations"][0])
    rep["components"] = [{**rep["components"][0], "content": "<p>\x9b31mred\u202e</p>"}]
    body["representations"] = [rep]
    demo.state.offers[IDS["Alpha 70"]]["body"] = body
    code, out, _err = run(capsys, *BASE)
    assert code == EXIT_OK
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out and "\x07" not in out
    assert "Alpha 70" in out
