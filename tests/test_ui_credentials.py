"""Pilot and snapshot tests of the credentials screen, the production confirmation and the profile badge.

A tiny host app pushes each screen, so these tests do not depend on the wizard app. The in-memory
keyring (autouse, tests/keyring_support.py) is the "secure" keyring; the other keyring fixtures
drive the screen through each non-secure situation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.worker import WorkerCancelled
from textual.widgets import Checkbox, DataTable, Header, Input, OptionList, Static, TabbedContent

from offer_tui.credentials import (
    REMEDIES,
    KeyringStatus,
    KeyringStore,
    MemoryStore,
    Profile,
    ProfileStore,
    detect_keyring,
)
from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX, PLACEMENTS
from offer_tui.ui.screens.credentials import ConfirmDeleteScreen, CredentialsScreen, needs_first_run
from offer_tui.ui.screens.production import ProductionConfirmScreen
from offer_tui.ui.widgets.profile_badge import ProfileBadge, badge_text

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
SECRET = "Canary-S3cret-0123456789"
SERVICE = "offer-tui"
UNAVAILABLE = KeyringStatus(
    "unavailable", "keyring.backends.fail.Keyring",
    "No OS keyring is available here (usual on SSH and headless hosts).", REMEDIES,
)
SECURE = KeyringStatus(
    "secure", "keyring_support.MemoryKeyring", "Secrets are kept in the OS keyring (keyring_support.MemoryKeyring)."
)


class Host(App[None]):
    """Pushes one screen and records what it dismissed with and the messages it posted."""

    TITLE = "offer-tui"  # as in the real app's header

    def __init__(self, make_screen: Callable[[], Any],
                 badge: tuple[str | None, str | None, bool] = (None, None, False)) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.badge_info = badge  # what the wizard's header would show (AppHeader reads it)
        self.results: list[Any] = []
        self.tested: list[CredentialsScreen.ConnectionTested] = []
        self.changed: list[CredentialsScreen.ProfilesChanged] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)

    def on_credentials_screen_connection_tested(self, message: CredentialsScreen.ConnectionTested) -> None:
        self.tested.append(message)

    def on_credentials_screen_profiles_changed(self, message: CredentialsScreen.ProfilesChanged) -> None:
        self.changed.append(message)


async def settle(pilot: Any) -> None:
    """Wait for every worker; an exclusive worker replaced by a newer one counts as done."""
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()


def text_of(pilot: Any, selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def fill(pilot: Any, values: dict[str, str]) -> None:
    for field_id, value in values.items():
        widget = pilot.app.screen.query_one(f"#field-{field_id}", Input)
        widget.focus()
        await pilot.pause()
        widget.value = value
    await pilot.pause()


def visible_text(app: App) -> str:
    """Everything on screen (the SVG export holds every glyph) plus every notification."""
    notes = " ".join(str(n.message) for n in app._notifications)
    return app.export_screenshot().replace("&#160;", " ") + notes


def config_files_text(tmp_path: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())


@pytest.fixture
def profiles() -> ProfileStore:
    return ProfileStore()


def demo_profile(server, name: str = "demo", **changes: Any) -> Profile:
    values = dict(name=name, client_id=DEMO_CLIENT_ID, ims_org=DEMO_IMS_ORG, sandbox=DEMO_SANDBOX,
                  endpoint=server.base_url, ims_url=server.ims_url)
    values.update(changes)
    return Profile(**values)


# -- add, edit, select, delete ---------------------------------------------------------------------
async def test_first_run_add_profile_puts_secret_in_keyring_not_on_disk(profiles, memory_keyring, tmp_path):
    assert needs_first_run(profiles, {})
    app = Host(lambda: CredentialsScreen(profiles))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "First run" in text_of(pilot, "#form-intro")
        assert "Keyring: secure" in text_of(pilot, "#keyring-line")
        assert app.focused is app.screen.query_one("#field-name", Input)
        await fill(pilot, {"name": "dev", "client-id": "cid-dev", "ims-org": "ORG@AdobeOrg",
                           "sandbox": "dev-sandbox", "secret": SECRET})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Saved profile dev" in text_of(pilot, "#result-line")
        assert app.screen.query_one("#field-secret", Input).value == ""
        assert "Stored in the OS keyring: Cana••••" in text_of(pilot, "#secret-hint")
        assert SECRET not in visible_text(app)
        assert app.changed and app.changed[-1].default == "dev"
    saved = profiles.get("dev")
    assert (saved.client_id, saved.ims_org, saved.sandbox) == ("cid-dev", "ORG@AdobeOrg", "dev-sandbox")
    assert profiles.default_name == "dev"  # the first profile becomes the default
    assert memory_keyring.passwords[(SERVICE, "dev:client_secret")] == SECRET
    assert SECRET not in config_files_text(tmp_path)
    assert not needs_first_run(profiles, {})


async def test_form_reports_missing_and_invalid_values(profiles):
    app = Host(lambda: CredentialsScreen(profiles, keyring_status=SECURE))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill(pilot, {"name": "dev", "client-id": "cid"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(pilot, "#form-error") == "Missing: IMS org, Sandbox."
        await fill(pilot, {"name": "bad:name", "ims-org": "ORG", "sandbox": "sb"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Invalid profile name" in text_of(pilot, "#form-error")
    assert profiles.names() == []


async def test_edit_keeps_secret_when_left_empty(profiles, memory_keyring):
    profiles.add(Profile("dev", "cid", "ORG", "dev-sandbox"))
    KeyringStore().set_client_secret("dev", SECRET)
    app = Host(lambda: CredentialsScreen(profiles))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.editing == "dev"
        assert screen.query_one("#field-name", Input).disabled  # secrets are keyed by the name
        assert screen.query_one("#field-sandbox", Input).value == "dev-sandbox"
        await fill(pilot, {"sandbox": "dev-sandbox-2"})
        screen.query_one("#field-production", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Saved profile dev" in text_of(pilot, "#result-line")
    assert profiles.get("dev").sandbox == "dev-sandbox-2"
    assert profiles.get("dev").production is True
    assert memory_keyring.passwords[(SERVICE, "dev:client_secret")] == SECRET


async def test_make_default_and_use_for_session(profiles):
    profiles.add(Profile("dev", "cid", "ORG", "dev-sandbox"))
    profiles.add(Profile("stage", "cid2", "ORG", "stage-sandbox"))
    app = Host(lambda: CredentialsScreen(profiles, keyring_status=SECURE))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#profile-list", OptionList)
        assert "(default)" in str(options.get_option_at_index(0).prompt)  # dev
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.editing == "stage"
        await pilot.press("f6")
        await settle(pilot)
        assert profiles.default_name == "stage"
        assert "(default)" in str(options.get_option_at_index(1).prompt)
        assert "(default)" not in str(options.get_option_at_index(0).prompt)
        await pilot.press("up")
        await pilot.press("f7")
        await settle(pilot)
    assert app.results == ["dev"]


async def test_escape_closes_with_none(profiles):
    app = Host(lambda: CredentialsScreen(profiles, keyring_status=SECURE))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [None]


async def test_delete_asks_first_and_removes_the_secret(profiles, memory_keyring):
    profiles.add(Profile("dev", "cid", "ORG", "dev-sandbox"))
    profiles.add(Profile("old", "cid2", "ORG", "old-sandbox"))
    KeyringStore().set_client_secret("old", SECRET)
    app = Host(lambda: CredentialsScreen(profiles, current_profile="old"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.editing == "old"
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDeleteScreen)
        await pilot.press("escape")  # keep it
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert profiles.exists("old")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        assert "Deleted profile old" in text_of(pilot, "#result-line")
        assert app.screen.editing == "dev"  # the remaining profile, now the default
        assert app.results == []  # still open
    assert profiles.names() == ["dev"]
    assert (SERVICE, "old:client_secret") not in memory_keyring.passwords


async def test_sources_tab_masks_secrets_and_names_each_source(profiles, monkeypatch):
    profiles.add(Profile("dev", "cid-dev", "ORG", "dev-sandbox"))
    KeyringStore().set_client_secret("dev", SECRET)
    monkeypatch.setenv("OFFER_TUI_SANDBOX", "from-env")
    app = Host(lambda: CredentialsScreen(profiles))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one(TabbedContent).active = "tab-sources"
        await settle(pilot)
        table = app.screen.query_one("#sources-table", DataTable)
        rows = {str(table.get_row_at(i)[0]): (str(table.get_row_at(i)[2]), str(table.get_row_at(i)[1]))
                for i in range(table.row_count)}
        assert rows["Client secret"] == ("Cana••••", "keyring")
        assert rows["Sandbox"] == ("from-env", "env OFFER_TUI_SANDBOX")
        assert rows["Client ID"] == ("cid-dev", "profile dev")
        assert rows["Endpoint"][1] == "profile dev"  # the profile stores its endpoint
        assert rows["Access token"] == ("(not set)", "unset")
        assert SECRET not in visible_text(app)


# -- test connection -------------------------------------------------------------------------------
async def test_connection_ok_against_demo_server(profiles, demo_server):
    profiles.add(demo_profile(demo_server))
    KeyringStore().set_client_secret("demo", DEMO_CLIENT_SECRET)
    app = Host(lambda: CredentialsScreen(profiles))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        result = text_of(pilot, "#result-line")
        assert result.startswith("OK: token valid for 23h")
        assert f"{len(PLACEMENTS)} placements" in result
        assert app.tested[-1].ok and app.tested[-1].profile == "demo"
        assert DEMO_CLIENT_SECRET not in visible_text(app)
    assert demo_server.token_mints == 1


async def test_connection_with_wrong_secret_shows_invalid_client_hint(profiles, demo_server):
    profiles.add(demo_profile(demo_server))
    KeyringStore().set_client_secret("demo", "wrong-" + SECRET)
    app = Host(lambda: CredentialsScreen(profiles))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        result = text_of(pilot, "#result-line")
        assert result.startswith("Getting a token failed")
        assert "invalid_client" in result
        assert "Hint: IMS rejected the client id or client secret" in result
        assert not app.tested[-1].ok
        assert SECRET not in visible_text(app)


async def test_connection_without_secret_says_what_is_missing(profiles, demo_server):
    profiles.add(demo_profile(demo_server))
    app = Host(lambda: CredentialsScreen(profiles))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert text_of(pilot, "#result-line").startswith("Missing client secret")
    assert demo_server.token_mints == 0


async def test_an_environment_secret_that_wins_is_named_with_how_to_unset_it(profiles, demo_server, monkeypatch):
    profiles.add(demo_profile(demo_server))
    KeyringStore().set_client_secret("demo", DEMO_CLIENT_SECRET)  # the saved secret is right...
    monkeypatch.setenv("OFFER_TUI_CLIENT_SECRET", "wrong-" + SECRET)  # ...but the environment wins
    app = Host(lambda: CredentialsScreen(profiles))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        hint = text_of(pilot, "#override-hint")
        assert "Client secret (OFFER_TUI_CLIENT_SECRET)" in hint and "unset OFFER_TUI_CLIENT_SECRET" in hint
        await pilot.press("f5")
        await settle(pilot)
        result = text_of(pilot, "#result-line")
        assert "invalid_client" in result
        assert "unset OFFER_TUI_CLIENT_SECRET" in result
        assert "type the client secret again" not in result
        assert SECRET not in visible_text(app)


async def test_no_override_hint_without_environment_values(profiles, demo_server):
    profiles.add(demo_profile(demo_server))
    app = Host(lambda: CredentialsScreen(profiles))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#override-hint").display


# -- keyring situations ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("fail_keyring", "unavailable"),
        ("locked_keyring", "unavailable"),
        ("hanging_keyring", "unavailable"),
        ("null_keyring", "disabled"),
        ("plaintext_keyring", "insecure"),
    ],
)
async def test_no_secure_keyring_keeps_secret_in_memory(request, fixture, status, profiles, tmp_path,
                                                        keyring_timeout):
    backend = request.getfixturevalue(fixture)
    # Held until the form is filled in, so the test sees the screen while detection is still running.
    detection_may_finish = threading.Event()

    def detect() -> KeyringStatus:
        detection_may_finish.wait(10)
        return detect_keyring(timeout=keyring_timeout)

    app = Host(lambda: CredentialsScreen(profiles, keyring_status=detect))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Detection runs in a worker: the screen is up and usable while the keyring is being asked.
        assert text_of(pilot, "#keyring-line").startswith("Keyring: checking")
        await fill(pilot, {"name": "dev", "client-id": "cid", "ims-org": "ORG", "sandbox": "dev-sandbox",
                           "secret": SECRET})
        await pilot.press("ctrl+s")  # saving waits for the keyring check, off the UI thread
        await pilot.pause()
        assert text_of(pilot, "#form-error") == "Saving…"
        detection_may_finish.set()
        await settle(pilot)
        screen = app.screen
        line = text_of(pilot, "#keyring-line")
        assert line.startswith(f"Keyring {status}: secrets kept in memory, this session only")
        detail = text_of(pilot, "#keyring-detail")
        for way_out in ("Session only", "OFFER_TUI_CLIENT_SECRET", "dbus-run-session", "gnome-keyring-daemon",
                        "--insecure-storage"):
            assert way_out in detail
        assert isinstance(screen.secret_store, MemoryStore)
        assert screen.secret_store.get_client_secret("dev") == SECRET
        assert "Client secret saved in memory, this session only" in text_of(pilot, "#result-line")
        assert SECRET not in visible_text(app)
    assert profiles.exists("dev")
    assert SECRET not in config_files_text(tmp_path)
    assert not (tmp_path / "config" / "secrets.json").exists()
    if fixture == "plaintext_keyring":
        assert backend.calls == 0  # a plaintext backend is never even probed


async def test_insecure_storage_opt_in_uses_the_0600_file(fail_keyring, profiles, tmp_path):
    app = Host(lambda: CredentialsScreen(profiles, keyring_status=detect_keyring, insecure_storage=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "plaintext file" in text_of(pilot, "#keyring-line")
        assert "WARNING: --insecure-storage is on" in text_of(pilot, "#keyring-detail")
        await fill(pilot, {"name": "dev", "client-id": "cid", "ims-org": "ORG", "sandbox": "dev-sandbox",
                           "secret": SECRET})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Client secret saved in the plaintext file" in text_of(pilot, "#result-line")
        assert SECRET not in visible_text(app)
    secrets_file = tmp_path / "config" / "secrets.json"
    assert secrets_file.stat().st_mode & 0o777 == 0o600
    assert SECRET not in (tmp_path / "config" / "profiles.json").read_text()


async def test_keyboard_only_new_profile(profiles, memory_keyring):
    profiles.add(Profile("dev", "cid", "ORG", "dev-sandbox"))
    app = Host(lambda: CredentialsScreen(profiles, keyring_status=SECURE))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one("#profile-list", OptionList)
        await pilot.press("down", "enter")  # "+ New profile", then into the form
        await settle(pilot)
        assert app.focused is app.screen.query_one("#field-name", Input)
        # Enter moves to the next field; endpoint, IMS URL and scopes keep their defaults.
        for value in ("prod-eu", "cid-eu", "ORG", "eu-prod-sandbox", "", "", ""):
            await pilot.press(*value, "enter")
        assert "Counts as production" in text_of(pilot, "#production-hint")
        await pilot.press(*SECRET, "enter")  # Enter on the secret saves
        await settle(pilot)
    saved = profiles.get("prod-eu")
    assert (saved.client_id, saved.sandbox, saved.production) == ("cid-eu", "eu-prod-sandbox", False)
    assert memory_keyring.passwords[(SERVICE, "prod-eu:client_secret")] == SECRET
    assert profiles.default_name == "dev"


def test_every_binding_has_an_id():
    for screen in (CredentialsScreen, ConfirmDeleteScreen, ProductionConfirmScreen):
        for binding in screen.BINDINGS:
            assert binding.id, (screen.__name__, binding.key)


async def test_shared_session_store_outlives_the_screen(profiles, demo_server):
    """The app passes its own MemoryStore, so a session-only secret works for the whole run."""
    profiles.add(demo_profile(demo_server))
    store = MemoryStore()
    app = Host(lambda: CredentialsScreen(profiles, store, UNAVAILABLE))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill(pilot, {"secret": DEMO_CLIENT_SECRET})
        await pilot.press("enter")  # Enter on the secret field saves
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert text_of(pilot, "#result-line").startswith("OK: token valid")
    assert store.get_client_secret("demo") == DEMO_CLIENT_SECRET


def test_first_run_is_skipped_when_the_environment_has_credentials(profiles):
    assert needs_first_run(profiles, {"OFFER_TUI_ACCESS_TOKEN": " "})
    assert not needs_first_run(profiles, {"OFFER_TUI_CLIENT_ID": "cid"})
    assert not needs_first_run(profiles, {"OFFER_TUI_ACCESS_TOKEN": "tok"})


# -- production confirmation -----------------------------------------------------------------------
async def test_production_confirm_right_name():
    app = Host(lambda: ProductionConfirmScreen("prod", "prod-sandbox"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"prod-sandbox", "enter")
        await pilot.pause()
    assert app.results == [True]


async def test_production_confirm_wrong_name_stays_open_then_escape():
    app = Host(lambda: ProductionConfirmScreen("prod", "prod-sandbox"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(pilot, "#production-error").startswith("Nothing typed.")
        await pilot.press(*"prod-sandbo", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ProductionConfirmScreen)
        assert "'prod-sandbo' is not the sandbox name" in text_of(pilot, "#production-error")
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [False]


# -- badge -----------------------------------------------------------------------------------------
def test_badge_text():
    assert badge_text("dev", "dev-sandbox") == "dev · dev-sandbox"
    assert badge_text(None, "env-sb") == "env · env-sb"
    assert badge_text(None, None) == "no credentials"
    assert badge_text("prod", "prod-sandbox", True) == "⚠ prod · prod-sandbox"


class BadgeApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()

    def on_mount(self) -> None:
        self.query_one(Header).mount(ProfileBadge("dev", "dev-sandbox", False, id="badge"))


async def test_badge_docks_in_header_and_updates():
    app = BadgeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        badge = app.query_one("#badge", ProfileBadge)
        assert str(badge.render()) == "dev · dev-sandbox"
        assert badge.region.y == 0 and badge.region.right <= 80
        assert not badge.has_class("-production")
        badge.update_badge("prod", "prod-sandbox", True)
        await pilot.pause()
        assert str(badge.render()) == "⚠ prod · prod-sandbox"
        assert badge.has_class("-production")


# -- snapshots -------------------------------------------------------------------------------------
def _two_profiles() -> ProfileStore:
    profiles = ProfileStore()
    profiles.add(Profile("dev", "0a1b2c3d4e5f", "ABC123@AdobeOrg", "dev-sandbox"))
    profiles.add(Profile("prod", "9f8e7d6c5b4a", "ABC123@AdobeOrg", "prod-sandbox"))
    return profiles


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_credentials(snap_compare, memory_keyring, size):
    profiles = _two_profiles()
    store = KeyringStore(memory_keyring)
    store.set_client_secret("dev", SECRET)
    app = Host(lambda: CredentialsScreen(profiles, store, SECURE), badge=("dev", "dev-sandbox", False))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_sources_tab(snap_compare, memory_keyring, size):
    async def sources_tab(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.screen.query_one(TabbedContent).active = "tab-sources"
        await settle(pilot)

    profiles = _two_profiles()
    store = KeyringStore(memory_keyring)
    store.set_client_secret("dev", SECRET)
    app = Host(lambda: CredentialsScreen(profiles, store, SECURE), badge=("dev", "dev-sandbox", False))
    assert snap_compare(app, terminal_size=size, run_before=sources_tab)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_environment_secret_wins(snap_compare, memory_keyring, size, monkeypatch):
    monkeypatch.setenv("OFFER_TUI_CLIENT_SECRET", "from-the-environment")
    profiles = _two_profiles()
    store = KeyringStore(memory_keyring)
    store.set_client_secret("dev", SECRET)
    app = Host(lambda: CredentialsScreen(profiles, store, SECURE), badge=("dev", "dev-sandbox", False))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_credentials_first_run_without_keyring(snap_compare, size):
    app = Host(lambda: CredentialsScreen(ProfileStore(), MemoryStore(), UNAVAILABLE))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_keyring_tab_without_keyring(snap_compare, size):
    async def keyring_tab(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.screen.query_one(TabbedContent).active = "tab-keyring"
        await settle(pilot)

    app = Host(lambda: CredentialsScreen(ProfileStore(), MemoryStore(), UNAVAILABLE))
    assert snap_compare(app, terminal_size=size, run_before=keyring_tab)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_production_confirm(snap_compare, size):
    async def wrong_name(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press(*"prod", "enter")
        await pilot.pause()

    app = Host(lambda: ProductionConfirmScreen("prod", "prod-sandbox"))
    assert snap_compare(app, terminal_size=size, run_before=wrong_name)
