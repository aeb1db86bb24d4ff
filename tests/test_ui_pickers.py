"""The placement picker shows each placement's channel and componentType, as plain text."""

from __future__ import annotations

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


async def open_placements(pilot) -> Select:
    await settle(pilot)
    await pilot.press("f4")
    await settle(pilot)
    picker = pilot.app.wizard.query_one(RepresentationsStep).query_one(PlacementPicker)
    picker.select.focus()
    await pilot.press("enter")
    await settle(pilot)
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
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        select = await open_placements(pilot)
        await pilot.press("escape")
        picker = app.wizard.query_one(PlacementPicker)
        web = "https://ns.adobe.com/xdm/channel-types/web"
        picker.set_catalog([{"id": "p1", "name": "[/] [b]odd[/b]", "channel": web, "componentType": "[html]"}], None)
        await settle(pilot)
        select.focus()
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(50):  # the reopened overlay may take a few frames under load (bounded)
            if any("[/] [b]odd[/b] · web · [html]" in line for line in overlay_lines(select)):
                break
            await pilot.pause(0.02)
        assert any("[/] [b]odd[/b] · web · [html]" in line for line in overlay_lines(select))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_placement_picker_open(snap_compare, server, tmp_path, size):
    async def run_before(pilot) -> None:
        await open_placements(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=run_before)
