"""The demo API's seeded sandbox and its list contract, over loopback with the real client."""

from __future__ import annotations

import io
import threading
import time

import pytest
from test_client_demo import Sleeps

from offer_tui.api import OfferClient
from offer_tui.api.results import name_contains
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.api import _validation_reply
from offer_tui.demo.data import salted_catalogue
from offer_tui.demo.seed import DEMO_OFFERS, seed_documents

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def seeded():
    server = DemoServer(page_size=7, seed_offers=DEMO_OFFERS).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def client(seeded):
    async with OfferClient.from_settings(demo_settings(seeded), sleep=Sleeps(), backoff_base=0.01) as c:
        yield c


async def names(client, offer_type="personalized", **kwargs) -> list[str]:
    return [o["name"] async for o in client.iter_offers(offer_type, **kwargs)]


def test_a_plain_demo_server_starts_empty():
    assert DemoServer().offers == {}


def test_the_realistic_catalogue_is_varied_and_every_offer_is_valid():
    docs = seed_documents(DEMO_OFFERS)
    assert len(docs) == DEMO_OFFERS == 30
    assert {d.offer_type for d in docs} == {"personalized", "fallback"}
    assert {d.body["status"] for d in docs} == {"draft", "approved", "archived"}
    assert len({d.body["rank"]["priority"] for d in docs}) > 10
    channels = {rep["channel"].rsplit("/", 1)[1] for d in docs for rep in d.body["representations"]}
    assert channels == {"web", "email", "mobile"}
    languages = {lang for d in docs for rep in d.body["representations"] for c in rep["components"] for lang in c["language"]}
    assert {"en-us", "fr-FR", "es-ES"} <= languages
    assert "Winter sale 20% (web)" in {d.body["name"] for d in docs}
    assert any("eligibilityRule" in d.body["selectionConstraint"] for d in docs)
    assert any("frequencyCappingConstraints" in d.body for d in docs)
    for d in docs:
        assert _validation_reply(d.body, d.offer_type, salted_catalogue(None)) is None, d.body["name"]  # what a POST would accept
        assert d.offer_id.startswith(f"dps:{d.offer_type}-offer:")
        assert d.created < d.modified


def test_synthetic_offers_are_deterministic_valid_and_spread_in_time():
    first, again = seed_documents(2000), seed_documents(2000)
    assert [(d.offer_id, d.body, d.modified) for d in first] == [(d.offer_id, d.body, d.modified) for d in again]
    assert len({d.offer_id for d in first}) == 2000
    assert len({d.modified for d in first}) > 1990  # newest-first is meaningful
    assert {d.modified[:4] for d in first[DEMO_OFFERS:]} >= {"2025", "2026"}
    for d in first[DEMO_OFFERS::37]:
        assert _validation_reply(d.body, d.offer_type, salted_catalogue(None)) is None, d.body
    assert seed_documents(2000, seed=1)[100].offer_id != first[100].offer_id
    with pytest.raises(ValueError):
        seed_documents(-1)


def test_another_sandbox_seeds_offers_on_its_own_placements_and_rules():
    server = DemoServer(id_salt="prod", seed_offers=60)
    catalogue = server.state.catalogue
    for entry in server.offers.values():
        assert _validation_reply(entry["body"], entry["offer_type"], catalogue) is None, entry["body"]["name"]


def test_ten_thousand_offers_seed_quickly():
    """Not a timed test (the bench reports the figure); only a gross bound against a pathological slowdown."""
    started = time.process_time()
    server = DemoServer(seed_offers=10_000)
    assert len(server.offers) == 10_000
    assert time.process_time() - started < 20


async def test_newest_first_and_by_name(seeded, client):
    page = await client.list_offers_page("personalized", orderby="-modified", limit=50)
    stamps = [o["modified"] for o in page.results]
    assert stamps == sorted(stamps, reverse=True) and page.total == len(page.results) == 21
    by_name = await names(client, "fallback", orderby="name")
    assert by_name == sorted(by_name) and len(by_name) == 9


async def test_limit_total_and_paging_agree(seeded, client):
    page = await client.list_offers_page("personalized", limit=4)
    assert len(page.results) == 4 and page.total == 21 and page.next_href
    everything = [o["id"] async for o in client.iter_offers("personalized", page_size=4)]
    assert len(everything) == len(set(everything)) == 21
    assert len(await names(client, limit=10, page_size=4)) == 10


