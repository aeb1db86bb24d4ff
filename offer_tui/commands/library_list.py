"""``offer-tui list``: offers newest first, as a table fitted to the terminal or as JSON Lines.

Pages are fetched only as the output needs them and JSON Lines are written as they
arrive, so ``list --json`` over 10,000 offers holds one page at a time.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from offer_tui.commands.common import json_text, run_api, safe_row
from offer_tui.commands.library_text import LIST_HEADERS, NAME_WIDTH, fit_rows, list_row
from offer_tui.exit_codes import EXIT_INVALID, EXIT_OK
from offer_tui.model.constants import STATUSES

DEFAULT_TABLE_LIMIT = 50  # a table is for reading; --json lists everything unless --limit says otherwise
PAGE_SIZE = 100


async def _stream(client, offer_type: str, properties: list[str], limit: int | None, totals: dict[str, int | None]):
    """Offers newest first, one page at a time (``OfferClient.iter_pages``, which bounds the
    listing by time, by the pages ``total`` implies and by a hard cap); the first page's
    ``total`` goes to ``totals``."""
    given = 0
    pages = client.iter_pages(offer_type, properties=properties, orderby="-modified",
                              page_size=min(limit, PAGE_SIZE) if limit else PAGE_SIZE)
    try:
        async for page in pages:
            totals.setdefault(offer_type, page.total)
            for offer in page.results:
                if limit is not None and given >= limit:
                    return
                given += 1
                yield offer
            if limit is not None and given >= limit:
                return
    finally:
        await pages.aclose()


async def _merged(streams: list[tuple[str, Any]], limit: int | None):
    """Merge per-type newest-first streams into one, newest first (``modified`` compares as text)."""
    heads: dict[int, tuple[str, dict[str, Any]] | None] = {}
    for i, (offer_type, stream) in enumerate(streams):
        heads[i] = await _next(stream, offer_type)
    given = 0
    while limit is None or given < limit:
        live = [(i, h) for i, h in heads.items() if h is not None]
        if not live:
            return
        i, head = max(live, key=lambda item: str(item[1][1].get("modified") or ""))
        yield head
        given += 1
        heads[i] = await _next(streams[i][1], streams[i][0])


async def _next(stream, offer_type: str):
    try:
        return offer_type, await stream.__anext__()
    except StopAsyncIteration:
        return None


TABLE_BLOCK = 500  # rows held before they are printed: `list --limit 100000000` streams, it does not hoard


class _TablePrinter:
    """A table printed in blocks as rows arrive: the first block sets the columns and widths."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.block: list[tuple[dict[str, Any], str]] = []
        self.printed = 0
        self.headers: tuple[str, ...] | None = None
        self.widths: list[int] = []
        self.name_width = NAME_WIDTH

    def add(self, offer: dict[str, Any], offer_type: str) -> None:
        self.block.append((offer, offer_type))
        if len(self.block) >= TABLE_BLOCK:
            self.flush()

    def flush(self) -> None:
        if not self.block:
            return
        if self.headers is None:
            import shutil

            columns = shutil.get_terminal_size().columns if self.out.isatty() else None
            self.headers, rows = fit_rows(self.block, columns)
            rows = [safe_row(r) for r in rows]
            if "name" in self.headers:
                at = self.headers.index("name")
                self.name_width = max([len(self.headers[at])] + [len(r[at]) for r in rows])
            self.widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(self.headers)]
            print("  ".join(h.upper().ljust(w) for h, w in zip(self.headers, self.widths)).rstrip(), file=self.out)
        else:
            keep = [LIST_HEADERS.index(h) for h in self.headers]
            rows = [safe_row(tuple(full[i] for i in keep)) for full in
                    (list_row(offer, offer_type, self.name_width) for offer, offer_type in self.block)]
        for row in rows:
            print("  ".join(c.ljust(w) for c, w in zip(row, self.widths)).rstrip(), file=self.out)
        self.out.flush()  # a reader that is gone (EPIPE) stops the listing here, not at the end
        self.printed += len(self.block)
        self.block = []


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.api.results import name_contains

    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1", file=err)
        return EXIT_INVALID
    limit = args.limit if args.limit is not None else (None if args.json else DEFAULT_TABLE_LIMIT)
    word = getattr(args, "kind", None)
    if word:  # list KIND: offers and fallbacks keep the offers' listing below; the rest their own
        from offer_tui.model.kinds import kind_named, kind_words

        kind = kind_named(word)
        if kind is None:
            print(f"error: {word!r} is not a kind; use one of: {kind_words()}", file=err)
            return EXIT_INVALID
        if kind.offer_type is None:
            from offer_tui.commands.kinds import list_kind

            if args.offer_type:
                print(f"error: --type is for offers; {kind.word} have no offer type", file=err)
                return EXIT_INVALID
            return list_kind(args, kind, out, err, limit)
        if kind.word == "fallbacks" and args.offer_type not in (None, "fallback"):
            print("error: list fallbacks lists fallback offers; drop --type or use list offers --type ...", file=err)
            return EXIT_INVALID
        args.offer_type = args.offer_type or kind.offer_type
    if args.status and args.status not in STATUSES:
        print(f"error: --status {args.status}: offers' statuses are {', '.join(STATUSES)}", file=err)
        return EXIT_INVALID
    types = ("personalized", "fallback") if args.offer_type == "all" else (args.offer_type or "personalized",)
    properties = [name_contains(args.name)] if args.name else []
    if args.status:
        properties.append(f"status=={args.status}")
    totals: dict[str, int | None] = {}
    table = _TablePrinter(out)
    others: dict[str, int] = {}
    sandbox: list[str] = []

    async def go(client):
        from offer_tui.commands.kinds import sandbox_of

        sandbox.append(sandbox_of(client))
        streams = [(t, _stream(client, t, properties, limit, totals)) for t in types]
        async for offer_type, offer in _merged(streams, limit):
            if args.json:  # JSON Lines as they arrive: a pipe sees the first page at once
                out.write(json_text(offer, indent=None) + "\n")
                out.flush()
            else:
                table.add(offer, offer_type)
        if table.printed or table.block or len(types) != 1:
            return
        other = "fallback" if types[0] == "personalized" else "personalized"
        others.update(await _count(client, other))

    code, _ = run_api(args, err, go)
    if code == EXIT_OK and not args.json:
        table.flush()
    if code != EXIT_OK or args.json:
        return code
    shown = table.printed
    known = [t for t in totals.values() if t is not None]
    total = sum(known) if len(known) == len(totals) else None
    what = "offer" if total == 1 else "offers"
    if not shown:
        print(_empty_text(types, bool(properties), others, sandbox[0] if sandbox else None), file=err)
    elif total is not None and total > shown:
        print(f"{shown} of {total} {what}, newest first; --limit N shows more.", file=err)
    else:
        print(f"{shown} {'offer' if shown == 1 else 'offers'}, newest first.", file=err)
    return EXIT_OK


async def _count(client, offer_type: str) -> dict[str, int]:
    """How many offers of the other type exist, when the server says (one small page); nothing on failure:
    it only enriches an empty answer."""
    from offer_tui.api import ApiError

    try:
        page = await client.list_offers_page(offer_type, orderby=None, limit=1)
    except ApiError:
        return {}
    return {offer_type: page.total} if page.total else {}


def _empty_text(types: tuple[str, ...], filtered: bool, others: dict[str, int], sandbox: str | None = None) -> str:
    """What an empty listing says: which type was empty, in which sandbox, and that the other type
    has offers."""
    kind = "offers" if len(types) != 1 else f"{types[0]} offers"
    where = f" in sandbox {sandbox}" if sandbox else ""
    if filtered:
        return f"No fallback offers match{where}." if types == ("fallback",) else f"No offers match{where}."
    text = f"No offers{where} yet." if len(types) != 1 else f"No {kind}{where}."
    for other, count in others.items():
        text += f" ({count:,} {other} offer{'s' if count != 1 else ''} exist{'s' if count == 1 else ''}: --type {other} lists them.)"
    return text
