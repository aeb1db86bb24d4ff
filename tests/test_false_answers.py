"""Issue 13, section 2: answers that were false, each proven by the demo API over loopback."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from offer_tui.cli import main
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.faults import arm
from offer_tui.demo.seed import DEMO_OFFERS
from offer_tui.exit_codes import EXIT_API, EXIT_OK, EXIT_UNKNOWN
from library_support import notes, wait_for_screen
from test_ui_helpers import SIZE_WIDE, make_app, settle

WEB = "dps:personalized-offer:1e9d5c0000000000"  # "Winter sale 20% (web)"
FIRST = "dps:personalized-offer:1e9d5c0000000002"  # the newest: the library's first row


@pytest.fixture
def server(monkeypatch):
    server = DemoServer(page_size=50, seed_offers=DEMO_OFFERS).start()
    settings = demo_settings(server)
    for name, value in {
        "OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
        "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
        "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox,
    }.items():
        monkeypatch.setenv(name, value)
    yield server
    server.stop()


# 2.1: a DELETE answered with something other than 200 + empty body, without deleting.
@pytest.mark.parametrize("case", ["200 html", "204", "200 array"])
def test_delete_not_carried_out_is_never_reported_deleted(server, capsys, case):
    arm(server, case, applied=False, method="DELETE")
    code = main(["delete", WEB, "--yes"])
    out, err = capsys.readouterr()
    assert "Deleted" not in out and WEB in server.offers
    assert code == EXIT_API and "it was not deleted" in err  # the re-read found it still there


def test_delete_with_the_documented_answer_is_confirmed_by_a_reread(server, capsys):
    assert main(["delete", WEB, "--yes"]) == EXIT_OK
    assert "Deleted" in capsys.readouterr().out and WEB not in server.offers
    gets = [r for r in server.received if r["method"] == "GET" and "1e9d5c0000000000" in r["path"]]
    assert len(gets) == 2  # read before asking, re-read after the answer: the 404 proves it


# 2.3: a 2xx whose body fails to decode.
def test_a_201_with_a_corrupt_gzip_body_is_unknown_not_a_traceback(server, capsys, tmp_path):
    from pathlib import Path

    example = Path(__file__).parent.parent / "examples" / "personalized-offer.json"
    arm(server, "2xx undecodable", applied=True, method="POST")
    code = main(["submit", str(example)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Created" not in out
    assert code == EXIT_UNKNOWN and "could not be decoded" in err


def test_a_read_with_a_corrupt_gzip_body_is_a_clear_error(server, capsys):
    from offer_tui.demo.faults import corrupt_gzip

    server.fail_next(200, body=corrupt_gzip(200), path_prefix="/offers", method="GET", times=4)
    code = main(["get", WEB])
    _, err = capsys.readouterr()
    assert code == EXIT_API and "could not be decoded" in err and "Traceback" not in err


# 2.2: the app after a gateway's 502/504 on approve / delete.
@pytest.mark.parametrize("status", [502, 504])
async def test_the_app_after_a_gateways_answer_to_approve_says_cannot_tell(server, tmp_path, status):
    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.library import LibraryScreen

    app = make_app(demo_settings(server), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await wait_for_screen(pilot, LibraryScreen)
        await settle(pilot)
        server.fail_next(status, method="PATCH")  # not carried out, but the gateway cannot know that
        await pilot.press("a")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        shown = "\n".join(notes(app))
    assert "not applied" not in shown and "you may send it again" not in shown
    assert "may still be in flight" in shown


@pytest.mark.parametrize("status", [502, 504])
async def test_the_app_after_a_gateways_answer_to_delete_says_cannot_tell(server, tmp_path, status):
    from offer_tui.ui.screens.confirm_delete import ConfirmOfferDeleteScreen
    from offer_tui.ui.screens.library import LibraryScreen

    app = make_app(demo_settings(server), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await wait_for_screen(pilot, LibraryScreen)
        await settle(pilot)
        server.fail_next(status, method="DELETE")
        await pilot.press("d")
        confirm = await wait_for_screen(pilot, ConfirmOfferDeleteScreen)
        confirm.query_one(Input).value = server.offers[FIRST]["body"]["name"]
        await pilot.press("enter")
        await settle(pilot)
        shown = "\n".join(notes(app))
    assert "not deleted" not in shown and "may still be in flight" in shown and FIRST in server.offers


# The lookup by name after an unknown create: with the ids seen before sending, a new one proves it.
async def test_a_create_found_by_a_new_id_after_an_unknown_answer_is_applied(server):
    import json
    from pathlib import Path

    from offer_tui.api import OfferClient
    from offer_tui.service import offers

    doc = json.loads((Path(__file__).parent.parent / "examples" / "personalized-offer.json").read_text())
    async with OfferClient.from_settings(demo_settings(server)) as client:
        known = frozenset(o["id"] for o in await offers.find_by_name(client, doc["name"], "personalized"))
        arm(server, "500", applied=True, method="POST")
        outcome = await offers.create(client, doc, "personalized", known_ids=known)
        assert (outcome.verdict, outcome.found) == ("unknown", "applied") and "it was created" in outcome.reread
        arm(server, "500", applied=True, method="POST")  # a second one: the first is now known
        outcome = await offers.create(client, doc, "personalized")
        assert (outcome.verdict, outcome.found) == ("unknown", "cannot tell")  # without known ids
    assert len([r for r in server.received if r["method"] == "POST" and "/offers" in r["path"]]) == 2
