"""Where the wizard's requests go: settings, credentials, the API client and the demo API.

No Textual here; the app owns one ``Connection``. Everything that can block (keyring detection,
keyring reads) runs in a thread, and nothing is resolved before the first frame: the keyring
check, httpx and the demo server all load on first need.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any
from offer_tui.log import swallowed

if TYPE_CHECKING:
    from offer_tui.api import Settings
    from offer_tui.credentials import KeyringStatus, Resolution, SecretStore
    from offer_tui.demo import DemoServer


class Connection:
    def __init__(
        self,
        *,
        settings: Settings | None = None,
        client: Any | None = None,
        demo: bool = False,
        profile: str | None = None,
        insecure_storage: bool = False,
        keyring_timeout: float = 3.0,
        budget: float | None = None,
    ) -> None:
        self.settings = settings
        self.budget = budget  # seconds per action (--timeout / OFFER_TUI_TIMEOUT); None: the default
        self.demo = demo
        self.profile_flag = profile
        self.insecure_storage = insecure_storage
        self.keyring_timeout = keyring_timeout
        self.demo_server: DemoServer | None = None
        self.keyring_status: KeyringStatus | None = None
        self.secret_store: SecretStore | None = None
        self.resolution: Resolution | None = None
        self.warning: str | None = None  # the --insecure-storage warning, shown at every start
        self.problem: str | None = None  # why the credentials could not be resolved
        self.check_result: tuple[bool, str] | None = None  # the start-up token check: (ok, what to say)
        self._client = client
        self._provider: Any = None
        self._owns_client = client is None
        self._lock: asyncio.Lock | None = None

    # -- resolving ---------------------------------------------------------------------------------
    async def ensure(self) -> Settings:
        """The settings, resolved once: the demo API, the given settings, or the lookup order."""
        if self.settings is None:
            if self._lock is None:
                self._lock = asyncio.Lock()
            async with self._lock:
                if self.settings is None:
                    if self.demo:
                        self._start_demo()
                    else:
                        await asyncio.to_thread(self._resolve)
        assert self.settings is not None
        return self.settings

    def _start_demo(self) -> None:
        from offer_tui.demo import DemoServer, demo_settings
        from offer_tui.demo.seed import DEMO_OFFERS

        self.demo_server = DemoServer(seed_offers=DEMO_OFFERS).start()
        self.settings = demo_settings(self.demo_server)

    def _resolve(self) -> None:
        """flag > environment > profile and keyring; the masked prompt is the credentials screen."""
        from offer_tui.api.config import Settings
        from offer_tui.credentials import CredentialError, choose_store, detect_keyring, resolve_settings

        if self.keyring_status is None:
            self.keyring_status = detect_keyring(timeout=self.keyring_timeout)
        if self.secret_store is None:
            self.secret_store = choose_store(self.keyring_status, insecure_storage=self.insecure_storage)
            self.warning = self.secret_store.warning
        self.problem = None
        try:
            self.resolution = resolve_settings(
                profile_flag=self.profile_flag, store=self.secret_store, require_credentials=False
            )
            self.settings = self.resolution.settings
            self.problem = "\n".join(self.resolution.notes) or None  # e.g. a damaged profiles.json
        except CredentialError as error:
            self.resolution = None
            self.problem = str(error)
            self.settings = Settings.from_env()

    async def client(self) -> Any:
        """The API client, built on first use (raises ApiError when no credential is usable)."""
        return (await self.session()).client

    async def session(self) -> Any:
        """The service Session every operation runs with: built the way the CLI builds its own
        (offer_tui.service.session), on first use."""
        from offer_tui.service.session import Session

        settings = await self.ensure()
        if self._client is None:
            session = Session.open(settings, self.resolution, budget=self._budget(), demo=self.demo)
            self._provider = session.provider
            self._client = session.client
        return Session(self._client, self._budget(), self.resolution, settings, self.demo,
                       provider=self._provider)

    def _budget(self) -> float:
        from offer_tui.api.budget import DEFAULT_BUDGET

        return self.budget or DEFAULT_BUDGET

    async def check(self) -> tuple[bool, str] | None:
        """Get a token the way a submit would (the cached one, else mint one): (ok, secret-free text).
        None when there is nothing to check (the demo, given settings, or no profile resolved)."""
        from offer_tui.api import ApiError
        from offer_tui.credentials import CredentialError
        from offer_tui.api.errors import scrub

        settings = self.settings
        if self.demo or self.resolution is None or settings is None:
            return None
        if not settings.access_token and not (settings.client_id and settings.client_secret):
            return None  # nothing to test: the first-run screen or the secret prompt says what is missing
        try:
            await self.client()
            provider = self._provider
            if provider is None:
                return None
            await provider()
        except (ApiError, CredentialError) as error:
            # The api's hint names the environment variables; say where these values really came from.
            from offer_tui.credentials.probe import override_fix

            secrets = self.settings.secret_values() if self.settings is not None else ()
            code = getattr(error, "code", None)
            text = error.message + (f" ({code})" if code else "")
            overrides = [o for o in self.resolution.env_overrides()
                         if o[1] in ("OFFER_TUI_CLIENT_ID", "OFFER_TUI_CLIENT_SECRET", "OFFER_TUI_ACCESS_TOKEN")]
            if overrides:
                text += ". " + override_fix(overrides)
            elif code in ("invalid_client", "unauthorized_client"):
                name = self.resolution.profile_name
                where = f"profile {name}'s client id and secret" if name else "the client id and secret"
                text += f". F6: check {where}, then F5 tests it"
            elif error.hint:
                text += f". {error.hint}"
            self.check_result = (False, scrub(text, secrets))
            return self.check_result
        except Exception as error:  # noqa: BLE001 - a start-up check must never end the app
            swallowed("the start-up credentials check")
            self.check_result = (False, f"{type(error).__name__} while getting a token")
            return self.check_result
        from offer_tui.credentials.tokeninfo import describe_remaining

        current = provider.current
        left = describe_remaining(current.remaining() if current else None)
        self.check_result = (True, f"token valid for {left}" if left != "unknown" else "token accepted")
        return self.check_result

    async def reconfigure(self, profile: str | None) -> None:
        """After the credentials screen: resolve again (with the chosen profile) and rebuild the client."""
        await self.close_client()
        self._provider = None
        self.check_result = None
        if profile:
            self.profile_flag = profile
        if not self.demo:
            self.settings = None
            self.resolution = None
        await self.ensure()

    def needs_secret(self) -> bool:
        """A profile was chosen but neither a secret nor a token came from any source."""
        settings = self.settings
        return (self.resolution is not None and self.resolution.profile is not None and settings is not None
                and not settings.client_secret and not settings.access_token)

    # -- what the header badge and the submit guard need -------------------------------------------
    def badge(self) -> tuple[str | None, str | None, bool]:
        if self.demo:
            return "demo", self.settings.sandbox if self.settings else "local", False
        profile = self.resolution.profile_name if self.resolution is not None else None
        sandbox = self.settings.sandbox if self.settings is not None else None
        return profile, sandbox, self.is_production()

    def is_production(self) -> bool:
        """A production profile, or any sandbox whose name says prod (one rule with the CLI's)."""
        from offer_tui.service.session import is_production_target

        return is_production_target(self.resolution, self.settings, demo=self.demo)

    # -- shutting down -----------------------------------------------------------------------------
    async def close_client(self) -> None:
        if self._owns_client and self._client is not None:
            client, self._client = self._client, None
            try:
                await client.aclose()
            except Exception:  # closing must never turn a clean exit into a traceback
                swallowed("closing the API client")
                pass

    def stop_demo(self) -> None:
        if self.demo_server is not None:
            self.demo_server.stop()
            self.demo_server = None
