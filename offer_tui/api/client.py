"""The async Offer Library client: what can be asked of the API.

The request plumbing (headers, tokens, retries, the write path that never resends
blindly) lives in :mod:`offer_tui.api.transport`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any
from urllib.parse import quote

from offer_tui.api.budget import DEFAULT_BUDGET, budgeted
from offer_tui.api.config import Settings
from offer_tui.api.errors import ApiError
from offer_tui.api.ims import ClientCredentialsProvider, StaticTokenProvider, TokenProvider
from offer_tui.api.outcome import WriteKind
from offer_tui.api.paging import PageGuard, deadline_error
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

# The one serializer shared by preview, save, curl export and submit; the constants' one copy.
from offer_tui.model import to_json as _to_json
from offer_tui.model.constants import CHANNEL_PREFIX

from offer_tui.api.transport import (  # noqa: F401 - DEFAULT_TIMEOUT and MAX_PAGES are re-exported
    DEFAULT_TIMEOUT,
    MAX_PAGES,
    ApiTransport,
    Progress,
    check_offer_type,
)


class OfferClient(ApiTransport):
    """Talks to the Offer Library (decision management persistence) API."""

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
        check_offer_type(offer_type)
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
        check_offer_type(offer_type)
        body = json.dumps(list(operations), ensure_ascii=False, allow_nan=False).encode("utf-8")
        return await self._write(
            WriteKind.UPDATE, "PATCH", self._offer_url(offer_id, offer_type), body, hint=reread_hint(offer_id)
        )

    async def delete_offer(self, offer_id: str, offer_type: str = "personalized") -> WriteResult:
        """DELETE an offer. Never retried (except once after a 401)."""
        check_offer_type(offer_type)
        return await self._write(
            WriteKind.DELETE, "DELETE", self._offer_url(offer_id, offer_type), None, hint=reread_hint(offer_id)
        )

    @budgeted("Reading the offer")
    async def get_offer(self, offer_id: str, offer_type: str = "personalized") -> dict[str, Any]:
        check_offer_type(offer_type)
        return self._json_object(await self._send("GET", self._offer_url(offer_id, offer_type)))

    def _page_url(self, offer_type: str, properties: Sequence[str], orderby: str | None, limit: int | None) -> str:
        check_offer_type(offer_type)
        # Built by hand so spaces become %20 as in Adobe's examples (httpx would send "+").
        query = [f"offer-type={offer_type}"]
        query += [f"property={quote(p, safe='=!<>~')}" for p in properties]
        if orderby:
            query.append(f"orderby={quote(orderby, safe=',-.')}")
        if limit is not None:
            query.append(f"limit={int(limit)}")
        return self._url("/offers?" + "&".join(query))

    async def _fetch_page(self, url: str) -> OfferPage:
        """One page, checked: ``results`` must be an array of objects. An empty list is an answer
        ("no offers"); a page that is not a list is the server failing, and is said so."""
        response = await self._send("GET", url)
        page = self._json_object(response)
        results = page.get("results")
        problem = None
        if not isinstance(results, list):
            problem = "has no list of results" if results is None else f"holds a {type(results).__name__} where the list of results belongs"
        elif not all(isinstance(r, dict) for r in results):
            bad = sum(not isinstance(r, dict) for r in results)
            problem = f"holds {bad:,} result{'s' if bad != 1 else ''} that {'are' if bad != 1 else 'is'} not an object"
        if problem is not None:
            raise ApiError(f"HTTP {response.status_code}: the service sent a page of the list that {problem}",
                           status=response.status_code, code="bad_page",
                           hint="The listing is not known to be empty: try again, or report it to the service's owners.",
                           redact=self._redact)
        total = page.get("total")
        return OfferPage(
            results=results,
            total=total if isinstance(total, int) and not isinstance(total, bool) and total >= 0 else None,
            next_href=next_href_of(page),
            url=url,
        )

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
        A page whose ``results`` is not a list of objects raises ``ApiError(code="bad_page")``.
        """
        url = self._next_url(href) if href is not None else self._page_url(offer_type, properties, orderby, limit)
        return await self._fetch_page(url)

    async def iter_pages(
        self,
        offer_type: str = "personalized",
        *,
        properties: Sequence[str] = (),
        orderby: str | None = "-modified",
        page_size: int | None = 100,
        what: str = "Listing offers",
    ) -> AsyncIterator[OfferPage]:
        """Pages of one listing, fetched only when the caller gets to them, and never unbounded:
        the whole listing runs under the client's time budget, and the page count is bounded by
        what the first page's ``total`` implies (plus a margin) and by a hard cap (api/paging.py).
        A next link that repeats a page already seen is an error (a server bug would loop)."""
        async for page in self.pages_from(self._page_url(offer_type, properties, orderby, page_size), what,
                                          page_size):
            yield page

    async def pages_from(self, url: str, what: str, page_size: int | None) -> AsyncIterator[OfferPage]:
        """The bounded walk of any listing from its first page's URL, for offers and every other
        kind (api/library.py): one time budget for the whole listing, the pages the first page's
        ``total`` implies plus a margin, a hard cap; a repeated next link is an error, not a loop."""
        deadline = asyncio.get_running_loop().time() + self.budget
        guard = PageGuard(what)
        seen: set[str] = set()
        while True:
            seen.add(url)
            try:
                async with asyncio.timeout_at(deadline):
                    page = await self._fetch_page(url)
            except TimeoutError:
                raise deadline_error(what, self.budget, guard.pages) from None
            if guard.pages == 0:
                guard.first(page.total, len(page.results) or page_size or 1)
            yield page
            if page.next_href is None:
                return
            url = self._next_url(page.next_href)
            if url in seen:
                raise repeated_page_error(page.next_href)
            guard.another()

    async def iter_offers(
        self,
        offer_type: str = "personalized",
        *,
        properties: Sequence[str] = (),
        orderby: str | None = "-modified",
        limit: int | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Offers one by one, bounded as :meth:`iter_pages` is; stops after ``limit`` offers."""
        given = 0
        size = page_size if page_size is not None else (min(limit, 100) if limit else None)
        pages = self.iter_pages(offer_type, properties=properties, orderby=orderby, page_size=size)
        try:
            async for page in pages:
                for offer in page.results:
                    if limit is not None and given >= limit:
                        return
                    given += 1
                    yield offer
                if limit is not None and given >= limit:
                    return
        finally:
            await pages.aclose()

    async def _list(self, first: str) -> list[dict[str, Any]]:
        """Every item of a short listing (placements, rules, tags, a name lookup): pages checked
        as offers' pages are and bounded the same way; the caller's @budgeted bounds the time."""
        url = self._url(first)
        items: list[dict[str, Any]] = []
        guard = PageGuard("Listing", hard_cap=self._max_pages)
        seen: set[str] = set()
        while True:
            seen.add(url)
            page = await self._fetch_page(url)
            if guard.pages == 0:
                guard.first(page.total, len(page.results) or 1)
            items.extend(page.results)
            if page.next_href is None:
                return items
            url = self._next_url(page.next_href)
            if url in seen:
                raise repeated_page_error(page.next_href)
            guard.another()

    @budgeted("Looking offers up by name")
    async def find_offers_by_name(self, name: str, offer_type: str = "personalized") -> list[dict[str, Any]]:
        check_offer_type(offer_type)
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
