"""SVG snapshots of every step, the error state, the review and both responses, at 80x24 and 120x40.

Deterministic: fixed theme (the config dir is a temp dir), TEXTUAL_ANIMATIONS=none, no clock in the
header, placements from the demo data (fixed ids), and the responses built from a fixed receipt.
"""

from __future__ import annotations

import json

import pytest

from offer_tui.api import ApiError, CreateResult
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.ui.screens.failure import FailureScreen
from offer_tui.ui.screens.success import SuccessScreen
from test_ui_helpers import make_app
from test_ui_helpers import settle as settle_workers


async def settle(pilot) -> None:
    """Settle, then stop cursor blinking: a slow run must not catch the cursor in its hidden half."""
    await settle_workers(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

OFFER = {
    "name": "Summer sale",
    "description": "20% off for gold members",
    "status": "draft",
    "representations": [
        {
            "channel": "https://ns.adobe.com/xdm/channel-types/web",
            "placement": "dps:offer-placement:1a2b3c4d5e6f7081",
            "components": [{"type": "html", "format": "text/html", "language": ["en-us"],
                            "content": "<p>Hello, 20% off</p>"}],
        },
        {
            "channel": "https://ns.adobe.com/xdm/channel-types/email",
            "placement": "dps:offer-placement:1a2b3c4d5e6f7086",
            "components": [{"type": "imagelink", "format": "image/png", "language": ["en-us"],
                            "deliveryURL": "https://cdn.example.com/sale.png"}],
        },
    ],
    "selectionConstraint": {"startDate": "2025-06-01T00:00:00.000+00:00", "endDate": "2025-08-31T18:30:00.000+00:00",
                            "profileConstraintType": "eligibilityRule",
                            "eligibilityRule": "dps:eligibility-rule:19af09a9ae45a8d3"},
    "rank": {"priority": 5},
    "cappingConstraint": {},
    "frequencyCappingConstraints": [{"enabled": True, "limit": 3, "scope": "profile", "entity": "offer",
                                     "repeat": {"enabled": True, "unit": "week", "unitCount": 1}}],
}

RECEIPT = {
    "etag": 1, "createdBy": "demo-user@AdobeID", "lastModifiedBy": "demo-user@AdobeID",
    "id": "dps:personalized-offer:1234567890abcdef", "sandboxId": "demo-sandbox-id",
    "createdDate": "2025-05-31T15:09:11.771Z", "lastModifiedDate": "2025-05-31T15:09:11.771Z",
    "createdByClientId": "demo-client", "lastModifiedByClientId": "demo-client",
}


@pytest.fixture(scope="module")
def server():
    with DemoServer() as demo:
        yield demo


@pytest.fixture
def offer_app(server, tmp_path):
    path = tmp_path / "offer.json"
    path.write_text(json.dumps(OFFER))
    return make_app(demo_settings(server), tmp_path, from_file=str(path))


def go_to(step: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.wizard.go_to(step)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_basics_fresh(snap_compare, server, tmp_path, size):
    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("step", ["representations", "constraints", "capping", "review"])
def test_step(snap_compare, offer_app, step, size):
    assert snap_compare(offer_app, terminal_size=size, run_before=go_to(step))


@pytest.mark.parametrize("size", SIZES)
def test_error_state(snap_compare, server, tmp_path, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(*"x", "backspace")
        await pilot.press("f9")  # refused: lands on the review with every error listed
        await settle(pilot)
        pilot.app.wizard.go_to("basics")
        pilot.app.clear_notifications()  # the refusal's toast would cover the errors this shows
        await settle(pilot)

    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_success_response(snap_compare, offer_app, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        result = CreateResult(status=201, receipt=RECEIPT, raw=json.dumps(RECEIPT), elapsed=0.042)
        await pilot.app.push_screen(SuccessScreen(result, "personalized", "Summer sale"))
        await settle(pilot)

    assert snap_compare(offer_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_error_response(snap_compare, offer_app, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        error = ApiError(
            "Oauth token is not valid", status=401, code="401013",
            hint="The access token expired or is wrong: get a new one.",
            raw='{"error_code":"401013","message":"Oauth token is not valid"}',
            field_errors=[("representations[0].components[0].content", "content rejected")],
        )
        await pilot.app.push_screen(FailureScreen(error, "personalized", "Summer sale"))
        await settle(pilot)

    assert snap_compare(offer_app, terminal_size=size, run_before=run_before)
