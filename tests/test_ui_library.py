"""The offer library in the app: list, filter, page, open, and every action, against the demo API."""

from __future__ import annotations

import socket

import pytest

from textual.widgets import Input

from offer_tui.api import OfferClient
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.ui.screens.confirm import ConfirmScreen
from offer_tui.ui.screens.confirm_delete import ConfirmOfferDeleteScreen
from offer_tui.ui.screens.edit_conflict import EditConflictScreen
from offer_tui.ui.screens.library import LibraryScreen
from offer_tui.ui.screens.offer_detail import OfferDetailScreen
from offer_tui.ui.screens.success import SuccessScreen
from offer_tui.ui.screens.wizard import WizardScreen
from library_support import notes, wait_for_screen, wait_until
from test_ui_helpers import SIZE_NARROW, SIZE_WIDE, make_app, settle

FIRST = "dps:personalized-offer:1e9d5c0000000002"  # the newest seeded personalized offer


@pytest.fixture
def seeded():
    """The demo API with its 30 realistic offers (fixed ids and dates), fresh for each test."""
    with DemoServer(seed_offers=30) as server:
        yield server


def offer_requests(server: DemoServer) -> list[dict]:
    """The query of each list request (GET /offers), in order."""
    return [r["query"] for r in server.received if r.get("method") == "GET" and r.get("rel") == "/offers"]


def client_for(server: DemoServer) -> OfferClient:
    return OfferClient.from_settings(demo_settings(server))


async def server_offer(server: DemoServer, offer_id: str = FIRST) -> dict:
    async with client_for(server) as client:
        return await client.get_offer(offer_id, "personalized")


async def open_library(pilot) -> LibraryScreen:
    await settle(pilot)
    screen = await wait_for_screen(pilot, LibraryScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0 or screen.error is not None)
    return screen


def names(screen: LibraryScreen) -> list[str]:
    return [screen.table.offers[str(key.value)].name for key in screen.table.rows]


