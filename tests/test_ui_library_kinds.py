"""Issue 14 section 2: every kind in the library, against the demo API over loopback. `:` switches
kind (with completion), each kind has its own columns, Enter opens an object with its references
by name and what uses it, Enter on a reference opens that one and Esc comes back, `d` deletes any
kind (refused while in use unless forced), `v` previews a decision."""

from __future__ import annotations

import pytest

from offer_tui.api.library import Library
from offer_tui.api import OfferClient
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.ui.screens.confirm_delete import TypedConfirmScreen
from offer_tui.ui.screens.library import LibraryScreen
from offer_tui.ui.screens.object_detail import ObjectDetailScreen
from offer_tui.ui.screens.preview import PreviewScreen
from offer_tui.ui.widgets.kind_bar import KindBar, KindPrompt
from library_support import wait_for_screen, wait_until
from test_ui_helpers import SIZE_WIDE, make_app, settle


@pytest.fixture
def seeded():
    with DemoServer(seed_offers=30) as server:
        yield server


async def open_library(pilot) -> LibraryScreen:
    await settle(pilot)
    screen = await wait_for_screen(pilot, LibraryScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0 and not screen.fetching)
    return screen


async def switch(pilot, library: LibraryScreen, typed: str) -> None:
    await pilot.press("colon", *typed, "enter")
    await wait_until(pilot, lambda: not library.fetching and library.table.row_count > 0)


def headers(library: LibraryScreen) -> list[str]:
    return [str(c.label) for c in library.table.columns.values()]


async def test_colon_switches_kind_with_completion_and_each_kind_has_its_columns(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await pilot.press("colon", "d", "e", "c")
        prompt = library.query_one(KindPrompt)
        await wait_until(pilot, lambda: prompt._suggestion == "decisions")
        await pilot.press("tab", "enter")
        await wait_until(pilot, lambda: library.kind == "decisions" and not library.fetching)
        assert "[decisions]" in str(library.query_one(KindBar).render())
        assert headers(library) == [" ", "Name", "Status", "Id", "Start - End", "Placements", "Fallback"]
        assert library.table.row_count == 3
        row = library.table.get_row(list(library.table.rows)[0])
        assert not any(str(cell).startswith("dps:") for cell in row)  # placements and fallback by name
        await switch(pilot, library, "collections")
        assert headers(library) == [" ", "Name", "Type", "Offers", "Id"]
        counts = [library.table.get_row(k)[3] for k in library.table.rows]
        assert all(c.isdigit() for c in counts) and any(int(c) > 0 for c in counts)
        await switch(pilot, library, "placements")
        assert headers(library) == [" ", "Name", "Channel", "Component", "Id"]
        assert {library.table.get_row(k)[2] for k in library.table.rows} >= {"web", "email"}
        await switch(pilot, library, "tags")
        assert library.table.row_count == 6


async def test_enter_opens_references_by_name_and_used_by_and_follows_a_reference(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await switch(pilot, library, "collections")
        await pilot.press("enter")
        pane = await wait_for_screen(pilot, ObjectDetailScreen)
        await wait_until(pilot, lambda: pane.obj is not None)
        options = [str(pane.query_one("#object-links").get_option_at_index(i).prompt)
                   for i in range(pane.query_one("#object-links").option_count)]
        assert any(o.startswith("Used by (") and not o.startswith("Used by (0)") for o in options)
        assert any("tag “" in o for o in options) and any("decision “" in o for o in options)
        async with OfferClient.from_settings(demo_settings(seeded)) as client:
            from offer_tui.service.references import used_by

            users = await used_by(Library(client), pane.object_id, "collections")
        assert all(any(u.name in o for o in options) for u in users)  # the same as `refs`
        tag_index = next(i for i in pane._link_at if pane._link_at[i][0] == "tags")
        pane.query_one("#object-links").highlighted = tag_index
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ObjectDetailScreen) and app.screen is not pane)
        tag_pane = app.screen
        assert tag_pane.word == "tags" and tag_pane.object_id == pane._link_at[tag_index][1]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is pane)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is library)


