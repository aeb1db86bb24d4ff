"""The one offer summary both `get` and the library's open pane render (issue 13, 2.5)."""

from __future__ import annotations

from datetime import datetime, timezone

from offer_tui.commands.library_text import summary_lines
from offer_tui.service.summary import offer_summary
from offer_tui.ui.screens.offer_detail import offer_summary as pane_summary

OFFER = {
    "id": "dps:personalized-offer:1", "name": "Capped", "status": "approved", "etag": 3,
    "selectionConstraint": {"startDate": "2020-01-01T00:00:00.000Z", "endDate": "2021-01-01T00:00:00.000Z",
                            "profileConstraintType": "none"},
    "rank": {"priority": 5},
    "cappingConstraint": {"globalCap": 5000, "profileCap": 1},
    "representations": [],
}
NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)


def test_legacy_caps_are_shown_not_none():
    summary = offer_summary(OFFER, "personalized", {}, now=NOW)
    assert summary.get("caps") == "globalCap 5000; profileCap 1"


def test_an_offer_whose_end_date_passed_says_expired_in_both_front_ends():
    assert offer_summary(OFFER, "personalized", now=NOW).get("status") == "approved (expired: ended 2021-01-01)"
    assert any("expired" in line for line in summary_lines(OFFER))
    assert "expired" in pane_summary(OFFER, "personalized", {})


def test_get_and_the_pane_render_the_same_lines():
    cli = [line.strip() for line in summary_lines(OFFER)]
    pane = [line.replace("\u00a0", "").strip() for line in pane_summary(OFFER, "personalized", {}).splitlines()]
    assert cli == pane


def test_a_future_end_date_is_not_expired():
    offer = {**OFFER, "selectionConstraint": {"endDate": "2999-01-01T00:00:00Z"}}
    assert offer_summary(offer, now=NOW).get("status") == "approved"
