"""Issue 17: where the wizard puts the focus, what a loaded name does, and number fields."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Button, Input

from offer_tui.demo import demo_settings
from offer_tui.ui.steps.capping import CappingStep
from offer_tui.ui.widgets.frequency_cap_editor import FrequencyCapEditor
from test_ui_helpers import SIZE_NARROW, make_app, settle

DATA = Path(__file__).parent / "data"


async def test_capping_opens_on_add_and_a_new_cap_on_its_first_field(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        app.wizard.go_to("capping")
        await settle(pilot)
        assert app.focused is app.wizard.query_one(CappingStep).query_one("#add-cap", Button)
        await pilot.press("enter")
        await settle(pilot)
        editor = app.wizard.query_one(FrequencyCapEditor)
        assert app.focused is editor.query_one(".cap-enabled")
        await pilot.press("tab", "tab")  # the window comes right after the limit
        assert app.focused is editor.query_one(".cap-start")


async def test_a_space_over_the_selected_limit_is_refused_not_sent_as_text(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        app.wizard.go_to("capping")
        await settle(pilot)
        await pilot.press("enter", "tab")  # add a cap (focus on Enabled); Tab to Limit (selected on focus)
        await settle(pilot)
        limit = app.wizard.query_one(FrequencyCapEditor).query_one(".cap-limit", Input)
        assert app.focused is limit
        await pilot.press("space", "x")
        await settle(pilot)
        assert limit.value == "1"
        assert app.wizard.doc["frequencyCappingConstraints"][0]["limit"] == 1


async def test_a_loaded_name_starts_selected_so_typing_replaces_it(server, tmp_path):
    path = tmp_path / "offer.json"
    path.write_text((DATA / "seed_offer.json").read_text())
    app = make_app(demo_settings(server), tmp_path, from_file=str(path))
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        name = app.wizard.query_one("#name", Input)
        assert app.focused is name
        await pilot.press(*"Copy")
        await settle(pilot)
        assert name.value == "Copy"


async def test_a_relative_end_follows_its_start(server, tmp_path):
    from offer_tui.ui.steps.constraints import ConstraintsStep
    from offer_tui.ui.widgets.date_field import DateField

    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        app.wizard.go_to("constraints")
        await settle(pilot)
        step = app.wizard.query_one(ConstraintsStep)
        await pilot.press(*"2022-07-27 5:00", "tab", *"+1y2d")
        await settle(pilot)
        sc = app.wizard.doc["selectionConstraint"]
        assert (sc["startDate"], sc["endDate"]) == ("2022-07-27T05:00:00.000+00:00", "2023-07-29T05:00:00.000+00:00")
        end = step.query_one("#end-date", DateField)
        assert "sends 2023-07-29T05:00:00.000+00:00" in str(end.query_one(".date-sent").render())
        await pilot.press("shift+tab", "ctrl+u", *"2024-01-01")
        await settle(pilot)
        assert app.wizard.doc["selectionConstraint"]["endDate"] == "2025-01-03T00:00:00.000+00:00"
        assert "sends 2025-01-03T00:00:00.000+00:00" in str(end.query_one(".date-sent").render())
        json.dumps(app.wizard.doc)
