"""Every kind of the Offer Library through one client: list, iterate, get, find by name, create,
patch, delete, driven by :mod:`offer_tui.model.kinds` (path, ``offer-type`` query) instead of
one copy of the offer code per kind.

It stands on :class:`~offer_tui.api.client.OfferClient`'s transport: reads are retried as the
offers' reads are (429, 502-504, connection errors, within the action's time budget); writes
are sent once and classified by :func:`~offer_tui.api.outcome.classify_write` (a 5xx, a
redirect or a lost answer is "outcome unknown", never resent). No Textual, no printing.

    library = Library(client)
    page = await library.list_page("decisions", limit=50)
    async for tag in library.iterate("tags"): ...
    result = await library.create("tags", {"name": "Black Friday"})
"""

from __future__ import annotations

import asyncio
import json
import shlex
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from offer_tui.api.budget import budget_hint
from offer_tui.api.errors import ApiError
from offer_tui.api.outcome import WriteKind
from offer_tui.api.results import OfferPage, WriteResult
from offer_tui.model.document import to_json
from offer_tui.model.kinds import Kind, kind_of_id, kind_named, kind_words

if TYPE_CHECKING:
    from offer_tui.api.client import OfferClient

# A page of any kind has the offers' shape: results, the server's total, the next link as given.
Page = OfferPage

# Offers keep their newest-first default; the other kinds come in the server's order unless asked.
_DEFAULT_ORDER = {"offers": "-modified", "fallbacks": "-modified"}
_UNSET: Any = object()


def as_kind(kind: Kind | str) -> Kind:
    """A Kind from itself or a word ("decisions", "decision"); ValueError names the kinds."""
    if isinstance(kind, Kind):
        return kind
    found = kind_named(kind)
    if found is None:
        raise ValueError(f"Unknown kind {kind!r}; use one of: {kind_words()}")
    return found


def _query(kind: Kind, pairs: Sequence[str] = ()) -> str:
    parts = ([kind.query()] if kind.offer_type else []) + list(pairs)
    return ("?" + "&".join(parts)) if parts else ""


def _lookup_hint(kind: Kind, name: str | None) -> str:
    if name:
        return (f"Check whether it exists before retrying: offer-tui list {kind.word} --name {shlex.quote(name)} "
                f"(or search the Offer Library for that name).")
    return f"Check whether it exists before retrying: search the {kind.word} of the Offer Library by name."


def _reread_hint(kind: Kind, object_id: str) -> str:
    flag = "" if kind_of_id(object_id) is kind else f" --kind {kind.word}"
    return ("Read it again before retrying, to see what the server now holds: "
            f"offer-tui get {shlex.quote(object_id)}{flag}")


