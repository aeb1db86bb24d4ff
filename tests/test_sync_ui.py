"""The Sandboxes view, driven with Pilot against two demo sandboxes over loopback."""

from __future__ import annotations

import pytest
from library_support import wait_for_screen, wait_until

from offer_tui.api import OfferClient
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.sync.sides import Side
from offer_tui.ui.sandboxes_app import SandboxesApp
from offer_tui.ui.screens.confirm import ConfirmScreen
from offer_tui.ui.screens.sandboxes import MARK, SandboxesScreen

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def servers():
    dev, stage = DemoServer(seed_offers=30).start(), DemoServer(id_salt="stage").start()
    try:
        yield {"dev": dev, "stage": stage}
    finally:
        dev.stop()
        stage.stop()


def opener(servers):
    async def open_side(name: str) -> Side:
        client = OfferClient.from_settings(demo_settings(servers[name], with_token=True))
        return Side(name, f"{name} (sandbox demo)", "demo", False, client)
    return open_side


async def test_pick_two_profiles_mark_and_apply(servers):
    stage = servers["stage"]
    app = SandboxesApp(opener(servers), profiles=["dev", "stage"])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen(pilot, SandboxesScreen)
        await pilot.press("enter")  # dev: the source
        await pilot.press("down", "enter")  # stage: the target
        await wait_until(pilot, lambda: screen.phase == "compared")
        rows = screen.comparison.rows
        assert {r.state for r in rows} >= {"only in source", "same"}
        table = screen.query_one("DataTable")
        # Move to the tag-free new objects: mark the first fallback offer ("only in source").
        target = next(i for i, r in enumerate(rows) if r.kind == "fallbacks")
        table.move_cursor(row=target)
        await pilot.pause()
        name = rows[target].name
        await pilot.press("space")
        assert (("fallbacks", name)) in screen.marked
        assert table.get_row_at(target)[0] == MARK
        await pilot.press("a")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "1 create(s)" in str(confirm.query_one("#confirm-question").render())
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.phase == "compared" and screen.note)
        assert "Applied: 1 done" in screen.note
        assert [e["body"]["name"] for e in stage.offers.values()] == [name]
        state = {r.key: r.state for r in screen.comparison.rows}
        assert state[("fallbacks", name)] == "same"


async def test_a_mark_whose_dependencies_are_missing_is_refused_with_the_reason(servers):
    stage = servers["stage"]
    app = SandboxesApp(opener(servers), profiles=["dev", "stage"])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen(pilot, SandboxesScreen)
        await pilot.press("enter", "down", "enter")
        await wait_until(pilot, lambda: screen.phase == "compared")
        rows = screen.comparison.rows
        target = next(i for i, r in enumerate(rows) if r.kind == "decisions")
        screen.query_one("DataTable").move_cursor(row=target)
        await pilot.pause()
        await pilot.press("space", "a")
        await pilot.pause()
        status = str(screen.query_one("#sb-status").render())
        assert "Nothing was sent" in status and "mark it too" in status
        assert stage.offers == {} and not any(r["method"] == "POST" and "/ims/" not in r.get("path", "")
                                              for r in stage.received)


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_sandboxes(snap_compare, servers, size):
    """Side by side, a rule that differs highlighted with its patch, one object marked."""
    stage = servers["stage"]
    [rule_id] = [i for i, e in stage.state.objects["offer-rules"].items() if e["body"]["name"] == "Adults"]
    stage.state.objects["offer-rules"][rule_id]["body"]["description"] = "Changed in stage"

    async def run_before(pilot) -> None:
        screen = await wait_for_screen(pilot, SandboxesScreen)
        await pilot.press("enter", "down", "enter")
        await wait_until(pilot, lambda: screen.phase == "compared")
        rows = screen.comparison.rows
        table = screen.query_one("DataTable")
        table.move_cursor(row=next(i for i, r in enumerate(rows) if r.key == ("rules", "Adults")))
        await pilot.pause()
        await pilot.press("space", "up")
        await pilot.pause()

    app = SandboxesApp(opener(servers), profiles=["dev", "stage"])
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_f8_opens_the_sandboxes_view_from_the_app_and_esc_comes_back(tmp_path):
    from test_ui_helpers import make_app, settle

    from offer_tui.ui.screens.wizard import WizardScreen

    with DemoServer() as server:
        app = make_app(demo_settings(server), tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("f8")
            await wait_for_screen(pilot, SandboxesScreen)
            await pilot.press("escape")
            await wait_for_screen(pilot, WizardScreen)