async def test_delete_of_a_placement_in_use_lists_its_users_and_needs_force(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await switch(pilot, library, "decisions")
        await pilot.press("enter")
        pane = await wait_for_screen(pilot, ObjectDetailScreen)
        await wait_until(pilot, lambda: pane.obj is not None)
        placement = next(ref for ref in pane._link_at.values() if ref[0] == "placements")[1]
        await pilot.press("escape")
        await switch(pilot, library, "placements")
        library.table.move_to(placement)
        name = library.table.current.name
        await pilot.press("d")
        dialog = await wait_for_screen(pilot, TypedConfirmScreen)
        assert dialog.users and any("decision" in u for u in dialog.users)
        await pilot.press(*name, "enter")
        await pilot.pause()
        assert app.screen is dialog and "Refused" in str(dialog.query_one("#typed-error").render())
        async with OfferClient.from_settings(demo_settings(seeded)) as client:
            await Library(client).get("placements", placement)  # still there
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: placement not in library.table.offers)
        async with OfferClient.from_settings(demo_settings(seeded)) as client:
            from offer_tui.api import ApiError

            with pytest.raises(ApiError):
                await Library(client).get("placements", placement)


async def test_v_on_a_decision_opens_its_preview(seeded, tmp_path):
    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await switch(pilot, library, "decisions")
        decision = library.table.current.offer_id
        await pilot.press("v")
        preview = await wait_for_screen(pilot, PreviewScreen)
        assert preview.decision_id == decision


async def test_T_adds_a_tag_to_the_marked_offers_one_patch_each_shown_first(seeded, tmp_path):
    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.outcome_list import OutcomeListScreen
    from offer_tui.ui.screens.tag_picker import TagPickerScreen

    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        ids = [str(k.value) for k in list(library.table.rows)[:2]]
        await pilot.press("space", "space", "T")
        picker = await wait_for_screen(pilot, TagPickerScreen)
        tag = next(t for t in picker.tags if picker.having(t["id"]) == 0)
        options = picker.query_one("#tags-list")
        options.highlighted = next(i for i in range(options.option_count)
                                   if options.get_option_at_index(i).id == tag["id"])
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert confirm._question.count("PATCH") == 2 and f"tag “{tag['name']}” added" in confirm._question
        patches_before = len([r for r in seeded.received if r.get("method") == "PATCH"])
        await pilot.press("y")
        result = await wait_for_screen(pilot, OutcomeListScreen)
        assert [line[0] for line in result.lines] == ["✓", "✓"]
        assert len([r for r in seeded.received if r.get("method") == "PATCH"]) == patches_before + 2
        async with OfferClient.from_settings(demo_settings(seeded)) as client:
            for offer_id in ids:
                assert tag["id"] in (await client.get_offer(offer_id, "personalized")).get("tags", [])
        await pilot.press("enter")
        await settle(pilot)


async def test_n_on_tags_creates_a_tag_from_a_small_form_and_the_list_shows_it(seeded, tmp_path):
    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.object_form import ObjectFormScreen

    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await switch(pilot, library, "tags")
        await pilot.press("n")
        form = await wait_for_screen(pilot, ObjectFormScreen)
        await pilot.press("f9")
        assert app.screen is form and "name is needed" in str(form.query_one("#form-error").render())
        await pilot.press(*"Cyber Monday")
        await pilot.press("f9")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "POST /tags" in confirm._question and '"Cyber Monday"' in confirm._question
        await pilot.press("y")
        await wait_until(pilot, lambda: any(r.name == "Cyber Monday" for r in library.table.offers.values()))
        assert app.library_flow.last_outcome.verdict == "done"


