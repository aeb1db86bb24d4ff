"""Snapshots for issue 8: the component type picker with a bad value in view, the fallback
constraints, the review's worded issues and warnings. At 80x24 and 120x40."""

from __future__ import annotations

import copy
import json

import pytest

from offer_tui.demo import demo_settings
from test_ui_helpers import make_app
from test_ui_snapshots import OFFER, SIZES, settle


def app_for(server, tmp_path, doc: dict):
    path = tmp_path / "offer.json"
    path.write_text(json.dumps(doc))
    return make_app(demo_settings(server), tmp_path, from_file=str(path))


def at(step: str, focus: str | None = None, reveal: bool = False):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.wizard.go_to(step)
        await settle(pilot)
        if reveal:  # as after a refused F9: every error marked
            pilot.app.wizard.revealed.update(pilot.app.wizard.steps)
            pilot.app.wizard.rebuild(schedule=False)
        if focus:
            widget = pilot.app.wizard.query(focus).first()
            widget.focus()
            widget.scroll_visible(animate=False)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_component_with_a_bad_format_shows_the_value(snap_compare, server, tmp_path, size):
    doc = copy.deepcopy(OFFER)
    doc["representations"][0]["components"][0]["format"] = "<p>Hello</p>"
    app = app_for(server, tmp_path, doc)
    assert snap_compare(app, terminal_size=size, run_before=at("representations", ".comp-format", reveal=True))


@pytest.mark.parametrize("size", SIZES)
def test_fallback_constraints_show_window_and_priority_only(snap_compare, server, tmp_path, size):
    from pathlib import Path

    doc = json.loads((Path(__file__).parent / "data" / "adobe_fallback_offer.json").read_text())
    app = app_for(server, tmp_path, doc)

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.wizard.query_one("#offer-type").value = "fallback"
        await at("constraints", "#start-date Input")(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_review_lists_issues_in_words_first(snap_compare, server, tmp_path, size):
    doc = copy.deepcopy(OFFER)
    doc["representations"][0]["components"][0]["format"] = "html"
    doc["frequencyCappingConstraints"][0]["limit"] = 0
    assert snap_compare(app_for(server, tmp_path, doc), terminal_size=size, run_before=at("review"))


@pytest.mark.parametrize("size", SIZES)
def test_end_at_midnight_offers_23_59_59(snap_compare, server, tmp_path, size):
    doc = copy.deepcopy(OFFER)
    doc["selectionConstraint"]["endDate"] = "2099-08-31T00:00:00.000+00:00"
    assert snap_compare(app_for(server, tmp_path, doc), terminal_size=size,
                        run_before=at("constraints", "#end-date Input"))
