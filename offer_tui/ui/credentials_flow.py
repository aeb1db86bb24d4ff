"""The app's side of credentials: the start-up check, the header badge, F6 and the secret prompt.

A mixin of ``OfferTuiApp`` (kept apart so the app module stays about one topic). Everything here
runs after the first frame and off the UI thread where it can block.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import work

from offer_tui.ui.widgets.profile_badge import ProfileBadge

if TYPE_CHECKING:
    from offer_tui.ui.connection import Connection


class CredentialsFlow:
    connection: Connection
    demo: bool
    badge_info: tuple[str | None, str | None, bool]
    _catalog_requested: bool

    @work(exclusive=True, group="credentials")
    async def prepare_credentials(self) -> None:
        """Detect the keyring and resolve the values (in a thread: a locked keyring can hang for 3 s),
        then say what the user must know: the plaintext warning, a problem, or the first-run screen."""
        connection = self.connection
        await connection.ensure()
        self.update_badge()
        if connection.warning:
            self.notify(connection.warning, title="Insecure storage", severity="warning", timeout=20)
        if connection.problem:
            self.notify(connection.problem, title="Credentials", severity="error", timeout=20)
        from offer_tui.credentials import ProfileStore
        from offer_tui.credentials.probe import needs_first_run

        if connection.resolution is not None and needs_first_run(ProfileStore()):
            self.action_credentials()
        elif connection.needs_secret():
            await self._ask_for_secret()
        else:
            self.check_credentials()

    @property
    def credentials_checked(self) -> bool | None:
        """The token check's result for the header badge: True, False, or None (not checked)."""
        result = self.connection.check_result
        return None if result is None else result[0]

    @work(exclusive=True, group="credentials-check")
    async def check_credentials(self) -> None:
        """Get a token now, so a wrong secret shows at start-up (badge and one notice), not at F9."""
        result = await self.connection.check()
        self.update_badge()
        if result is None:
            return
        ok, text = result
        profile = self.connection.resolution.profile_name if self.connection.resolution else None
        who = f"Profile {profile}" if profile else "The environment's credentials"
        if ok:
            self.notify(f"{who}: {text}.", title="Credentials", timeout=4)
        else:
            self.notify(f"{who} cannot get a token: {text}.",
                        title="Credentials", severity="error", timeout=20)

    async def _ask_for_secret(self) -> None:
        """The masked prompt: a profile without a stored secret (typically a host with no keyring)."""
        from offer_tui.ui.screens.credentials import where_stored
        from offer_tui.ui.screens.secret_prompt import SecretPromptScreen

        connection = self.connection
        store = connection.secret_store
        profile = connection.resolution.profile_name if connection.resolution else None
        if store is None or profile is None:
            return
        secret = await self.push_screen_wait(SecretPromptScreen(profile, f"kept {where_stored(store)}"))
        if secret:
            await asyncio.to_thread(store.set_client_secret, profile, secret)
            await connection.reconfigure(None)
            self.update_badge()
            self.check_credentials()

    def update_badge(self) -> None:
        """Every screen's header shows where a submit would go."""
        self.badge_info = self.connection.badge()
        for screen in self.screen_stack:
            for badge in screen.query(ProfileBadge):
                badge.update_badge(*self.badge_info, self.credentials_checked)

    def action_credentials(self) -> None:
        """Open the profiles and keyring screen (F6); on return, reconnect with what was chosen."""
        from offer_tui.credentials import ProfileStore, detect_keyring
        from offer_tui.ui.screens.credentials import CredentialsScreen

        if self.demo:
            self.notify("The demo API needs no credentials. Run offer-tui without --demo to use profiles.",
                        title="Credentials")
            return
        if any(isinstance(screen, CredentialsScreen) for screen in self.screen_stack):
            return
        connection = self.connection
        status = connection.keyring_status or (lambda: detect_keyring(timeout=connection.keyring_timeout))
        screen = CredentialsScreen(ProfileStore(), connection.secret_store, status,
                                   insecure_storage=connection.insecure_storage,
                                   current_profile=connection.resolution.profile_name if connection.resolution else None)
        self.push_screen(screen, lambda profile: self._credentials_closed(profile, screen))

    @work(exclusive=True, group="credentials")
    async def _credentials_closed(self, profile: str | None, screen: Any) -> None:
        # Keep the store the screen saved into: on a host without a keyring that is the session's memory.
        connection = self.connection
        connection.secret_store = connection.secret_store or screen.secret_store
        connection.keyring_status = connection.keyring_status or screen.keyring_status
        await connection.reconfigure(profile)
        self.update_badge()
        if not connection.needs_secret():
            self.check_credentials()
        if self._catalog_requested:
            self.load_catalog()
