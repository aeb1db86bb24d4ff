"""Regressions found by driving the integrated app as a user would (tmux, 80x24 and 120x40)."""

from __future__ import annotations

from textual.widgets import Input

from offer_tui.demo import demo_settings
from test_ui_helpers import SIZE_WIDE, make_app


async def test_keys_typed_while_the_next_step_mounts_never_reach_a_hidden_field(server, tmp_path):
    """Name, F4, F4, then typing at once (a loaded jump host, a burst over SSH): the letters went into
    the hidden Name field while Constraints was shown, because the focus stayed there until the
    step had mounted."""
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await pilot.pause()
        wizard = app.wizard
        name = wizard.query_one("#name", Input)
        await pilot.press(*"Name")
        assert not wizard.steps["constraints"].composed  # the user is quicker than the idle mount
        wizard.go_to("representations")
        wizard.go_to("constraints")
        assert app.focused is None or app.focused.display and wizard.current == "constraints"
        assert app.focused is not name
        await pilot.press(*"QQ")
        assert name.value == "Name"
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert wizard.current == "constraints" and app.focused is not name


def test_a_patch_line_shows_where_a_long_text_changed():
    """Editing the end of a long description showed `"Winter sale ... offer-tui..." -> "Winter sale ...
    offer-tui..."`: the same text twice, the change invisible on Review and in `update --dry-run`."""
    from offer_tui.model.patch import patch_lines

    before = {"description": "Winter sale in the app: 20% off. Seeded by the offer-tui demo server."}
    ops = [{"op": "replace", "path": "/description", "value": before["description"] + " EDITED"}]
    (line,) = patch_lines(ops, before, width=40)
    old, new = line.split(": ", 1)[1].split(" -> ")
    assert old != new and "EDITED" in new and len(new) <= 40
    short = [{"op": "replace", "path": "/name", "value": "B"}]
    assert patch_lines(short, {"name": "A"}) == ['replace /name: "A" -> "B"']


async def test_a_settled_unknown_status_change_is_titled_with_what_the_re_read_found(tmp_path):
    """A 500 on Approve, then the re-read shows the old etag: the toast was titled "Approve: outcome
    unknown" while its last sentence said "it was not applied; you may send it again"."""
    from library_support import wait_for_screen

    from offer_tui.demo import DemoServer
    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.library import LibraryScreen
    from test_ui_helpers import settle

    with DemoServer(seed_offers=30) as seeded:
        app = make_app(demo_settings(seeded), tmp_path, start="library")
        async with app.run_test(size=SIZE_WIDE) as pilot:
            library = await wait_for_screen(pilot, LibraryScreen)
            for _ in range(200):
                if library.table.row_count:
                    break
                await pilot.pause(0.05)
            for process_first, verdict in ((False, "not applied"), (True, "applied")):
                seeded.fail_next(500, process_first=process_first, method="PATCH")
                await pilot.press("a" if verdict == "not applied" else "x")
                await wait_for_screen(pilot, ConfirmScreen)
                await pilot.press("y")
                await settle(pilot)
                note = app._notifications and list(app._notifications)[-1]
                assert note.title.endswith(f": {verdict}"), note.title
                assert str(note.message).startswith("The server")  # the re-read's finding leads


def test_the_library_says_open_date_windows_in_words():
    """A fallback offer without dates showed `- - -` and an offer without an end `2026-01-01 - -`."""
    from offer_tui.ui.widgets.offer_table import COLUMNS, row_cells

    column = [key for key, _ in COLUMNS].index("window")  # by name: the columns' order is the table's to choose

    def window(sc):
        return row_cells({"id": "dps:fallback-offer:1", "name": "x", "selectionConstraint": sc}, "fallback")[1][column]

    assert window({}) == "any time"
    assert window({"startDate": "2026-01-01T00:00:00.000+00:00"}) == "from 2026-01-01"
    assert window({"endDate": "2027-01-15T23:59:59.000+00:00"}) == "until 2027-01-15"
    assert window({"startDate": "2026-12-01T00:00:00Z", "endDate": "2027-01-15T00:00:00Z"}) == "2026-12-01 - 2027-01-15"


def test_the_wizard_without_a_terminal_says_so_at_once_instead_of_waiting_forever():
    """`offer-tui --demo </dev/null 2>log` (cron, CI, a script by mistake) drew escape codes into the
    pipe and waited for keys until killed."""
    import subprocess
    import sys

    try:
        done = subprocess.run([sys.executable, "-m", "offer_tui", "--demo"], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        raise AssertionError("the wizard waited for a terminal that does not exist") from None
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr and "\x1b[" not in done.stderr + done.stdout


def test_the_insecure_storage_warning_is_said_once_not_warning_warning(server, fail_keyring, monkeypatch, capsys):
    """`offer-tui --insecure-storage list` printed `warning: WARNING: --insecure-storage is on ...`."""
    from offer_tui.cli import main

    settings = demo_settings(server)
    for key, value in (("ENDPOINT", settings.endpoint), ("IMS_URL", settings.ims_url),
                       ("CLIENT_ID", settings.client_id), ("CLIENT_SECRET", settings.client_secret),
                       ("IMS_ORG", settings.ims_org), ("SANDBOX", settings.sandbox)):
        monkeypatch.setenv(f"OFFER_TUI_{key}", value)
    assert main(["--insecure-storage", "list", "--limit", "1"]) == 0
    err = capsys.readouterr().err
    assert "WARNING: --insecure-storage is on" in err and "warning: WARNING" not in err
