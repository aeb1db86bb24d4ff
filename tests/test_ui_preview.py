"""The preview screen in the real app against the demo API (Pilot), plus SVG snapshots at 80x24 and
120x40. The library will open it with ``v`` on a decision; until then the tests push it."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, Input, Select, Static

from offer_tui.demo import demo_settings
from offer_tui.preview_history import IdentityHistory
from offer_tui.ui.screens.offer_detail import OfferDetailScreen
from offer_tui.ui.screens.preview import PreviewScreen
from library_support import wait_for_screen, wait_until
from preview_support import DECISION, EXPECTED_WHY_NOT, IDS, NOW, seeded_server
from test_ui_helpers import SIZE_NARROW, SIZE_WIDE, make_app, settle

pytestmark = pytest.mark.timeout(60)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
ODS = "/data/core/ods/decisions"


@pytest.fixture
def demo():
    with seeded_server() as server:
        yield server


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_preview(pilot, tmp_path, decision: str = DECISION) -> PreviewScreen:
    await settle(pilot)
    history = IdentityHistory(tmp_path / "state" / "preview-identities.json")
    pilot.app.push_screen(PreviewScreen(decision, pilot.app.acquire_client, history=history, now=NOW))
    screen = await wait_for_screen(pilot, PreviewScreen)
    await wait_until(pilot, lambda: screen.decision is not None or "✗" in text(screen, "#preview-status"))
    await pilot.pause()
    return screen


async def ask(pilot, screen: PreviewScreen, identity: str = "Email:jane@example.com") -> None:
    field = screen.query_one("#preview-identity", Input)
    field.focus()
    field.value = identity
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen.result is not None or "✗" in text(screen, "#preview-status"))
    await pilot.pause()


async def test_top_offers_in_rank_order_why_not_and_enter_opens_the_offer(demo, tmp_path):
    app = make_app(demo_settings(demo), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        screen = await open_preview(pilot, tmp_path)
        select = screen.query_one("#preview-placement", Select)
        assert select.value == "dps:offer-placement:1a2b3c4d5e6f7083"
        assert screen.query_one("#preview-count", Input).placeholder == "3"  # the placement's itemCount
        await ask(pilot, screen)
        table = screen.query_one("#preview-offers", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert rows == [["1", "Alpha 70", "70", IDS["Alpha 70"]], ["2", "Beta 70", "70", IDS["Beta 70"]],
                        ["3", "Gamma 60", "60", IDS["Gamma 60"]]]
        why = text(screen, "#preview-why")
        for name, reason in EXPECTED_WHY_NOT.items():
            assert f"{name} ({IDS[name]}): {reason}" in why
        assert "<p>Alpha 70: <b>offer</b></p>" in text(screen, "#preview-content")  # content as text
        await pilot.press("down")
        assert "<p>Beta 70: <b>offer</b></p>" in text(screen, "#preview-content")
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, OfferDetailScreen)
        assert detail.row.offer_id == IDS["Beta 70"]
        await wait_until(pilot, lambda: detail.offer is not None)
        assert detail.offer["name"] == "Beta 70"


async def test_nothing_eligible_shows_the_fallback_and_it_opens(demo, tmp_path):
    app = make_app(demo_settings(demo), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        screen = await open_preview(pilot, tmp_path, "App home launch")
        await ask(pilot, screen)
        table = screen.query_one("#preview-offers", DataTable)
        assert [table.get_row_at(i) for i in range(table.row_count)] == [
            ["fallback", "Default app card", "-", "dps:fallback-offer:1e9d5c0000000018"]]
        assert "the fallback was served" in text(screen, "#preview-status")
        assert "Winter sale 20% (app) (dps:personalized-offer:1e9d5c0000000002): status draft" in text(
            screen, "#preview-why")
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, OfferDetailScreen)
        assert detail.row.offer_type == "fallback"


async def test_identities_are_remembered_and_offered_again_and_dry_run_is_sent(demo, tmp_path):
    app = make_app(demo_settings(demo), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        screen = await open_preview(pilot, tmp_path)
        await pilot.press("f3")
        await ask(pilot, screen, "Email:max@example.com, ECID:123")
        sent = [r for r in demo.received if r["path"] == ODS][-1]["json"]
        assert sent["xdm:dryRun"] is True
        assert sent["xdm:profiles"][0]["xdm:identityMap"] == {
            "Email": [{"xdm:id": "max@example.com", "primary": True}], "ECID": [{"xdm:id": "123", "primary": False}]}
        assert [o.name for o in screen.result.offers] == ["Platinum 99", "Alpha 70", "Beta 70"]
        assert "dry run" in text(screen, "#preview-status")
        await pilot.press("escape")
        await pilot.pause()
    stored = json.loads((tmp_path / "state" / "preview-identities.json").read_text())
    assert stored["identities"] == ["Email:max@example.com", "ECID:123"]
    history = IdentityHistory(tmp_path / "state" / "preview-identities.json")
    assert history.namespaces() == ["Email", "ECID"]
    app = make_app(demo_settings(demo), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        screen = await open_preview(pilot, tmp_path)
        assert screen.query_one("#preview-identity", Input).value == "Email:max@example.com"
        assert "Used before: Email, ECID" in text(screen, "#preview-note")


async def test_bad_input_and_refusals_show_in_place(demo, tmp_path):
    app = make_app(demo_settings(demo), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        screen = await open_preview(pilot, tmp_path)
        await ask(pilot, screen, "jane")
        assert "An identity is NAMESPACE:VALUE" in text(screen, "#preview-status")
        assert not [r for r in demo.received if r["path"] == ODS]
        demo.fail_next(403, times=1, path_prefix=ODS, body={"error_code": "403025", "message": "Profile is not valid"})
        await ask(pilot, screen)
        assert "Profile is not valid" in text(screen, "#preview-status")
        assert screen.result is None


async def test_an_unknown_decision_says_so(demo, tmp_path):
    app = make_app(demo_settings(demo), tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        screen = await open_preview(pilot, tmp_path, "dps:offer-activity:0000000000000000")
        status = text(screen, "#preview-status")
        assert status == "✗ No decision has the id or the exact name 'dps:offer-activity:0000000000000000'"
        await ask(pilot, screen)  # nothing to preview: said, not sent
        assert "not loaded" in text(screen, "#preview-status")
        assert not [r for r in demo.received if r["path"] == ODS]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_preview(snap_compare, demo, tmp_path, size):
    async def run_before(pilot) -> None:
        screen = await open_preview(pilot, tmp_path)
        await ask(pilot, screen)
        await settle(pilot)
        pilot.app.clear_notifications()
        for widget in screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    app = make_app(demo_settings(demo), tmp_path, sub_title="demo API")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