async def test_library_flag_starts_on_the_newest_offers_with_the_server_total(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        library = await open_library(pilot)
        assert app.focused is library.table
        modified = [library.table.get_row(key)[6] for key in library.table.offers]
        assert modified == sorted(modified, reverse=True)
        assert library.table.current.offer_id == FIRST
        bar = str(library.query_one("#library-bar").render())
        assert f"{library.total} offers" in bar and library.total == len(library.table.offers)
        assert offer_requests(seeded)[-1]["limit"] == "50" and offer_requests(seeded)[-1]["orderby"] == "-modified"


async def test_plain_start_keeps_focus_in_the_name_field_and_f7_opens_the_library(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        assert app.screen is app.wizard and app.focused.id == "name"
        await pilot.press("f7")
        library = await open_library(pilot)
        assert library.table.row_count
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.wizard


async def test_library_is_in_the_palette_and_the_wizard_help(seeded, tmp_path):
    from offer_tui.ui.keymap import help_table

    app = make_app(demo_settings(seeded), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.wizard)]
        assert any("offer library" in title for title in titles)
        assert "| F7 |" in help_table(app.wizard, app)


async def test_filter_as_you_type_is_debounced_and_sent_to_the_server(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        library.filter_delay = 2.5  # 0.3 s in use; longer here so a loaded test machine types in time
        before = len(offer_requests(seeded))
        await pilot.press("slash")
        assert app.focused is library.query_one("#library-filter")  # at once: the next keys are the filter's
        await pilot.press(*"WINTER")
        await pilot.pause(0.1)
        assert not [q for q in offer_requests(seeded)[before:] if "property" in q]  # nothing while typing
        await wait_until(pilot, lambda: library.name_filter == "WINTER" and not library.loading)
        await settle(pilot)
        sent = [query for query in offer_requests(seeded)[before:] if "property" in query]
        assert len(sent) == 1 and sent[0]["property"] == "name~[wW][iI][nN][tT][eE][rR]", sent  # one, not six
        assert names(library) and all("winter" in name.lower() for name in names(library))
        assert f"{library.total} offer" in str(library.query_one("#library-bar").render())
        await pilot.press("enter")  # back to the table, the filter stays
        assert app.focused is library.table


async def test_status_filter_and_type_toggle(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert library.status == "draft"
        assert library.table.offers and all(row.status == "draft" for row in library.table.offers.values())
        await pilot.press("s", "s", "s", "t")  # approved, archived, any; then fallback
        await settle(pilot)
        assert library.status is None and library.offer_type == "fallback"
        assert library.table.offers and all(":fallback-offer:" in key for key in library.table.offers)


async def test_next_page_loads_near_the_end_and_never_the_whole_sandbox(tmp_path):
    with DemoServer(seed_offers=400) as server:
        app = make_app(demo_settings(server), tmp_path, start="library")
        async with app.run_test(size=SIZE_NARROW) as pilot:
            library = await open_library(pilot)
            assert library.table.row_count == 50 and library.total > 150
            lists = len(offer_requests(server))
            await pilot.press("ctrl+end")
            await settle(pilot)
            assert library.table.row_count == 100
            assert len(offer_requests(server)) == lists + 1
            assert "(100 loaded)" in str(library.query_one("#library-bar").render())


async def test_errors_show_in_place_and_r_retries(seeded, tmp_path):
    seeded.fail_next(503, times=4, path_prefix="/offers")
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        library = await open_library(pilot)
        error = str(library.query_one("#library-error").render())
        assert library.error and "503" in error and "r: retry" in error and "Traceback" not in error
        await pilot.press("r")
        await settle(pilot)
        assert library.error is None and library.table.row_count


async def test_401_and_a_refused_connection_are_shown_not_raised(seeded, tmp_path):
    import dataclasses

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    refused = dataclasses.replace(demo_settings(seeded), endpoint=f"http://127.0.0.1:{port}/data/core/dps")
    app = make_app(refused, tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        library = await open_library(pilot)
        assert library.error and library.table.row_count == 0
    bad_token = dataclasses.replace(demo_settings(seeded), access_token="not-a-token", client_secret=None)
    app = make_app(bad_token, tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        library = await open_library(pilot)
        assert library.error and "401" in str(library.query_one("#library-error").render())


async def test_server_text_is_made_terminal_safe(seeded, tmp_path):
    seeded.offers[FIRST]["body"]["name"] = "Evil \x1b]52;c;aGk=\x07name\x9b31m"
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        cell = library.table.get_row(FIRST)[1]
        assert "\x1b" not in cell and "\x9b" not in cell and cell.startswith("Evil")
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, OfferDetailScreen)
        await settle(pilot)
        assert "\x1b" not in str(detail.query_one("#detail-text").render())


async def test_enter_opens_a_summary_with_placement_names_and_the_json(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await open_library(pilot)
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, OfferDetailScreen)
        await settle(pilot)
        summary = str(detail.query_one("#detail-text").render())
        assert "App home card" in summary  # the placement's name from the catalog, not only its id
        # The one summary `get` prints too (offer_tui/service/summary.py): the same words in both.
        assert "priority" in summary and "for:" in summary and "representations: 2" in summary
        assert FIRST in detail.query_one("#detail-json").text
        await pilot.press("y")
        assert app.clipboard == FIRST
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_clone_opens_the_wizard_on_a_copy_that_creates_a_new_offer(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await open_library(pilot)
        original = await server_offer(seeded)
        await pilot.press("c")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen) and wizard.edit is None
        assert wizard.doc["name"] == f"{original['name']} (copy)" and wizard.based_on == FIRST
        assert "id" not in wizard.doc and "etag" not in wizard.doc
        count = len(seeded.offers)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
        assert len(seeded.offers) == count + 1


async def test_edit_shows_the_patch_and_f9_sends_it(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await open_library(pilot)
        original = await server_offer(seeded)
        await pilot.press("e")
        await settle(pilot)
        wizard = app.screen
        assert wizard.title == f"Editing {original['name']} · etag {original['etag']}"
        name = wizard.query_one("#name", Input)
        name.focus()
        name.value = "Renamed"
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(pilot)
        lines = str(wizard.query_one("#review-patch-lines").render())
        assert lines == f'replace /name: "{original["name"]}" -> "Renamed"'  # nothing the form only added
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
        assert f"etag {original['etag'] + 1}" in str(app.screen.query_one("#success-title").render())
        patches = [r for r in seeded.received if r.get("method") == "PATCH"]
        assert len(patches) == 1
        after = await server_offer(seeded)
        assert after["name"] == "Renamed" and after["etag"] == original["etag"] + 1
        await pilot.press("ctrl+l")
        library = await wait_for_screen(pilot, LibraryScreen)
        assert library.table.get_row(FIRST)[1] == "Renamed"


async def test_etag_conflict_shows_their_change_and_reapplies_mine_on_the_fresh_copy(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="edit", offer_id=FIRST)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        assert wizard.edit is not None and wizard.edit.offer_id == FIRST
        name = wizard.query_one("#name", Input)
        name.focus()
        name.value = "Mine"
        await pilot.pause()
        async with client_for(seeded) as client:  # someone else, behind the wizard's back
            await client.patch_offer(FIRST, [{"op": "replace", "path": "/description", "value": "Theirs"}],
                                     "personalized")
        await pilot.press("f9")
        conflict = await wait_for_screen(pilot, EditConflictScreen)
        text = str(conflict.query_one("#conflict-lines").render())
        assert '"Theirs"' in text and '"Mine"' in text
        assert not [r for r in seeded.received if r.get("method") == "PATCH"][1:]  # only theirs was sent
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is wizard and wizard.current == "review"
        assert wizard.doc["name"] == "Mine" and wizard.doc["description"] == "Theirs"
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
        after = await server_offer(seeded)
        assert after["name"] == "Mine" and after["description"] == "Theirs"


async def test_etag_conflict_reload_drops_my_edits_after_a_confirm(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="edit", offer_id=FIRST)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        name = wizard.query_one("#name", Input)
        name.focus()
        name.value = "Mine"
        await pilot.pause()
        async with client_for(seeded) as client:
            await client.patch_offer(FIRST, [{"op": "replace", "path": "/name", "value": "Theirs"}], "personalized")
        await pilot.press("f9")
        await wait_for_screen(pilot, EditConflictScreen)
        await pilot.press("l")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert wizard.doc["name"] == "Theirs" and wizard.edit.etag == (await server_offer(seeded))["etag"]
        assert (await server_offer(seeded))["name"] == "Theirs"  # nothing of mine was sent


async def test_approve_and_archive_show_the_patch_line_and_confirm(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        assert (await server_offer(seeded))["status"] == "draft"
        await pilot.press("a")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert 'replace /status: "draft" -> "approved"' in str(confirm.query_one("#confirm-question").render())
        await pilot.press("n")
        await settle(pilot)
        assert (await server_offer(seeded))["status"] == "draft"
        await pilot.press("a")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert (await server_offer(seeded))["status"] == "approved"
        assert library.table.get_row(FIRST)[2] == "approved"
        await pilot.press("x")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert (await server_offer(seeded))["status"] == "archived"


async def test_a_slow_re_read_before_a_confirmation_says_what_it_is_doing(seeded, tmp_path):
    # Over a slow link nothing showed for seconds after `a`, and the next key went to the table.
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await open_library(pilot)
        seeded.latency = 1.0
        await pilot.press("a")
        await pilot.pause(0.6)
        shown = [n.message for n in pilot.app._notifications]
        assert any("Reading" in m and "first" in m for m in shown), shown
        await wait_for_screen(pilot, ConfirmScreen)
        seeded.latency = 0.0
        await pilot.press("n")
        await settle(pilot)


async def test_delete_needs_the_typed_name_and_removes_the_row(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        name = (await server_offer(seeded))["name"]
        await pilot.press("enter")
        await wait_for_screen(pilot, OfferDetailScreen)
        await pilot.press("d")
        confirm = await wait_for_screen(pilot, ConfirmOfferDeleteScreen)
        await pilot.press(*"wrong", "enter")
        await pilot.pause()
        assert app.screen is confirm and FIRST in seeded.offers
        field = confirm.query_one(Input)
        field.value = name
        await pilot.press("enter")
        await settle(pilot)
        assert FIRST not in seeded.offers  # deleted on the server
        assert app.screen is library and FIRST not in library.table.offers
        assert any("Deleted" in note for note in notes(app))


async def test_an_unknown_patch_outcome_is_settled_by_reading_the_offer_again(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        seeded.fail_next(500, process_first=True, method="PATCH")  # applied, then a 500
        await pilot.press("a")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert len([r for r in seeded.received if r.get("method") == "PATCH"]) == 1  # never resent
        assert any("your change was applied" in note for note in notes(app))
        assert library.table.get_row(FIRST)[2] == "approved"


async def test_an_unknown_delete_outcome_says_what_the_server_holds(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        name = (await server_offer(seeded))["name"]
        seeded.fail_next(500, method="DELETE")  # refused with a 500: not carried out
        await pilot.press("d")
        confirm = await wait_for_screen(pilot, ConfirmOfferDeleteScreen)
        confirm.query_one(Input).value = name
        await pilot.press("enter")
        await settle(pilot)
        assert FIRST in seeded.offers and FIRST in library.table.offers
        assert any("not deleted" in note for note in notes(app))


async def test_clone_flag_opens_the_wizard_on_a_copy(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="clone", offer_id=FIRST)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        assert app.screen is app.wizard and app.wizard.edit is None
        assert app.wizard.doc["name"].endswith(" (copy)")


async def test_edit_flag_with_an_unknown_id_says_so_and_keeps_an_empty_wizard(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="edit", offer_id="dps:personalized-offer:nope")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        assert app.screen is app.wizard and app.wizard.edit is None
        assert any("Could not read" in note for note in notes(app))


def test_cli_flags_reach_the_app(monkeypatch):
    from offer_tui import cli
    from offer_tui.ui import app as app_module

    seen = {}
    monkeypatch.setattr(app_module, "run", lambda **kw: seen.update(kw) or 0)
    assert cli.main(["--demo", "--edit", FIRST]) == 0
    assert seen["start"] == "edit" and seen["offer_id"] == FIRST
    assert cli.main(["--demo", "--library"]) == 0 and seen["start"] == "library"
    assert cli.main(["--demo", "--clone", FIRST]) == 0 and seen["start"] == "clone"


async def test_space_marks_rows_for_a_later_multi_select(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        library = await open_library(pilot)
        await pilot.press("space", "down", "space", "down", "space", "up", "space")
        keys = list(library.table.offers)
        assert library.table.marked == {keys[0], keys[2]}
        assert library.table.get_row(keys[0])[0] == "●" and library.table.get_row(keys[1])[0] == ""
        await pilot.pause()
        assert "2 marked" in str(library.query_one("#library-bar").render())


async def test_an_edit_draft_resumes_as_an_edit(seeded, tmp_path):
    from offer_tui.drafts import Draft, DraftStore
    from offer_tui.ui.screens.resume import ResumeDraftScreen

    app = make_app(demo_settings(seeded), tmp_path, start="edit", offer_id=FIRST, draft_delay=0.05)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        name = app.wizard.query_one("#name", Input)
        name.focus()
        name.value = "Half-done edit"
        await pilot.pause(0.2)
        assert app.flush_draft() is not None
    saved = [Draft.from_payload(Draft(doc={}).to_payload())]  # a plain draft has no edit
    assert saved[0].edit is None
    app = make_app(demo_settings(seeded), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeDraftScreen)
        await pilot.press("enter")
        await settle(pilot)
        wizard = app.wizard
        assert wizard.edit is not None and wizard.edit.offer_id == FIRST
        assert wizard.title.startswith("Editing ") and wizard.doc["name"] == "Half-done edit"
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
    assert (await server_offer(seeded))["name"] == "Half-done edit"
    assert not DraftStore(tmp_path / "state").others()


async def test_the_open_pane_shows_global_and_profile_caps_as_get_does(seeded, tmp_path):
    """Issue 13, 2.5: the pane read a field that does not exist and said "Caps: none"."""
    from offer_tui.commands.library_text import summary_lines

    seeded.offers[FIRST]["body"]["cappingConstraint"] = {"globalCap": 5000, "profileCap": 1}
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await open_library(pilot)
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, OfferDetailScreen)
        await settle(pilot)
        pane = str(detail.query_one("#detail-text").render()).replace("\u00a0", " ")
        offer = detail.offer
    caps_line = next(line for line in pane.splitlines() if "caps:" in line)
    assert "globalCap 5000; profileCap 1" in caps_line
    assert caps_line.strip() in [line.strip() for line in summary_lines(offer)]  # what `get` prints
