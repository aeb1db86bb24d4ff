"""`copy ... --with-dependencies`: the selection and what it needs, created when the target lacks it."""

from __future__ import annotations

import json

import pytest
from test_sync import library, names, run, sandboxes, writes  # noqa: F401 - the fixture

pytestmark = pytest.mark.timeout(90)


def offer_named(server, name):
    return next(o for o in library(server)["offers"] if o["name"] == name)


def remove(server, key, name):
    [object_id] = [i for i, e in server.state.objects[key].items() if e["body"]["name"] == name]
    del server.state.objects[key][object_id]


def test_without_the_flag_a_missing_rule_still_stops_the_copy(sandboxes, capsys):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    remove(stage, "offer-rules", "Adults")
    wine = offer_named(dev, "Adults only: wine tasting")
    code, out, err = run(capsys, "copy", wine["id"], "--to-profile", "stage")
    assert code == 1 and "Nothing was sent" in err and writes(stage) == []


def test_with_dependencies_the_missing_rule_and_tag_are_created_first_and_ids_remapped(sandboxes, capsys):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    remove(stage, "offer-rules", "Adults")
    remove(stage, "tags", "Loyalty")
    wine = offer_named(dev, "Adults only: wine tasting")
    gift = offer_named(dev, "Loyalty anniversary gift")
    code, out, err = run(capsys, "copy", wine["id"], gift["id"], "--to-profile", "stage", "--with-dependencies")
    assert code == 0, err
    assert "create    rules/Adults  (needed, the target lacks it)" in out
    assert "create    tags/Loyalty  (needed, the target lacks it)" in out
    posts = [r["rel"].split("?")[0] for r in writes(stage)]
    assert posts.index("/tags") < posts.index("/offers") and posts.index("/offer-rules") < posts.index("/offers")
    dst = library(stage)
    ids = {w: {o["name"]: o["id"] for o in dst[w]} for w in ("rules", "tags", "placements")}
    copied = {o["name"]: o for o in dst["offers"]}
    assert sorted(copied) == ["Adults only: wine tasting", "Loyalty anniversary gift"]
    assert copied["Adults only: wine tasting"]["selectionConstraint"]["eligibilityRule"] == ids["rules"]["Adults"]
    assert ids["tags"]["Loyalty"] in copied["Loyalty anniversary gift"]["tags"]
    for offer in copied.values():
        assert all(r["placement"] in ids["placements"].values() for r in offer["representations"])
    # The same copy again: everything is there; nothing is sent.
    before = len(writes(stage))
    code, out, err = run(capsys, "copy", wine["id"], gift["id"], "--to-profile", "stage", "--with-dependencies",
                         "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["to_create"] == 0 and len(summary["skipped"]) == 2 and len(writes(stage)) == before


def test_with_dependencies_and_dry_run_sends_nothing_and_duplicates_are_refused(sandboxes, capsys):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    remove(stage, "offer-rules", "Adults")
    wine = offer_named(dev, "Adults only: wine tasting")
    code, out, err = run(capsys, "copy", wine["id"], "--to-profile", "stage", "--with-dependencies", "--dry-run")
    assert code == 0 and "rules/Adults" in out and "dry run" in err and writes(stage) == []
    code, out, err = run(capsys, "copy", wine["id"], "--to-profile", "stage", "--with-dependencies",
                         "--allow-duplicates")
    assert code == 2 and writes(stage) == []
    assert "Adults" not in names(stage, "rules")
