"""Adobe IMS access tokens: the client-credentials request and token providers.

Adobe asks clients to cache tokens (it may throttle clients that ask too often),
so :class:`ClientCredentialsProvider` keeps one in memory, reuses it until fewer
than ten minutes remain, and lets concurrent callers share a single request.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import httpx

from offer_tui import __version__
from offer_tui.api.budget import DEFAULT_BUDGET, budget_hint, http_timeout
from offer_tui.api.config import Settings, url_error_text, url_problem
from offer_tui.api.errors import ApiError, error_from_body, error_from_exception
from offer_tui.api.retry import RETRY_STATUSES, backoff_delay, is_retriable_exception, retry_after_seconds

log = logging.getLogger(__name__)

MIN_REMAINING = 600.0  # seconds: renew once fewer than 10 minutes are left
DEFAULT_LIFETIME = 3600.0  # assumed when IMS does not say (it normally says 86399)
DEFAULT_TIMEOUT = DEFAULT_BUDGET  # a number: the whole mint's budget (tries included), see api/budget.py


def tls_verify(url: str) -> bool:
    """False for a plain http:// URL (the loopback demo API): no TLS happens, so skip building a
    certificate-verifying SSL context (certifi's CA bundle costs ~40 ms and ~2 MiB per client)."""
    return not url.lower().startswith("http://")

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Token:
    access_token: str = field(repr=False)
    expires_at: float  # epoch seconds

    def remaining(self, now: float | None = None) -> float:
        return self.expires_at - (time.time() if now is None else now)


@runtime_checkable
class TokenProvider(Protocol):
    async def __call__(self, force_refresh: bool = False) -> str: ...


def _scopes_text(scopes: str | Iterable[str]) -> str:
    if isinstance(scopes, str):
        items = scopes.split(",")
    else:
        items = list(scopes)
    return ",".join(s.strip() for s in items if s and s.strip())


async def fetch_token(
    http: httpx.AsyncClient,
    ims_url: str,
    client_id: str,
    client_secret: str,
    scopes: str | Iterable[str],
    *,
    max_retries: int = 3,
    backoff_base: float = 0.5,
    sleep: Sleep = asyncio.sleep,
    clock: Callable[[], float] = time.time,
) -> Token:
    """Mint a token with the OAuth client-credentials grant.

    The secret travels only in the form body. Connection errors, 429, 502, 503 and
    504 are retried (minting twice is harmless); everything else raises ApiError.
    """
    form = {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
        "scope": _scopes_text(scopes),
    }
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "User-Agent": f"offer-tui/{__version__}",
    }
    redact = (client_secret,)
    attempt = 0
    while True:
        try:
            response = await http.post(ims_url, data=form, headers=headers)
        except httpx.TransportError as exc:
            if is_retriable_exception(exc) and attempt < max_retries:
                delay = backoff_delay(attempt, backoff_base)
                log.info("IMS token request failed (%s); retry %d in %.2fs", type(exc).__name__, attempt + 1, delay)
                await sleep(delay)
                attempt += 1
                continue
            raise error_from_exception(exc, ims_url, what="The IMS token request", redact=redact) from None

        if response.status_code in RETRY_STATUSES and attempt < max_retries:
            delay = retry_after_seconds(response.headers.get("Retry-After"))
            if delay is None:
                delay = backoff_delay(attempt, backoff_base)
            log.info("IMS answered %d; retry %d in %.2fs", response.status_code, attempt + 1, delay)
            await sleep(delay)
            attempt += 1
            continue
        break

    text = response.text
    try:
        payload = json.loads(text) if text.strip() else None
    except ValueError:
        payload = None
    token_value = payload.get("access_token") if isinstance(payload, dict) else None
    redact = (client_secret, token_value if isinstance(token_value, str) else None)

    if response.is_error:
        raise error_from_body(response.status_code, text, reason=response.reason_phrase, redact=redact)
    if not isinstance(token_value, str) or not token_value:
        raise ApiError(
            "IMS answered without an access token",
            status=response.status_code,
            code="no_access_token",
            hint="Check OFFER_TUI_IMS_URL: it should be the IMS token endpoint (…/ims/token/v3).",
            raw=text,
            redact=redact,
        )
    expires_in = payload.get("expires_in") if isinstance(payload, dict) else None
    try:
        lifetime = float(expires_in) if expires_in is not None else DEFAULT_LIFETIME
    except (TypeError, ValueError):
        lifetime = DEFAULT_LIFETIME
    # IMS has been seen to send milliseconds in older APIs; a "lifetime" over a year is that.
    if lifetime > 366 * 86400:
        lifetime /= 1000.0
    return Token(access_token=token_value, expires_at=clock() + lifetime)


