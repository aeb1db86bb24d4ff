"""The journaled run that `bulk` and `copy` (CLI and app) share: the operation, once.

No Textual and no printing: progress goes to ``on_result(result, tally)``, the outcome is the
``Tally`` (with its exit code). The engine pieces (rows, journal, concurrency, lookups by name)
stay in ``offer_tui.bulk``; this module is what a front end calls: open the journal, learn which
names the target already has, run the rows, and report what the journal said on opening.

Why here and not in ``offer_tui.bulk``: ``bulk/`` is the engine (pure pieces, testable alone);
``service/`` is the layer of operations both front ends call (issue 13), beside create / patch /
delete. Classifying a write is left to ``api/outcome.py`` through the client's errors.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from offer_tui.bulk import BulkEngine, Journal, JournalError, Row, RowResult, Tally
from offer_tui.bulk.rows import name_key

__all__ = ["NAME_PAGE_SIZE", "Journal", "JournalError", "NameIndex", "open_journal", "run_rows", "target_names"]

NAME_PAGE_SIZE = 1000  # the most the API's `limit` gives per page; 10,000 offers are 10 requests


class NameIndex:
    """The names a target sandbox already has: 8-byte keys to one id each, so 10,000 names cost
    about 1 MB. Built from one paged listing at the start of a run."""

    def __init__(self) -> None:
        self._ids: dict[int, list[str]] = {}
        self.count = 0

    def add(self, name: str, offer_id: str | None) -> None:
        self.count += 1
        ids = self._ids.setdefault(name_key(name), [])
        if len(ids) < 3:
            ids.append(offer_id or "?")

    def __call__(self, name: str) -> Sequence[str] | None:
        return self._ids.get(name_key(name))


async def target_names(client, offer_type: str, *, page_size: int = NAME_PAGE_SIZE) -> NameIndex:
    """Every offer name in the target, by one paged listing (the client bounds the paging)."""
    index = NameIndex()
    async for offer in client.iter_offers(offer_type, orderby=None, page_size=page_size):
        name = offer.get("name")
        if isinstance(name, str):
            offer_id = offer.get("id")
            index.add(name, offer_id if isinstance(offer_id, str) else None)
    return index


def open_journal(path: str | os.PathLike, fingerprint: str, meta: Mapping[str, Any]) -> Journal:
    """Lock and read (or start) the journal at ``path``; its ``problems`` say what was damaged.
    Raises JournalError (in use, another input, unreadable)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return Journal.open(path, fingerprint, dict(meta))


async def run_rows(client, journal: Journal, offer_type: str, rows: Iterable[Row] | Callable[[], Iterable[Row]], *,
                   total: int, invalid: Collection[int] = (), concurrency: int = 4,
                   on_result: Callable[[RowResult, Tally], None] | None = None, allow_duplicates: bool = False,
                   existing: Callable[[str], Sequence[str] | None] | None = None,
                   exclude_ids: Collection[str] = (),
                   on_warning: Callable[[str], None] | None = None) -> Tally:
    """Create ``rows`` in the target through the engine; the Tally says what happened.

    ``existing`` answers the ids the target already has for a name; when not given (and
    duplicates are not allowed) it is learned here by listing the target's names once, so that a
    lost, emptied, cut or replaced journal can never make a row be created twice.
    """
    from offer_tui.api import ApiError

    engine = BulkEngine(client, journal, offer_type, concurrency=concurrency, on_result=on_result,
                        exclude_ids=exclude_ids, allow_duplicates=allow_duplicates)
    engine.tally.total = total
    if existing is None and not allow_duplicates:
        try:
            existing = await target_names(client, offer_type)
        except ApiError as error:
            # Without the names a row could be created twice: send nothing, say why.
            engine.tally.stop(f"the target's offer names could not be listed, so nothing was sent: {error}")
            engine.tally.not_sent = total
            return engine.tally
    engine.existing = existing
    if on_warning is not None:
        for warning in await run_guardrails(client, offer_type, total - len(invalid)):
            on_warning(warning)
    return await engine.run(rows() if callable(rows) else rows, invalid)


async def run_guardrails(client, offer_type: str, adding: int) -> list[str]:
    """Adobe's published limits that creating ``adding`` offers would pass (10,000 per sandbox),
    said before the first send; a count that cannot be read is no reason to stop the run."""
    from offer_tui.api import ApiError
    from offer_tui.service.objects import guardrails

    if adding <= 0:
        return []
    try:
        found = await guardrails(client, "fallbacks" if offer_type == "fallback" else "offers", None, adding=adding)
    except ApiError:
        return []
    return [g.message for g in found]
