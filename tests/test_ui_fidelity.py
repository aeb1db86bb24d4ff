"""Issue 8: the wizard keeps Adobe's documented offers as they are, and loses nothing the user typed."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Button, Input, Select

from offer_tui.demo import demo_settings
from offer_tui.model import CHANNEL_PREFIX
from offer_tui.ui.steps.capping import CappingStep
from offer_tui.ui.steps.constraints import ConstraintsStep
from offer_tui.ui.steps.representations import RepresentationsStep
from offer_tui.ui.widgets.date_field import DateField
from test_ui_helpers import SIZE_NARROW, SIZE_WIDE, make_app, pick, press, settle, type_in

DATA = Path(__file__).parent / "data"
HERO = "dps:offer-placement:1a2b3c4d5e6f7081"  # web, html
CAP = {"enabled": True, "limit": 2, "scope": "profile", "entity": "offer",
       "repeat": {"enabled": False, "unit": "month", "unitCount": 1}}


def loaded_app(server, tmp_path, doc: dict, name: str = "offer.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=4))
    return make_app(demo_settings(server), tmp_path, from_file=str(path))


async def test_adobes_documented_fallback_offer_loads_and_goes_out_unchanged(server, tmp_path):
    doc = json.loads((DATA / "adobe_fallback_offer.json").read_text())
    app = loaded_app(server, tmp_path, doc, "fallback.json")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        # The request body carries no id or schema that says "fallback": the user picks the type.
        await pick(pilot, wizard.query_one("#offer-type"), "fallback")
        assert wizard.offer_type == "fallback"
        for step in ("representations", "constraints", "review"):
            await wizard.mount_step(step)
        wizard.rebuild(schedule=False)
        assert wizard.doc == doc
        assert list(wizard.doc) == list(doc)  # and in the file's key order
        assert not wizard.report.errors, [str(e) for e in wizard.report.errors]
        constraints = wizard.query_one(ConstraintsStep)
        assert constraints.query_one("#priority", Input).value == "1"
        assert constraints.query_one("#start-date", DateField).text == "2022-06-10T00:30:00.000+00:00"


async def test_an_empty_language_list_leaves_the_key_out(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        await pilot.press("f4")
        await settle(pilot)
        comp = wizard.query_one(RepresentationsStep).editors()[0].components()[0]
        await type_in(pilot, comp.query_one(".comp-language", Input), "")
        component = wizard.doc["representations"][0]["components"][0]
        assert "language" not in component
        assert not [e for e in wizard.report.errors if "language" in e.path]
        await type_in(pilot, comp.query_one(".comp-language", Input), "fr-fr")
        assert list(wizard.doc["representations"][0]["components"][0]) == ["type", "format", "language", "content"]


async def test_a_new_frequency_cap_has_the_documented_key_order(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        wizard.go_to("capping")
        await settle(pilot)
        capping = wizard.query_one(CappingStep)
        await press(pilot, capping.query_one("#add-cap", Button))
        cap = capping.editors()[0]
        await type_in(pilot, cap.query_one(".cap-start", Input), "2025-01-01")
        await type_in(pilot, cap.query_one(".cap-end", Input), "2025-06-30 23:59:59")
        [built] = wizard.doc["frequencyCappingConstraints"]
        assert list(built) == ["enabled", "limit", "startDate", "endDate", "scope", "entity", "repeat"]


async def test_a_loaded_frequency_cap_keeps_the_files_key_order(server, tmp_path):
    doc = json.loads((DATA / "seed_offer.json").read_text())
    doc["frequencyCappingConstraints"] = [dict(CAP)]  # no dates: the user adds them
    app = loaded_app(server, tmp_path, doc)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        wizard.go_to("capping")
        await settle(pilot)
        cap = wizard.query_one(CappingStep).editors()[0]
        await type_in(pilot, cap.query_one(".cap-start", Input), "2025-01-01")
        [built] = wizard.doc["frequencyCappingConstraints"]
        # The file's own keys in its order; the new date where the documentation puts it.
        assert list(built) == ["enabled", "limit", "startDate", "scope", "entity", "repeat"]

    reordered = json.loads((DATA / "seed_offer.json").read_text())
    reordered["frequencyCappingConstraints"] = [{"scope": "global", "entity": "offer", "limit": 1, "enabled": True,
                                                 "endDate": "2025-03-01T00:00:00.000+00:00",
                                                 "startDate": "2025-01-01T00:00:00.000+00:00"}]
    app = loaded_app(server, tmp_path, reordered, "reordered.json")
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await app.wizard.mount_step("capping")
        app.wizard.rebuild(schedule=False)
        [built] = app.wizard.doc["frequencyCappingConstraints"]
        assert list(built)[:6] == ["scope", "entity", "limit", "enabled", "endDate", "startDate"]


async def test_component_type_is_a_picker_that_presets_the_format(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        wizard = app.wizard
        await pilot.press("f4")
        await settle(pilot)
        editor = wizard.query_one(RepresentationsStep).editors()[0]
        comp = editor.components()[0]
        type_select = comp.query_one(".comp-type", Select)
        # Tab from the placement reaches the type picker, then the format: each visibly a field.
        editor.picker.focus_target().focus()
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is type_select
        await pilot.press("tab")
        assert app.focused is comp.query_one(".comp-format", Input)
        # Picking a documented type presets its format and shows the image fields.
        await pick(pilot, type_select, "imagelink")
        assert comp.query_one(".comp-format", Input).value == "image/png"
        assert comp.query_one(".comp-deliveryURL", Input).parent.display
        component = wizard.doc["representations"][0]["components"][0]
        assert (component["type"], component["format"]) == ("imagelink", "image/png")
        # A format that already fits the type stays when the type is picked again.
        await type_in(pilot, comp.query_one(".comp-format", Input), "image/jpeg")
        await pick(pilot, type_select, "json")
        await pick(pilot, type_select, "imagelink")
        assert comp.query_one(".comp-format", Input).value == "image/png"  # json's format did not fit
        await type_in(pilot, comp.query_one(".comp-format", Input), "image/jpeg")
        await pick(pilot, type_select, "imagelink")
        assert comp.query_one(".comp-format", Input).value == "image/jpeg"
        # "other" takes any type name the docs leave open.
        await pick(pilot, type_select, "(other)")
        other = comp.query_one(".comp-type-other", Input)
        assert other.parent.display
        await type_in(pilot, other, "component-text")
        assert wizard.doc["representations"][0]["components"][0]["type"] == "component-text"


async def test_a_loaded_unknown_type_and_bad_format_stay_as_the_file_has_them(server, tmp_path):
    doc = json.loads((DATA / "seed_offer.json").read_text())
    doc["representations"][0]["components"][0].update({"type": "component-text", "format": "html"})
    app = loaded_app(server, tmp_path, doc)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        wizard = app.wizard
        wizard.go_to("representations")
        await settle(pilot)
        comp = wizard.query_one(RepresentationsStep).editors()[0].components()[0]
        assert comp.query_one(".comp-type", Select).value == "(other)"
        assert comp.query_one(".comp-type-other", Input).value == "component-text"
        assert comp.query_one(".comp-format", Input).value == "html"
        built = wizard.doc["representations"][0]["components"][0]
        assert (built["type"], built["format"]) == ("component-text", "html")
        assert "representations[0].components[0].format" in {e.path for e in wizard.report.errors}


async def test_f2_twice_when_narrow_keeps_the_field_and_where_you_were(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        wizard = app.wizard
        await pilot.press("tab")  # into Description, not the first field
        description = wizard.query_one("#description", Input)
        assert app.focused is description
        await pilot.press(*"Alpha", "f2", "f2", *"Beta")
        assert description.value == "AlphaBeta"
        assert app.focused is description


async def test_f2_twice_in_the_first_field_does_not_select_and_replace_it(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        name = app.wizard.query_one("#name", Input)
        assert app.focused is name
        await pilot.press(*"Alpha", "f2")
        assert app.focused is app.wizard.query_one("#preview")
        await pilot.press("f2", *"Beta")
        assert name.value == "AlphaBeta"


async def test_content_from_the_editor_loses_exactly_one_trailing_newline(server, tmp_path, monkeypatch):
    import contextlib
    import sys

    from textual.widgets import TextArea

    script = tmp_path / "fake-editor.py"
    # Like vi: the file is written back with the text and the newline editors end files with.
    script.write_text("import sys\nopen(sys.argv[1], 'w').write('<p>Hi</p>\\n\\n')\n")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # headless: nothing to suspend
        await pilot.press("f4")
        await settle(pilot)
        area = app.wizard.query_one(RepresentationsStep).editors()[0].components()[0].query_one(".comp-content",
                                                                                                 TextArea)
        area.focus()
        await pilot.pause()
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert area.text == "<p>Hi</p>\n"  # one of the two newlines was the user's
        assert app.wizard.doc["representations"][0]["components"][0]["content"] == "<p>Hi</p>\n"


def test_without_final_newline_strips_exactly_one():
    from offer_tui.ui.screens.wizard_actions import without_final_newline

    assert without_final_newline("a\n") == "a"
    assert without_final_newline("a\r\n") == "a"
    assert without_final_newline("a\n\n") == "a\n"
    assert without_final_newline("a") == "a"
    assert without_final_newline("") == ""


def test_issue_lines_lead_with_words_and_keep_the_path():
    from offer_tui.model import Issue
    from offer_tui.ui.steps.review import issue_line

    line = issue_line(Issue("representations[0].components[0].format", "'html' is not a media type"))
    assert line == ("✗ Representation 1, component 1, format: 'html' is not a media type"
                    "  (representations[0].components[0].format)")
    assert issue_line(Issue("", "is big", "warning")) == "! Offer: is big"


async def test_review_lists_errors_in_words_first(server, tmp_path):
    doc = json.loads((DATA / "seed_offer.json").read_text())
    doc["representations"][0]["components"][0]["format"] = "html"
    app = loaded_app(server, tmp_path, doc)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        from textual.widgets import OptionList

        options = app.wizard.query_one("#review-issues", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(p.startswith("✗ Representation 1, component 1, format: ") and
                   p.endswith("(representations[0].components[0].format)") for p in prompts), prompts


async def test_checkboxes_read_without_colour(server, tmp_path):
    from offer_tui.ui.widgets.tick_box import TickBox

    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        app.wizard.go_to("capping")
        await settle(pilot)
        await press(pilot, app.wizard.query_one("#add-cap", Button))
        cap = app.wizard.query_one(CappingStep).editors()[0]
        enabled, repeat = cap.query_one(".cap-enabled", TickBox), cap.query_one(".cap-repeat-enabled", TickBox)
        assert str(enabled.render()).startswith("[x] Enabled")
        assert str(repeat.render()).startswith("[ ] Reset the count")
        repeat.value = True
        assert str(repeat.render()).startswith("[x]")


async def test_the_audience_field_uses_the_web_uis_words(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        app.wizard.go_to("constraints")
        await settle(pilot)
        constraints = app.wizard.query_one(ConstraintsStep)
        labels = [str(label.render()) for label in constraints.query(".field-label")]
        assert "Eligibility" in labels and "Profiles" not in labels
        assert "Audiences" in labels
        select = constraints.query_one("#profile-type", Select)
        assert [str(prompt) for prompt, _ in select._options][:2] == ["all visitors", "by decision rule"]


EMAIL_IMAGE = "dps:offer-placement:1a2b3c4d5e6f7086"  # email, imagelink


def review_warnings(app) -> dict[str, str]:
    return {w.path: w.message for w in app.wizard.report.warnings}


async def test_review_warns_about_a_placement_on_another_channel_and_a_component_type_it_does_not_take(
        server, tmp_path):
    doc = json.loads((DATA / "seed_offer.json").read_text())
    rep = doc["representations"][0]
    rep.update({"channel": CHANNEL_PREFIX + "email", "placement": HERO})  # HERO is a web, html placement
    rep["components"][0].update({"type": "imagelink", "format": "image/png", "deliveryURL": "https://x.test/a.png"})
    rep["components"][0].pop("content", None)
    app = loaded_app(server, tmp_path, doc)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        warnings = review_warnings(app)
        assert "is on the web channel, but this representation is on email" in warnings["representations[0].placement"]
        assert "imagelink component on placement" in warnings["representations[0].components[0].type"]
        assert "takes html components" in warnings["representations[0].components[0].type"]
        assert app.wizard.report.ok  # warnings: the catalog may be stale


async def test_picking_a_placement_then_switching_the_channel_back_warns(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        editor = app.wizard.query_one(RepresentationsStep).editors()[0]
        await pick(pilot, editor.query_one(".rep-channel", Select), CHANNEL_PREFIX + "email")
        await settle(pilot)
        await pick(pilot, editor.picker.select, EMAIL_IMAGE)
        await settle(pilot)
        await pick(pilot, editor.query_one(".rep-channel", Select), CHANNEL_PREFIX + "web")
        await settle(pilot)
        assert app.wizard.doc["representations"][0]["placement"] == EMAIL_IMAGE
        assert "email channel" in review_warnings(app)["representations[0].placement"]


async def test_an_end_at_midnight_warns_and_one_press_makes_it_23_59_59(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        app.wizard.go_to("constraints")
        await settle(pilot)
        end = app.wizard.query_one(ConstraintsStep).query_one("#end-date", DateField)
        await type_in(pilot, end.input, "2099-08-31")
        await settle(pilot)
        button = end.query_one(".date-end-of-day", Button)
        assert button.display
        assert "leaves out 2099-08-31" in review_warnings(app)["selectionConstraint.endDate"]
        await press(pilot, button)
        await settle(pilot)
        assert end.input.value == "2099-08-31T23:59:59.000+00:00"
        assert app.wizard.doc["selectionConstraint"]["endDate"] == "2099-08-31T23:59:59.000+00:00"
        assert not button.display
        assert "selectionConstraint.endDate" not in review_warnings(app)
        await type_in(pilot, end.input, "2020-01-31 12:00")
        await settle(pilot)
        assert "is in the past" in review_warnings(app)["selectionConstraint.endDate"]


async def test_create_another_then_f9_warns_about_the_same_named_offer_first(server, tmp_path):
    from offer_tui.ui.screens.success import SuccessScreen

    doc = json.loads((DATA / "seed_offer.json").read_text())
    doc["name"] = "Twice named"
    doc["representations"][0]["placement"] = HERO
    doc["selectionConstraint"]["endDate"] = "2099-07-29T05:00:00.000+00:00"
    doc.pop("frequencyCappingConstraints")
    app = loaded_app(server, tmp_path, doc)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
        [first_id] = [offer_id for offer_id in server.offers]
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert not isinstance(app.screen, SuccessScreen)  # not sent: the user sees why first
        assert len(server.offers) == 1
        assert app.wizard.current == "review"
        warning = review_warnings(app)["name"]
        assert "existing personalized offer has this name" in warning and first_id in warning
        await pilot.press("f9")  # warned, and still wants it: a second offer of that name
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
        assert len(server.offers) == 2