class StaticTokenProvider:
    """A token the user pasted or exported; it cannot be renewed."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "StaticTokenProvider(token=<hidden>)"

    async def __call__(self, force_refresh: bool = False) -> str:
        # force_refresh cannot help here; the client notices the token did not change.
        return self._token

    def secret_values(self) -> tuple[str, ...]:
        return (self._token,)


class LoopLock:
    """An asyncio.Lock for the running event loop: a lock belongs to one loop, and the CLI (one
    ``asyncio.run`` per command) and the UI's workers may use several in turn."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        return self._lock


class ClientCredentialsProvider:
    """Mints tokens from a client id and secret, caching one in memory.

    Concurrent callers wait on one lock, so a burst of requests leads to a single
    mint. ``force_refresh`` (after a 401) mints a new token, unless another caller
    already replaced the token while this one waited.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        min_remaining: float = MIN_REMAINING,
    ) -> None:
        problem = url_problem(settings.ims_url)
        if problem:
            message, hint = url_error_text("ims_url", settings.ims_url, problem, "the settings")
            raise ApiError(message, code="bad_url", hint=hint)
        self._settings = settings
        self._transport = transport
        # A number is the budget for one mint, every try included (4 tries of 30 s took 124 s);
        # an httpx.Timeout (tests) sets the per-request limits and keeps the default budget.
        self.budget = float(timeout) if isinstance(timeout, (int, float)) else DEFAULT_BUDGET
        self._timeout = http_timeout(self.budget) if isinstance(timeout, (int, float)) else timeout
        self._max_retries = max_retries
        self._backoff_base = backoff_base
        self._sleep = sleep
        self._clock = clock
        self._min_remaining = min_remaining
        self._token: Token | None = None
        self._lock = LoopLock()
        self._http: httpx.AsyncClient | None = None  # one client for every mint (one SSL context)
        self._http_loop: asyncio.AbstractEventLoop | None = None
        self.mints = 0

    def __repr__(self) -> str:
        return f"ClientCredentialsProvider(client_id={self._settings.client_id!r}, ims_url={self._settings.ims_url!r})"

    @property
    def token(self) -> Token | None:
        return self._token

    def secret_values(self) -> tuple[str, ...]:
        values = list(self._settings.secret_values())
        if self._token is not None:
            values.append(self._token.access_token)
        return tuple(values)

    def _fresh(self, token: Token | None) -> bool:
        return token is not None and token.remaining(self._clock()) >= self._min_remaining

    async def __call__(self, force_refresh: bool = False) -> str:
        seen = self._token
        if not force_refresh and self._fresh(seen):
            return seen.access_token  # type: ignore[union-attr]
        async with self._lock.get():
            current = self._token
            if current is not None and current is not seen and self._fresh(current):
                # Someone minted while we waited: that token is as new as ours would be.
                return current.access_token
            if not force_refresh and self._fresh(current):
                return current.access_token  # type: ignore[union-attr]
            self._token = await self._mint()
            return self._token.access_token

    def _client(self) -> httpx.AsyncClient:
        # Like the lock, a client's connections belong to one event loop: a new loop gets a new client.
        loop = asyncio.get_running_loop()
        if self._http is None or self._http_loop is not loop or self._http.is_closed:
            self._http = httpx.AsyncClient(
                timeout=self._timeout, transport=self._transport, verify=tls_verify(self._settings.ims_url)
            )
            self._http_loop = loop
        return self._http

    async def aclose(self) -> None:
        """Close the token client (OfferClient.aclose calls this)."""
        http, self._http = self._http, None
        if http is not None and self._http_loop is asyncio.get_running_loop():
            await http.aclose()

    async def _mint(self) -> Token:
        s = self._settings
        if not s.client_id or not s.client_secret:
            raise ApiError(
                "No client credentials to request a token with",
                code="no_credentials",
                hint="Set OFFER_TUI_CLIENT_ID and OFFER_TUI_CLIENT_SECRET, or OFFER_TUI_ACCESS_TOKEN.",
            )
        try:
            async with asyncio.timeout(self.budget):
                token = await fetch_token(
                    self._client(), s.ims_url, s.client_id, s.client_secret, s.scopes,
                    max_retries=self._max_retries, backoff_base=self._backoff_base, sleep=self._sleep,
                    clock=self._clock,
                )
        except TimeoutError:
            raise ApiError(f"The IMS token request: no answer within {self.budget:g} s", code="timeout",
                           hint=budget_hint(self.budget)) from None
        self.mints += 1
        log.info("Minted an IMS access token (valid for %.0f s)", token.remaining(self._clock()))
        return token
