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
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from offer_tui import __version__
from offer_tui.api.budget import DEFAULT_BUDGET, budget_hint, budgeted, http_timeout
from offer_tui.api.config import Settings, url_error_text, url_problem
from offer_tui.api.errors import ApiError, error_from_body, error_from_exception
from offer_tui.api.ims import ClientCredentialsProvider, Sleep, StaticTokenProvider, TokenProvider, tls_verify
from offer_tui.api.outcome import Outcome, WriteKind, classify_write
from offer_tui.api.results import (  # noqa: F401 - CreateResult and the filters are re-exported
    CreateResult,
    OfferPage,
    WriteResult,
    next_href_of,
    find_command_hint,
    name_contains,
    regex_escape,
    repeated_page_error,
    reread_hint,
)
from offer_tui.api.retry import (
    NOT_SENT_ERRORS,
    RETRY_STATUSES,
    backoff_delay,
    is_retriable_exception,
    retry_after_seconds,
)

# The one serializer shared by preview, save, curl export and submit; the constants' one copy.
from offer_tui.model import to_json as _to_json
from offer_tui.model.constants import CHANNEL_PREFIX, OFFER_TYPES

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

DEFAULT_TIMEOUT = http_timeout(DEFAULT_BUDGET)
MAX_PAGES = 200


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
        timeout: httpx.Timeout | float | None = None,
        budget: float = DEFAULT_BUDGET,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        max_pages: int = MAX_PAGES,
        redact: Iterable[str | None] = (),
    ) -> None:
        problem = url_problem(base_url)
        if problem:  # checked here too: a client may be built from settings no one validated
            message, hint = url_error_text("endpoint", base_url, problem, "the settings")
            raise ApiError(message, code="bad_url", hint=hint)
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
        self.budget = budget  # seconds for one operation: token, request(s) and retries
        self._http = httpx.AsyncClient(
            timeout=timeout if timeout is not None else http_timeout(budget), transport=transport, follow_redirects=False, verify=tls_verify(self.base_url)
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
                if "timeout" in options or "budget" in options:  # a number is also the mint's budget
                    shared["timeout"] = options.get("timeout") or options.get("budget", DEFAULT_BUDGET)
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

    async def create_offer(self, doc: dict[str, Any], offer_type: str = "personalized", *,
                           progress: Progress | None = None) -> WriteResult:
        """POST a new offer. Never retried automatically (except once after a 401).

        Returns only when the server's receipt proves the offer was created; raises
        an :class:`ApiError` with ``outcome_unknown`` when that cannot be known.
        """
        _check_offer_type(offer_type)
        body = _to_json(doc).encode("utf-8")
        name = doc.get("name") if isinstance(doc, dict) else None
        return await self._write(
            WriteKind.CREATE, "POST", self._url(f"/offers?offer-type={offer_type}"), body,
            hint=find_command_hint(name if isinstance(name, str) else None), progress=progress,
        )

    async def patch_offer(
        self, offer_id: str, operations: Sequence[dict[str, Any]], offer_type: str = "personalized"
    ) -> WriteResult:
        """PATCH an offer with a JSON Patch array. Never retried (except once after a 401)."""
        _check_offer_type(offer_type)
        body = json.dumps(list(operations), ensure_ascii=False, allow_nan=False).encode("utf-8")
        return await self._write(
            WriteKind.UPDATE, "PATCH", self._offer_url(offer_id, offer_type), body, hint=reread_hint(offer_id)
        )

    async def delete_offer(self, offer_id: str, offer_type: str = "personalized") -> WriteResult:
        """DELETE an offer. Never retried (except once after a 401)."""
        _check_offer_type(offer_type)
        return await self._write(
            WriteKind.DELETE, "DELETE", self._offer_url(offer_id, offer_type), None, hint=reread_hint(offer_id)
        )

    @budgeted("Reading the offer")
    async def get_offer(self, offer_id: str, offer_type: str = "personalized") -> dict[str, Any]:
        _check_offer_type(offer_type)
        return self._json_object(await self._send("GET", self._offer_url(offer_id, offer_type)))

    @budgeted("Listing offers")
    async def list_offers_page(
        self,
        offer_type: str = "personalized",
        *,
        properties: Sequence[str] = (),
        orderby: str | None = "-modified",
        limit: int | None = None,
        href: str | None = None,
    ) -> OfferPage:
        """One page of offers. Pass the previous page's ``next_href`` as ``href`` for the next.

        ``properties`` are ANDed ``property`` filters such as ``status==approved`` or
        :func:`name_contains`. The next page's link is followed as the server gave it.
        """
        if href is not None:
            url = self._next_url(href)
        else:
            _check_offer_type(offer_type)
            # Built by hand so spaces become %20 as in Adobe's examples (httpx would send "+").
            query = [f"offer-type={offer_type}"]
            query += [f"property={quote(p, safe='=!<>~')}" for p in properties]
            if orderby:
                query.append(f"orderby={quote(orderby, safe=',-.')}")
            if limit is not None:
                query.append(f"limit={int(limit)}")
            url = self._url("/offers?" + "&".join(query))
        page = self._json_object(await self._send("GET", url))
        results = page.get("results")
        total = page.get("total")
        return OfferPage(
            results=[r for r in results if isinstance(r, dict)] if isinstance(results, list) else [],
            total=total if isinstance(total, int) and not isinstance(total, bool) else None,
            next_href=next_href_of(page),
            url=url,
        )

    async def iter_offers(
        self,
        offer_type: str = "personalized",
        *,
        properties: Sequence[str] = (),
        orderby: str | None = "-modified",
        limit: int | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Offers one by one, fetching a page only when the caller gets to it.

        Stops after ``limit`` offers. A next link that repeats a page already seen
        is an error (a server bug would otherwise loop or print duplicates).
        """
        seen: set[str] = set()
        given = 0
        page = await self.list_offers_page(
            offer_type, properties=properties, orderby=orderby,
            limit=page_size if page_size is not None else (min(limit, 100) if limit else None),
        )
        while True:
            seen.add(page.url)
            for offer in page.results:
                if limit is not None and given >= limit:
                    return
                given += 1
                yield offer
            if page.next_href is None or (limit is not None and given >= limit):
                return
            if self._next_url(page.next_href) in seen:
                raise repeated_page_error(page.next_href)
            page = await self.list_offers_page(offer_type, href=page.next_href)

    @budgeted("Looking offers up by name")
    async def find_offers_by_name(self, name: str, offer_type: str = "personalized") -> list[dict[str, Any]]:
        _check_offer_type(offer_type)
        # Built by hand so spaces become %20 as in Adobe's examples (httpx would send "+").
        prop = quote(f"name=={name}", safe="=")
        return await self._list(f"/offers?offer-type={offer_type}&property={prop}")

    @budgeted("Listing placements")
    async def list_placements(self, channel: str | None = None) -> list[dict[str, Any]]:
        placements = await self._list("/placements")
        if channel is None:
            return placements
        wanted = channel if "://" in channel else CHANNEL_PREFIX + channel
        return [p for p in placements if p.get("channel") == wanted]

    @budgeted("Listing decision rules")
    async def list_rules(self) -> list[dict[str, Any]]:
        return await self._list("/offer-rules")

    @budgeted("Listing tags")
    async def list_tags(self) -> list[dict[str, Any]]:
        """Collection qualifiers (tags): ``copy`` maps their ids by name."""
        return await self._list("/tags")

    # --- plumbing ------------------------------------------------------------

    def _url(self, path_and_query: str) -> str:
        return self.base_url + path_and_query

    def _offer_url(self, offer_id: str, offer_type: str) -> str:
        return self._url(f"/offers/{quote(offer_id, safe='')}?offer-type={offer_type}")

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
            href = next_href_of(page)
            if href is None:
                return items
            url = self._next_url(href)
            if url in seen:
                raise repeated_page_error(href)
        raise ApiError(
            f"Stopped after {self._max_pages} pages: the list did not end",
            code="too_many_pages",
            hint="Narrow the request (a filter), or report it: the service kept sending next-page links.",
        )

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

    async def _replacement_token(self, failed: str) -> str:
        """A token other than ``failed`` (which drew a 401): another caller may have renewed it
        already, so ask for the current one first and force a mint only if it is the same."""
        current = await self._token()
        return current if current != failed else await self._token(force_refresh=True)

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

    async def _send(self, method: str, url: str) -> httpx.Response:
        """A read: retried on connection errors, 429, 502, 503 and 504 (honouring Retry-After)."""
        token = await self._token()
        refreshed = False
        attempt = 0
        what = f"{method} {urlsplit(url).path}"
        while True:
            try:
                response = await self._request(method, url, None, token)
            except httpx.TransportError as exc:
                if is_retriable_exception(exc) and attempt < self._max_retries:
                    await self._pause(backoff_delay(attempt, self._backoff_base), attempt)
                    attempt += 1
                    continue
                raise error_from_exception(exc, url, what=what, redact=self._redact) from None
            if response.status_code == 401 and not refreshed:
                refreshed = True
                fresh = await self._replacement_token(token)
                if fresh != token:
                    token = fresh
                    continue
            if response.status_code in RETRY_STATUSES and attempt < self._max_retries:
                delay = retry_after_seconds(response.headers.get("Retry-After"))
                if delay is None:
                    delay = backoff_delay(attempt, self._backoff_base)
                await self._pause(delay, attempt)
                attempt += 1
                continue
            if response.is_error:
                raise error_from_body(response.status_code, response.text, reason=response.reason_phrase, redact=self._redact)
            return response

    async def _write(self, kind: WriteKind, method: str, url: str, body: bytes | None, *, hint: str,
                     progress: Progress | None = None) -> WriteResult:
        """A create, PATCH or DELETE under one budget: the token, then the request. When the budget
        runs out before the request went out, nothing was sent; after, the outcome is unknown.
        ``progress`` hears "token" and then "sending" (the wizard shows which phase it is in)."""
        sent = False
        try:
            async with asyncio.timeout(self.budget):
                if progress is not None:
                    progress("token")
                token = await self._token()
                if progress is not None:
                    progress("sending")
                sent = True
                return await self._send_write(kind, method, url, body, token, hint)
        except TimeoutError:
            if not sent:
                raise ApiError(f"{_ACTION[kind]}: no access token within {self.budget:g} s, so nothing was sent",
                               code="timeout", hint=budget_hint(self.budget)) from None
            raise ApiError(
                f"The outcome is unknown: no answer within {self.budget:g} s after the request was sent; "
                f"the offer may or may not have been {_VERB[kind]}.",
                code="timeout", outcome_unknown=True, redact=self._redact,
                hint=f"{hint} (--timeout SECONDS or OFFER_TUI_TIMEOUT allows more time.)",
            ) from None

    async def _send_write(self, kind: WriteKind, method: str, url: str, body: bytes | None, token: str,
                          hint: str) -> WriteResult:
        """Sent once (twice only after a 401, which proves nothing happened), never after a
        redirect, and classified by :func:`classify_write`."""
        started = time.monotonic()
        for first_try in (True, False):
            try:
                response = await self._request(method, url, body, token)
            except httpx.TransportError as exc:
                written = not isinstance(exc, NOT_SENT_ERRORS + (httpx.UnsupportedProtocol, httpx.InvalidURL))
                verdict = classify_write(kind, status=None, request_written=written, failure=_failure_name(exc))
                if verdict.unknown:
                    raise ApiError(verdict.reason, code=type(exc).__name__, hint=hint, outcome_unknown=True,
                                   redact=self._redact) from None
                raise error_from_exception(exc, url, what=f"{_ACTION[kind]} (nothing was sent)",
                                           redact=self._redact) from None
            if response.status_code == 401 and first_try:
                fresh = await self._replacement_token(token)
                if fresh != token:
                    token = fresh
                    continue
            break
        elapsed = time.monotonic() - started
        raw = response.text
        verdict = classify_write(kind, status=response.status_code, body=response.content)
        if verdict.outcome is Outcome.DONE:
            return WriteResult(response.status_code, verdict.receipt, raw, elapsed, verdict)
        if verdict.outcome is Outcome.UNKNOWN:
            parsed = error_from_body(response.status_code, raw, reason=response.reason_phrase, redact=self._redact) \
                if response.status_code >= 400 else None
            message = verdict.described
            if parsed is not None and parsed.message:
                message = f"{verdict.reason} The service said: {parsed.message}"
            raise ApiError(
                message,
                status=response.status_code,
                code=parsed.code if parsed is not None else None,
                hint=hint,
                raw=raw,
                outcome_unknown=True,
                redact=self._redact,
            )
        error = error_from_body(response.status_code, raw, reason=response.reason_phrase, redact=self._redact)
        if response.status_code == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"), cap=float("inf"))
            when = f"wait {wait:.0f} s" if wait is not None else "wait a little"
            error = error.replace(hint=f"Rate limited: nothing was {_VERB[kind]}; {when} and try again.",
                                  redact=self._redact)
            error.retry_after = wait  # for callers that pace many writes (the bulk engine)
        raise error

    async def _request(self, method: str, url: str, body: bytes | None, token: str) -> httpx.Response:
        headers = self._headers(token, has_body=body is not None)
        started = time.monotonic()
        try:
            response = await self._http.request(method, url, content=body, headers=headers)
        except httpx.TransportError as exc:
            log.info("%s %s failed after %.2fs: %s", method, url, time.monotonic() - started, type(exc).__name__)
            raise
        log.info("%s %s -> %d in %.2fs", method, url, response.status_code, time.monotonic() - started)
        return response

    async def _pause(self, delay: float, attempt: int) -> None:
        log.info("Retry %d of %d in %.2fs", attempt + 1, self._max_retries, delay)
        await self._sleep(delay)


_ACTION = {WriteKind.CREATE: "Creating the offer", WriteKind.UPDATE: "Updating the offer", WriteKind.DELETE: "Deleting the offer"}
_VERB = {WriteKind.CREATE: "created", WriteKind.UPDATE: "changed", WriteKind.DELETE: "deleted"}


def _failure_name(exc: BaseException) -> str:
    detail = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {detail}" if detail and detail != name else name
