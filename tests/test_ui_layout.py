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
