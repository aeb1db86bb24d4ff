"""Two sandboxes side by side (the Sandboxes view's service), and applying marked objects."""

from __future__ import annotations

import asyncio

import pytest

from offer_tui.api import OfferClient
from offer_tui.api.library import Library
from offer_tui.bulk.journal import Journal
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.sync.apply import apply_plan
from offer_tui.sync.compare import DIFFERS, ONLY_SOURCE, ONLY_TARGET, SAME, compare, plan_for
from offer_tui.sync.memory import as_folder, closure, read_listings

pytestmark = pytest.mark.timeout(60)


def both(fn):
    async def go():
        dev = DemoServer(seed_offers=30).start()
        stage = DemoServer(id_salt="stage").start()
        clients = [OfferClient.from_settings(demo_settings(s, with_token=True)) for s in (dev, stage)]
        try:
            return await fn(dev, stage, Library(clients[0]), Library(clients[1]))
        finally:
            for c in clients:
                await c.aclose()
            dev.stop()
            stage.stop()
    return asyncio.run(go())


def test_every_object_of_every_kind_side_by_side_and_marked_ones_applied(tmp_path):
    async def go(dev, stage, src, dst):
        stage.state.add_object("tags", "dps:offer-tag:stageonly", {"name": "Stage only"},
                               created="2024-01-01T00:00:00.000Z", modified="2024-01-01T00:00:00.000Z")
        [rule_id] = [i for i, e in stage.state.objects["offer-rules"].items() if e["body"]["name"] == "Adults"]
        stage.state.objects["offer-rules"][rule_id]["body"]["description"] = "changed in stage"
        comparison = await compare(src, dst)
        states = {r.key: r for r in comparison.rows}
        assert states[("tags", "Loyalty")].state == SAME
        assert states[("tags", "Stage only")].state == ONLY_TARGET
        assert states[("decisions", "Loyalty rewards everywhere")].state == ONLY_SOURCE
        adults = states[("rules", "Adults")]
        assert adults.state == DIFFERS and adults.lines and "changed in stage" in adults.lines[0]
        # A decision alone cannot go: what it uses is only in the source, and the plan says so.
        decision = ("decisions", "Loyalty rewards everywhere")
        lone = plan_for(comparison, {decision})
        assert any("uses collections/Loyalty rewards, which is only in the source: mark it too" in p
                   for p in lone.problems)
        needed = {r.key for r in comparison.rows if r.state == ONLY_SOURCE and r.kind in ("offers", "fallbacks",
                                                                                            "collections")}
        plan = plan_for(comparison, needed | {decision, ("rules", "Adults")})
        assert plan.problems == []
        with Journal.open(tmp_path / "j.jsonl", "f") as journal:
            result = await apply_plan(dst, plan, journal, concurrency=4)
        assert result.exit_code == 0 and result.count("done") == len(plan.actions)
        again = await compare(src, dst)
        left = {r.key for r in again.rows if r.state != SAME}
        assert left == {("tags", "Stage only"), ("decisions", "Winter campaign: web and email"),
                        ("decisions", "App home launch")}  # exactly what was not marked
        return True

    assert both(go)


def test_closure_follows_references_to_everything_a_selection_needs():
    async def go(dev, stage, src, dst):
        listings = await read_listings(src)
        [decision] = [d for d in listings["decisions"] if d["name"] == "App home launch"]
        needed = closure(listings, [("decisions", decision["id"])])
        kinds = {k for k, _ in needed}
        # the collection's fixed list of offers brings their placements, rules and tags too
        assert kinds == {"decisions", "placements", "collections", "offers", "fallbacks", "rules", "tags"}
        folder = as_folder(listings, needed)
        assert folder.problems == [] and ("collections", "App launch picks") in {(o.kind, o.name) for o in folder.objects}
        return True

    assert both(go)


def test_copy_with_dependencies_plans_what_the_target_lacks(tmp_path):
    from offer_tui.sync.copydeps import plan_copy

    async def go(dev, stage, src, dst):
        # The target lacks the "Adults" rule and the "Loyalty" tag: the copy brings them along.
        for key, name in (("offer-rules", "Adults"), ("tags", "Loyalty")):
            [object_id] = [i for i, e in stage.state.objects[key].items() if e["body"]["name"] == name]
            del stage.state.objects[key][object_id]
        listings = await read_listings(src, ["offers"])
        picked = [o for o in listings["offers"] if o["name"] in ("Adults only: wine tasting", "Loyalty anniversary gift")]
        copy = await plan_copy(src, dst, [o["id"] for o in picked])
        assert copy.plan.problems == []
        created = {(a.kind, a.name) for a in copy.plan.actions}
        assert ("rules", "Adults") in created and ("tags", "Loyalty") in created
        assert {(w, n) for w, n in created if w == "offers"} == {("offers", o["name"]) for o in picked}
        assert set(copy.dependencies) == created - {("offers", o["name"]) for o in picked}
        with Journal.open(tmp_path / "c.jsonl", "c") as journal:
            result = await apply_plan(dst, copy.plan, journal)
        assert result.exit_code == 0
        again = await plan_copy(src, dst, [o["id"] for o in picked])
        assert again.plan.actions == [] and len(again.skipped) == 2
        return True

    assert both(go)
