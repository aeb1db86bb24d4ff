"""``offer-tui list``: offers newest first, as a table fitted to the terminal or as JSON Lines.

Pages are fetched only as the output needs them and JSON Lines are written as they
arrive, so ``list --json`` over 10,000 offers holds one page at a time.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from offer_tui.commands.common import json_text, print_table, run_api
from offer_tui.commands.library_text import fit_rows
from offer_tui.exit_codes import EXIT_INVALID, EXIT_OK

DEFAULT_TABLE_LIMIT = 50  # a table is for reading; --json lists everything unless --limit says otherwise
PAGE_SIZE = 100


async def _stream(client, offer_type: str, properties: list[str], limit: int | None, totals: dict[str, int | None]):
    """Offers newest first, one page at a time; the first page's ``total`` goes to ``totals``.

    Like ``OfferClient.iter_offers``, which does not expose the server's ``total``.
    """
    from offer_tui.api.results import repeated_page_error

    page = await client.list_offers_page(offer_type, properties=properties, orderby="-modified",
                                         limit=min(limit, PAGE_SIZE) if limit else PAGE_SIZE)
    totals[offer_type] = page.total
    seen: set[str] = set()
    given = 0
    while True:
        for offer in page.results:
            if limit is not None and given >= limit:
                return
            given += 1
            yield offer
        if page.next_href is None or (limit is not None and given >= limit):
            return
        if page.next_href in seen:  # a server bug would otherwise loop or print duplicates
            raise repeated_page_error(page.next_href)
        seen.add(page.next_href)
        page = await client.list_offers_page(offer_type, href=page.next_href)


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


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.api.results import name_contains

    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1", file=err)
        return EXIT_INVALID
    limit = args.limit if args.limit is not None else (None if args.json else DEFAULT_TABLE_LIMIT)
    types = ("personalized", "fallback") if args.offer_type == "all" else (args.offer_type or "personalized",)
    properties = [name_contains(args.name)] if args.name else []
    if args.status:
        properties.append(f"status=={args.status}")
    totals: dict[str, int | None] = {}
    rows: list[tuple[dict[str, Any], str]] = []

    async def go(client):
        streams = [(t, _stream(client, t, properties, limit, totals)) for t in types]
        async for offer_type, offer in _merged(streams, limit):
            if args.json:  # JSON Lines as they arrive: a pipe sees the first page at once
                out.write(json_text(offer, indent=None) + "\n")
                out.flush()
            else:
                rows.append((offer, offer_type))

    code, _ = run_api(args, err, go)
    if code != EXIT_OK or args.json:
        return code
    if rows:
        import shutil

        columns = shutil.get_terminal_size().columns if out.isatty() else None
        headers, table_rows = fit_rows(rows, columns)
        print_table(table_rows, headers, out)
    known = [t for t in totals.values() if t is not None]
    total = sum(known) if len(known) == len(totals) else None
    what = "offer" if total == 1 else "offers"
    if not rows:
        print("No offers match." if properties else "No offers yet.", file=err)
    elif total is not None and total > len(rows):
        print(f"{len(rows)} of {total} {what}, newest first; --limit N shows more.", file=err)
    else:
        print(f"{len(rows)} {'offer' if len(rows) == 1 else 'offers'}, newest first.", file=err)
    return EXIT_OK
