"""Copying offers from the UI (the library's marked offers): target, mapping first, then the copy."""

from __future__ import annotations

import asyncio

import pytest
from bulk_support import GOLD, TEMPLATE
from textual.app import App
from textual.widgets import DataTable, Input, OptionList, Static

from offer_tui.api import OfferClient
from offer_tui.credentials import Profile, ProfileStore
from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX, DemoServer, demo_settings
from offer_tui.service.copy import DEMO_TARGET
from offer_tui.ui.screens.copy import CopyScreen
from offer_tui.ui.screens.production import ProductionConfirmScreen

pytestmark = pytest.mark.timeout(60)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def offer(name: str) -> dict:
    return dict(TEMPLATE, name=name, selectionConstraint=dict(
        TEMPLATE["selectionConstraint"], profileConstraintType="eligibilityRule", eligibilityRule=GOLD))


def seed(server, *docs) -> list[str]:
    async def go():
        client = OfferClient.from_settings(demo_settings(server, with_token=True))
        try:
            return [(await client.create_offer(doc, "personalized")).offer_id for doc in docs]
        finally:
            await client.aclose()
    return asyncio.run(go())


class Host(App):
    """The library's part: offers marked in a source sandbox, the copy screen on top."""

    def __init__(self, server, ids, *, demo=True, budget=None):
        super().__init__()
        self.server, self.ids, self.demo, self.budget = server, ids, demo, budget
        self.client = None
        self.result = "not dismissed"
        self.targets = []  # every copy target a screen opened (to check they were closed)

    async def acquire_client(self):
        if self.client is None:
            self.client = OfferClient.from_settings(demo_settings(self.server))
        return self.client

    def copy_screen(self) -> CopyScreen:
        return CopyScreen(self.ids, "personalized", self.acquire_client, source_label="dev", demo=self.demo,
                          budget=self.budget)

    def on_mount(self) -> None:
        self.push_screen(self.copy_screen(), self._done)

    def _done(self, result) -> None:
        self.result = result

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()


def demo_target(app) -> DemoServer:
    """The second demo API the copy screen on top started."""
    return app.screen.target.demo_server


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def status(app) -> str:
    return str(app.screen.query_one("#copy-status", Static).render())


@pytest.fixture
def profiles(memory_keyring):
    servers = {"stage": DemoServer(id_salt="stage").start(), "prod": DemoServer(id_salt="prod").start()}
    store = ProfileStore()
    for name, server in servers.items():
        store.add(Profile(name, DEMO_CLIENT_ID, DEMO_IMS_ORG, DEMO_SANDBOX, endpoint=server.base_url,
                          ims_url=server.ims_url))
        memory_keyring.passwords[("offer-tui", f"{name}:client_secret")] = DEMO_CLIENT_SECRET
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def test_copy_to_the_demo_second_sandbox_shows_the_mapping_then_copies(server):
    ids = seed(server, offer("Winter A"), offer("Winter B"))

    async def go():
        app = Host(server, ids)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            targets = app.screen.query_one(OptionList)
            assert str(targets.get_option_at_index(0).prompt) == DEMO_TARGET
            await pilot.press("enter")
            await settle(pilot)
            table = app.screen.query_one(DataTable)
            names = [table.get_row_at(i)[1] for i in range(table.row_count)]
            assert names == ["Homepage hero banner (web)", "Gold loyalty members"]
            assert "Enter: copy 2 offers" in str(app.screen.query_one("#copy-keys").render())
            target = demo_target(app)
            assert target.running and not target.offers  # the mapping is shown first: nothing sent yet
            await pilot.press("enter")
            await settle(pilot)
            assert "2 offers: created 2" in status(app)
            stored = {e["body"]["name"]: e["body"] for e in target.offers.values()}
            assert sorted(stored) == ["Winter A", "Winter B"]
            hero = next(p["id"] for p in target.state.catalogue["placements"][0] if p["name"] == "Homepage hero banner")
            assert stored["Winter A"]["representations"][0]["placement"] == hero
            await pilot.press("escape")
            await settle(pilot)
            assert app.result["created"] == 2
            assert not target.running  # closing the copy screen stopped the second demo API
    asyncio.run(go())


