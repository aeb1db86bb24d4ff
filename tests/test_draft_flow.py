"""The app's drafts (issue 7, items 12-14): the resume dialog lists every orphaned draft with name,
step title and age, discards only the chosen one, never touches a running instance's draft; a corrupt
draft is moved aside and said; ctrl+q warns when the draft cannot be saved."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from offer_tui.demo import demo_settings
from offer_tui.drafts import Draft, DraftStore
from offer_tui.ui.app import OfferTuiApp
from offer_tui.ui.screens.resume import ResumeDraftScreen
from offer_tui.ui.screens.save import SaveJsonScreen
from offer_tui.ui.screens.unsaved_quit import UnsavedQuitScreen
from test_draft_instances import hold_draft
from test_ui_helpers import SIZE_NARROW, SIZE_WIDE, make_app, settle

SIZES = [pytest.param(SIZE_NARROW, id="80x24"), pytest.param(SIZE_WIDE, id="120x40")]
pytestmark = pytest.mark.timeout(120)


def orphan(state: Path, name: str, step: str, hours: float) -> Path:
    store = DraftStore(state)
    reps = [{"channel": "web"}, {"channel": "email"}] if step != "basics" else []
    store.save(Draft({"name": name, "representations": reps}, "personalized", step))
    then = time.time() - hours * 3600 - 30
    os.utime(store.path, (then, then))
    return store.path


def options(app) -> list[str]:
    option_list = app.screen.query_one(OptionList)
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


async def test_the_resume_dialog_lists_orphans_only_and_discards_just_one(server, tmp_path):
    state = tmp_path / "state"
    older = orphan(state, "Spring sale", "representations", hours=26)
    newer = orphan(state, "Summer sale", "constraints", hours=2)
    proc, held_id = hold_draft(state, "another SSH session")  # a wizard still running elsewhere
    try:
        app = make_app(demo_settings(server), tmp_path)
        async with app.run_test(size=SIZE_WIDE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ResumeDraftScreen)
            assert options(app) == [
                "Summer sale · personalized, 2 representations · on Constraints · saved 2 hours ago",
                "Spring sale · personalized, 2 representations · on Representations · saved 1 day ago",
            ]
            await pilot.press("ctrl+d")  # the highlighted one: the newest
            await settle(pilot)
            question = str(app.screen.query_one("#confirm-question").render())
            assert "Summer sale" in question and "on Constraints" in question
            await pilot.press("y")
            await settle(pilot)
            assert not newer.exists() and older.exists()
            assert (state / "drafts" / f"{held_id}.json").exists()  # never offered, never deleted
            assert options(app) == [
                "Spring sale · personalized, 2 representations · on Representations · saved 1 day ago"]
            await pilot.press("enter")
            await settle(pilot)
            assert app.wizard.current == "representations"
            assert app.wizard.query_one("#name", Input).value == "Spring sale"
            assert app.saver.store.path == older  # further typing saves over the resumed draft
    finally:
        proc.communicate("\n", timeout=20)


async def test_esc_starts_a_new_offer_and_keeps_the_drafts(server, tmp_path):
    kept = orphan(tmp_path / "state", "Keep me", "basics", hours=1)
    app = make_app(demo_settings(server), tmp_path, draft_delay=0.05)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.wizard and app.wizard.query_one("#name", Input).value == ""
        await pilot.press(*"Fresh")
        await pilot.pause(0.3)
    assert json.loads(kept.read_text())["doc"]["name"] == "Keep me"
    names = sorted(json.loads(p.read_text())["doc"]["name"] for p in (tmp_path / "state" / "drafts").glob("*.json"))
    assert names == ["Fresh", "Keep me"]


async def test_a_corrupt_draft_is_moved_aside_said_and_the_app_starts_clean(server, tmp_path):
    folder = tmp_path / "state" / "drafts"
    folder.mkdir(parents=True)
    deep = '{"doc": {"name": "x", "y": ' + "[" * 3000 + "]" * 3000 + "}}"
    (folder / "crashed.json").write_text(deep)
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        assert app.screen is app.wizard  # no resume dialog: nothing usable was left
        messages = [str(n.message) for n in app._notifications]
        assert any(f"A damaged draft was moved aside as {folder / 'crashed.json.corrupt'}" in m
                   and "Starting clean." in m for m in messages), messages
    assert (folder / "crashed.json.corrupt").read_text() == deep


def unwritable_app(server, tmp_path: Path) -> OfferTuiApp:
    (tmp_path / "blocker").write_text("a file where the state folder should be")
    return OfferTuiApp(settings=demo_settings(server), draft_store=DraftStore(tmp_path / "blocker" / "state"),
                       config_directory=tmp_path / "config", draft_delay=0.05)


async def type_an_offer(pilot) -> None:
    await settle(pilot)
    await pilot.press(*"Unsaved work")
    await pilot.pause(0.3)  # the autosave fails (a toast says so)


async def test_quit_warns_when_the_draft_cannot_be_saved_and_saves_elsewhere(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = unwritable_app(server, tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await type_an_offer(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedQuitScreen)
        text = str(app.screen.query_one("#unsaved-question").render())
        assert f"Writing the draft to {tmp_path / 'blocker' / 'state' / 'drafts'} failed: Not a directory" in text
        await pilot.press("escape")  # cancel: back to the form, nothing lost
        await settle(pilot)
        assert app.screen is app.wizard and app.wizard.query_one("#name", Input).value == "Unsaved work"
        await pilot.press("ctrl+q", "s")
        await settle(pilot)
        assert isinstance(app.screen, SaveJsonScreen)
        await pilot.press("enter")  # the proposed name: unsaved-work.json
        await settle(pilot)
    assert app.return_code == 0
    assert json.loads((tmp_path / "unsaved-work.json").read_text())["name"] == "Unsaved work"


async def test_quit_anyway_quits(server, tmp_path):
    app = unwritable_app(server, tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await type_an_offer(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 0


async def test_quit_without_a_problem_does_not_ask(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path, draft_delay=0.05)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await type_an_offer(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0 and app.saver.store.load().doc["name"] == "Unsaved work"


# -- snapshots ------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_snapshot_resume_dialog(snap_compare, server, tmp_path, size):
    orphan(tmp_path / "state", "Summer sale", "representations", hours=3)
    orphan(tmp_path / "state", "A draft with a rather long name that goes on and on", "basics", hours=50)
    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_unsaved_quit(snap_compare, server, tmp_path, size):
    async def run_before(pilot) -> None:
        await type_an_offer(pilot)
        pilot.app.clear_notifications()
        await pilot.press("ctrl+q")
        await settle(pilot)

    # /dev/null is no folder: the draft cannot be saved, and the path in the picture is stable.
    app = OfferTuiApp(settings=demo_settings(server), draft_store=DraftStore(Path("/dev/null/offer-tui")),
                      config_directory=tmp_path / "config", draft_delay=0.05)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


# -- two real wizards (processes in pseudo-terminals) on one machine ---------------------------------

def test_two_real_wizards_keep_their_own_drafts_and_never_offer_a_live_one(tmp_path):
    import signal as signals

    from pty_app import PtyApp

    apps: list[PtyApp] = []

    def start(showing: str | None = None) -> PtyApp:
        app = PtyApp(tmp_path)  # same state and config folders for every instance
        apps.append(app)
        # With drafts to offer, the resume dialog may come up before the wizard is ever drawn
        # (a fast machine): wait for the dialog's own words then, not the wizard's placeholder.
        ready = app.wait_quiet(showing=showing) if showing else app.wait_quiet()
        assert ready, "the app did not start"
        return app

    try:
        alpha, beta = start(), start()
        alpha.type("Alpha offer")
        beta.type("Beta offer")
        assert alpha.wait_quiet(timeout=10) and beta.wait_quiet(timeout=10)
        alpha.proc.send_signal(signals.SIGHUP)  # each saves its own draft when its session ends
        beta.proc.send_signal(signals.SIGTERM)
        assert alpha.wait_exit(10)[0] is not None and beta.wait_exit(10)[0] is not None
        assert sorted(alpha.draft_names()) == ["Alpha offer", "Beta offer"]  # one shared file kept only one

        third = start(showing="Enter: resume")  # both are orphans now: both offered
        third.type("\r")  # resume the highlighted (newest) one: this instance now holds it
        assert third.wait_quiet(timeout=10, showing="Enter: resume")  # the form now holds the draft's name
        [orphan_left] = DraftStore(tmp_path / "state").others()  # the one third holds is not listed
        held_by_third = ({"Alpha offer", "Beta offer"} - {orphan_left.name}).pop()
        fourth = start(showing="Enter: resume")
        fourth.type("\x04")  # ctrl+d, then y: delete the offered draft
        fourth.read(0.5)
        fourth.type("y")
        assert fourth.wait_quiet(timeout=10, showing="Enter: resume")
        assert fourth.draft_names() == [held_by_third]  # the other instance's draft is untouched
    finally:
        for app in apps:
            app.close()
