"""Copying offers between sandboxes: the copy plan and the copy run, once, for the CLI's `copy`
and the library's copy action. No Textual, no printing.

``open_profile_target`` / ``open_demo_target`` -> ``make_plan`` (``read_offers``, ``plan_copy``:
catalogues, id mapping, same-name offers in the target; ``build_rows``: bodies for the target,
validated) -> ``run_copy`` (the journaled run of ``service/bulk.py``; offers the target already
has are skipped unless duplicates are allowed).
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

from offer_tui.bulk.mapping import Catalogues, MapEntry, build_mapping, translate
from offer_tui.bulk.rows import Row

DEMO_TARGET = "(demo) second sandbox"  # in --demo: a second demo API with other catalogue ids


@dataclass
class CopyTarget:
    """Where offers are copied to. ``close()`` closes the client and stops a demo API it started."""

    key: str  # a profile name, or DEMO_TARGET
    label: str
    sandbox: str
    production: bool
    client: Any
    demo_server: Any = None
    journal_dir: Path | None = None  # the demo target's journals die with its sandbox

    async def close(self) -> None:
        try:
            await self.client.aclose()
        finally:
            if self.demo_server is not None:
                server, self.demo_server = self.demo_server, None
                await asyncio.to_thread(server.stop)
            if self.journal_dir is not None:
                import shutil

                shutil.rmtree(self.journal_dir, ignore_errors=True)


def target_choices(demo: bool) -> list[str]:
    """The profiles to copy to (reads profiles.json: call it off the UI thread)."""
    from offer_tui.credentials import ProfileStore
    from offer_tui.log import swallowed

    try:
        names = ProfileStore().names()
    except Exception:  # a damaged profiles.json: the credentials screen explains it
        swallowed("listing the profiles to copy to")
        names = []
    return ([DEMO_TARGET] if demo else []) + names


def open_profile_target(profile: str | None, *, budget: float, store=None, prompt=None,
                        insecure_storage: bool = False) -> CopyTarget:
    """A client for ``profile`` (the lookup order of every command), under the time budget
    ``--timeout``; raises CredentialError. Blocking (keyring): call it off the event loop."""
    from offer_tui.api import OfferClient
    from offer_tui.credentials import KeyringTokenProvider, choose_store, detect_keyring, is_production, resolve_settings

    store = store or choose_store(detect_keyring(), insecure_storage=insecure_storage)
    resolution = resolve_settings(profile_flag=profile, store=store, prompt=prompt)
    settings = resolution.settings
    sandbox = settings.sandbox or ""
    provider = KeyringTokenProvider.from_resolution(resolution, timeout=budget)
    client = OfferClient.from_settings(settings, token_provider=provider, budget=budget)
    name = resolution.profile_name or "environment"
    return CopyTarget(name, f"{name} (sandbox {sandbox})", sandbox,
                      is_production(resolution.profile) or "prod" in sandbox.lower(), client)


def open_demo_target(*, budget: float) -> CopyTarget:
    """A second demo API (other catalogue ids) started for this copy, stopped by ``close()``."""
    import tempfile

    from offer_tui.api import OfferClient
    from offer_tui.demo import DemoServer, demo_settings

    server = DemoServer(id_salt="second-sandbox").start()
    client = OfferClient.from_settings(demo_settings(server), budget=budget)
    return CopyTarget(DEMO_TARGET, DEMO_TARGET, "demo-sandbox", False, client, demo_server=server,
                      journal_dir=Path(tempfile.mkdtemp(prefix="offer-tui-demo-copy-")))


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


@dataclass
class CopyPlan:
    """What a copy would do: the plan (mapping, names the target has), the rows, their problems."""

    plan: Plan
    rows: list[Row]
    errors: list[str]

    @property
    def blocked(self) -> list[str]:
        """Why nothing may be sent (an id without one match, an offer the target would refuse)."""
        return self.plan.problems + self.errors

    def existing(self, allow_duplicates: bool = False) -> list[Row]:
        return [] if allow_duplicates else [r for r in self.rows if r.name in self.plan.existing]


async def make_plan(source, target, offer_ids: Iterable[str], offer_type: str,
                    pattern: re.Pattern | None = None) -> CopyPlan:
    """Read the offers, map both catalogues, check the target's names, build the rows."""
    offers = await read_offers(source, offer_ids, pattern, offer_type)
    plan = await plan_copy(source, target, offers, offer_type)
    rows, errors = build_rows(plan, offer_type)
    return CopyPlan(plan, rows, errors)


def journal_for(state: Path, source_label: str | None, target_key: str | None, offer_type: str,
                offer_ids: Iterable[str], pattern: str | None, target: CopyTarget | None = None) -> Path:
    """The journal of one copy: per source, target and selection, so copying again resumes it."""
    base = target.journal_dir if target is not None and target.journal_dir is not None else state
    return copy_journal_path(base, source_label, target_key, offer_type, sorted(offer_ids), pattern)


async def run_copy(target_client, planned: CopyPlan, offer_type: str, journal, *, concurrency: int = 4,
                   allow_duplicates: bool = False, on_result: Callable | None = None):
    """Create the planned rows in the target through the journaled run; returns the Tally.

    Offers the target had before the FIRST run (the journal header keeps their ids) are never
    taken for this run's creates when an unknown outcome is looked up by name.
    """
    from offer_tui.service.bulk import run_rows

    plan = planned.plan
    exclude = set(journal.header.get("existed", plan.existed_ids))
    return await run_rows(target_client, journal, offer_type, planned.rows, total=len(planned.rows),
                          concurrency=concurrency, on_result=on_result, allow_duplicates=allow_duplicates,
                          existing=lambda name: plan.existing.get(name), exclude_ids=exclude)


def journal_meta(source_label: str | None, target_key: str | None, plan: Plan) -> dict[str, Any]:
    return {"copy": {"from": source_label, "to": target_key}, "existed": plan.existed_ids}
