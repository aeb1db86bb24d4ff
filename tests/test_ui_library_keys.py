"""Issue 14 section 3, measured in a new-user drive: the library as k9s and lazygit users expect it.
Marks act, keys, refresh keeps the table, no stale list after a create, ids tellable apart,
nothing important cut off, an empty list says why. Against the demo API over loopback."""

from __future__ import annotations

import pytest

from offer_tui.api import OfferClient
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.ui.screens.confirm import ConfirmScreen
from offer_tui.ui.screens.confirm_delete import TypedConfirmScreen
from offer_tui.ui.screens.edit_conflict import EditConflictScreen
from offer_tui.ui.screens.help import HelpScreen
from offer_tui.ui.screens.library import LibraryScreen
from offer_tui.ui.screens.outcome_list import OutcomeListScreen
from offer_tui.ui.widgets.key_footer import KeyFooter
from library_support import wait_for_screen, wait_until
from test_ui_helpers import SIZE_NARROW, SIZE_WIDE, make_app, settle


@pytest.fixture
def seeded():
    with DemoServer(seed_offers=30) as server:
        yield server


async def open_library(pilot) -> LibraryScreen:
    await settle(pilot)
    screen = await wait_for_screen(pilot, LibraryScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0 and not screen.fetching)
    return screen


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def bar(library: LibraryScreen) -> str:
    return str(library.query_one("#library-bar").render())


async def server_offers(server: DemoServer) -> dict[str, dict]:
    async with OfferClient.from_settings(demo_settings(server)) as client:
        page = await client.list_offers_page("personalized", limit=100)
    return {o["id"]: o for o in page.results}


