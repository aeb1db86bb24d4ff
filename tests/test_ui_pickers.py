"""The placement picker shows each placement's channel and componentType, as plain text."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from offer_tui.demo import demo_settings
from offer_tui.ui.steps.representations import RepresentationsStep
from offer_tui.ui.widgets.placement_picker import PlacementPicker
from test_ui_helpers import SIZE_NARROW, make_app, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def overlay_lines(select: Select) -> list[str]:
    overlay = select.query_one(SelectOverlay)
    return [overlay.render_line(y).text for y in range(overlay.size.height)]


async def overlay_showing(pilot, select: Select, text: str, timeout: float = 20.0) -> list[str]:
    """The open list's lines once one holds ``text``: waits on that condition (bounded), since the
    overlay is laid out and drawn some frames after it opens (issue 13, section 6: a test read it
    before it was drawn)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = overlay_lines(select) if select.expanded else []
        if any(text in line for line in lines):
            return lines
        if time.monotonic() > deadline:
            raise AssertionError(f"the open list never showed {text!r}: {lines}")
        await pilot.pause(0.02)


async def open_placements(pilot, showing: str = "Homepage hero banner") -> Select:
    await settle(pilot)
    await pilot.press("f4")
    await settle(pilot)
    picker = pilot.app.wizard.query_one(RepresentationsStep).query_one(PlacementPicker)
    picker.select.focus()
    await pilot.press("enter")
    await settle(pilot)
    await overlay_showing(pilot, picker.select, showing)
    return picker.select


async def test_placement_options_show_channel_and_component_type(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        select = await open_placements(pilot)
        lines = overlay_lines(select)
        hero = next(line for line in lines if "Homepage hero banner" in line)
        assert "Homepage hero banner · web · html" in hero
        assert any("Homepage hero image · web · imagelink" in line for line in lines)


async def test_server_names_are_not_markup(server, tmp_path):
    # In the sandbox's own catalogue (not set on the picker by hand): the app re-applies the fetched
    # list when it mounts the other steps, which replaced a hand-set one under load (issue 13, 6).
    web = "https://ns.adobe.com/xdm/channel-types/web"
    odd = {"id": "p1", "name": "[/] [b]odd[/b]", "channel": web, "componentType": "[html]"}
    server.state.catalogue = {**server.state.catalogue, "placements": ((odd,), {"p1": odd})}
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        select = await open_placements(pilot, showing="[/] [b]odd[/b] · web · [html] · p1")
        await pilot.press("escape")
        await settle(pilot)
        select.focus()
        await pilot.press("enter")  # reopened: drawn the same
        await settle(pilot)
        await overlay_showing(pilot, select, "[/] [b]odd[/b] · web · [html] · p1")


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_placement_picker_open(snap_compare, server, tmp_path, size):
    async def run_before(pilot) -> None:
        await open_placements(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=run_before)


async def test_every_placement_is_listed_this_channels_first_and_typing_finds_one_by_id(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        select = await open_placements(pilot)
        lines = [line.strip() for line in await overlay_showing(pilot, select, "other channels")]
        labels = [str(label) for label, _ in select._options]
        separator = labels.index("── other channels ──")
        assert all(" · web · " in label for label in labels[1:separator])  # [0] is the prompt
        assert any(" · email · " in label for label in labels[separator:])
        assert any(" · mobile · " in label for label in labels[separator:])
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press(*"7087")  # typed on the closed list: it opens and finds the id
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        editor = app.wizard.query_one(RepresentationsStep).editors()[0]
        assert editor.picker.value == "dps:offer-placement:1a2b3c4d5e6f7087"  # Email body offer block
        assert app.focused is editor.components()[0].field("content")  # on to the content
        review = {i.path: i.message for i in app.wizard.report.warnings}
        assert "representations[0].placement" in " ".join(review) or any("email" in m for m in review.values())
