"""`offer-tui copy` between two demo sandboxes whose catalogue ids differ for the same names."""

from __future__ import annotations

import asyncio
import json

import pytest
from bulk_support import GOLD, HERO, TEMPLATE, creates, stored_names

from offer_tui.api import OfferClient
from offer_tui.cli import main
from offer_tui.credentials import Profile, ProfileStore
from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX, DemoServer, demo_settings

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def sandboxes(memory_keyring):
    """dev (the demo catalogue), stage and prod (the same names under other ids), as profiles."""
    servers = {"dev": DemoServer().start(), "stage": DemoServer(id_salt="stage").start(),
               "prod": DemoServer(id_salt="prod").start()}
    store = ProfileStore()
    for name, server in servers.items():
        store.add(Profile(name, DEMO_CLIENT_ID, DEMO_IMS_ORG, DEMO_SANDBOX, endpoint=server.base_url,
                          ims_url=server.ims_url), make_default=name == "dev")
        memory_keyring.passwords[("offer-tui", f"{name}:client_secret")] = DEMO_CLIENT_SECRET
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def seed(server, *docs) -> list[str]:
    async def go():
        client = OfferClient.from_settings(demo_settings(server, with_token=True))
        try:
            return [(await client.create_offer(doc, "personalized")).offer_id for doc in docs]
        finally:
            await client.aclose()
    return asyncio.run(go())


def offer(name: str, **extra) -> dict:
    doc = json.loads(json.dumps(TEMPLATE))
    doc["name"] = name
    doc["selectionConstraint"] = dict(doc["selectionConstraint"], profileConstraintType="eligibilityRule",
                                      eligibilityRule=GOLD)
    doc.update(extra)
    return doc


