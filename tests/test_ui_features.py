"""Drafts in the app, --from files, curl / save exports, themes, preview toggle, palette commands."""

from __future__ import annotations

import json
import signal

import pytest
from textual.widgets import Input, TextArea

from offer_tui.demo import demo_settings
from offer_tui.drafts import Draft, DraftStore
from offer_tui.model import to_json
from offer_tui.ui.screens.resume import ResumeDraftScreen
from offer_tui.ui.screens.save import SaveJsonScreen
from offer_tui.ui.screens.success import SuccessScreen
from offer_tui.ui.steps.representations import RepresentationsStep
from pty_app import ALT_SCREEN_OFF, PtyApp
from test_ui_helpers import SIZE_NARROW, SIZE_WIDE, make_app, settle

HERO = "dps:offer-placement:1a2b3c4d5e6f7081"
FULL_DOC = {
    "name": "From a file",
    "status": "draft",
    "x-custom": {"kept": ["as", "is"]},
    "representations": [{
        "channel": "https://ns.adobe.com/xdm/channel-types/web",
        "placement": HERO,
        "components": [{"type": "html", "format": "text/html", "language": ["en-us"], "content": "<p>x</p>",
                        "x-note": 1}],
    }],
    "selectionConstraint": {"startDate": "2022-07-27T05:00:00.000+00:00",
                            "endDate": "2023-07-29T05:00:00.000+00:00", "profileConstraintType": "none"},
    "rank": {"priority": 0},
    "cappingConstraint": {},
}


async def test_typing_autosaves_a_draft_without_secrets(server, tmp_path):
    settings = demo_settings(server)
    app = make_app(settings, tmp_path, draft_delay=0.1)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press(*"Draft me")
        await pilot.pause(0.3)
        [draft_file] = (tmp_path / "state" / "drafts").glob("*.json")  # one file for this instance
        assert draft_file == app.saver.store.path
        text = draft_file.read_text()
        assert json.loads(text)["doc"]["name"] == "Draft me"
        assert settings.client_secret not in text and settings.client_id not in text


# A real app in a real pseudo-terminal, a real signal or hang-up (see tests/pty_app.py and
# offer_tui/ui/hangup.py). The app must exit within a second; 3 s here keeps a loaded 2-core CI green.
EXIT_BOUND = 3.0


@pytest.mark.parametrize("ending", ["sighup", "sigterm", "master closed"])
def test_a_dropped_session_saves_the_typed_text_and_the_process_ends(tmp_path, ending):
    app = PtyApp(tmp_path)
    try:
        assert app.wait_quiet(), "the app did not start"
        app.type("Lost connection")
        assert app.wait_quiet(timeout=10, showing="Lost connection"), "the typing did not reach the screen"
        assert app.draft_names() == []  # the debounce is a minute long: only the signal path can save
        if ending == "master closed":
            app.hang_up()
        else:
            app.proc.send_signal(signal.SIGHUP if ending == "sighup" else signal.SIGTERM)
        seconds, code = app.wait_exit(EXIT_BOUND)
        assert seconds is not None, f"still running {EXIT_BOUND} s after the {ending}"
        assert code == 128 + (signal.SIGTERM if ending == "sigterm" else signal.SIGHUP)
        assert app.draft_names() == ["Lost connection"]
        if ending != "master closed":  # a live terminal is given back: alternate screen left
            assert ALT_SCREEN_OFF in app.output
    finally:
        app.close()


def test_a_hang_up_in_the_middle_of_typing_leaves_no_process(tmp_path):
    """Keys still being drawn when the terminal goes. SIGCONT (sent with SIGHUP) restarted Textual's
    application mode on the dead terminal, its new writer thread died on EIO, and the redraws filled
    that thread's queue: the app blocked for good in Queue.put. That depends on timing (1 attempt in
    4 here), hence two attempts; tests/test_hangup.py pins each cause down deterministically."""
    for attempt in range(2):
        app = PtyApp(tmp_path / f"attempt-{attempt}")
        try:
            assert app.wait_quiet(), "the app did not start"
            app.type("Lost")
            assert app.wait_quiet(timeout=10, showing="Lost"), "the typing did not reach the screen"
            app.type(" connection to the jump host was dropped")  # a key every 10 ms; the line drops mid-word
            app.hang_up()
            seconds, code = app.wait_exit(EXIT_BOUND)
            assert seconds is not None, f"attempt {attempt + 1}: still running {EXIT_BOUND} s after the hang-up"
            assert code == 128 + signal.SIGHUP
            [name] = app.draft_names()
            assert name.startswith("Lost")  # what was drawn before the hang-up is saved; keys in flight may not be
        finally:
            app.close()


async def test_a_fresh_start_with_nothing_typed_writes_no_draft(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path, draft_delay=0.05)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
    assert list((tmp_path / "state" / "drafts").glob("*.json")) == []


async def test_resume_a_draft(server, tmp_path):
    doc = json.loads(json.dumps(FULL_DOC))
    DraftStore(tmp_path / "state").save(Draft(doc, "personalized", "constraints"))
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeDraftScreen)
        await pilot.press("enter")
        await settle(pilot)
        wizard = app.wizard
        assert wizard.current == "constraints"
        assert wizard.query_one("#name", Input).value == "From a file"
        assert wizard.doc == doc  # lossless, unknown fields included
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
    [stored] = server.offers.values()
    assert stored["body"]["x-custom"] == {"kept": ["as", "is"]}
    assert stored["body"]["representations"][0]["components"][0]["x-note"] == 1
    assert list((tmp_path / "state" / "drafts").glob("*.json")) == []  # the resumed draft is gone


