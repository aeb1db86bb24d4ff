"""Issue 7, item 18: server text never reaches the terminal raw, and a huge message is cut.

A placement or rule name holding an OSC 52 (clipboard write) and a clear-screen, and a 2 MB error
message, go through every place that prints or shows them: CLI tables and JSON, error messages
and hints, the failure screen, the placement and rule pickers.
"""

from __future__ import annotations

import json

from textual.widgets import Select, Static

from offer_tui.api import ApiError
from offer_tui.api.errors import error_from_body
from offer_tui.cli import EXIT_API, EXIT_OK, main
from offer_tui.demo import demo_settings
from offer_tui.ui.screens.failure import FailureScreen
from offer_tui.ui.steps.constraints import ConstraintsStep
from offer_tui.ui.steps.representations import RepresentationsStep
from test_ui_helpers import SIZE_WIDE, make_app, settle

OSC52 = "\x1b]52;c;ZXZpbA==\x07"
CLEAR = "\x1b[2J\x1b[H"
HOSTILE = f"Hero {OSC52}banner{CLEAR} \x9b31m\u202eevil"
TWO_MB = "A" * (2 * 1024 * 1024)
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


def clean(text: str) -> bool:
    return not any(c in text for c in RAW_CONTROLS)


def hostile_catalogue(server) -> tuple[str, str]:
    """Give the first placement and the first rule a hostile name; return their ids."""
    ids = []
    for key in ("placements", "offer-rules"):
        items, by_id = server.state.catalogue[key]
        bad = dict(items[0], name=HOSTILE)
        server.state.catalogue[key] = ((bad, *items[1:]), {**by_id, bad["id"]: bad})
        ids.append(bad["id"])
    return ids[0], ids[1]


def env(monkeypatch, server) -> None:
    settings = demo_settings(server)
    for name, value in {
        "OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
        "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
        "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox,
    }.items():
        monkeypatch.setenv(name, value)


def test_cli_tables_strip_escape_sequences_from_names(capsys, monkeypatch, server):
    env(monkeypatch, server)
    placement_id, rule_id = hostile_catalogue(server)
    for command in ("placements", "rules"):
        assert main([command]) == EXIT_OK
        out = capsys.readouterr().out
        assert clean(out)
        line = next(row for row in out.splitlines() if row.startswith(placement_id if command == "placements" else rule_id))
        assert "Hero banner" in line and "evil" in line and "52;c;" not in line and "[2J" not in line


def test_cli_json_keeps_the_exact_data_but_escapes_what_a_terminal_would_run(capsys, monkeypatch, server):
    env(monkeypatch, server)
    placement_id, _ = hostile_catalogue(server)
    assert main(["placements", "--json"]) == EXIT_OK
    out = capsys.readouterr().out
    assert clean(out)
    names = {p["id"]: p["name"] for p in json.loads(out)}
    assert names[placement_id] == HOSTILE  # data for scripts is unchanged


def test_a_2_mb_error_message_is_cut_and_cleaned(capsys, monkeypatch, server):
    env(monkeypatch, server)
    server.fail_next(400, path_prefix="/offer-rules",
                     body={"error_code": "400000", "message": OSC52 + TWO_MB, "title": None})
    assert main(["rules"]) == EXIT_API
    err = capsys.readouterr().err
    assert len(err) < 6000 and "more characters not shown" in err
    assert clean(err)


def test_every_text_of_an_api_error_is_terminal_safe_and_bounded():
    body = json.dumps({"type": "x", "title": f"Bad{CLEAR}", "detail": HOSTILE + TWO_MB,
                       "errors": [{"path": f"/name{OSC52}", "message": f"bad {CLEAR}name"}] * 80})
    error = error_from_body(400, body)
    assert clean(error.message) and len(error.message) < 2100
    assert clean(error.raw) and len(error.raw) < 4100
    assert all(clean(p) and clean(m) for p, m in error.field_errors)
    assert len(error.field_errors) == 51 and "30 more" in error.field_errors[-1][1]
    assert clean(str(error))
    hinted = ApiError("m", hint=f"check {OSC52}this", code=f"c{CLEAR}")
    assert clean(hinted.hint) and clean(hinted.code) and clean(str(hinted))


async def test_pickers_and_the_failure_screen_show_clean_text(server, tmp_path):
    placement_id, rule_id = hostile_catalogue(server)
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = pilot.app.wizard
        wizard.go_to("representations")
        await settle(pilot)
        select = wizard.query_one(RepresentationsStep).editors()[0].picker.select
        labels = [str(prompt) for prompt, value in select._options if value == placement_id]
        assert labels and clean(labels[0]) and "Hero banner" in labels[0]
        wizard.go_to("constraints")
        await settle(pilot)
        rule_select = wizard.query_one(ConstraintsStep).query(Select).last()
        rule_labels = [str(prompt) for step_select in wizard.query_one(ConstraintsStep).query(Select)
                       for prompt, value in step_select._options if value == rule_id]
        assert rule_select is not None and rule_labels and all(clean(label) for label in rule_labels)

        error = error_from_body(500, json.dumps({"error_code": "500000", "message": HOSTILE + TWO_MB}),
                                outcome_unknown=True)
        screen = FailureScreen(error, "personalized", "Some offer")
        await pilot.app.push_screen(screen)
        await settle(pilot)
        details = str(screen.query_one("#failure-details", Static).render())
        raw = str(screen.query_one("#failure-raw", Static).render())
        assert clean(details) and clean(raw)
        assert len(details) < 3000 and len(raw) < 4200


def test_library_get_and_list_print_clean_text_and_exact_json(capsys, monkeypatch, server):
    env(monkeypatch, server)
    body = {"name": HOSTILE, "status": "draft", "representations": []}
    server.state.add_offer("personalized", "dps:personalized-offer:00000000000000aa", body,
                           created="2026-01-01T00:00:00.000Z", modified="2099-01-01T00:00:00.000Z")
    for argv in (["get", "dps:personalized-offer:00000000000000aa"], ["list"]):
        assert main(argv) == EXIT_OK
        out = capsys.readouterr().out
        assert clean(out) and "Hero banner" in out
    assert main(["get", "dps:personalized-offer:00000000000000aa", "--json"]) == EXIT_OK
    out = capsys.readouterr().out
    assert clean(out) and json.loads(out)["name"] == HOSTILE
    assert main(["list", "--json"]) == EXIT_OK
    out = capsys.readouterr().out
    assert clean(out) and HOSTILE in [json.loads(line)["name"] for line in out.splitlines() if line.strip()]
