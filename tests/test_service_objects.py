"""service/objects.py against the demo API over loopback: what the library screen calls (delete
with the in-use check, references by name, added-reference checks, the kind of an id)."""

from __future__ import annotations

import pytest

from offer_tui.api import OfferClient
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.seed import DEMO_OFFERS
from offer_tui.exit_codes import EXIT_IN_USE
from offer_tui.service import objects
from offer_tui.service.outcomes import IN_USE, Done, Refused, exit_code

pytestmark = pytest.mark.timeout(60)

WINTER = "dps:offer-activity:4d5e6f7081920000"
WEB_BANNER = "dps:offer-placement:1a2b3c4d5e6f7081"


@pytest.fixture
async def setup():
    server = DemoServer(page_size=50, seed_offers=DEMO_OFFERS).start()
    try:
        async with OfferClient.from_settings(demo_settings(server)) as client:
            yield server, client
    finally:
        server.stop()


def deletes(server) -> int:
    return sum(1 for r in server.received if r["method"] == "DELETE")


async def test_delete_refuses_an_object_in_use_and_force_deletes_it(setup):
    server, client = setup
    outcome = await objects.delete(client, "placements", WEB_BANNER)
    assert isinstance(outcome, Refused) and outcome.local == IN_USE and exit_code(outcome) == EXIT_IN_USE
    assert "Winter campaign: web and email" in outcome.message and deletes(server) == 0
    users = await objects.in_use(client, "placements", WEB_BANNER)
    assert any(u.id == WINTER for u in users)
    outcome = await objects.delete(client, "placements", WEB_BANNER, force=True)
    assert isinstance(outcome, Done) and deletes(server) == 1


async def test_offers_delete_is_the_generic_delete_without_the_check(setup):
    from offer_tui.service import offers

    server, client = setup
    fallback = "dps:fallback-offer:1e9d5c0000000015"  # a decision's fallback: the caller shows users first
    outcome = await offers.delete(client, fallback, "fallback")
    assert isinstance(outcome, Done) and outcome.message.startswith("Deleted fallback offer")


async def test_check_added_references_reads_nothing_for_an_edit_that_adds_none(setup):
    server, client = setup
    decision = await objects.read(client, "decisions", WINTER)
    before = len(server.received)
    assert await objects.check_added_references(client, "decisions", decision, dict(decision, name="x")) == []
    assert len(server.received) == before
    edited = dict(decision, fallback="dps:fallback-offer:nope")
    [problem] = await objects.check_added_references(client, "decisions", decision, edited)
    assert problem.path == "fallback" and problem.id == "dps:fallback-offer:nope"


async def test_references_by_name_for_the_open_pane(setup):
    _, client = setup
    decision = await objects.read(client, "decisions", WINTER)
    refs, names = await objects.references(client, "decisions", decision)
    assert ("criteria[0].placements[0]", "Homepage hero banner") in [(r.path, r.name) for r in refs]
    assert set(names) == {"placements", "collections", "rules", "fallbacks"}


def test_resolve_kind_from_a_word_or_an_id_prefix():
    assert objects.resolve_kind(WINTER, None).word == "decisions"
    assert objects.resolve_kind("x", "tag").word == "tags"
    with pytest.raises(objects.KindNeeded, match="--kind KIND, one of: offers, fallbacks"):
        objects.resolve_kind("offerPlacement1234", None)
