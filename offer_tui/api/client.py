"""The async Offer Library client.

Safety rules that shape this module:

* GETs are retried on connection errors, 429, 502, 503 and 504 (honouring
  Retry-After); the create POST is never retried, because a request that may
  have reached the server could already have created the offer.
* A 401 gets one fresh token and one repeat (POST too: a 401 proves nothing was
  created).
* No token or secret ever ends up in an exception, a repr or a log line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shlex
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from offer_tui import __version__
from offer_tui.api.config import Settings
from offer_tui.api.errors import ApiError, error_from_body, error_from_exception
from offer_tui.api.ims import ClientCredentialsProvider, Sleep, StaticTokenProvider, TokenProvider, tls_verify
from offer_tui.api.retry import (
    NOT_SENT_ERRORS,
    RETRY_STATUSES,
    backoff_delay,
    is_retriable_exception,
    retry_after_seconds,
)

# The one serializer shared by preview, save, curl export and submit.
from offer_tui.model import to_json as _to_json

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
MAX_PAGES = 200
OFFER_TYPES = ("personalized", "fallback")
CHANNEL_PREFIX = "https://ns.adobe.com/xdm/channel-types/"
_UNKNOWN_OUTCOME_STATUSES = frozenset({502, 503, 504})


@dataclass(frozen=True)
class CreateResult:
    status: int
    receipt: dict[str, Any]
    raw: str
    elapsed: float  # seconds

    @property
    def offer_id(self) -> str | None:
        value = self.receipt.get("id")
        return value if isinstance(value, str) else None


def find_command_hint(name: str | None) -> str:
    if name:
        return (
            "Check whether it exists before retrying: offer-tui find --name "
            f"{shlex.quote(name)} (or search the Offer Library for that name)."
        )
    return "Check whether it exists before retrying: search the Offer Library by the offer's name."


def _check_offer_type(offer_type: str) -> str:
    if offer_type not in OFFER_TYPES:
        raise ValueError(f"offer_type must be one of {', '.join(OFFER_TYPES)}, not {offer_type!r}")
    return offer_type


class OfferClient:
    """Talks to the Offer Library (decision management persistence) API."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None,
        ims_org: str | None,
        sandbox: str | None,
        token_provider: TokenProvider,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        max_pages: int = MAX_PAGES,
        redact: Iterable[str | None] = (),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._base = urlsplit(self.base_url)
        self._api_key = api_key
        self._ims_org = ims_org
        self._sandbox = sandbox
        self._token_provider = token_provider
        self._max_retries = max_retries
        self._backoff_base = backoff_base
        self._sleep = sleep
        self._max_pages = max_pages
        self._redact: set[str] = {v for v in redact if v}
        self._http = httpx.AsyncClient(
            timeout=timeout, transport=transport, follow_redirects=False, verify=tls_verify(self.base_url)
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        token_provider: TokenProvider | None = None,
        **options: Any,
    ) -> OfferClient:
        """Build a client; the token comes from OFFER_TUI_ACCESS_TOKEN or the client credentials.

        ``options`` go to the constructor (timeout, transport, sleep, ...); ``transport``,
        ``sleep``, ``max_retries`` and ``backoff_base`` also apply to the token request.
        """
        if token_provider is None:
            if settings.access_token:
                token_provider = StaticTokenProvider(settings.access_token)
            elif settings.client_id and settings.client_secret:
                shared = {k: options[k] for k in ("transport", "sleep", "max_retries", "backoff_base") if k in options}
                if "timeout" in options:
                    shared["timeout"] = options["timeout"]
                token_provider = ClientCredentialsProvider(settings, **shared)
            else:
                raise ApiError(
                    "No credentials: there is no access token and no client id and secret",
                    code="no_credentials",
                    hint="Set OFFER_TUI_ACCESS_TOKEN, or OFFER_TUI_CLIENT_ID and OFFER_TUI_CLIENT_SECRET.",
                )
        redact = set(options.pop("redact", ())) | set(settings.secret_values())
        return cls(
            settings.endpoint,
            api_key=settings.client_id,
            ims_org=settings.ims_org,
            sandbox=settings.sandbox,
            token_provider=token_provider,
            redact=redact,
            **options,
        )

    def __repr__(self) -> str:
        return f"OfferClient(base_url={self.base_url!r}, ims_org={self._ims_org!r}, sandbox={self._sandbox!r})"

    async def __aenter__(self) -> OfferClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()
        close_provider = getattr(self._token_provider, "aclose", None)
        if close_provider is not None:
            await close_provider()

    # --- public operations ---------------------------------------------------

    async def create_offer(self, doc: dict[str, Any], offer_type: str = "personalized") -> CreateResult:
        """POST a new offer. Never retried automatically (except once after a 401)."""
        _check_offer_type(offer_type)
        body = _to_json(doc).encode("utf-8")
        url = self._url(f"/offers?offer-type={offer_type}")
        name = doc.get("name") if isinstance(doc, dict) else None
        started = time.monotonic()
        response = await self._send("POST", url, body=body, offer_name=name if isinstance(name, str) else None)
        elapsed = time.monotonic() - started
        raw = response.text
        try:
            receipt = json.loads(raw) if raw.strip() else {}
        except ValueError:
            receipt = {}
        if not isinstance(receipt, dict):
            receipt = {}
        return CreateResult(status=response.status_code, receipt=receipt, raw=raw, elapsed=elapsed)

    async def get_offer(self, offer_id: str, offer_type: str = "personalized") -> dict[str, Any]:
        _check_offer_type(offer_type)
        url = self._url(f"/offers/{quote(offer_id, safe='')}?offer-type={offer_type}")
        return self._json_object(await self._send("GET", url))

    async def find_offers_by_name(self, name: str, offer_type: str = "personalized") -> list[dict[str, Any]]:
        _check_offer_type(offer_type)
        # Built by hand so spaces become %20 as in Adobe's examples (httpx would send "+").
        prop = quote(f"name=={name}", safe="=")
        return await self._list(f"/offers?offer-type={offer_type}&property={prop}")

    async def list_placements(self, channel: str | None = None) -> list[dict[str, Any]]:
        placements = await self._list("/placements")
        if channel is None:
            return placements
        wanted = channel if "://" in channel else CHANNEL_PREFIX + channel
        return [p for p in placements if p.get("channel") == wanted]

    async def list_rules(self) -> list[dict[str, Any]]:
        return await self._list("/offer-rules")

    # --- plumbing ------------------------------------------------------------

    def _url(self, path_and_query: str) -> str:
        return self.base_url + path_and_query

    def _next_url(self, href: str) -> str:
        """Resolve a ``_links.next.href``: relative to the base, used as given."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if (parts.scheme, parts.netloc) != (self._base.scheme, self._base.netloc):
                # Following it would send our token to another host.
                raise ApiError(
                    f"The service's next-page link points to another host ({parts.netloc})",
                    code="bad_next_link",
                    hint="Check OFFER_TUI_ENDPOINT.",
                )
            return href
        base_path = self._base.path.rstrip("/")
        if base_path and (href.startswith(base_path + "/") or href.startswith(base_path + "?")):
            # Already a full path on the host, not one relative to the base.
            return f"{self._base.scheme}://{self._base.netloc}{href}"
        return self.base_url + (href if href.startswith("/") else "/" + href)

    async def _list(self, first: str) -> list[dict[str, Any]]:
        url = self._url(first)
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for _page in range(self._max_pages):
            seen.add(url)
            page = self._json_object(await self._send("GET", url))
            results = page.get("results")
            if isinstance(results, list):
                items.extend(r for r in results if isinstance(r, dict))
            links = page.get("_links")
            nxt = links.get("next") if isinstance(links, dict) else None
            href = nxt.get("href") if isinstance(nxt, dict) else None
            if not isinstance(href, str) or not href:
                return items
            url = self._next_url(href)
            if url in seen:
                log.warning("Stopped paging %s: the next link repeats a page", first)
                return items
        log.warning("Stopped paging %s after %d pages", first, self._max_pages)
        return items

    def _json_object(self, response: httpx.Response) -> dict[str, Any]:
        try:
            data = json.loads(response.text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ApiError(
                f"HTTP {response.status_code}: the service did not answer with a JSON object",
                status=response.status_code,
                code="bad_response",
                hint="Check OFFER_TUI_ENDPOINT: it should end in /data/core/dps.",
                raw=response.text,
                redact=self._redact,
            )
        return data

    async def _token(self, force_refresh: bool = False) -> str:
        token = await self._token_provider(force_refresh=force_refresh)
        self._redact.add(token)
        secret_values = getattr(self._token_provider, "secret_values", None)
        if callable(secret_values):
            self._redact.update(v for v in secret_values() if v)
        return token

    def _headers(self, token: str, *, has_body: bool) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "User-Agent": f"offer-tui/{__version__}",
        }
        for name, value in (
            ("x-api-key", self._api_key),
            ("x-gw-ims-org-id", self._ims_org),
            ("x-sandbox-name", self._sandbox),
        ):
            if value:  # a missing header gets the service's own, clearer, error
                headers[name] = value
        if has_body:
            headers["Content-Type"] = "application/json"
        return headers

    async def _send(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        offer_name: str | None = None,
    ) -> httpx.Response:
        idempotent = method == "GET"
        what = "Creating the offer" if method == "POST" else f"{method} {urlsplit(url).path}"
        token = await self._token()
        refreshed = False
        attempt = 0
        while True:
            headers = self._headers(token, has_body=body is not None)
            started = time.monotonic()
            try:
                response = await self._http.request(method, url, content=body, headers=headers)
            except httpx.TransportError as exc:
                log.info("%s %s failed after %.2fs: %s", method, url, time.monotonic() - started, type(exc).__name__)
                if idempotent and is_retriable_exception(exc) and attempt < self._max_retries:
                    await self._pause(backoff_delay(attempt, self._backoff_base), attempt)
                    attempt += 1
                    continue
                raise self._transport_error(exc, url, what, sent_body=body is not None, offer_name=offer_name) from None
            log.info("%s %s -> %d in %.2fs", method, url, response.status_code, time.monotonic() - started)

            if response.status_code == 401 and not refreshed:
                refreshed = True
                fresh = await self._token(force_refresh=True)
                if fresh != token:
                    token = fresh
                    continue
            if idempotent and response.status_code in RETRY_STATUSES and attempt < self._max_retries:
                delay = retry_after_seconds(response.headers.get("Retry-After"))
                if delay is None:
                    delay = backoff_delay(attempt, self._backoff_base)
                await self._pause(delay, attempt)
                attempt += 1
                continue
            if response.is_error:
                raise self._response_error(response, method, offer_name)
            return response

    async def _pause(self, delay: float, attempt: int) -> None:
        log.info("Retry %d of %d in %.2fs", attempt + 1, self._max_retries, delay)
        await self._sleep(delay)

    def _response_error(self, response: httpx.Response, method: str, offer_name: str | None) -> ApiError:
        status = response.status_code
        text = response.text
        error = error_from_body(status, text, reason=response.reason_phrase, redact=self._redact)
        if method != "POST":
            return error
        if status >= 500:
            # The server (or a gateway in front of it) answered, but whether the offer
            # was stored before the failure cannot be known from here.
            unknown = status in _UNKNOWN_OUTCOME_STATUSES or not text.strip()
            message = error.message
            if unknown:
                message = f"The outcome is unknown: the offer may or may not have been created ({message})"
            return error.replace(
                message=message, outcome_unknown=unknown, hint=find_command_hint(offer_name), redact=self._redact
            )
        if status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"), cap=float("inf"))
            hint = (
                f"Rate limited: nothing was created; wait {wait:.0f} s and submit again."
                if wait is not None
                else "Rate limited: nothing was created; wait a little and submit again."
            )
            return error.replace(hint=hint, redact=self._redact)
        return error

    def _transport_error(
        self, exc: httpx.TransportError, url: str, what: str, *, sent_body: bool, offer_name: str | None
    ) -> ApiError:
        if sent_body and not isinstance(exc, NOT_SENT_ERRORS + (httpx.UnsupportedProtocol, httpx.InvalidURL)):
            # The request may have reached the server: a create may already have happened.
            kind = type(exc).__name__
            detail = str(exc).strip()
            return ApiError(
                "The outcome is unknown: the offer may or may not have been created "
                f"({kind}{': ' + detail if detail else ''})",
                code=kind,
                hint=find_command_hint(offer_name),
                outcome_unknown=True,
                redact=self._redact,
            )
        what_text = f"{what} (nothing was sent)" if sent_body else what
        return error_from_exception(exc, url, what=what_text, redact=self._redact)
