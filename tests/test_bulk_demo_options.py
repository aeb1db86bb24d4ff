"""The demo API's options for bulk and copy: store-then-fail, and a second sandbox's ids."""

from __future__ import annotations

import asyncio

import pytest
from bulk_support import TEMPLATE

from offer_tui.api import ApiError, OfferClient
from offer_tui.bulk.resolve import AMBIGUOUS, FOUND, MISSING, contains, resolve_by_name
from offer_tui.demo import DemoServer, demo_settings

pytestmark = pytest.mark.timeout(30)


async def _with_client(server, call):
    client = OfferClient.from_settings(demo_settings(server, with_token=True))
    try:
        return await call(client)
    finally:
        await client.aclose()


def test_store_then_fail_keeps_the_offer_and_answers_500(server):
    server.fail_next(500, path_prefix="/offers", process_first=True)
    with pytest.raises(ApiError) as caught:
        asyncio.run(_with_client(server, lambda c: c.create_offer(dict(TEMPLATE, name="Stored"), "personalized")))
    assert caught.value.outcome_unknown and caught.value.status == 500
    assert [e["body"]["name"] for e in server.offers.values()] == ["Stored"]
    server.fail_next(500, path_prefix="/offers")  # the default still stores nothing
    with pytest.raises(ApiError):
        asyncio.run(_with_client(server, lambda c: c.create_offer(dict(TEMPLATE, name="Not stored"), "personalized")))
    assert len(server.offers) == 1


def test_an_id_salt_gives_the_same_catalogue_under_other_ids():
    with DemoServer() as dev, DemoServer(id_salt="prod") as prod:
        a = asyncio.run(_with_client(dev, lambda c: c.list_placements()))
        b = asyncio.run(_with_client(prod, lambda c: c.list_placements()))
        assert [(p["name"], p["channel"]) for p in a] == [(p["name"], p["channel"]) for p in b]
        assert not {p["id"] for p in a} & {p["id"] for p in b}
        # An offer naming the dev sandbox's placement is refused in the other one.
        with pytest.raises(ApiError) as caught:
            asyncio.run(_with_client(prod, lambda c: c.create_offer(dict(TEMPLATE), "personalized")))
        assert caught.value.status == 400 and "does not exist" in str(caught.value.field_errors)


def test_contains_compares_what_was_sent_and_ignores_server_fields():
    sent = {"name": "A", "rank": {"priority": 1}, "tags": ["x"]}
    assert contains(dict(sent, id="dps:1", etag=2, rank={"priority": 1, "extra": 0}), sent)
    assert not contains(dict(sent, rank={"priority": 2}), sent)
    assert not contains(dict(sent, tags=["x", "y"]), sent)
    assert not contains({"name": "A", "rank": {"priority": True}, "tags": ["x"]}, sent)


def test_resolve_by_name_finds_missing_found_and_ambiguous(server):
    doc = dict(TEMPLATE, name="Lookup me")

    async def go(client):
        first = await resolve_by_name(client, doc, "personalized")
        created = await client.create_offer(doc, "personalized")
        second = await resolve_by_name(client, doc, "personalized")
        excluded = await resolve_by_name(client, doc, "personalized", exclude_ids={created.offer_id})
        differing = await resolve_by_name(client, dict(doc, description="other"), "personalized")
        await client.create_offer(doc, "personalized")
        twice = await resolve_by_name(client, doc, "personalized")
        return first, created, second, excluded, differing, twice

    first, created, second, excluded, differing, twice = asyncio.run(_with_client(server, go))
    assert first.verdict == MISSING
    assert second.verdict == FOUND and second.offer_id == created.offer_id
    assert excluded.verdict == MISSING
    assert differing.verdict == AMBIGUOUS and "differs" in differing.reason
    assert twice.verdict == AMBIGUOUS and "2 offers" in twice.reason


def test_demo_server_command_passes_the_id_salt_on(monkeypatch):
    import offer_tui.demo as demo
    from offer_tui.cli import main

    seen = []
    monkeypatch.setattr(demo, "main", lambda argv: seen.append(argv) or 0)
    assert main(["demo-server", "--id-salt", "prod"]) == 0
    assert seen[0][-2:] == ["--id-salt", "prod"]
    started = []
    monkeypatch.setattr("offer_tui.demo.standalone.run_standalone",
                        lambda *a, **k: started.append(k) or 0)
    from offer_tui.demo.standalone import main as standalone_main

    assert standalone_main(["--id-salt", "prod"]) == 0 and started[0]["id_salt"] == "prod"
