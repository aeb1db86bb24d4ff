"""SVG snapshots of the library, an open offer, the edit review with its patch and the delete
confirmation, at 80x24 and 120x40. Deterministic: the demo API's seeded offers have fixed ids and
dates, the theme is fixed (temp config dir), animations are off and cursors do not blink."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from offer_tui.demo import DemoServer, demo_settings
from offer_tui.ui.screens.confirm_delete import ConfirmOfferDeleteScreen
from offer_tui.ui.screens.library import LibraryScreen
from offer_tui.ui.screens.offer_detail import OfferDetailScreen
from library_support import wait_for_screen, wait_until
from test_ui_helpers import make_app, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
FIRST = "dps:personalized-offer:1e9d5c0000000002"


@pytest.fixture
def seeded():
    with DemoServer(seed_offers=30) as server:
        yield server


async def still(pilot) -> None:
    # A slow re-read says "Reading ... first" in a toast: on a loaded machine only, so not in pictures.
    pilot.app.clear_notifications()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


async def library_ready(pilot) -> LibraryScreen:
    await settle(pilot)
    screen = await wait_for_screen(pilot, LibraryScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0)
    await settle(pilot)
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_library(snap_compare, seeded, tmp_path, size):
    async def run_before(pilot) -> None:
        await library_ready(pilot)
        await pilot.press("down", "space", "down")
        await still(pilot)

    app = make_app(demo_settings(seeded), tmp_path, start="library", sub_title="demo API")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_open_offer(snap_compare, seeded, tmp_path, size):
    async def run_before(pilot) -> None:
        await library_ready(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, OfferDetailScreen)
        await settle(pilot)
        await still(pilot)

    app = make_app(demo_settings(seeded), tmp_path, start="library", sub_title="demo API")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_edit_review_with_its_patch(snap_compare, seeded, tmp_path, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        wizard = pilot.app.wizard
        name = wizard.query_one("#name", Input)
        name.focus()
        name.value = "Winter sale 25% (app)"
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(pilot)
        await still(pilot)

    app = make_app(demo_settings(seeded), tmp_path, start="edit", offer_id=FIRST, sub_title="demo API")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_delete_confirmation(snap_compare, seeded, tmp_path, size):
    async def run_before(pilot) -> None:
        await library_ready(pilot)
        await pilot.press("d")
        await wait_for_screen(pilot, ConfirmOfferDeleteScreen)
        await pilot.press(*"Winter")
        await still(pilot)

    app = make_app(demo_settings(seeded), tmp_path, start="library", sub_title="demo API")
    assert snap_compare(app, terminal_size=size, run_before=run_before)



KINDS = ["decisions", "collections", "placements", "rules", "tags"]


async def kind_ready(pilot, word: str) -> LibraryScreen:
    library = await library_ready(pilot)
    await pilot.press("colon", *word, "enter")
    await wait_until(pilot, lambda: library.kind == word and not library.fetching and library.table.row_count > 0)
    await settle(pilot)
    return library


@pytest.mark.parametrize("word", KINDS)
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_kind_table(snap_compare, seeded, tmp_path, size, word):
    async def run_before(pilot) -> None:
        await kind_ready(pilot, word)
        await still(pilot)

    app = make_app(demo_settings(seeded), tmp_path, start="library", sub_title="demo API")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("word", KINDS)
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_kind_open(snap_compare, seeded, tmp_path, size, word, monkeypatch):
    from datetime import datetime, timezone

    from offer_tui.service import kind_summary
    from offer_tui.ui.screens.object_detail import ObjectDetailScreen

    class Pinned(datetime):  # the summary says "ended" after a decision's end: the same picture every day
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)

    monkeypatch.setattr(kind_summary, "datetime", Pinned)

    async def run_before(pilot) -> None:
        await kind_ready(pilot, word)
        await pilot.press("enter")
        pane = await wait_for_screen(pilot, ObjectDetailScreen)
        await wait_until(pilot, lambda: pane.obj is not None)
        await settle(pilot)
        await still(pilot)

    app = make_app(demo_settings(seeded), tmp_path, start="library", sub_title="demo API")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