class Library:
    """The generic operations over one :class:`OfferClient` (which it does not own or close)."""

    def __init__(self, client: OfferClient) -> None:
        self.client = client

    async def _within_budget(self, what: str, work):
        """``work`` under the client's budget for one action (token, pages and retries included);
        when it runs out, an ApiError names the action and --timeout."""
        budget = self.client.budget
        try:
            async with asyncio.timeout(budget):
                return await work
        except TimeoutError:
            raise ApiError(f"{what}: no answer within {budget:g} s", code="timeout",
                           hint=budget_hint(budget)) from None

    # -- urls --------------------------------------------------------------
    def collection_path(self, kind: Kind | str, query: Sequence[str] = ()) -> str:
        """``/offer-decisions`` or ``/offers?offer-type=fallback&...``, relative to the base."""
        k = as_kind(kind)
        return k.path + _query(k, query)

    def object_path(self, kind: Kind | str, object_id: str) -> str:
        """``/placements/dps%3Aoffer-placement%3A...``: the id percent-encoded, ``:`` included."""
        k = as_kind(kind)
        return f"{k.path}/{quote(object_id, safe='')}" + _query(k)

    def _list_query(self, k: Kind, properties: Sequence[str], orderby: str | None, limit: int | None) -> list[str]:
        # Built by hand so spaces become %20 as in Adobe's examples (httpx would send "+").
        query = [f"property={quote(p, safe='=!<>~')}" for p in properties]
        if orderby:
            query.append(f"orderby={quote(orderby, safe=',-.')}")
        if limit is not None:
            query.append(f"limit={int(limit)}")
        return query

    # -- reads ---------------------------------------------------------------
    async def list_page(self, kind: Kind | str, *, properties: Sequence[str] = (), orderby: str | None = _UNSET,
                        limit: int | None = None, href: str | None = None) -> Page:
        """One page of ``kind``. Pass the previous page's ``next_href`` as ``href`` for the next
        (followed as the server gave it). ``orderby`` defaults to newest first for offers and
        fallbacks and to the server's order for the other kinds."""
        k = as_kind(kind)
        return await self._within_budget(f"Listing {k.word}", self._list_page(k, properties, orderby, limit, href))

    async def _list_page(self, k: Kind, properties: Sequence[str], orderby: str | None, limit: int | None,
                         href: str | None) -> Page:
        client = self.client
        if href is not None:
            url = client._next_url(href)
        else:
            order = _DEFAULT_ORDER.get(k.word) if orderby is _UNSET else orderby
            url = client._url(self.collection_path(k, self._list_query(k, properties, order, limit)))
        # The client's checked read: a page without a list of objects is an error, never "none".
        return await client._fetch_page(url)

    async def iter_pages(self, kind: Kind | str, *, properties: Sequence[str] = (), orderby: str | None = _UNSET,
                         page_size: int | None = None) -> AsyncIterator[Page]:
        """Pages of ``kind``, fetched only when the caller gets to them, bounded as the offers'
        listing is (api/paging.py): one time budget for the whole listing, the pages the first
        page's ``total`` implies plus a margin, a hard cap; a next link that repeats a page
        already read is an error, not a loop."""
        k = as_kind(kind)
        what = f"Listing {k.word}"
        client = self.client
        order = _DEFAULT_ORDER.get(k.word) if orderby is _UNSET else orderby
        url = client._url(self.collection_path(k, self._list_query(k, properties, order, page_size)))
        async for page in client.pages_from(url, what, page_size):
            yield page

    async def iterate(self, kind: Kind | str, *, properties: Sequence[str] = (), orderby: str | None = _UNSET,
                      limit: int | None = None, page_size: int | None = None) -> AsyncIterator[dict[str, Any]]:
        """Objects one by one, a page fetched only when the caller gets to it; at most ``limit``.
        Bounded as :meth:`iter_pages` is."""
        given = 0
        size = page_size if page_size is not None else (min(limit, 100) if limit else None)
        pages = self.iter_pages(kind, properties=properties, orderby=orderby, page_size=size)
        try:
            async for page in pages:
                for item in page.results:
                    if limit is not None and given >= limit:
                        return
                    given += 1
                    yield item
                if limit is not None and given >= limit:
                    return
        finally:
            await pages.aclose()

    async def list_all(self, kind: Kind | str, *, properties: Sequence[str] = (), orderby: str | None = None,
                       page_size: int | None = 1000) -> list[dict[str, Any]]:
        """Every object of ``kind`` (all pages, one action's budget): what reference checks and
        "used by" read, once per kind. ``page_size`` 1000 (the largest the demo serves) keeps the
        requests few: 10,000 offers are 10 requests."""
        k = as_kind(kind)
        path = self.collection_path(k, self._list_query(k, properties, orderby, page_size))
        return await self._within_budget(f"Listing {k.word}", self.client._list(path))

    async def get(self, kind: Kind | str, object_id: str) -> dict[str, Any]:
        """The object as the server holds it (server fields included); ApiError 404 when absent."""
        k = as_kind(kind)
        client = self.client
        if k.offer_type is not None:
            return await client.get_offer(object_id, k.offer_type)

        async def read() -> dict[str, Any]:
            return client._json_object(await client._send("GET", client._url(self.object_path(k, object_id))))

        return await self._within_budget(f"Reading the {k.singular}", read())

    async def find_by_name(self, kind: Kind | str, name: str) -> list[dict[str, Any]]:
        """Every object of ``kind`` named exactly ``name`` (names are not unique)."""
        k = as_kind(kind)
        if k.offer_type is not None:
            return await self.client.find_offers_by_name(name, k.offer_type)
        path = self.collection_path(k, [f"property={quote(f'name=={name}', safe='=')}"])
        return await self._within_budget(f"Looking {k.word} up by name", self.client._list(path))

    # -- writes: sent once, classified by classify_write ---------------------------
    async def create(self, kind: Kind | str, doc: dict[str, Any], *, progress=None) -> WriteResult:
        """POST a new object. Returns only on a receipt that proves it (an id); ApiError otherwise,
        with ``outcome_unknown`` when it may exist anyway (look it up by name before resending)."""
        k = as_kind(kind)
        if k.offer_type is not None:  # the offers' own request, hint and all (one path for offers)
            return await self.client.create_offer(doc, k.offer_type, progress=progress)
        name = doc.get("name") if isinstance(doc, dict) else None
        return await self.client._write(WriteKind.CREATE, "POST", self.client._url(self.collection_path(k)),
                                        to_json(doc).encode("utf-8"),
                                        hint=_lookup_hint(k, name if isinstance(name, str) else None),
                                        progress=progress)

    async def patch(self, kind: Kind | str, object_id: str, operations: Sequence[dict[str, Any]]) -> WriteResult:
        """PATCH with a JSON Patch array; the receipt carries the new etag."""
        k = as_kind(kind)
        if k.offer_type is not None:
            return await self.client.patch_offer(object_id, operations, k.offer_type)
        body = json.dumps(list(operations), ensure_ascii=False, allow_nan=False).encode("utf-8")
        return await self.client._write(WriteKind.UPDATE, "PATCH", self.client._url(self.object_path(k, object_id)),
                                        body, hint=_reread_hint(k, object_id))

    async def delete(self, kind: Kind | str, object_id: str) -> WriteResult:
        """DELETE (Adobe answers 200 with an empty body)."""
        k = as_kind(kind)
        if k.offer_type is not None:
            return await self.client.delete_offer(object_id, k.offer_type)
        return await self.client._write(WriteKind.DELETE, "DELETE", self.client._url(self.object_path(k, object_id)),
                                        None, hint=_reread_hint(k, object_id))
