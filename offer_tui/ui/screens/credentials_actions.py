"""The credentials screen's actions: new, save, default, use, delete and Test connection.

A mixin of ``CredentialsScreen``. Keyring reads and writes and the connection test run in workers.
"""

from __future__ import annotations

import asyncio

from textual import work
from textual.widgets import Input, Static, TabbedContent

from offer_tui.credentials.probe import run_connection_test
from offer_tui.credentials.errors import CredentialError
from offer_tui.credentials.profiles import Profile
from offer_tui.credentials.resolve import REQUIRED
from offer_tui.ui.screens.confirm_delete import ConfirmDeleteScreen
from offer_tui.ui.screens.credentials_support import DEFAULTS, FIELDS, profile_values, where_stored


class CredentialsActions:
    # -- actions --------------------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_new_profile(self) -> None:
        self.reload_profiles(select=None)
        self.query_one(TabbedContent).active = "tab-profile"
        self.query_one("#field-name", Input).focus()

    def action_save_profile(self) -> None:
        values = self.form_values()
        error = self.query_one("#form-error", Static)
        missing = [label for _, label, attr in FIELDS if attr in ("name", *REQUIRED) and not values[attr]]
        if missing:
            error.update("Missing: " + ", ".join(missing) + ".")
            return
        for attr, default in DEFAULTS.items():
            values[attr] = values[attr] or default
        try:
            profile = Profile(**values)
        except CredentialError as exc:
            error.update(str(exc))
            return
        if self.editing is None and self.profiles.exists(profile.name):
            error.update(f"A profile named {profile.name!r} exists already: pick it in the list to edit it.")
            return
        secret_input = self.query_one("#field-secret", Input)
        secret, secret_input.value = secret_input.value.strip(), ""  # never keep it on screen
        error.update("Saving…")
        self.save(profile, secret, is_new=self.editing is None)

    @work(exclusive=True, group="save")
    async def save(self, profile: Profile, secret: str, *, is_new: bool) -> None:
        store = await self._store()
        error = self.query_one("#form-error", Static)
        try:
            await asyncio.to_thread(self.profiles.add, profile, replace_existing=not is_new)
        except CredentialError as exc:
            error.update(str(exc))
            return
        where = ""
        if secret:
            try:
                await asyncio.to_thread(store.set_client_secret, profile.name, secret)
                where = f" Client secret saved {where_stored(store)}."
            except CredentialError as exc:
                where = f" The client secret was NOT saved: {exc}"
        if self.profiles.last_backup is not None:  # the damaged profiles.json was kept, not overwritten
            where += f" The damaged profiles file was kept as {self.profiles.last_backup}."
        error.update("")
        self.editing = profile.name
        self.reload_profiles(select=profile.name)
        self._result(f"Saved profile {profile.name}.{where}", ok=None)
        self.post_message(self.ProfilesChanged(self.profiles.default_name))

    def _selected_saved(self) -> str | None:
        if self.editing is None:
            self._result("Pick a saved profile in the list first (or save this one with ctrl+s).", ok=False)
        return self.editing

    def action_make_default(self) -> None:
        name = self._selected_saved()
        if name is None:
            return
        self.profiles.use(name)
        self.reload_profiles(select=name)
        self._result(f"{name} is now the default profile.", ok=None)
        self.post_message(self.ProfilesChanged(name))

    def action_use_profile(self) -> None:
        name = self._selected_saved()
        if name is not None:
            self.dismiss(name)

    def action_delete_profile(self) -> None:
        name = self._selected_saved()
        if name is not None:
            self.app.push_screen(ConfirmDeleteScreen(name), lambda yes: self.delete(name) if yes else None)

    @work(exclusive=True, group="save")
    async def delete(self, name: str) -> None:
        store = await self._store()
        try:
            await asyncio.to_thread(self.profiles.remove, name)
        except CredentialError as exc:
            self._result(str(exc), ok=False)
            return
        note = ""
        try:
            await asyncio.to_thread(store.delete_profile, name)
        except CredentialError as exc:
            note = f" Its stored secret could not be removed: {exc}"
        self.reload_profiles(select=self.profiles.default_name or next(iter(self.profiles.names()), None))
        self._result(f"Deleted profile {name}.{note}", ok=None)
        self.post_message(self.ProfilesChanged(self.profiles.default_name))

    def action_test_connection(self) -> None:
        self._result(f"Testing {self.editing or 'the environment'}: minting a token…", ok=None)
        self.test_connection(self.editing)

    @work(exclusive=True, group="test")
    async def test_connection(self, name: str | None) -> None:
        store = await self._store()
        ok, text = await run_connection_test(self.profiles, store, name, environ=self._environ,
                                             transport=self._transport)
        if name is not None and name == self.editing and self.form_values() != profile_values(self.profiles, name):
            text += " (the unsaved changes in the form were not used)"
        self._result(text, ok=ok)
        self.post_message(self.ConnectionTested(name, ok, text))

    def _result(self, text: str, *, ok: bool | None) -> None:
        line = self.query_one("#result-line", Static)
        line.update(text)
        line.set_class(ok is True, "-ok")
        line.set_class(ok is False, "-failed")
