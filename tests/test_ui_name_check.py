"""Issue 13, item 2.4: F9 checks the name it is about to send, not the one the form opened with."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from offer_tui.demo import demo_settings
from offer_tui.ui.screens.success import SuccessScreen
from test_ui_helpers import SIZE_WIDE, make_app, settle, type_in

DATA = Path(__file__).parent / "data"
HERO = "dps:offer-placement:1a2b3c4d5e6f7081"  # web, html


def offer_body(name: str) -> dict:
    body = json.loads((DATA / "seed_offer.json").read_text())
    body["name"] = name
    body["representations"][0]["placement"] = HERO
    body["selectionConstraint"]["endDate"] = "2099-07-29T05:00:00.000+00:00"
    body.pop("frequencyCappingConstraints")
    return body


def seed(server, offer_id: str, name: str) -> dict:
    server.state.add_offer("personalized", offer_id, offer_body(name), created="2026-01-01T00:00:00.000Z",
                           modified="2026-01-01T00:00:00.000Z")
    return {**offer_body(name), **server.state.offers[offer_id]["receipt"]}


async def test_a_clone_renamed_to_a_taken_name_is_warned_about_before_f9_sends(server, tmp_path):
    clone = seed(server, "dps:offer:x", "X")
    seed(server, "dps:offer:taken", "Taken name")
    path = tmp_path / "x.json"
    path.write_text(json.dumps(clone))
    app = make_app(demo_settings(server), tmp_path, from_file=str(path))
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await type_in(pilot, app.wizard.query_one("#name", Input), "Taken name")
        await pilot.press("f9")
        await settle(pilot)
        assert not isinstance(app.screen, SuccessScreen)
        assert len(server.offers) == 2  # nothing created: the user sees the same-named offer first
        assert app.wizard.current == "review"
        warnings = {i.path: i.message for i in app.wizard.report.warnings}
        assert "dps:offer:taken" in warnings["name"]
        await pilot.press("f9")  # warned, and still wants it
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
        assert len(server.offers) == 3


async def test_a_renamed_clone_with_a_free_name_goes_out_on_the_first_f9(server, tmp_path):
    clone = seed(server, "dps:offer:x", "X")
    path = tmp_path / "x.json"
    path.write_text(json.dumps(clone))
    app = make_app(demo_settings(server), tmp_path, from_file=str(path))
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await type_in(pilot, app.wizard.query_one("#name", Input), "A free name")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
    lookups = [r for r in server.received if r["method"] == "GET" and "A free name" in str(r.get("query", r))]
    assert lookups, "F9 looked the new name up before sending"