def copy(capsys, *argv):
    code = main(["copy", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def placement_named(server, name):
    (items, _by_id) = server.state.catalogue["placements"]
    return next(p["id"] for p in items if p["name"] == name)


def rule_named(server, name):
    (items, _by_id) = server.state.catalogue["offer-rules"]
    return next(r["id"] for r in items if r["name"] == name)


def test_copy_by_id_maps_placement_and_rule_by_name_and_prints_the_mapping(sandboxes, capsys):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    ids = seed(dev, offer("Spring A"), offer("Spring B"))
    code, out, err = copy(capsys, *ids, "--to-profile", "stage")
    assert code == 0, err
    target_hero = placement_named(stage, "Homepage hero banner")
    target_gold = rule_named(stage, "Gold loyalty members")
    assert HERO in out and target_hero in out and GOLD in out and target_gold in out
    assert "Homepage hero banner" in out and "Gold loyalty members" in out
    bodies = {e["body"]["name"]: e["body"] for e in stage.offers.values()}
    assert sorted(bodies) == ["Spring A", "Spring B"]
    assert bodies["Spring A"]["representations"][0]["placement"] == target_hero
    assert bodies["Spring A"]["selectionConstraint"]["eligibilityRule"] == target_gold
    assert stage.token_mints == 1


def test_copy_by_name_regex_skips_names_the_target_has_unless_allowed(sandboxes, capsys, tmp_path):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    seed(dev, offer("Promo 1"), offer("Promo 2"), offer("Other"))
    stage_offer = offer("Promo 2")
    stage_offer["representations"][0]["placement"] = placement_named(stage, "Homepage hero banner")
    stage_offer["selectionConstraint"]["eligibilityRule"] = rule_named(stage, "Gold loyalty members")
    seed(stage, stage_offer)
    code, out, err = copy(capsys, "--name", "^Promo", "--to-profile", "stage", "--json")
    assert code == 0, err
    assert "skipped 'Promo 2': already in the target" in err
    summary = json.loads(out)
    assert summary["created"] == 1 and summary["already_in_target"] == 1 and summary["mapping"]
    assert stored_names(stage) == ["Promo 1", "Promo 2"]
    code, out, err = copy(capsys, "--name", "^Promo", "--to-profile", "stage", "--allow-duplicates",
                          "--journal", str(tmp_path / "dup.jsonl"))
    assert code == 0, err
    assert stored_names(stage) == ["Promo 1", "Promo 1", "Promo 2", "Promo 2"]


def test_a_placement_without_a_match_stops_before_anything_is_sent(sandboxes, capsys):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    [offer_id] = seed(dev, offer("Lonely"))
    # The target lacks "Homepage hero banner" on web: rename it there.
    items, _ = stage.state.catalogue["placements"]
    renamed = tuple(dict(p, name="Renamed") if p["name"] == "Homepage hero banner" else p for p in items)
    stage.state.catalogue["placements"] = (renamed, {p["id"]: p for p in renamed})
    code, out, err = copy(capsys, offer_id, "--to-profile", "stage")
    assert code == 1
    assert "no placement named 'Homepage hero banner' on channel web in the target sandbox" in err
    assert "Nothing was sent" in err and creates(stage) == []


def test_several_matches_also_stop(sandboxes, capsys):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    [offer_id] = seed(dev, offer("Twice"))
    items, _ = stage.state.catalogue["offer-rules"]
    doubled = items + (dict(items[0], id="dps:eligibility-rule:ffff"),)
    stage.state.catalogue["offer-rules"] = (doubled, {r["id"]: r for r in doubled})
    code, out, err = copy(capsys, offer_id, "--to-profile", "stage")
    assert code == 1 and "2 decision rules are named 'Gold loyalty members'" in err and creates(stage) == []


def test_dry_run_sends_nothing(sandboxes, capsys):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    [offer_id] = seed(dev, offer("Dry"))
    code, out, err = copy(capsys, offer_id, "--to-profile", "stage", "--dry-run")
    assert code == 0 and "nothing was sent" in err
    body = json.loads(out.splitlines()[-1])
    assert body["representations"][0]["placement"] == placement_named(stage, "Homepage hero banner")
    assert creates(stage) == []


def test_a_production_target_needs_the_sandbox_name(sandboxes, capsys):
    dev, prod = sandboxes["dev"], sandboxes["prod"]
    [offer_id] = seed(dev, offer("To prod"))
    code, out, err = copy(capsys, offer_id, "--to-profile", "prod")
    assert code == 1 and "is production" in err and "--confirm-sandbox" in err and creates(prod) == []
    code, out, err = copy(capsys, offer_id, "--to-profile", "prod", "--confirm-sandbox", "wrong")
    assert code == 1 and "is not the sandbox name" in err and creates(prod) == []
    code, out, err = copy(capsys, offer_id, "--to-profile", "prod", "--confirm-sandbox", DEMO_SANDBOX)
    assert code == 0, err
    assert stored_names(prod) == ["To prod"]


def test_an_unknown_copy_is_resolved_by_name_on_the_rerun(sandboxes, capsys, monkeypatch):
    from offer_tui.commands import copy as copy_module

    dev, stage = sandboxes["dev"], sandboxes["stage"]
    ids = seed(dev, offer("U1"), offer("U2"), offer("U3"))
    gather = copy_module._plan

    async def gather_then_fail_the_first_create(*args, **kwargs):
        plan = await gather(*args, **kwargs)  # its name lookups must not meet the 500
        stage.fail_next(500, times=1, path_prefix="/offers", process_first=True)
        return plan

    monkeypatch.setattr(copy_module, "_plan", gather_then_fail_the_first_create)
    code, out, err = copy(capsys, *ids, "--to-profile", "stage", "--concurrency", "1")
    assert code == 4 and "unknown" in err
    assert stored_names(stage) == ["U1", "U2", "U3"]
    sent = len(creates(stage))
    monkeypatch.setattr(copy_module, "_plan", gather)
    code, out, err = copy(capsys, *ids, "--to-profile", "stage", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["resolved_by_name"] == 1 and summary["created_earlier"] == 2 and summary["already_in_target"] == 0
    assert len(creates(stage)) == sent and stored_names(stage) == ["U1", "U2", "U3"]


def test_usage_errors(sandboxes, capsys):
    assert copy(capsys, "--to-profile", "stage")[0] == 2
    assert copy(capsys, "--name", "(", "--to-profile", "stage")[0] == 2
    code, out, err = copy(capsys, "--name", "^nothing$", "--to-profile", "stage")
    assert code == 1 and "No offers matched" in err


def test_tags_are_mapped_by_name_and_an_id_missing_from_the_source_is_a_problem():
    from offer_tui.bulk.mapping import Catalogues, build_mapping, translate

    src = Catalogues([], [], [{"id": "t1", "name": "Summer"}])
    dst = Catalogues([], [], [{"id": "T9", "name": "Summer"}])
    doc = {"name": "x", "tags": ["t1"], "id": "dps:1", "etag": 2}
    entries = build_mapping([doc], src, dst)
    assert [(e.kind, e.source_id, e.target_id, e.problem) for e in entries] == [("tag", "t1", "T9", None)]
    assert translate(doc, entries) == {"name": "x", "tags": ["T9"]}
    [entry] = build_mapping([{"representations": [{"placement": "p0"}]}], src, dst)
    assert entry.problem == "placement p0 is not in the source sandbox"
