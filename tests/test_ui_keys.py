"""Keys and commands: F9's refusal says why, app keys work from every field, help and the palette
are generated from the bindings, and destructive commands ask first."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from offer_tui.demo import demo_settings
from offer_tui.ui.app import OfferTuiApp
from offer_tui.ui.keymap import help_table, key_label, user_bindings
from offer_tui.ui.screens.confirm import ConfirmScreen
from offer_tui.ui.screens.credentials import CredentialsScreen
from offer_tui.ui.screens.help import HelpScreen
from offer_tui.ui.screens.save import SaveJsonScreen
from offer_tui.ui.screens.wizard import WizardScreen
from offer_tui.ui.steps.representations import RepresentationsStep
from test_ui_helpers import SIZE_NARROW, SIZE_WIDE, make_app, settle

VALID = {
    "name": "Complete",
    "status": "draft",
    "representations": [{
        "channel": "https://ns.adobe.com/xdm/channel-types/web",
        "placement": "dps:offer-placement:1a2b3c4d5e6f7081",
        "components": [{"type": "html", "format": "text/html", "language": ["en-us"], "content": "<p>x</p>"}],
    }],
    "selectionConstraint": {"startDate": "2030-07-27T05:00:00.000+00:00",
                            "endDate": "2031-07-29T05:00:00.000+00:00", "profileConstraintType": "none"},
    "rank": {"priority": 0},
    "cappingConstraint": {},
}


def review_status(app: OfferTuiApp) -> str:
    return str(app.wizard.query_one("#review-status").render())


async def wait_for_status(pilot, prefix: str, tries: int = 50) -> str:
    """Review is mounted when F9 first shows it: its status line comes a few turns later (bounded)."""
    for _ in range(tries):
        if pilot.app.wizard.query("#review-status") and review_status(pilot.app).startswith(prefix):
            break
        await pilot.pause(0.02)
    return review_status(pilot.app)


async def content_area(pilot) -> TextArea:
    app = pilot.app
    await pilot.press("f4")
    await settle(pilot)
    step = app.wizard.query_one(RepresentationsStep)
    area = step.query_one(".comp-content", TextArea)
    area.focus()
    await pilot.pause()
    return area


# -- 11: F9 with errors says why ----------------------------------------------------------------------
async def test_f9_with_errors_says_how_many_and_that_they_come_first(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.wizard.current == "review"
        assert (await wait_for_status(pilot, "Not submitted")).startswith("Not submitted: 3 errors: fix them first")
        assert any("3 errors: fix them first" in str(n.message) for n in app._notifications)


async def test_the_refusal_goes_once_the_errors_are_fixed(server, tmp_path):
    path = tmp_path / "offer.json"
    path.write_text(json.dumps(VALID | {"name": ""}))
    app = make_app(demo_settings(server), tmp_path, from_file=str(path))
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert (await wait_for_status(pilot, "Not submitted")).startswith("Not submitted: 1 error: fix it first")
        await pilot.press("f3", "f3", "f3", "f3")  # back to Basics, the name field
        await settle(pilot)
        await pilot.press(*"Named")
        await settle(pilot)
        assert review_status(app) == ""


# -- 12: app keys from every field -----------------------------------------------------------------
async def test_ctrl_y_copies_from_the_content_editor_and_stays_in_the_footer(server, tmp_path, monkeypatch):
    app = make_app(demo_settings(server), tmp_path)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        area = await content_area(pilot)
        assert app.focused is area
        assert app.screen.active_bindings["ctrl+y"].binding.action == "copy_curl"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert len(copied) == 1 and copied[0].startswith("curl")
        assert any("$(offer-tui token)" in str(n.message) for n in app._notifications)
        assert "Copy curl" in str(app.screen.query_one("KeyFooter").render())


async def test_f6_opens_credentials_from_the_content_editor(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await content_area(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)


async def test_every_wizard_key_works_from_the_content_editor(server, tmp_path):
    """No binding of the wizard or the app is taken by the focused TextArea."""
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await content_area(pilot)
        active = app.screen.active_bindings
        for node, binding in user_bindings(app.screen, app):
            key = binding.key.split(",")[0]
            assert active[key].binding is binding or active[key].binding.action.endswith(binding.action), key


# -- 13: help and palette generated from the bindings ---------------------------------------------------
async def test_help_and_palette_show_every_binding(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen._text
        await pilot.press("escape")
        await settle(pilot)
        commands = list(app.get_system_commands(wizard))
        helps = [command.help for command in commands]
        bindings = user_bindings(wizard, app)
        keys = {key_label(binding.key) for _node, binding in bindings}
        assert {"F1", "F2", "F3", "F4", "F5", "F6", "F9", "ctrl+r", "ctrl+y", "ctrl+o", "ctrl+e", "ctrl+q"} <= keys
        for _node, binding in bindings:
            key = key_label(binding.key)
            assert f"| {key} | {binding.tooltip} |" in shown, key
            assert any(help.startswith(f"{key} ·") for help in helps), key
        assert "| Esc |" in shown
        titles = {command.title for command in commands}
        assert {"Credentials: profiles, keyring and a connection test",
                "Fetch placements and rules from the API again",
                "Edit the content box in $EDITOR (from a component's Content box)", "New empty offer"} <= titles


def test_help_table_is_built_from_the_bindings_not_a_copy():
    table = help_table(WizardScreen(), OfferTuiApp())
    for binding in [*WizardScreen.BINDINGS, *OfferTuiApp.BINDINGS]:
        assert key_label(binding.key) in table


async def test_a_palette_command_runs_its_binding_action(server, tmp_path, monkeypatch):
    app = make_app(demo_settings(server), tmp_path)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"copy as curl")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert len(copied) == 1
        # Disabled where it does not apply: said, not silently dropped.
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"content box in $EDITOR")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert any("Not available here" in str(n.message) for n in app._notifications)


# -- 14: destructive actions ask first -----------------------------------------------------------------
async def test_new_empty_offer_asks_before_discarding(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path, draft_delay=0.01)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        await pilot.press(*"Keep me")
        app.flush_draft()
        for answer, kept in (("n", True), ("y", False)):
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"new empty offer", "enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert "Discard the offer 'Keep me'" in str(app.screen.query_one("#confirm-question").render())
            await pilot.press(answer)
            await settle(pilot)
            assert (app.wizard.query_one("#name", Input).value == "Keep me") is kept
            assert (app.saver.store.load() is not None) is kept


async def test_save_json_asks_before_replacing_and_reports_the_absolute_path(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "there.json"
    existing.write_text("precious")
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press(*"Saved")
        for answer in ("n", "y"):
            if not isinstance(app.screen, SaveJsonScreen):
                await pilot.press("ctrl+o")
                await settle(pilot)
            app.screen.query_one("#save-path", Input).value = "there.json"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert f"{existing} exists" in str(app.screen.query_one("#confirm-question").render())
            await pilot.press(answer)
            await settle(pilot)
            if answer == "n":
                assert isinstance(app.screen, SaveJsonScreen) and existing.read_text() == "precious"
        assert not isinstance(app.screen, SaveJsonScreen)
        assert existing.read_text().startswith("{")
        assert any(str(n.message) == f"Saved {existing}" for n in app._notifications)
        assert os.path.isabs(str(existing))


# -- snapshots ------------------------------------------------------------------------------------------
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def snap_settle(pilot) -> None:
    await settle(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_f9_refused(snap_compare, server, tmp_path, size):
    async def run_before(pilot) -> None:
        await snap_settle(pilot)
        await pilot.press("f9")
        await snap_settle(pilot)
        pilot.app.clear_notifications()  # the status line on Review is what stays
        await snap_settle(pilot)

    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_help(snap_compare, server, tmp_path, size):
    async def run_before(pilot) -> None:
        await snap_settle(pilot)
        await pilot.press("f1")
        await snap_settle(pilot)
        pilot.app.screen.query_one("VerticalScroll").scroll_end(animate=False)  # the key table
        await snap_settle(pilot)

    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_new_offer_confirm(snap_compare, server, tmp_path, size):
    async def run_before(pilot) -> None:
        await snap_settle(pilot)
        await pilot.press(*"Spring sale")
        pilot.app._new_offer()
        await snap_settle(pilot)

    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_save_overwrite_confirm(snap_compare, server, tmp_path, size, monkeypatch):
    fixed = Path(tempfile.gettempdir()) / "offer-tui-snapshot"  # the same path in every run
    fixed.mkdir(exist_ok=True)
    monkeypatch.chdir(fixed)
    target = fixed / "offer.json"
    target.write_text("{}")

    async def run_before(pilot) -> None:
        await snap_settle(pilot)
        await pilot.press("ctrl+o")
        await snap_settle(pilot)
        pilot.app.screen.query_one("#save-path", Input).value = target.name
        await pilot.press("enter")
        await snap_settle(pilot)

    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=run_before)
