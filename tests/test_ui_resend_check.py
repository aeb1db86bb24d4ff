"""Issue 7, item 3: after an unknown outcome, a second submit of the same offer checks by name first.

Today's trap: Esc then F9 sent a second POST at once. Now the wizard looks the name up (a worker,
with progress) and either says "not found: sending is safe" and sends, or lists what exists and
sends only when "Create a second offer" is chosen in so many words.
"""

from __future__ import annotations

import pytest
from textual.widgets import LoadingIndicator, OptionList, Static

from offer_tui.api import ApiError
from offer_tui.demo import demo_settings
from offer_tui.ui.flows.resend_check import ResendGuard
from offer_tui.ui.screens.failure import FailureScreen
from offer_tui.ui.screens.resend_check import ResendCheckScreen
from offer_tui.ui.screens.submit import SubmitOutcome
from offer_tui.ui.screens.wizard import WizardScreen
from test_ui_errors import fill_minimal_offer
from test_ui_helpers import SIZE_WIDE, make_app
from test_ui_helpers import settle as settle_all

NAME = "Resend check offer"


async def settle(pilot) -> None:
    """Like test_ui_helpers.settle, but without waiting for the submit guard's worker, which waits
    (by design) while the check screen asks the user."""
    for _ in range(2):
        others = [w for w in pilot.app.workers if w.group != "submit-flow"]
        if others:  # an empty list would mean "every worker"
            await pilot.app.workers.wait_for_complete(others)
        await pilot.pause()


def posts(server) -> list[dict]:
    return [r for r in server.received if r["method"] == "POST" and r["path"].endswith("/offers")]


def name_lookups(server) -> list[dict]:
    return [r for r in server.received if r["method"] == "GET" and r["path"].endswith("/offers")
            and any(k == "property" and v == f"name=={NAME}" for k, v in r["query_pairs"])]


async def wait_for_screen(pilot, name: str) -> None:
    """Bounded: the send after a check runs in the submit guard's worker, which settle skips."""
    for _ in range(200):
        if type(pilot.app.screen).__name__ == name:
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{name} never showed; the screen is {pilot.app.screen}")


async def unknown_outcome_then_back(pilot, server, **failure) -> None:
    """Fill the form, submit into an unknown outcome (the server stored the offer), Esc to the form."""
    await settle(pilot)
    await fill_minimal_offer(pilot, name=NAME)
    server.fail_next(path_prefix="/offers", method="POST", **failure)  # not F9's name lookup (a GET)
    await pilot.press("f9")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FailureScreen) and pilot.app.screen.unknown
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, WizardScreen)


async def test_a_second_submit_finds_the_offer_and_sends_nothing_unless_told(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await unknown_outcome_then_back(pilot, server, status=500, process_first=True)
        (offer_id,) = server.offers
        await pilot.press("f9")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ResendCheckScreen)
        result = str(screen.query_one("#resend-result", Static).render())
        assert "An offer with this name exists" in result and offer_id in result and "created at 20" in result
        # The first F9's own check (the name it sent was free), the service's right after the
        # unknown answer, and the resend check's.
        assert len(name_lookups(server)) == 3 and len(posts(server)) == 1
        choices = screen.query_one("#resend-choices", OptionList)
        assert pilot.app.focused is choices and choices.highlighted == 0
        await pilot.press("enter")  # the default: do not send
        await settle(pilot)
        assert isinstance(pilot.app.screen, WizardScreen)
        assert len(posts(server)) == 1

        await pilot.press("f9")  # still unknown to this session: checked again
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResendCheckScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WizardScreen) and len(posts(server)) == 1

        await pilot.press("f9")
        await settle(pilot)
        screen = pilot.app.screen
        choices = screen.query_one("#resend-choices", OptionList)
        assert "Create a second offer named “Resend check offer”" in str(choices.get_option_at_index(1).prompt)
        await pilot.press("down", "enter")  # chosen in so many words
        await wait_for_screen(pilot, "SuccessScreen")
    assert len(posts(server)) == 2 and len(server.offers) == 2
    # The first F9's own check, the service's after the unknown answer, and one per later F9.
    assert len(name_lookups(server)) == 5


