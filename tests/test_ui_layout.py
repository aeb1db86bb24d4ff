"""Layout: the "Based on" banner is one row at any size; the preview follows the field being edited."""

from __future__ import annotations

import json

import pytest

from offer_tui.demo import demo_settings
from test_ui_helpers import make_app, settle

SIZES = [pytest.param((40, 12), id="40x12"), pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

GET_RESPONSE = {
    "id": "dps:personalized-offer:1234567890abcdef", "etag": 3, "createdBy": "someone@AdobeID",
    "name": "Loaded", "status": "draft",
    "representations": [{"channel": "https://ns.adobe.com/xdm/channel-types/web",
                         "placement": "dps:offer-placement:1a2b3c4d5e6f7081",
                         "components": [{"type": "html", "format": "text/html", "language": ["en-us"],
                                         "content": "<p>x</p>"}]}],
}


def loaded_app(server, tmp_path):
    path = tmp_path / "got.json"
    path.write_text(json.dumps(GET_RESPONSE))
    return make_app(demo_settings(server), tmp_path, from_file=str(path))


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (120, 40)])
async def test_based_on_banner_is_one_row(server, tmp_path, size):
    app = loaded_app(server, tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        banner = app.wizard.query_one("#based-on")
        assert banner.display and banner.region.height == 1
        assert str(banner.render()).startswith("Based on dps:personalized-offer:")


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_based_on_banner(snap_compare, server, tmp_path, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(loaded_app(server, tmp_path), terminal_size=size, run_before=run_before)


# -- 23: the preview folds long lines and follows the field being edited ---------------------------
LONG = {
    "name": "Follow me", "status": "draft",
    "representations": [{"channel": "https://ns.adobe.com/xdm/channel-types/web",
                         "placement": "dps:offer-placement:1a2b3c4d5e6f7081",
                         "components": [{"type": "html", "format": "text/html", "language": ["en-us"],
                                         "content": "<p>" + "A long paragraph of offer copy. " * 6 + "</p>"}]}],
    "selectionConstraint": {"startDate": "2030-07-27T05:00:00.000+00:00",
                            "endDate": "2031-07-29T05:00:00.000+00:00", "profileConstraintType": "none"},
    "rank": {"priority": 7},
}


def long_app(server, tmp_path):
    path = tmp_path / "long.json"
    path.write_text(json.dumps(LONG))
    return make_app(demo_settings(server), tmp_path, from_file=str(path))


def marked_text(preview) -> list[str]:
    return [preview.lines[i].strip() for i in preview.marked_lines]


async def test_the_preview_marks_and_shows_the_focused_field(server, tmp_path):
    app = long_app(server, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        preview = app.wizard.query_one("#preview")
        assert marked_text(preview) == ['"name": "Follow me",']  # Basics' name has the focus
        await pilot.press("f4")
        await settle(pilot)
        area = app.wizard.query_one(".comp-content")
        area.focus()
        await settle(pilot)
        [content] = marked_text(preview)
        assert content.startswith('"content": "<p>A long paragraph')
        row = preview.row_for_line(preview.marked_lines[0])
        assert preview.scroll_offset.y <= row < preview.scroll_offset.y + preview.size.height
        app.wizard.query_one(".comp-language").focus()
        await settle(pilot)
        assert marked_text(preview) == ['"language": [', '"en-us"', '],']  # a list: the whole block
        await pilot.press("f4")  # Constraints: the end date
        await settle(pilot)
        app.wizard.query_one("#end-date").input.focus()
        await settle(pilot)
        assert marked_text(preview) == ['"endDate": "2031-07-29T05:00:00.000+00:00",']


async def test_long_lines_in_the_preview_are_folded_not_clipped(server, tmp_path):
    app = long_app(server, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        preview = app.wizard.query_one("#preview")
        assert preview.row_count > preview.line_count  # the content and the channel URI fold
        preview.scroll_to_path("representations[0].channel")
        await settle(pilot)
        shown = "".join(preview.render_line(y).text.strip() for y in range(preview.size.height))
        assert '"channel": "https://ns.adobe.com/xdm/channel-types/web"' in shown


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")])
def test_snapshot_preview_follows_the_content_field(snap_compare, server, tmp_path, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        pilot.app.wizard.query_one(".comp-content").focus()
        if pilot.app.size.width < 100:
            await pilot.press("f2")  # narrow: the preview alone, still marking the field
        await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(long_app(server, tmp_path), terminal_size=size, run_before=run_before)