def test_a_missing_match_blocks_the_copy_and_sends_nothing(server, profiles):
    [offer_id] = seed(server, offer("Blocked"))
    stage = profiles["stage"]
    items, _ = stage.state.catalogue["offer-rules"]
    renamed = tuple(dict(r, name="Gold tier") if r["name"] == "Gold loyalty members" else r for r in items)
    stage.state.catalogue["offer-rules"] = (renamed, {r["id"]: r for r in renamed})

    async def go():
        app = Host(server, [offer_id], demo=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            targets = app.screen.query_one(OptionList)
            assert [str(targets.get_option_at_index(i).prompt) for i in range(targets.option_count)] == ["prod", "stage"]
            await pilot.press("down", "enter")  # "stage"
            await settle(pilot)
            assert "Nothing can be sent" in status(app) and "no decision rule named 'Gold loyalty members'" in status(app)
            await pilot.press("enter")
            await settle(pilot)
            assert not [r for r in stage.received if r["method"] == "POST" and r["rel"] == "/offers"]
            await pilot.press("escape")
            await pilot.pause()
            assert app.result is None
    asyncio.run(go())


def test_a_production_target_asks_for_the_sandbox_name(server, profiles):
    [offer_id] = seed(server, offer("To production"))
    prod = profiles["prod"]

    async def go():
        app = Host(server, [offer_id], demo=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("enter")  # "prod"
            await settle(pilot)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ProductionConfirmScreen)
            app.screen.query_one(Input).value = DEMO_SANDBOX
            await pilot.press("enter")
            await settle(pilot)
            assert [e["body"]["name"] for e in prod.offers.values()] == ["To production"]
    asyncio.run(go())


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_copy_mapping(snap_compare, server, size):
    ids = seed(server, offer("Spring A"), offer("Spring B"))

    async def planned(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(Host(server, ids), terminal_size=size, run_before=planned)


def test_marked_offers_in_the_library_are_copied_with_p(memory_keyring, tmp_path, monkeypatch):
    from test_ui_helpers import make_app

    from offer_tui.ui.flows.library import LibraryFlow
    from offer_tui.ui.screens.library import LibraryScreen

    # Copy is dispatched like approve, archive and delete: an OfferAction the library flow handles.
    actions = []
    handle = LibraryFlow.handle
    monkeypatch.setattr(LibraryFlow, "handle", lambda self, message: actions.append(message) or handle(self, message))

    with DemoServer(seed_offers=30) as source, DemoServer(id_salt="stage") as stage:
        ProfileStore().add(Profile("stage", DEMO_CLIENT_ID, DEMO_IMS_ORG, DEMO_SANDBOX, endpoint=stage.base_url,
                                   ims_url=stage.ims_url))
        memory_keyring.passwords[("offer-tui", "stage:client_secret")] = DEMO_CLIENT_SECRET

        async def go():
            app = make_app(demo_settings(source), tmp_path, start="library")
            async with app.run_test(size=(120, 40)) as pilot:
                for _ in range(100):
                    await settle(pilot)
                    if isinstance(app.screen, LibraryScreen) and app.screen.table.row_count:
                        break
                library = app.screen
                await pilot.press("space", "down", "space")
                marked = {library.table.offers[i].name for i in library.table.marked}
                assert len(marked) == 2
                await pilot.press("p")
                await settle(pilot)
                assert [(a.action, sorted(a.offer_ids)) for a in actions] == [("copy", sorted(library.table.marked))]
                assert isinstance(app.screen, CopyScreen)
                await pilot.press("enter")  # the only profile: stage
                await settle(pilot)
                assert "Enter: copy 2 offers" in str(app.screen.query_one("#copy-keys").render())
                await pilot.press("enter")
                await settle(pilot)
                assert {e["body"]["name"] for e in stage.offers.values()} == marked
                await pilot.press("escape")
                await pilot.pause()
                assert isinstance(app.screen, LibraryScreen)
        asyncio.run(go())


def test_copying_the_same_offers_again_to_a_profile_sends_nothing_twice(server, profiles):
    ids = seed(server, offer("Again"))
    stage = profiles["stage"]

    async def go():
        app = Host(server, ids, demo=False)
        async with app.run_test(size=(80, 24)) as pilot:
            for attempt in range(2):
                await settle(pilot)
                if not isinstance(app.screen, CopyScreen):
                    app.push_screen(app.copy_screen())
                    await settle(pilot)
                await pilot.press("down", "enter")  # "stage"
                await settle(pilot)
                if attempt:
                    assert "Already in the target, skipped: 'Again'" in status(app) and "Nothing to copy" in status(app)
                await pilot.press("enter")
                await settle(pilot)
                await pilot.press("escape")
            await settle(pilot)
            assert [e["body"]["name"] for e in stage.offers.values()] == ["Again"]
    asyncio.run(go())


def test_the_second_demo_api_is_stopped_when_the_app_exits_with_the_copy_screen_open(server):
    ids = seed(server, offer("Left open"))
    seen = {}

    async def go():
        app = Host(server, ids)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("enter")  # the demo target: a second demo API starts
            await settle(pilot)
            seen["target"] = demo_target(app)
            assert seen["target"].running
        # run_test has closed the app, the copy screen still open
    asyncio.run(go())
    assert not seen["target"].running


def test_the_copy_uses_the_apps_timeout(server):
    [offer_id] = seed(server, offer("Slow"))

    async def go():
        app = Host(server, [offer_id], budget=0.5)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            target = demo_target(app)
            assert app.screen.target.client.budget == 0.5
            target.latency = 3  # the target never answers within --timeout
            await pilot.press("enter")
            for _ in range(100):
                await settle(pilot)
                if app.screen.phase == "done":
                    break
            summary = app.screen.summary
            assert summary is not None and summary["unknown"] == 1, status(app)
            assert "no answer within 0.5 s" in summary["problems"][0]["reason"]
            target.latency = 0
    asyncio.run(go())
