"""Copying offers from the library to another profile's sandbox: the steps, no widgets.

The screen (``ui/screens/copy.py``) shows them; the work is ``offer_tui.bulk.copy`` and the bulk
engine, as for ``offer-tui copy``: the mapping is shown first, nothing is sent while one id has
no match or several, same-name offers in the target are skipped, and every send is journaled so
that copying the same offers to the same profile again finishes an interrupted copy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DEMO_TARGET = "(demo) second sandbox"  # in --demo: a second demo API with other catalogue ids


@dataclass
class Target:
    key: str  # a profile name, or DEMO_TARGET
    label: str
    sandbox: str
    production: bool
    client: Any


def target_choices(demo: bool) -> list[str]:
    """The profiles to copy to (read off the UI thread: profiles.json is a file)."""
    from offer_tui.credentials import ProfileStore

    try:
        names = ProfileStore().names()
    except Exception:  # a damaged profiles.json: the credentials screen explains it
        names = []
    return ([DEMO_TARGET] if demo else []) + names


def _open_profile(name: str, store) -> Target:
    from offer_tui.api import OfferClient
    from offer_tui.credentials import KeyringTokenProvider, choose_store, detect_keyring, is_production, resolve_settings

    store = store or choose_store(detect_keyring())
    resolution = resolve_settings(profile_flag=name, store=store, prompt=None)
    settings = resolution.settings
    sandbox = settings.sandbox or ""
    client = OfferClient.from_settings(settings, token_provider=KeyringTokenProvider.from_resolution(resolution))
    return Target(name, f"{name} (sandbox {sandbox})", sandbox,
                  is_production(resolution.profile) or "prod" in sandbox.lower(), client)


async def open_target(key: str, connection) -> Target:
    """A client for the target; raises CredentialError or ApiError with a message to show."""
    if key == DEMO_TARGET:
        from offer_tui.api import OfferClient
        from offer_tui.demo import DemoServer, demo_settings

        server = getattr(connection, "copy_demo_server", None)
        if server is None:
            server = connection.copy_demo_server = DemoServer(id_salt="second-sandbox").start()
        return Target(key, DEMO_TARGET, "demo-sandbox", False, OfferClient.from_settings(demo_settings(server)))
    return await asyncio.to_thread(_open_profile, key, getattr(connection, "secret_store", None))


async def plan(source, target: Target, offer_ids: list[str], offer_type: str):
    """(plan, rows, row problems): the offers read, both catalogues mapped, the target checked."""
    from offer_tui.bulk.copy import build_rows, plan_copy, read_offers

    offers = await read_offers(source, offer_ids, None, offer_type)
    the_plan = await plan_copy(source, target.client, offers, offer_type)
    rows, errors = build_rows(the_plan, offer_type)
    return the_plan, rows, errors


async def send(target: Target, the_plan, rows: list, offer_type: str, source_label: str,
               on_result: Callable[[Any, Any], None]):
    """Create the rows in the target through the bulk engine; returns the Tally."""
    from offer_tui.bulk import BulkEngine, Journal
    from offer_tui.bulk.copy import copy_fingerprint, copy_journal_path, skip_existing
    from offer_tui.files import state_dir

    ids = sorted(str(offer.get("id")) for offer in the_plan.offers)
    path = copy_journal_path(state_dir(), source_label, target.key, offer_type, ids, None)
    await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True, mode=0o700)
    journal = await asyncio.to_thread(Journal.open, path, copy_fingerprint(rows, offer_type),
                                      {"copy": {"from": source_label, "to": target.key}, "existed": the_plan.existed_ids})
    try:
        engine = BulkEngine(target.client, journal, offer_type, on_result=on_result)
        engine.tally.total = len(rows)
        todo = await skip_existing(rows, the_plan, journal, engine, allow_duplicates=False)
        return await engine.run(todo)
    finally:
        journal.close()


def open_copy(library) -> None:
    """The library's hook: the marked offers (or the highlighted one) into the copy screen."""
    from offer_tui.ui.screens.copy import CopyScreen

    ids = sorted(library.table.marked)
    row = library.current_row()
    if not ids and row is not None:
        ids = [row.offer_id]
    if not ids:
        library.notify("No offer to copy: mark offers with space.", title="Copy")
        return
    connection = getattr(library.app, "connection", None)
    profile = connection.badge()[0] if connection is not None else None
    library.app.push_screen(CopyScreen(ids, library.offer_type, library.acquire_client, connection,
                                       source_label=profile or "environment",
                                       demo=bool(getattr(connection, "demo", False))))
