"""First-run and credentials screen: profiles, the keyring's state, value sources, "Test connection".

Everything that may block (keyring detection, keyring reads and writes, HTTP) runs in workers;
the UI thread only reads and writes the small ``profiles.json``. No secret is ever rendered: the
secret input is a password field that is cleared after saving, and stored secrets are shown only
through ``mask()`` (first 4 characters, then ``••••``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Checkbox,
    DataTable,
    Input,
    Label,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from offer_tui.credentials.detect import KeyringStatus, detect_keyring
from offer_tui.credentials.errors import CredentialError
from offer_tui.credentials.profiles import Profile, ProfileStore, is_production
from offer_tui.credentials.resolve import Resolution, mask, resolve_settings
from offer_tui.credentials.store import SecretStore, choose_store
from offer_tui.credentials.probe import needs_first_run, override_fix, run_connection_test
from offer_tui.ui.screens.confirm_delete import ConfirmDeleteScreen
from offer_tui.ui.screens.credentials_actions import CredentialsActions
from offer_tui.ui.screens.credentials_support import (
    DEFAULTS,
    FIELDS,
    NEW_OPTION,
    StatusSource,
    keyring_summary,
    where_stored,
)
from offer_tui.ui.widgets.app_header import AppHeader
from offer_tui.ui.widgets.key_footer import KeyFooter
from offer_tui.ui.widgets.tick_box import TickBox

class CredentialsScreen(CredentialsActions, Screen[str | None]):
    """Dismisses with the profile chosen for this session (F7), or None (Esc)."""

    SUB_TITLE = "Credentials"
    BINDINGS = [
        Binding("escape", "close", "Close", id="credentials-close"),
        Binding("ctrl+n", "new_profile", "New", id="credentials-new"),
        Binding("ctrl+s", "save_profile", "Save", id="credentials-save"),
        Binding("f5", "test_connection", "Test", id="credentials-test"),
        Binding("f6", "make_default", "Default", id="credentials-default"),
        Binding("f7", "use_profile", "Use", id="credentials-use"),
        Binding("f8", "delete_profile", "Delete", id="credentials-delete"),
    ]
    DEFAULT_CSS = """
    CredentialsScreen #keyring-line { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    CredentialsScreen #keyring-line.-insecure { color: $warning; }
    CredentialsScreen #cred-main { height: 1fr; }
    CredentialsScreen #profile-pane { width: 22; border-right: vkey $primary 50%; }
    CredentialsScreen #profile-pane > Label { padding: 0 1; text-style: bold; }
    CredentialsScreen #profile-list { height: 1fr; border: none; }
    CredentialsScreen #cred-tabs { width: 1fr; }
    CredentialsScreen TabPane { padding: 0 1; }
    CredentialsScreen .form-row { height: 1; }
    CredentialsScreen .form-label { width: 14; color: $text-muted; }
    CredentialsScreen .form-row > Input { width: 1fr; }
    CredentialsScreen #form-intro { color: $text-muted; height: auto; }
    CredentialsScreen #secret-hint { color: $text-muted; padding-left: 14; height: auto; }
    CredentialsScreen #production-hint { color: $warning; height: auto; }
    CredentialsScreen #override-hint { color: $warning; height: auto; }
    CredentialsScreen #form-error { color: $error; height: auto; }
    CredentialsScreen #sources-table { height: auto; max-height: 1fr; }
    CredentialsScreen #result-line { height: auto; max-height: 4; padding: 0 1; background: $boost; }
    CredentialsScreen #result-line.-ok { color: $success; }
    CredentialsScreen #result-line.-failed { color: $error; }
    """

    class ConnectionTested(Message):
        """Posted when "Test connection" ends: ``ok`` and the text shown (secret-free)."""

        def __init__(self, profile: str | None, ok: bool, text: str) -> None:
            super().__init__()
            self.profile = profile
            self.ok = ok
            self.text = text

    class ProfilesChanged(Message):
        """Posted after a save, delete or default change, so the app can refresh its badge."""

        def __init__(self, default: str | None) -> None:
            super().__init__()
            self.default = default

    def __init__(
        self,
        profiles: ProfileStore | None = None,
        secret_store: SecretStore | None = None,
        keyring_status: StatusSource = None,
        *,
        environ: Mapping[str, str] | None = None,
        insecure_storage: bool = False,
        current_profile: str | None = None,
        transport: Any | None = None,
    ) -> None:
        """``keyring_status``: a known status, or a callable run in a worker (default ``detect_keyring``).

        ``secret_store``: where secrets go; None picks one with ``choose_store`` once the status is
        known. Pass the app's store so session-only secrets outlive this screen.
        """
        super().__init__()
        self.profiles = profiles if profiles is not None else ProfileStore(environ=environ)
        self.secret_store: SecretStore | None = secret_store
        self.keyring_status: KeyringStatus | None = keyring_status if isinstance(keyring_status, KeyringStatus) else None
        self._status_provider = keyring_status if callable(keyring_status) else detect_keyring
        self._environ = environ
        self._insecure_storage = insecure_storage
        self._current = current_profile
        self._transport = transport
        self.editing: str | None = None  # the saved profile in the form; None: a new one
        self.resolution: Resolution | None = None
        self._ready = asyncio.Event()

    # -- layout ---------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(keyring_summary(None, None), id="keyring-line", markup=False)
        with Horizontal(id="cred-main"):
            with Vertical(id="profile-pane"):
                yield Label("Profiles")
                yield OptionList(id="profile-list", compact=True)
            with TabbedContent(id="cred-tabs", initial="tab-profile"):
                with TabPane("Profile", id="tab-profile"), VerticalScroll(id="profile-form"):
                    yield Static("", id="form-intro", markup=False)
                    for field_id, label, _ in FIELDS:
                        with Horizontal(classes="form-row"):
                            yield Label(label, classes="form-label")
                            yield Input(id=f"field-{field_id}", compact=True)
                    with Horizontal(classes="form-row"):
                        yield Label("Client secret", classes="form-label")
                        yield Input(id="field-secret", password=True, compact=True)
                    yield Static("", id="secret-hint", markup=False)
                    override = Static("", id="override-hint", markup=False)
                    override.display = False  # shown when environment variables win over the profile
                    yield override
                    yield TickBox("Production: confirm by typing the sandbox", id="field-production", compact=True)
                    yield Static("", id="production-hint", markup=False)
                    yield Static("", id="form-error", markup=False)
                with TabPane("Sources", id="tab-sources"), VerticalScroll():
                    yield Static("", id="sources-intro", markup=False)
                    yield DataTable(id="sources-table", cursor_type="row", zebra_stripes=True)
                with TabPane("Keyring", id="tab-keyring"), VerticalScroll():
                    yield Static("Checking the keyring…", id="keyring-detail", markup=False)
        yield Static("F5 tests the selected profile: mints a token and lists the placements.", id="result-line",
                     markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#sources-table", DataTable).add_columns("Value", "Source", "Shown as")  # source before the (long) value: 80 columns
        if self.keyring_status is None:
            self.detect()
        else:
            self._status_known(self.keyring_status)
        names = self.profiles.names()
        first = self._current if self._current in names else (self.profiles.default_name or (names[0] if names else None))
        self.reload_profiles(select=first)
        if names:
            self.query_one("#profile-list", OptionList).focus()
        else:
            self.query_one("#field-name", Input).focus()

    # -- keyring status -------------------------------------------------------------------------------
    @work(exclusive=True, group="keyring-detect")
    async def detect(self) -> None:
        status = await asyncio.to_thread(self._status_provider)
        self._status_known(status)

    def _status_known(self, status: KeyringStatus) -> None:
        self.keyring_status = status
        if self.secret_store is None:
            self.secret_store = choose_store(status, insecure_storage=self._insecure_storage, environ=self._environ)
        line = self.query_one("#keyring-line", Static)
        line.update(keyring_summary(status, self.secret_store))
        line.set_class(not status.secure, "-insecure")
        detail = f"Status: {status.status} ({status.backend_name})\n\n{status.message()}"
        detail += f"\n\nSecrets you save here go to: {self.secret_store.describe()}."
        if self.secret_store.warning:
            detail += f"\n\n{self.secret_store.warning}"
        self.query_one("#keyring-detail", Static).update(detail)
        self._ready.set()
        self.refresh_details()

    async def _store(self) -> SecretStore:
        await self._ready.wait()
        assert self.secret_store is not None
        return self.secret_store

    # -- the profile list -----------------------------------------------------------------------------
    def reload_profiles(self, select: str | None = None) -> None:
        option_list = self.query_one("#profile-list", OptionList)
        profiles = self.profiles.list()
        default = self.profiles.default_name
        option_list.clear_options()
        for profile in profiles:
            text = Text(profile.name)
            if profile.name == default:
                text.append(" (default)", style="dim")
            if is_production(profile):
                text.append(" PROD", style="bold red")
            option_list.add_option(Option(text, id=profile.name))
        option_list.add_option(Option(Text("+ New profile", style="italic"), id=NEW_OPTION))
        names = [p.name for p in profiles]
        target = select if select in names else None
        option_list.highlighted = names.index(target) if target else len(names)
        self._load_form(self.profiles.get(target) if target else None)

    @on(OptionList.OptionHighlighted, "#profile-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name = event.option.id
        wanted = None if name == NEW_OPTION else name
        if wanted != self.editing or wanted is None:
            self._load_form(self.profiles.get(wanted) if wanted else None)

    @on(OptionList.OptionSelected, "#profile-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        target = "#field-name" if event.option.id == NEW_OPTION else "#field-client-id"
        self.query_one(target, Input).focus()

    # -- the form -------------------------------------------------------------------------------------
    def _load_form(self, profile: Profile | None) -> None:
        self.editing = profile.name if profile else None
        for field_id, _, attr in FIELDS:
            value = getattr(profile, attr) if profile else DEFAULTS.get(attr, "")
            self.query_one(f"#field-{field_id}", Input).value = value
        name_input = self.query_one("#field-name", Input)
        name_input.disabled = profile is not None  # secrets are keyed by the name: no renames
        self.query_one("#field-secret", Input).value = ""
        self.query_one("#field-production", Checkbox).value = bool(profile and profile.production)
        self.query_one("#form-error", Static).update("")
        self.query_one("#secret-hint", Static).update("" if profile else "Optional: without it, OFFER_TUI_CLIENT_SECRET "
                                                      "is used, or you are asked once per session.")
        self._update_intro()
        self._update_production_hint()
        self.refresh_details()

    def _update_intro(self) -> None:
        if self.editing is None:
            if not self.profiles.names():
                text = ("First run: no profile yet. Enter your Adobe Developer Console credential "
                        "(OAuth Server-to-Server) and press ctrl+s. The first profile becomes the default.")
            else:
                text = "New profile: fill in the form, then ctrl+s."
        else:
            default = " (default)" if self.profiles.default_name == self.editing else ""
            text = f"Profile {self.editing}{default}: ctrl+s saves, F6 default, F7 use, F8 delete."
        self.query_one("#form-intro", Static).update(text)

    @on(Input.Changed, "#field-name, #field-sandbox")
    @on(Checkbox.Changed, "#field-production")
    def _update_production_hint(self) -> None:
        values = self.form_values()
        try:
            probe = Profile(values["name"] or "x", "", "", values["sandbox"], production=values["production"])
        except CredentialError:  # a name that cannot be saved anyway: judge the sandbox alone
            probe = Profile("x", "", "", values["sandbox"], production=values["production"])
        prod = is_production(probe)
        hint = ""
        if prod and not values["production"]:
            hint = "Counts as production (its name or sandbox contains \"prod\"): submits ask for the sandbox name."
        elif prod:
            hint = "Production: submits ask you to type the sandbox name."
        self.query_one("#production-hint", Static).update(hint)

    def form_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            attr: self.query_one(f"#field-{field_id}", Input).value.strip() for field_id, _, attr in FIELDS
        }
        values["production"] = self.query_one("#field-production", Checkbox).value
        return values

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on like Tab; on the secret field it saves."""
        event.stop()
        if event.input.id == "field-secret":
            self.action_save_profile()
        else:
            self.focus_next()

    # -- details: resolved values and the stored secret's mask ------------------------------------------
    @work(exclusive=True, group="details")
    async def refresh_details(self) -> None:
        name = self.editing
        store = await self._store()

        def read() -> tuple[Resolution | None, str, str | None]:
            stored = None
            if name is not None:
                try:
                    stored = store.get_client_secret(name)
                except CredentialError as exc:
                    return None, "", str(exc)
            try:
                resolution = resolve_settings(profile_flag=name, environ=self._environ, profiles=self.profiles,
                                              store=store, require_credentials=False)
            except CredentialError as exc:
                return None, "", str(exc)
            shown = ""
            if name is not None:
                shown = (f"Stored {where_stored(store)}: {mask(stored)}. Type a new one to replace it." if stored
                         else f"None stored yet; it would be kept {where_stored(store)}.")
            return resolution, shown, None

        resolution, secret_hint, problem = await asyncio.to_thread(read)
        if name != self.editing:
            return  # the user moved on while we read
        if name is not None:
            self.query_one("#secret-hint", Static).update(secret_hint or (problem or ""))
        self.resolution = resolution
        overrides = resolution.env_overrides() if resolution is not None and resolution.profile else []
        hint = self.query_one("#override-hint", Static)
        hint.update(override_fix(overrides))
        hint.display = bool(overrides)
        self._show_sources(resolution, problem)

    def _show_sources(self, resolution: Resolution | None, problem: str | None) -> None:
        table = self.query_one("#sources-table", DataTable)
        table.clear()
        intro = self.query_one("#sources-intro", Static)
        if resolution is None:
            intro.update(f"Cannot resolve the values: {problem}" if problem else "")
            return
        who = f"profile {resolution.profile_name}" if resolution.profile else "no profile (environment only)"
        intro.update(f"Values for {who} (flag > env > profile / keyring > prompt), secrets masked:")
        for label, shown, source in resolution.describe():
            table.add_row(Text(label), Text(source), Text(shown))
        for note in resolution.notes:
            table.add_row(Text("Note"), Text(""), Text(note))


__all__ = ["ConfirmDeleteScreen", "CredentialsScreen", "keyring_summary", "needs_first_run", "where_stored", "run_connection_test"]