async def test_space_marks_and_moves_down_and_j_k_g_G_home_end_move_by_rows(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        library = await open_library(pilot)
        table = library.table
        await pilot.press("space")
        assert table.cursor_coordinate.row == 1 and len(table.marked) == 1
        await pilot.press("j", "j")
        assert table.cursor_coordinate.row == 3
        await pilot.press("k")
        assert table.cursor_coordinate.row == 2
        await pilot.press("G")
        assert table.cursor_coordinate.row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_coordinate.row == 0
        await pilot.press("end")
        assert table.cursor_coordinate == (table.row_count - 1, 0)  # a row, never sideways
        await pilot.press("home")
        assert table.cursor_coordinate == (0, 0)


async def test_question_mark_opens_help_with_every_key_and_q_goes_back(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await open_library(pilot)
        await pilot.press("question_mark")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        for row in ("| / |", "| Enter |", "| space |", "| r/F5 |", "| p |", "| : |", "| j |", "| ?/F1 |", "| q |",
                    "First row (g or Home)", "Last loaded row (G or End)"):
            assert row in help_screen._text, row
        await pilot.press("escape")
        await wait_for_screen(pilot, LibraryScreen)
        await pilot.press("q")
        await wait_until(pilot, lambda: app.screen is app.wizard)


@pytest.mark.parametrize("size", [SIZE_NARROW, SIZE_WIDE])
async def test_the_footer_lists_every_key_of_the_view_and_none_that_does_nothing(seeded, tmp_path, size):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=size) as pilot:
        library = await open_library(pilot)
        await pilot.pause()
        footer = str(library.query_one(KeyFooter).render())
        for key in ("Enter Open", "/ Filter", "space Mark", "r/F5 Refresh", "p Copy to", "?/F1 Help", "q Back",
                    "a Approve", "x Archive", "d Delete"):
            assert key in footer, (key, footer)
        assert "slash" not in footer and "Library" not in footer  # F7 here would do nothing new
        await pilot.press("colon")
        await pilot.press(*"tags", "enter")
        await wait_until(pilot, lambda: library.kind == "tags" and not library.fetching)
        await pilot.pause()
        footer = str(library.query_one(KeyFooter).render())
        for absent in ("Approve", "Archive", "Copy to", "Status", "Type", "Preview", "T Tag"):
            assert absent not in footer, absent  # they do nothing for a tag
        assert "n New" in footer and "c Clone" in footer and "e Edit" in footer  # a tag's small form
        await pilot.press("colon")
        await pilot.press(*"rules", "enter")
        await wait_until(pilot, lambda: library.kind == "rules" and not library.fetching)
        await pilot.pause()
        footer = str(library.query_one(KeyFooter).render())
        assert "Approve" not in footer and "T Tag" not in footer and "d Delete" in footer
        assert "n New" in footer and "e Edit" in footer  # a rule's JSON editor


async def test_marks_act_one_confirmation_names_them_then_one_line_each(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        # Two approved offers: rows 1 and 2 of the seed (newest first).
        rows = [library.table.offers[str(k.value)] for k in list(library.table.rows)[1:3]]
        first = str(list(library.table.rows)[0].value)
        assert all(r.status == "approved" for r in rows)
        await pilot.press("down", "space", "space")
        assert "2 marked" in bar(library)
        await pilot.press("up")  # the highlighted row is not one of the marked: the marks are what acts
        await pilot.press("x")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert confirm._title == "Archive 2 offers?"
        for row in rows:
            assert row.name in confirm._question
        await pilot.press("y")
        result = await wait_for_screen(pilot, OutcomeListScreen)
        assert len(result.lines) == 2 and all(line.startswith("✓") and "now archived" in line for line in result.lines)
        held = await server_offers(seeded)
        assert [held[r.offer_id]["status"] for r in rows] == ["archived", "archived"]
        assert held[first]["status"] == "draft"  # the highlighted, unmarked row was left alone
        await pilot.press("enter")
        await wait_until(pilot, lambda: not library.table.marked and not library.fetching)


async def test_delete_on_marks_asks_for_the_count_and_deletes_each(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        ids = [str(k.value) for k in list(library.table.rows)[:2]]
        await pilot.press("space", "space", "d")
        typed = await wait_for_screen(pilot, TypedConfirmScreen)
        assert typed._title == "Delete 2 offers?" and typed.expected == "2"
        await pilot.press("2", "enter")
        result = await wait_for_screen(pilot, OutcomeListScreen)
        assert [line[0] for line in result.lines] == ["✓", "✓"]
        held = await server_offers(seeded)
        assert not set(ids) & set(held)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not library.fetching and not set(ids) & set(library.table.offers))


async def test_marks_survive_a_refresh_and_a_filter_and_the_bar_counts_hidden_ones(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        first = str(list(library.table.rows)[0].value)
        await pilot.press("space")
        await pilot.press("r")
        await wait_until(pilot, lambda: not library.fetching)
        assert set(library.table.marked) == {first} and library.table.get_row(first)[0] == "●"
        library.filter_delay = 0
        await pilot.press("slash", *"zzzz", "enter")
        await wait_until(pilot, lambda: library.name_filter == "zzzz" and not library.fetching)
        assert set(library.table.marked) == {first}
        assert "1 marked (1 not shown)" in bar(library)


async def test_refresh_on_a_slow_server_keeps_the_table_and_esc_cancels_it_not_the_library(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        library = await open_library(pilot)
        rows = library.table.row_count
        seeded.state.latency = 5
        await pilot.press("r")
        await wait_until(pilot, lambda: library.fetching and "refreshing..." in bar(library))
        await wait_until(pilot, lambda: "refreshing..." in screen_text(app))
        assert library.table.row_count == rows and not library.loading  # no screen of dots
        await pilot.press("escape")
        await wait_until(pilot, lambda: not library.fetching)
        assert app.screen is library
        assert "refresh cancelled" in bar(library) and library.table.row_count == rows
        seeded.state.latency = 0


async def test_f7_after_a_create_shows_the_new_offer(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.wizard)
        held = await server_offers(seeded)
        doc = {k: v for k, v in next(iter(held.values())).items()
               if k not in ("id", "etag", "created", "modified", "createdBy", "lastModifiedBy", "schemas")}
        doc["name"] = "Brand new offer from the wizard"
        async with OfferClient.from_settings(demo_settings(seeded)) as client:
            await client.create_offer(doc, "personalized")
        await pilot.press("f7")
        await wait_for_screen(pilot, LibraryScreen)
        await wait_until(pilot, lambda: any(r.name == doc["name"] for r in library.table.offers.values()))


async def test_ids_show_their_distinguishing_end_and_name_status_id_fit_at_80x24(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        library = await open_library(pilot)
        row = library.table.current
        cells = [str(c) for c in library.table.get_row(row.offer_id)]
        assert cells[1:4] == [row.name, row.status, "…" + row.offer_id[-8:]]  # name, status, short id first
        widths = sum(c.get_render_width(library.table) for c in list(library.table.columns.values())[:4])
        assert widths <= 80 - 4  # the first four columns fit at 80 columns
        text = "\n".join(cells)
        assert "dps:personalized-offer:" not in text


async def test_an_empty_list_says_why(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_NARROW) as pilot:
        library = await open_library(pilot)
        library.filter_delay = 0
        await pilot.press("t")
        await pilot.press("slash", *"nothing-like-this", "enter")
        await wait_until(pilot, lambda: library.name_filter == "nothing-like-this" and not library.fetching)
        await pilot.pause()
        text = str(library.query_one("#library-empty").render())
        assert "No fallback offers whose name contains 'nothing-like-this' in sandbox demo-sandbox" in text


async def test_the_conflict_dialog_keeps_its_choices_visible_at_60x20(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        theirs = [f"replace /field{i}: 'old' -> 'new value number {i}'" for i in range(30)]
        app.push_screen(EditConflictScreen("“Winter sale” changed: etag 3 -> 4 by someone else", theirs, theirs[:5]))
        dialog = await wait_for_screen(pilot, EditConflictScreen)
        await pilot.pause()
        keys = dialog.query_one("#conflict-keys")
        assert keys.region.bottom <= 20 and keys.region.height >= 3
        text = screen_text(app)
        assert "Esc: cancel" in text and "a: re-apply" in text and "l: reload" in text


async def test_clone_opens_with_the_whole_name_selected_so_typing_replaces_it(seeded, tmp_path):
    from textual.widgets import Input

    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await open_library(pilot)
        await pilot.press("c")
        await settle(pilot)
        await wait_until(pilot, lambda: app.screen is app.wizard)
        name = app.wizard.query_one("#name", Input)
        assert app.focused is name and name.value.endswith(" (copy)")
        await pilot.press(*"Fresh name")
        await pilot.pause()
        assert name.value == "Fresh name"


FIRST = "dps:personalized-offer:1e9d5c0000000002"


async def test_a_same_field_conflict_says_in_a_dialog_that_my_change_was_dropped(seeded, tmp_path):
    from textual.widgets import Input

    app = make_app(demo_settings(seeded), tmp_path, start="edit", offer_id=FIRST)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        name = app.wizard.query_one("#name", Input)
        name.focus()
        name.value = "Mine"
        await pilot.pause()
        async with OfferClient.from_settings(demo_settings(seeded)) as client:  # the same field, by someone else
            await client.patch_offer(FIRST, [{"op": "replace", "path": "/name", "value": "Theirs"}], "personalized")
        await pilot.press("f9")
        await wait_for_screen(pilot, EditConflictScreen)
        await pilot.press("a")
        result = await wait_for_screen(pilot, OutcomeListScreen)
        assert "not all of it" in result._title
        assert any("/name" in line and "the server changed it too" in line for line in result.lines)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.wizard and app.wizard.current == "review"


async def test_esc_cancels_an_edit_patch_in_flight_and_says_what_a_re_read_found(seeded, tmp_path):
    from textual.widgets import Input

    from offer_tui.ui.screens.sending import SendingScreen

    app = make_app(demo_settings(seeded), tmp_path, start="edit", offer_id=FIRST)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        name = app.wizard.query_one("#name", Input)
        name.focus()
        name.value = "Renamed slowly"
        await pilot.pause()
        seeded.state.latency = 1.5
        await pilot.press("f9")
        sending = await wait_for_screen(pilot, SendingScreen)
        assert "Sending 1 operation(s)" in str(sending.query_one("#sending-text").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.edit_flow.last_outcome is not None, timeout=15)
        seeded.state.latency = 0
        await settle(pilot)
        outcome = app.edit_flow.last_outcome
        assert outcome.verdict == "unknown" and outcome.found in ("applied", "not applied")
        assert outcome.reread  # what the re-read found is said, not a guess
        assert not any(isinstance(s, SendingScreen) for s in app.screen_stack)  # the notice went with the answer
        await settle(pilot)


async def test_switching_kind_says_the_marks_it_clears(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await pilot.press("space", "space")
        assert len(library.table.marked) == 2
        library.switch_kind("tags")
        await pilot.pause()
        assert library.table.marked == {}
        assert any(n.title == "Marks" and "2 marks cleared" in n.message for n in app._notifications)
