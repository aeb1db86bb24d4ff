#!/usr/bin/env python3
"""Regenerate screenshots/*.svg: every wizard step, the review, the error state, both responses and the library.

Runs the app headless (App.run_test) against the in-process demo API with a fixed receipt, so the
pictures are the same on every run. Usage: python scripts/export_screenshots.py [--size 120x40]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from offer_tui.api import ApiError, CreateResult  # noqa: E402
from offer_tui.demo import DemoServer, demo_settings  # noqa: E402
from offer_tui.drafts import DraftStore  # noqa: E402
from offer_tui.ui.app import OfferTuiApp  # noqa: E402
from offer_tui.ui.screens.failure import FailureScreen  # noqa: E402
from offer_tui.ui.screens.success import SuccessScreen  # noqa: E402
from offer_tui.ui.screens.confirm_delete import ConfirmOfferDeleteScreen  # noqa: E402
from offer_tui.ui.screens.library import LibraryScreen  # noqa: E402
from offer_tui.ui.screens.offer_detail import OfferDetailScreen  # noqa: E402
from library_support import wait_for_screen, wait_until  # noqa: E402
from test_ui_library_snapshots import FIRST as FIRST_SEEDED  # noqa: E402
from test_ui_snapshots import OFFER, RECEIPT  # noqa: E402  (one source for the example offer)

OUT = ROOT / "screenshots"
SEEDED: list[DemoServer] = []  # the seeded demo of the library shots (the sandboxes shot's source)


async def settle(pilot) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def shoot(name: str, size: tuple[int, int], work: Path, server: DemoServer, action,
                start: tuple[str, str | None] = ("wizard", None)) -> Path:
    offer_file = work / "offer.json"
    offer_file.write_text(json.dumps(OFFER))
    app = OfferTuiApp(
        settings=demo_settings(server),
        from_file=None if name == "1-basics" or name == "6-errors" or start[0] != "wizard" else str(offer_file),
        draft_store=DraftStore(work / f"state-{name}"),
        config_directory=work / "config",
        sub_title="demo API",
        start=start[0],
        offer_id=start[1],
    )
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await action(pilot)
        if not isinstance(app.screen, ConfirmOfferDeleteScreen):  # a flow awaits that dialog in a worker
            await settle(pilot)
        path = OUT / f"{name}.svg"
        app.save_screenshot(filename=path.name, path=str(OUT))
    return path


def step(step_id: str):
    async def action(pilot) -> None:
        pilot.app.wizard.go_to(step_id)

    return action


async def basics(pilot) -> None:
    await pilot.press(*"Summer sale")


async def errors(pilot) -> None:
    await pilot.press("f9")
    await settle(pilot)


async def success(pilot) -> None:
    result = CreateResult(status=201, receipt=RECEIPT, raw=json.dumps(RECEIPT), elapsed=0.042)
    await pilot.app.push_screen(SuccessScreen(result, "personalized", OFFER["name"]))


async def failure(pilot) -> None:
    error = ApiError("Oauth token is not valid", status=401, code="401013",
                     hint="The access token expired or is wrong: get a new one.",
                     raw='{"error_code":"401013","message":"Oauth token is not valid"}')
    await pilot.app.push_screen(FailureScreen(error, "personalized", OFFER["name"]))


async def library(pilot) -> None:
    screen = await wait_for_screen(pilot, LibraryScreen)
    await wait_until(pilot, lambda: screen.table.row_count > 0)


async def open_offer(pilot) -> None:
    await library(pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, OfferDetailScreen)


async def edit_review(pilot) -> None:
    name = pilot.app.wizard.query_one("#name")
    name.focus()
    name.value = "Winter sale 25% (app)"
    await pilot.pause()
    await pilot.press("ctrl+r")


async def delete_confirm(pilot) -> None:
    await library(pilot)
    await pilot.press("d")
    await wait_for_screen(pilot, ConfirmOfferDeleteScreen)
    await pilot.press(*"Winter")
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()


async def preview(pilot) -> None:
    """Issue 16: the seeded "Winter campaign" decision for jane, the clock pinned like the tests'."""
    from offer_tui.preview_history import IdentityHistory
    from offer_tui.ui.screens.preview import PreviewScreen
    from preview_support import NOW

    history = IdentityHistory(Path(tempfile.mkdtemp()) / "preview-identities.json")
    history.remember(["Email:jane@example.com"])
    pilot.app.push_screen(PreviewScreen("Winter campaign: web and email", pilot.app.acquire_client,
                                        history=history, now=NOW))
    screen = await wait_for_screen(pilot, PreviewScreen)
    await wait_until(pilot, lambda: screen.decision is not None)
    await settle(pilot)
    await pilot.press("f5")
    await wait_until(pilot, lambda: screen.result is not None)
    for widget in screen.query("Input"):
        widget.cursor_blink = False


async def sandboxes(pilot) -> None:
    """Issue 15: the seeded demo beside a second sandbox (other ids) whose "Adults" rule differs."""
    from test_sync_ui import opener

    from offer_tui.ui.screens.sandboxes import SandboxesScreen

    source, target = SEEDED[0], DemoServer(id_salt="stage").start()
    [rule] = [e for e in target.state.objects["offer-rules"].values() if e["body"]["name"] == "Adults"]
    rule["body"]["description"] = "Changed in stage"
    screen = SandboxesScreen(opener({"dev": source, "stage": target}), profiles=["dev", "stage"])
    pilot.app.push_screen(screen)
    await wait_for_screen(pilot, SandboxesScreen)
    await pilot.press("enter", "down", "enter")
    await wait_until(pilot, lambda: screen.phase == "compared")
    rows = screen.comparison.rows
    screen.query_one("DataTable").move_cursor(row=next(i for i, r in enumerate(rows) if r.key == ("rules", "Adults")))
    await pilot.press("space", "up")


LIBRARY_SHOTS = [
    ("9-library", library, ("library", None)),
    ("10-offer", open_offer, ("library", None)),
    ("11-edit-review", edit_review, ("edit", FIRST_SEEDED)),
    ("12-delete-offer", delete_confirm, ("library", None)),
    ("13-preview", preview, ("wizard", None)),
    ("14-sandboxes", sandboxes, ("wizard", None)),
]

SHOTS = [
    ("1-basics", basics),
    ("2-representations", step("representations")),
    ("3-constraints", step("constraints")),
    ("4-capping", step("capping")),
    ("5-review", step("review")),
    ("6-errors", errors),
    ("7-success", success),
    ("8-error-response", failure),
]


async def main(size: tuple[int, int]) -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, DemoServer() as server:
        os.environ["OFFER_TUI_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ["OFFER_TUI_STATE_DIR"] = str(Path(tmp) / "state")
        for name, action in SHOTS:
            print(await shoot(name, size, Path(tmp), server, action))
    with tempfile.TemporaryDirectory() as tmp, DemoServer(seed_offers=30) as server:  # fixed ids and dates
        from preview_support import NOW

        server.state.preview_now = NOW  # the preview's dates decide the same way every day
        SEEDED[:] = [server]
        for name, action, start in LIBRARY_SHOTS:
            print(await shoot(name, size, Path(tmp), server, action, start))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40", help="COLUMNSxROWS (default 120x40)")
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.lower().split("x"))
    asyncio.run(main((columns, rows)))