async def test_lookup_progress_is_shown_and_a_failed_lookup_sends_nothing(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await unknown_outcome_then_back(pilot, server, status=302, body="")
        server.latency = 3.0  # long enough to catch the progress on a loaded machine
        server.fail_next(400, path_prefix="/offers")  # the lookup (a GET) is refused
        await pilot.press("f9")
        for _ in range(100):  # bounded: until the check screen is up
            if isinstance(pilot.app.screen, ResendCheckScreen):
                break
            await pilot.pause(0.02)
        screen = pilot.app.screen
        assert isinstance(screen, ResendCheckScreen)
        assert screen.query_one(LoadingIndicator).display  # progress while the lookup is in flight
        await settle(pilot)
        result = str(screen.query_one("#resend-result", Static).render())
        assert "Could not check" in result and "Nothing was sent" in result
        assert not screen.query_one(LoadingIndicator).display
        server.latency = 0.0
        await pilot.press("enter")  # "Check again": this time the lookup works and finds nothing
        await wait_for_screen(pilot, "SuccessScreen")
    assert len(posts(server)) == 2 and len(server.offers) == 1


async def test_a_cancelled_submit_is_checked_too(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await fill_minimal_offer(pilot, name=NAME)
        server.latency = 1.0
        await pilot.press("f9")
        for _ in range(100):  # bounded: until the POST is on the wire
            if posts(server):
                break
            await pilot.pause(0.05)
        await pilot.press("escape")  # cancelled in flight: the server still stores it
        await pilot.pause(0.1)
        assert isinstance(pilot.app.screen, FailureScreen) and pilot.app.screen.unknown
        await pilot.press("escape")
        for _ in range(100):
            if server.offers:
                break
            await pilot.pause(0.05)
        server.latency = 0.0
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResendCheckScreen)
        assert "An offer with this name exists" in str(pilot.app.screen.query_one("#resend-result", Static).render())
    assert len(posts(server)) == 1


def test_the_guard_remembers_unknown_outcomes_per_type_and_name():
    guard = ResendGuard()
    doc = {"name": "A"}
    unknown = SubmitOutcome("error", error=ApiError("HTTP 500", status=500, outcome_unknown=True))
    refused = SubmitOutcome("error", error=ApiError("HTTP 400", status=400))
    assert not guard.needs_check(doc, "personalized")
    guard.record(doc, "personalized", refused)
    assert not guard.needs_check(doc, "personalized")
    guard.record(doc, "personalized", unknown)
    assert guard.needs_check(doc, "personalized")
    assert not guard.needs_check(doc, "fallback") and not guard.needs_check({"name": "B"}, "personalized")
    guard.record(doc, "personalized", refused)  # a refusal proves nothing about the earlier attempt
    assert guard.needs_check(doc, "personalized")
    guard.record(doc, "personalized", SubmitOutcome("success", result=object()))
    assert not guard.needs_check(doc, "personalized")


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_offer_found(snap_compare, server, tmp_path, size):
    stamp = "2026-05-31T15:09:11.771Z"
    server.state.offers["dps:personalized-offer:1234567890abcdef"] = {
        "offer_type": "personalized",
        "body": {"name": "Summer sale", "status": "draft"},
        "receipt": {"etag": 1, "createdBy": "demo", "lastModifiedBy": "demo", "id": "dps:personalized-offer:1234567890abcdef",
                    "createdDate": stamp, "lastModifiedDate": stamp},
    }

    async def run_before(pilot) -> None:
        await settle_all(pilot)
        await pilot.app.push_screen(ResendCheckScreen("Summer sale", "personalized"))
        await settle_all(pilot)

    assert snap_compare(make_app(demo_settings(server), tmp_path), terminal_size=size, run_before=run_before)
