"""Copying offers between sandboxes, without Textual: what the CLI's `copy` and the library share.

``read_offers`` -> ``plan_copy`` (catalogues, id mapping, same-name offers in the target) ->
``build_rows`` (bodies for the target, validated) -> the bulk engine, with ``skip_existing`` run
first so that offers the target already has are skipped (unless duplicates are allowed).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .journal import CREATED, SENDING, SKIPPED, UNKNOWN
from .mapping import Catalogues, MapEntry, build_mapping, translate
from .rows import Row


@dataclass
class Plan:
    offers: list[dict[str, Any]]
    entries: list[MapEntry] = field(default_factory=list)
    existing: dict[str, list[str]] = field(default_factory=dict)  # name -> ids the target already has

    @property
    def problems(self) -> list[str]:
        return [e.problem for e in self.entries if e.problem]

    @property
    def existed_ids(self) -> list[str]:
        return sorted({i for ids in self.existing.values() for i in ids})


async def read_offers(src, ids: Iterable[str], pattern: re.Pattern | None, offer_type: str) -> list[dict[str, Any]]:
    """The offers by id, plus every offer whose name matches ``pattern``; sorted by name, then id,
    so the rows keep their numbers from one run to the next."""
    offers: dict[Any, dict[str, Any]] = {}
    for offer_id in dict.fromkeys(ids):
        offers[offer_id] = await src.get_offer(offer_id, offer_type)
    if pattern is not None:
        async for offer in src.iter_offers(offer_type, properties=[f"name~{pattern.pattern}"], orderby="name"):
            if isinstance(offer.get("name"), str) and pattern.search(offer["name"]):
                offers.setdefault(offer.get("id"), offer)
    return sorted(offers.values(), key=lambda o: (str(o.get("name")), str(o.get("id"))))


async def plan_copy(src, dst, offers: list[dict[str, Any]], offer_type: str) -> Plan:
    """Both catalogues, the mapping, and which names the target already has."""
    source = Catalogues(await src.list_placements(), await src.list_rules(), await src.list_tags())
    target = Catalogues(await dst.list_placements(), await dst.list_rules(), await dst.list_tags())
    plan = Plan(offers, build_mapping(offers, source, target))
    limit = asyncio.Semaphore(8)

    async def look(name: str) -> None:
        async with limit:
            found = await dst.find_offers_by_name(name, offer_type)
        ids = [o["id"] for o in found if o.get("name") == name and isinstance(o.get("id"), str)]
        if ids:
            plan.existing[name] = ids

    await asyncio.gather(*(look(n) for n in dict.fromkeys(o.get("name") for o in offers) if isinstance(n, str)))
    return plan


def build_rows(plan: Plan, offer_type: str) -> tuple[list[Row], list[str]]:
    """The bodies for the target as rows, and every problem as ``row N (ID): path: reason``."""
    from offer_tui.model import validate_offer

    rows, errors, first_row_of = [], [], {}
    for number, offer in enumerate(plan.offers, start=1):
        doc = translate(offer, plan.entries)
        report = validate_offer(doc, offer_type)
        row = Row(number, doc, [(i.path or "(offer)", i.message) for i in report.errors])
        if row.name in first_row_of:
            row.errors.append(("name", f"the same name as row {first_row_of[row.name]}; copy one of them on its own"))
        first_row_of.setdefault(row.name, number)
        errors += [f"row {number} ({offer.get('id')}): {path}: {reason}" for path, reason in row.errors]
        rows.append(row)
    return rows, errors


def copy_fingerprint(rows: Iterable[Row], offer_type: str) -> str:
    digest = hashlib.sha256(f"copy v1\0{offer_type}\0".encode())
    for row in rows:
        digest.update(json.dumps(row.doc, sort_keys=True, ensure_ascii=False).encode() + b"\0")
    return digest.hexdigest()


def copy_journal_path(state: Path, *selection: Any) -> Path:
    """One journal per source, target and selection, so running the same copy again resumes it."""
    key = hashlib.sha256(json.dumps(selection, default=str).encode()).hexdigest()[:16]
    return state / "copy" / f"copy-{key}.journal.jsonl"


async def skip_existing(rows: list[Row], plan: Plan, journal, engine, *, allow_duplicates: bool,
                        on_skip: Callable[[Row, str], None] | None = None) -> list[Row]:
    """Journal the rows whose name the target already has as skipped; return the rows to send.

    Rows an earlier run sent (created, sending, unknown) always go to the engine, which skips or
    resolves them. Offers the target had before the FIRST run are never taken for this run's
    creates (the journal header keeps their ids).
    """
    engine.exclude_ids = set(journal.header.get("existed", plan.existed_ids))
    todo = []
    for row in rows:
        if journal.state(row.number) in (CREATED, SENDING, UNKNOWN) or allow_duplicates or row.name not in plan.existing:
            todo.append(row)
            continue
        reason = f"already in the target ({', '.join(plan.existing[row.name])})"
        await journal.record(row.number, row.name, SKIPPED, reason=reason)
        engine.tally.done += 1
        engine.tally.existing += 1
        if on_skip is not None:
            on_skip(row, reason)
    return todo