async def test_equality_inequality_and_existence_filters(seeded, client):
    approved = await client.list_offers_page("personalized", properties=["status==approved"], limit=100)
    not_approved = await client.list_offers_page("personalized", properties=["status!=approved"], limit=100)
    assert approved.total + not_approved.total == 21
    assert {o["status"] for o in approved.results} == {"approved"}
    assert "approved" not in {o["status"] for o in not_approved.results}
    capped = await client.list_offers_page("personalized", properties=["frequencyCappingConstraints"], limit=100)
    uncapped = await client.list_offers_page("personalized", properties=["!frequencyCappingConstraints"], limit=100)
    assert capped.total and capped.total + uncapped.total == 21
    both = await client.list_offers_page("personalized", properties=["status==approved", "rank.priority>=70"], limit=100)
    assert both.total and all(o["status"] == "approved" and o["rank"]["priority"] >= 70 for o in both.results)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("winter SALE", {"Winter sale 20% (web)", "Winter sale 20% (email)", "Winter sale 20% (app)"}),
        ("20% (web)", {"Winter sale 20% (web)"}),  # %, parentheses and a space stay literal
        ("(", {"Winter sale 20% (web)", "Winter sale 20% (email)", "Winter sale 20% (app)",
               "Offre d'été -15% (France)", "Back to school 25% (web)", "Holiday gift guide (email)"}),
        ("d'été -15", {"Offre d'été -15% (France)"}),  # quote, accented letters, hyphen
        ("ÚLTIMO", {"Summer sale 40% – último día"}),  # non-ASCII case folding through [úÚ]
        ("members: double", {"Gold members: double points"}),
        (".*", set()),  # regex characters are literal: no name contains ".*"
        ("sale 20%|black", set()),
    ],
)
async def test_name_contains_matches_part_of_the_name_literally(seeded, client, text, expected):
    got = await names(client, properties=[name_contains(text)])
    assert set(got) == expected


async def test_patch_bumps_etag_and_modified_and_moves_the_offer_to_the_top():
    server = DemoServer(seed_offers=DEMO_OFFERS).start()
    try:
        async with OfferClient.from_settings(demo_settings(server), sleep=Sleeps()) as client:
            oldest = (await client.list_offers_page("personalized", orderby="modified", limit=1)).results[0]
            result = await client.patch_offer(oldest["id"], [{"op": "replace", "path": "/rank/priority", "value": 3}])
            assert result.etag == oldest["etag"] + 1
            fresh = await client.get_offer(oldest["id"])
            assert fresh["etag"] == oldest["etag"] + 1 and fresh["modified"] > oldest["modified"]
            assert fresh["created"] == oldest["created"] and fresh["rank"] == {"priority": 3}
            newest = (await client.list_offers_page("personalized", orderby="-modified", limit=1)).results[0]
            assert newest["id"] == oldest["id"]
    finally:
        server.stop()


def test_demo_server_command_seeds_the_catalogue_or_n_offers():
    from offer_tui.demo import standalone

    for offers, expected in ((None, DEMO_OFFERS), (0, 0), (250, 250)):
        started: list = []
        real_start = standalone.DemoServer.start

        def spy_start(self, _started=started, _real=real_start):
            _started.append(self)
            return _real(self)

        stop, out = threading.Event(), io.StringIO()
        kwargs = {"stop_event": stop} if offers is None else {"stop_event": stop, "offers": offers}
        standalone.DemoServer.start = spy_start
        try:
            thread = threading.Thread(target=standalone.run_standalone, args=(0, 0.0, out), kwargs=kwargs, daemon=True)
            thread.start()
            for _ in range(250):
                if "Press Ctrl+C" in out.getvalue():
                    break
                time.sleep(0.02)
            assert len(started[0].offers) == expected
            assert f"Offers:        {expected:,}" in out.getvalue()
        finally:
            standalone.DemoServer.start = real_start
            stop.set()
            thread.join(5)
        assert not thread.is_alive()


def test_demo_server_rejects_a_negative_offer_count(capsys):
    from offer_tui.cli import main

    with pytest.raises(SystemExit):
        main(["demo-server", "--offers", "-3"])
    assert "--offers" in capsys.readouterr().err


async def test_pages_reuse_one_selection_until_an_offer_changes(monkeypatch):
    """Paging through a big sandbox filters and sorts once, not once per page; any change starts afresh."""
    from offer_tui.demo import api

    calls = []
    real_select = api.select
    monkeypatch.setattr(api, "select", lambda items, pairs: calls.append(1) or real_select(items, pairs))
    server = DemoServer(seed_offers=300).start()
    try:
        async with OfferClient.from_settings(demo_settings(server), sleep=Sleeps()) as client:
            ids = [o["id"] async for o in client.iter_offers("personalized", page_size=20)]
            assert len(ids) == len(set(ids)) == sum(e["offer_type"] == "personalized" for e in server.offers.values())
            assert len(calls) == 1
            oldest = ids[-1]
            await client.patch_offer(oldest, [{"op": "replace", "path": "/rank/priority", "value": 1}])
            first = await client.list_offers_page("personalized", limit=20)
            assert first.results[0]["id"] == oldest and len(calls) == 2
            await client.delete_offer(oldest)
            again = await client.list_offers_page("personalized", limit=20)
            assert oldest not in [o["id"] for o in again.results] and again.total == len(ids) - 1
    finally:
        server.stop()
