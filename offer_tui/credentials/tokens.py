"""A TokenProvider that caches the IMS token in the SecretStore, so it survives between runs.

It mints with the client-credentials grant (through ``offer_tui.api.ims``), reuses the token
until fewer than 10 minutes remain, and lets concurrent callers share one mint. A pasted access
token (``OFFER_TUI_ACCESS_TOKEN`` or :meth:`KeyringTokenProvider.accept_pasted`) is used as given;
its expiry is read from the token when it is a JWT.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone

import httpx

from offer_tui.api.config import Settings
from offer_tui.api.errors import ApiError
from offer_tui.api.ims import DEFAULT_TIMEOUT, ClientCredentialsProvider, LoopLock, Sleep

from offer_tui.log import register_secret

from .errors import CredentialError
from .store import SecretStore
from .tokeninfo import REFRESH_MARGIN, CachedToken, token_expiry

log = logging.getLogger(__name__)


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


class KeyringTokenProvider:
    """``await provider(force_refresh=False) -> str``, the contract's TokenProvider."""

    def __init__(
        self,
        settings: Settings,
        store: SecretStore,
        cache_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        min_remaining: float = REFRESH_MARGIN,
    ) -> None:
        self._settings = settings
        self._store = store
        self._key = cache_key
        self._clock = clock
        self._min_remaining = min_remaining
        # Minting (IMS request, retries, one reused HTTP client) is the api layer's job; this class
        # adds the store cache, pasted tokens and the "use it to the end" policy on top.
        self._minter = ClientCredentialsProvider(
            settings, transport=transport, timeout=timeout, max_retries=max_retries,
            backoff_base=backoff_base, sleep=sleep, clock=clock, min_remaining=min_remaining,
        )
        self._lock = LoopLock()
        self._loaded = False
        self._current: CachedToken | None = None
        if settings.access_token:
            self._current = CachedToken(
                settings.access_token, token_expiry(settings.access_token), settings.client_id, "pasted"
            )
            self._loaded = True  # an explicit token wins over whatever is cached
        self.mints = 0
        self.persisted: bool | None = None  # did the last token reach the store (False: memory only)
        self.notes: list[str] = []  # non-fatal store problems, secret-free

    @classmethod
    def from_resolution(cls, resolution, **options) -> KeyringTokenProvider:
        """Build from ``resolve.resolve_settings(...)``'s result."""
        return cls(resolution.settings, resolution.store, resolution.cache_key, **options)

    def __repr__(self) -> str:
        return f"KeyringTokenProvider(key={self._key!r}, store={self._store!r})"

    @property
    def current(self) -> CachedToken | None:
        """The token in use (its ``repr`` hides the value), with expiry and origin."""
        return self._current

    def secret_values(self) -> tuple[str, ...]:
        values = list(self._settings.secret_values())
        if self._current is not None:
            values.append(self._current.token)
        return tuple(values)

    # -- policy ------------------------------------------------------------------------------
    @property
    def can_mint(self) -> bool:
        return bool(self._settings.client_id and self._settings.client_secret)

    def _usable(self, token: CachedToken | None) -> bool:
        if token is None:
            return False
        now = self._clock()
        if token.is_fresh(now, self._min_remaining):
            return True
        # Nearly expired: renew when we can, otherwise use it to the end.
        return not self.can_mint and not token.is_expired(now)

    def _matches(self, token: CachedToken) -> bool:
        return token.client_id is None or token.client_id == self._settings.client_id

    # -- the protocol ------------------------------------------------------------------------
    async def __call__(self, force_refresh: bool = False) -> str:
        seen = self._current
        if not force_refresh and self._usable(seen):
            return seen.token  # type: ignore[union-attr]
        async with self._lock.get():
            current = self._current
            if current is not None and current is not seen and self._usable(current):
                return current.token  # someone renewed it while we waited
            if not force_refresh:
                if self._usable(current):
                    return current.token  # type: ignore[union-attr]
                cached = await self._load_cached()
                if cached is not None:
                    self._current = cached
                    return cached.token
            if self.can_mint:
                self._current = await self._mint()
                return self._current.token
            return self._no_renewal(current)

    def _no_renewal(self, current: CachedToken | None) -> str:
        if current is not None and not current.is_expired(self._clock()):
            # A pasted token cannot be renewed; hand it back and let the 401 speak.
            return current.token
        if current is not None:
            raise ApiError(
                f"The access token expired at {_when(current.expires_at or 0)}",
                code="token_expired",
                hint="Paste a new token (OFFER_TUI_ACCESS_TOKEN) or store a client secret in the profile.",
            )
        raise ApiError(
            "No credentials to get an access token with",
            code="no_credentials",
            hint="Set OFFER_TUI_CLIENT_ID and OFFER_TUI_CLIENT_SECRET, or OFFER_TUI_ACCESS_TOKEN, "
            "or add a profile with `offer-tui profile add`.",
        )

    async def _load_cached(self) -> CachedToken | None:
        if self._loaded:
            return None
        self._loaded = True
        try:
            cached = await asyncio.to_thread(self._store.get_token, self._key)
        except CredentialError as exc:
            self.notes.append(str(exc))
            return None
        if cached is None or not self._matches(cached) or not self._usable(cached):
            return None
        register_secret(cached.token)
        return cached

    async def _mint(self) -> CachedToken:
        await self._minter(force_refresh=True)
        token = self._minter.token
        assert token is not None
        self.mints += 1
        register_secret(token.access_token)
        cached = CachedToken(token.access_token, token.expires_at, self._settings.client_id, "minted")
        await self._save(cached)
        log.info("Minted an IMS access token for %s", self._key)
        return cached

    async def _save(self, token: CachedToken) -> None:
        try:
            self.persisted = await asyncio.to_thread(self._store.set_token, self._key, token)
        except CredentialError as exc:
            self.persisted = False
            self.notes.append(str(exc))

    async def aclose(self) -> None:
        """Close the IMS client (OfferClient.aclose calls this)."""
        await self._minter.aclose()

    async def accept_pasted(self, token: str) -> CachedToken:
        """Use a token the user pasted; cache it like a minted one. Raises if it has expired."""
        token = token.strip()
        if not token:
            raise CredentialError("The pasted access token is empty")
        register_secret(token)
        cached = CachedToken(token, token_expiry(token), None, "pasted")
        if cached.is_expired(self._clock()):
            raise CredentialError(f"The pasted access token expired at {_when(cached.expires_at or 0)}")
        async with self._lock.get():
            self._current = cached
            self._loaded = True
            await self._save(cached)
        return cached
