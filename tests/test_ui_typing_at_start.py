"""Issue 13, item 2.9: what the user types while the start-up lookups finish stays as typed.

`offer-tui --from lookup-response.json`, then ctrl+u and `Seed copy 2` while the name check and the
credentials test were under way ended as "", " copy 2", "eed copy 2": the Input's own ctrl+u ran
only once the key had bubbled up to the (busy) App, after the characters typed behind it. Here the
keys arrive as a terminal delivers them to a busy app, in one burst, at several moments through
the start-up window of a demo API that answers slowly, so its lookups land mid-typing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from test_ui_helpers import SIZE_WIDE, settle
from test_ui_session import add_profile, make_app

DATA = Path(__file__).parent / "data"
TYPED = "Seed copy 2"


def burst(app, keys: list[str]) -> None:
    """Post the keys at once, as the driver does with what one read of the terminal returned."""
    for key in keys:
        character = " " if key == "space" else (key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


def keys_for(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


@pytest.fixture
def lookup_response(server, tmp_path) -> Path:
    """A GET response of an offer the sandbox has: the wizard looks its name up as it loads."""
    body = json.loads((DATA / "seed_offer.json").read_text())
    body["name"] = "Seed offer"
    server.state.add_offer("personalized", "dps:offer:seed", body, created="2026-01-01T00:00:00.000Z",
                           modified="2026-01-01T00:00:00.000Z")
    path = tmp_path / "lookup-response.json"
    path.write_text(json.dumps({**body, **server.state.offers["dps:offer:seed"]["receipt"]}))
    return path


@pytest.mark.parametrize("delay", [0.0, 0.2, 0.5, 0.9, 1.4, 2.0])
async def test_typing_through_the_start_up_lookups_keeps_every_key(server, tmp_path, lookup_response, delay):
    add_profile(server, "dev", production=False)
    server.latency = 0.3  # the credentials test, the name check and the catalog finish while typing
    app = make_app(tmp_path, from_file=str(lookup_response))
    async with app.run_test(size=SIZE_WIDE) as pilot:
        name = app.wizard.query_one("#name", Input)
        assert name.value == "Seed offer"
        await pilot.pause(delay)  # the moment the user starts typing (not a synchronisation)
        burst(app, ["ctrl+u", *keys_for(TYPED[:4])])
        await pilot.pause()
        burst(app, ["ctrl+w", *keys_for(TYPED), "backspace", "2"])
        await settle(pilot)
        assert name.value == TYPED
        assert name.cursor_position == len(TYPED)
        assert app.wizard.doc["name"] == TYPED


async def test_tab_then_typing_in_one_burst_types_into_the_next_field(server, tmp_path, lookup_response):
    """Tab is the screen's binding: it too takes effect before the characters typed after it."""
    add_profile(server, "dev", production=False)
    app = make_app(tmp_path, from_file=str(lookup_response))
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        burst(app, ["end", "tab", *keys_for("first"), "shift+tab", "end", *keys_for(" 2")])
        await settle(pilot)
        assert app.wizard.query_one("#name", Input).value == "Seed offer 2"
        assert app.wizard.query_one("#description", Input).value == "first"
