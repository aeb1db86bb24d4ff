"""The plumbing under :class:`~offer_tui.api.client.OfferClient`: one request, its token,
its retries, and the write path that never resends blindly.

Safety rules that shape this module:

* Reads (GET) are retried on connection errors, 429, 502, 503 and 504 (honouring
  Retry-After), within the action's time budget.
* Writes (create, PATCH, DELETE) are sent once; a 401 gets one fresh token and one
  repeat, because a 401 proves nothing happened. Redirects are never followed.
  What the answer proves is decided by :func:`~offer_tui.api.outcome.classify_write`.
* No token or secret ever ends up in an exception, a repr or a log line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from offer_tui import __version__
from offer_tui.api.budget import DEFAULT_BUDGET, budget_hint, http_timeout
from offer_tui.api.config import url_error_text, url_problem
from offer_tui.api.errors import ApiError, error_from_body, error_from_exception
from offer_tui.api.ims import Sleep, TokenProvider, tls_verify
from offer_tui.api.outcome import VERB, Outcome, WriteKind, classify_write
from offer_tui.api.results import WriteResult, next_href_of, repeated_page_error
from offer_tui.api.retry import (
    NOT_SENT_ERRORS,
    RETRY_STATUSES,
    backoff_delay,
    is_retriable_exception,
    retry_after_seconds,
)

# The one serializer shared by preview, save, curl export and submit; the constants' one copy.
from offer_tui.model.safejson import MAX_DEPTH, show_path, too_deep
from offer_tui.model.constants import OFFER_TYPES

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

DEFAULT_TIMEOUT = http_timeout(DEFAULT_BUDGET)
MAX_PAGES = 200


def check_offer_type(offer_type: str) -> str:
    if offer_type not in OFFER_TYPES:
        raise ValueError(f"offer_type must be one of {', '.join(OFFER_TYPES)}, not {offer_type!r}")
    return offer_type


class ApiTransport:
    """Requests to the Offer Library API with the documented headers, tokens and retry rules."""

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
        except (ValueError, RecursionError):
            data = None
        # Server data reaches the wizard, the preview and the tables: refuse what no offer is
        # (a list page wraps its offers two levels down), so nothing downstream meets it.
        deep = too_deep(data, MAX_DEPTH + 2) if isinstance(data, dict) else None
        if deep is not None:
            raise ApiError(
                f"HTTP {response.status_code}: the service sent data nested more than {MAX_DEPTH} levels deep "
                f"(at {show_path(deep) or 'the top'}); it is not an offer, so it was not read",
                status=response.status_code,
                code="too_deep",
                hint="Report it to the service's owners; nothing was changed.",
                redact=self._redact,
            )
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

    async def _send(self, method: str, url: str, *, body: bytes | None = None,
                    headers: dict[str, str] | None = None) -> httpx.Response:
        """A read: retried on connection errors, 429, 502, 503 and 504 (honouring Retry-After).
        ``body`` and ``headers`` are for a POST that changes nothing (the decision preview)."""
        token = await self._token()
        refreshed = False
        attempt = 0
        what = f"{method} {urlsplit(url).path}"
        while True:
            try:
                response = await self._request(method, url, body, token, headers)
            except UndecodableBody as exc:
                raise ApiError(f"HTTP {exc.status}: the service's answer could not be decoded (its Content-Encoding "
                               "does not match its body)", status=exc.status, code="bad_response",
                               hint="Report it to the service's owners, or check OFFER_TUI_ENDPOINT.") from None
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
                f"the offer may or may not have been {VERB[kind]}.",
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
            except UndecodableBody as exc:
                verdict = classify_write(kind, status=exc.status, undecodable=True)
                if verdict.unknown:
                    raise ApiError(verdict.reason, status=exc.status, code="bad_response", hint=hint,
                                   outcome_unknown=True, redact=self._redact) from None
                raise ApiError(f"HTTP {exc.status}: {verdict.reason} (its body could not be decoded)",
                               status=exc.status, code="bad_response", redact=self._redact) from None
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
            error = error.replace(hint=f"Rate limited: nothing was {VERB[kind]}; {when} and try again.",
                                  redact=self._redact)
            error.retry_after = wait  # for callers that pace many writes (the bulk engine)
        raise error

    async def _request(self, method: str, url: str, body: bytes | None, token: str,
                       extra_headers: dict[str, str] | None = None) -> httpx.Response:
        headers = self._headers(token, has_body=body is not None) | (extra_headers or {})
        started = time.monotonic()
        try:
            # Streamed, then read here: a body that fails to decode (a corrupt gzip) raises
            # httpx.DecodingError, which is no TransportError; the status is known by then and
            # must reach classify_write (issue 13, 2.3: it was a traceback, or "not created").
            request = self._http.build_request(method, url, content=body, headers=headers)
            response = await self._http.send(request, stream=True)
            try:
                await response.aread()
            except httpx.DecodingError:
                raise UndecodableBody(response.status_code, response.reason_phrase) from None
            finally:
                await response.aclose()
        except httpx.TransportError as exc:
            log.info("%s %s failed after %.2fs: %s", method, url, time.monotonic() - started, type(exc).__name__)
            raise
        log.info("%s %s -> %d in %.2fs", method, url, response.status_code, time.monotonic() - started)
        return response

    async def _pause(self, delay: float, attempt: int) -> None:
        log.info("Retry %d of %d in %.2fs", attempt + 1, self._max_retries, delay)
        await self._sleep(delay)


class UndecodableBody(Exception):
    """An answer arrived (``status``) but its body could not be decoded."""

    def __init__(self, status: int, reason: str = "") -> None:
        super().__init__(f"HTTP {status}: undecodable body")
        self.status = status
        self.reason = reason


_ACTION = {WriteKind.CREATE: "Creating the offer", WriteKind.UPDATE: "Updating the offer", WriteKind.DELETE: "Deleting the offer"}


def _failure_name(exc: BaseException) -> str:
    detail = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {detail}" if detail and detail != name else name