async def test_e_on_a_placement_shows_the_patch_and_c_on_a_collection_picks_tags_never_ids(seeded, tmp_path):
    from textual.widgets import SelectionList

    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.object_form import ObjectFormScreen

    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await switch(pilot, library, "placements")
        placement = library.table.current
        await pilot.press("e")
        form = await wait_for_screen(pilot, ObjectFormScreen)
        await pilot.press(*"Renamed placement", "f9")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert f"PATCH {placement.offer_id}" in confirm._question and '-> "Renamed placement"' in confirm._question
        await pilot.press("y")
        await wait_until(pilot, lambda: library.table.offers.get(placement.offer_id) is not None
                         and library.table.offers[placement.offer_id].name == "Renamed placement")
        await switch(pilot, library, "collections")
        await pilot.press("c")
        form = await wait_for_screen(pilot, ObjectFormScreen)
        await pilot.pause()
        picks = form.query_one("#form-ids", SelectionList)
        labels = [str(picks.get_option_at_index(i).prompt) for i in range(picks.option_count)]
        assert labels and not any(label.startswith("dps:") for label in labels)  # names to pick, not ids
        async with OfferClient.from_settings(demo_settings(seeded)) as client:
            original = await Library(client).get("collections", library.table.current.offer_id)
        assert set(picks.selected) == set(original["ids"])  # the original's tags, picked
        await pilot.press("f9")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "POST /offer-collections" in confirm._question and "(copy)" in confirm._question
        await pilot.press("y")
        await wait_until(pilot, lambda: any(r.name.endswith("(copy)") for r in library.table.offers.values()))


async def test_e_on_a_rule_edits_json_checked_as_you_type_and_shows_the_patch(seeded, tmp_path):
    from textual.widgets import TextArea

    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.json_editor import JsonEditorScreen

    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await switch(pilot, library, "rules")
        rule = library.table.current
        await pilot.press("e")
        editor = await wait_for_screen(pilot, JsonEditorScreen)
        editor.check_delay = 0.01
        area = editor.query_one(TextArea)
        good = area.text
        assert '"etag"' not in good and '"id"' not in good  # server fields stay out of the editor
        area.text = good[:-2]  # cut: not JSON any more
        await wait_until(pilot, lambda: "✗ line" in str(editor.query_one("#json-check").render()))
        await pilot.press("f9")
        assert app.screen is editor  # nothing leaves while it is wrong
        import json as _json

        doc = _json.loads(good)
        doc["description"] = "Edited in the JSON editor"
        area.text = _json.dumps(doc, indent=2)
        await wait_until(pilot, lambda: "✓ valid" in str(editor.query_one("#json-check").render()))
        await pilot.press("f9")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert f"PATCH {rule.offer_id}" in confirm._question and "/description" in confirm._question
        await pilot.press("y")
        await wait_until(pilot, lambda: app.library_flow.last_outcome is not None)
        async with OfferClient.from_settings(demo_settings(seeded)) as client:
            assert (await Library(client).get("rules", rule.offer_id))["description"] == "Edited in the JSON editor"


async def test_a_new_decision_picks_its_references_by_name(seeded, tmp_path):
    from textual.widgets import TextArea

    from offer_tui.ui.screens.json_editor import JsonEditorScreen, ReferencePickerScreen

    app = make_app(demo_settings(seeded), tmp_path, start="library")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        library = await open_library(pilot)
        await switch(pilot, library, "decisions")
        await pilot.press("n")
        editor = await wait_for_screen(pilot, JsonEditorScreen)
        area = editor.query_one(TextArea)
        area.move_cursor((0, 0))
        await pilot.press("ctrl+o")
        picker = await wait_for_screen(pilot, ReferencePickerScreen)
        options = picker.query_one("#refpick-list")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "Placements:" in prompts and "Collections:" in prompts and "Fallback offers:" in prompts
        assert any("Homepage hero banner" in p for p in prompts)
        index = next(i for i, p in enumerate(prompts) if "Homepage hero banner" in p)
        options.highlighted = index
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is editor)
        placement = options.get_option_at_index(index).id
        assert area.text.startswith(f'"{placement}"')  # the id went in, picked by name
        await pilot.press("escape")  # changed: a confirm first
        from offer_tui.ui.screens.confirm import ConfirmScreen

        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is library)