async def test_discard_a_draft(server, tmp_path):
    DraftStore(tmp_path / "state").save(Draft({"name": "old"}, "personalized", "basics"))
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("y")  # the confirmation names the draft
        await settle(pilot)
        assert app.wizard.query_one("#name", Input).value == ""
        assert app.focused is app.wizard.query_one("#name", Input)
    assert list((tmp_path / "state" / "drafts").glob("*.json")) == []


async def test_from_file_with_a_get_response_drops_server_fields(server, tmp_path):
    got = dict(FULL_DOC, id="dps:offer:abc123", etag=3, created="2023-01-01T00:00:00.000Z",
               schemas=["https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"])
    path = tmp_path / "offer.json"
    path.write_text(json.dumps(got))
    app = make_app(demo_settings(server), tmp_path, from_file=str(path))
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        assert "dps:offer:abc123" in str(wizard.query_one("#based-on").render())
        assert wizard.doc == FULL_DOC
        assert wizard.report.ok


async def test_a_bad_file_gives_a_message_and_an_empty_wizard(server, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"name": ')
    app = make_app(demo_settings(server), tmp_path, from_file=str(path))
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        assert any("broken.json" in str(n.message) for n in app._notifications)
        assert app.wizard.query_one("#name", Input).value == ""
        assert app.focused is app.wizard.query_one("#name", Input)


async def test_copy_as_curl_never_contains_the_token(server, tmp_path, monkeypatch):
    settings = demo_settings(server, with_token=True)
    app = make_app(settings, tmp_path)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press(*"Curl me")
        await pilot.press("ctrl+r")
        await pilot.press("ctrl+y")
        await settle(pilot)
    [text] = copied
    assert "$OFFER_TUI_ACCESS_TOKEN" in text and settings.access_token not in text
    assert settings.client_secret not in text
    assert f"x-sandbox-name: {settings.sandbox}" in text and "offer-type=personalized" in text
    assert '"name": "Curl me"' in text


async def test_save_json_writes_exactly_the_preview_and_reports_failures(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press(*"Saved")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SaveJsonScreen)
        field = app.screen.query_one("#save-path", Input)
        field.value = str(tmp_path / "missing-dir" / "x.json")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SaveJsonScreen)  # still open, with the reason
        assert "Could not save" in str(app.screen.query_one("#save-error").render())
        field.value = str(tmp_path / "saved.json")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SaveJsonScreen)
        assert (tmp_path / "saved.json").read_text() == to_json(app.wizard.doc) + "\n"


async def test_theme_is_remembered(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        app.theme = "ansi-light"
        await settle(pilot)
    again = make_app(demo_settings(server), tmp_path)
    async with again.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        assert again.theme == "ansi-light"


async def test_preview_beside_the_form_when_wide_and_toggled_when_narrow(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        preview = app.wizard.query_one("#preview")
        assert not preview.display or preview.size.width == 0
        await pilot.press("f2")
        await settle(pilot)
        assert preview.size.width > 40
        await pilot.press("f2")
        await settle(pilot)
        assert app.focused is not preview
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        preview = app.wizard.query_one("#preview")
        assert preview.size.width > 40
        await pilot.press(*"abc")
        assert '"name": "abc"' in preview.text


async def test_palette_offers_the_wizard_actions(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        wanted = ["Submit", "Copy as curl", "Save JSON", "Go to Capping", "Toggle the JSON preview"]
        assert all(any(title.startswith(w) for title in titles) for w in wanted), titles


async def test_every_binding_has_an_id():
    from offer_tui.ui.app import OfferTuiApp
    from offer_tui.ui.screens import failure, help, resume, save, submit, success, wizard

    classes = [OfferTuiApp, wizard.WizardScreen, failure.FailureScreen, help.HelpScreen,
               resume.ResumeDraftScreen, save.SaveJsonScreen, submit.SubmitScreen, success.SuccessScreen]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert binding.id, (cls.__name__, binding.key)
            assert "ctrl+shift" not in binding.key and binding.key != "ctrl+b"


async def test_representations_add_reorder_remove(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        step = app.wizard.query_one(RepresentationsStep)
        await step.add_representation()
        await settle(pilot)
        first, second = step.editors()
        second.query_one(".rep-up").press()
        await settle(pilot)
        assert step.editors() == [second, first]
        first.query_one(".rep-remove").press()
        await settle(pilot)
        assert step.editors() == [second]
        assert len(app.wizard.doc["representations"]) == 1
        second.query_one(".add-component").press()
        await settle(pilot)
        assert len(app.wizard.doc["representations"][0]["components"]) == 2
        area = second.components()[1].query_one(".comp-content", TextArea)
        assert area is not None


async def test_review_reached_first_focuses_its_issues_and_enter_jumps_to_the_field(server, tmp_path):
    # Steps other than Basics are mounted when first shown: Review must still have its list ready
    # (and focused) by then, so Enter jumps to the field at fault rather than pressing Submit.
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await pilot.press(*"Lazy")
        await pilot.press("ctrl+r")
        await settle(pilot)
        wizard = app.wizard
        assert wizard.current == "review"
        assert app.focused is wizard.query_one("#review-issues")
        await pilot.press("enter")
        await settle(pilot)
        assert wizard.current == "representations"
        assert type(app.screen).__name__ == "WizardScreen"
