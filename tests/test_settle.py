"""The re-read after an unknown PATCH or DELETE, directly against the demo API."""

from __future__ import annotations

import pytest
from test_client_demo import Sleeps

from offer_tui.api import OfferClient
from offer_tui.api.settle import settle_delete, settle_patch
from offer_tui.demo import DemoServer, demo_settings

pytestmark = pytest.mark.timeout(30)
OFFER = "dps:personalized-offer:1e9d5c0000000000"  # approved, priority 50, etag 1
OPS = [{"op": "replace", "path": "/status", "value": "draft"}]


@pytest.fixture
def demo():
    server = DemoServer(seed_offers=3).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def client(demo):
    async with OfferClient.from_settings(demo_settings(demo), sleep=Sleeps(), backoff_base=0.01) as c:
        yield c


async def test_applied_when_the_new_etag_holds_the_patch(demo, client):
    before = await client.get_offer(OFFER)
    await client.patch_offer(OFFER, OPS)
    settled = await settle_patch(client, OFFER, "personalized", before=before, ops=OPS, answered=False)
    assert settled.done is True and settled.certain and settled.offer["etag"] == 2
    assert settled.message == "The server now has etag 2 and status draft: your change was applied."


async def test_not_applied_is_certain_only_when_the_server_answered(client):
    before = await client.get_offer(OFFER)
    answered = await settle_patch(client, OFFER, "personalized", before=before, ops=OPS, answered=True)
    assert answered.done is False and "not applied" in answered.message
    dropped = await settle_patch(client, OFFER, "personalized", before=before, ops=OPS, answered=False)
    assert dropped.done is None and "in flight" in dropped.message


async def test_someone_elses_change_without_ours_cannot_be_settled(client):
    before = await client.get_offer(OFFER)
    await client.patch_offer(OFFER, [{"op": "replace", "path": "/rank/priority", "value": 1}])
    settled = await settle_patch(client, OFFER, "personalized", before=before, ops=OPS, answered=True)
    assert settled.done is None and "does not hold your change" in settled.message


async def test_a_removed_field_counts_as_applied_when_it_is_gone(client):
    before = await client.get_offer(OFFER)
    ops = [{"op": "remove", "path": "/description"}]
    await client.patch_offer(OFFER, ops)
    assert (await settle_patch(client, OFFER, "personalized", before=before, ops=ops, answered=True)).done is True


async def test_gone_and_failed_rereads(demo, client):
    before = await client.get_offer(OFFER)
    demo.fail_next(403, path_prefix="/offers", method="GET")
    failed = await settle_patch(client, OFFER, "personalized", before=before, ops=OPS, answered=True)
    assert failed.done is None and "Reading the offer again failed too" in failed.message
    demo.fail_next(403, path_prefix="/offers", method="GET")
    assert (await settle_delete(client, OFFER, "personalized", answered=True)).done is None
    await client.delete_offer(OFFER)
    gone = await settle_patch(client, OFFER, "personalized", before=before, ops=OPS, answered=True)
    assert gone.done is False and "gone (404)" in gone.message
    deleted = await settle_delete(client, OFFER, "personalized", answered=False)
    assert deleted.done is True and deleted.message == "The offer is gone (404): it was deleted."


async def test_a_delete_that_did_not_land(client):
    answered = await settle_delete(client, OFFER, "personalized", answered=True)
    assert answered.done is False and "still exists (etag 1)" in answered.message
    dropped = await settle_delete(client, OFFER, "personalized", answered=False)
    assert dropped.done is None and "in flight" in dropped.message


def test_only_the_services_own_answer_proves_it_finished():
    from offer_tui.api import ApiError
    from offer_tui.api.settle import answered

    assert answered(ApiError("x", status=500)) and answered(ApiError("x", status=503))
    assert not answered(ApiError("x", status=502)) and not answered(ApiError("x", status=504))
    assert not answered(ApiError("x"))  # a timeout or a dropped connection
