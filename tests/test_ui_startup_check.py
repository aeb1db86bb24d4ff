"""The credentials are tested once after the first frame: the badge and one notice say the result."""

from __future__ import annotations

import pytest

from offer_tui.credentials import KeyringStore
from offer_tui.demo import DEMO_CLIENT_SECRET
from offer_tui.ui.widgets.profile_badge import ProfileBadge
from test_ui_helpers import SIZE_NARROW, SIZE_WIDE, settle
from test_ui_session import add_profile, make_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_wrong_client_secret_shows_at_start_up(server, tmp_path):
    add_profile(server, "dev", production=False)
    KeyringStore().set_client_secret("dev", "wrong-" + DEMO_CLIENT_SECRET)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        badge = app.wizard.query_one(ProfileBadge)
        assert str(badge.render()) == "dev · demo-sandbox ✗" and badge.has_class("-failed")
        [notice] = [n for n in notices(app) if "cannot get a token" in n]
        assert "invalid_client" in notice and "F6: check profile dev" in notice
        assert "wrong-" + DEMO_CLIENT_SECRET not in notice
        assert app.wizard.current == "basics"  # nothing was sent, nothing moved
    assert not [r for r in server.received if r["method"] == "POST" and r["path"].endswith("/offers")]


async def test_working_credentials_get_a_tick_and_a_token_for_later(server, tmp_path):
    add_profile(server, "dev", production=False)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        badge = app.wizard.query_one(ProfileBadge)
        assert str(badge.render()) == "dev · demo-sandbox ✓" and not badge.has_class("-failed")
        assert sum("token valid for" in n for n in notices(app)) == 1
    assert server.token_mints == 1
    # The token was cached: the next start checks without minting again.
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        assert str(again.wizard.query_one(ProfileBadge).render()) == "dev · demo-sandbox ✓"
    assert server.token_mints == 1


async def test_demo_mode_checks_nothing(tmp_path):
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        assert app.connection.check_result is None
        assert not any("token" in n for n in notices(app))
        assert app.connection.demo_server is None  # the demo API still starts on first need only


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_wrong_secret_at_start_up(snap_compare, server, tmp_path, size):
    add_profile(server, "dev", production=False)
    KeyringStore().set_client_secret("dev", "wrong-" + DEMO_CLIENT_SECRET)

    async def run_before(pilot) -> None:
        await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=run_before)


async def test_a_wrong_environment_secret_is_named(server, tmp_path, monkeypatch):
    add_profile(server, "dev", production=False)  # the saved secret is right
    monkeypatch.setenv("OFFER_TUI_CLIENT_SECRET", "wrong-" + DEMO_CLIENT_SECRET)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        assert str(app.wizard.query_one(ProfileBadge).render()) == "dev · demo-sandbox ✗"
        [notice] = [n for n in notices(app) if "cannot get a token" in n]
        assert "unset OFFER_TUI_CLIENT_SECRET" in notice
        assert "wrong-" + DEMO_CLIENT_SECRET not in notice
