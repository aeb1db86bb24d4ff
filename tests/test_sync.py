"""export / plan / apply between two demo sandboxes: the same catalogue names under other ids.

dev is seeded (tags, placements, rules, 30 offers with fallbacks, 4 collections, 3 decisions);
stage has only the catalogue (placements, rules, tags) under salted ids.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from bulk_support import demo_env

from offer_tui.cli import main
from offer_tui.credentials import Profile, ProfileStore
from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX, DemoServer

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def sandboxes(memory_keyring):
    servers = {"dev": DemoServer(seed_offers=30).start(), "stage": DemoServer(id_salt="stage").start()}
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


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def library(server) -> dict[str, list[dict]]:
    """kind word -> the objects the demo holds (bodies with their ids)."""
    state = server.state
    result = {"offers": [], "fallbacks": []}
    for object_id, entry in list(state.offers.items()):
        result["offers" if entry["offer_type"] == "personalized" else "fallbacks"].append(
            dict(entry["body"], id=object_id))
    for word, key in (("decisions", "offer-decisions"), ("collections", "offer-collections"),
                      ("placements", "placements"), ("rules", "offer-rules"), ("tags", "tags")):
        result[word] = [dict(e["body"], id=i) for i, e in list(state.objects[key].items())]
    return result


def add(server, collection, object_id, body):
    server.state.add_object(collection, object_id, body, created="2024-01-01T00:00:00.000Z",
                            modified="2024-01-01T00:00:00.000Z")


def names(server, word) -> list[str]:
    return sorted(o["name"] for o in library(server)[word])


def writes(server) -> list[dict]:
    return [r for r in server.received if r["method"] in ("POST", "PATCH", "DELETE") and r["rel"] != "/ims/token/v3"
            and "/ims/" not in r.get("path", "")]


def export_dev(capsys, folder, *extra):
    code, out, err = run(capsys, "export", str(folder), "--profile", "dev", *extra)
    assert code == 0, err
    return out, err


def test_export_plan_apply_remaps_every_id_and_replan_is_empty(sandboxes, capsys, tmp_path):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder)
    decision = json.loads((folder / "decisions" / "Loyalty rewards everywhere.json").read_text())
    criterion = decision["criteria"][0]
    assert criterion["placements"] == ["@placements/Product page side rail", "@placements/Email body offer block"]
    assert criterion["optionSelection"]["filter"] == "@collections/Loyalty rewards"
    assert criterion["profileConstraint"]["eligibilityRule"] == "@rules/Gold loyalty members"
    assert decision["fallback"] == "@fallbacks/Default email block"
    assert "id" not in decision and "etag" not in decision and list(decision)[:3] == ["name", "description", "status"]

    before = len(stage.received)
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage", "--json")
    assert code == 0, err
    reads = [r["rel"].split("?")[0] for r in stage.received[before:] if r["method"] == "GET"]
    assert sorted(reads) == sorted(["/tags", "/placements", "/offer-rules", "/offers", "/offers", "/offer-collections",
                                    "/offer-decisions"])  # one listing per kind, never a GET per object
    lines = [json.loads(line) for line in out.splitlines()]
    by_action = {a: {(x["kind"], x["name"]) for x in lines if x["action"] == a} for a in ("create", "unchanged")}
    assert ("tags", "Loyalty") in by_action["unchanged"] and ("placements", "Homepage hero banner") in by_action["unchanged"]
    assert ("decisions", "Loyalty rewards everywhere") in by_action["create"]
    assert writes(stage) == []  # plan sends no write

    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes")
    assert code == 0, err
    assert "(will be live)" in out
    src, dst = library(dev), library(stage)
    for word in src:
        assert sorted(o["name"] for o in src[word]) == sorted(o["name"] for o in dst[word]), word
    dst_ids = {word: {o["id"]: o["name"] for o in dst[word]} for word in dst}
    target = next(d for d in dst["decisions"] if d["name"] == "Loyalty rewards everywhere")
    c = target["criteria"][0]
    assert [dst_ids["placements"][p] for p in c["placements"]] == ["Product page side rail", "Email body offer block"]
    assert dst_ids["collections"][c["optionSelection"]["filter"]] == "Loyalty rewards"
    assert dst_ids["rules"][c["profileConstraint"]["eligibilityRule"]] == "Gold loyalty members"
    assert dst_ids["fallbacks"][target["fallback"]] == "Default email block"
    src_ids = {o["id"] for word in src for o in src[word]}
    fixed = next(o for o in dst["collections"] if o["filterType"] == "offers")
    assert fixed["ids"] and all(i in dst_ids["offers"] and i not in src_ids for i in fixed["ids"])
    for offer in dst["offers"]:
        for rep in offer["representations"]:
            assert rep["placement"] in dst_ids["placements"]

    before = len(writes(stage))
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage")
    assert code == 0 and "nothing to do" in err and "create" not in out
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes")
    assert code == 0 and len(writes(stage)) == before


def test_an_edited_file_gives_one_update_sent_as_a_patch(sandboxes, capsys, tmp_path):
    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder)
    assert run(capsys, "apply", str(folder), "--profile", "stage", "--yes")[0] == 0
    path = folder / "tags" / "Loyalty.json"
    path.write_text(json.dumps({"name": "Loyalty", "description": "Members' picks"}))
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage", "--json")
    changed = [json.loads(line) for line in out.splitlines() if json.loads(line)["action"] != "unchanged"]
    assert changed == [{"kind": "tags", "name": "Loyalty", "action": "update",
                        "patch": [{"op": "add", "path": "/description", "value": "Members' picks"}]}]
    before = len(writes(stage))
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes")
    assert code == 0, err
    assert "add /description" in out and "updated tags/Loyalty" in out
    sent = writes(stage)[before:]
    assert [r["method"] for r in sent] == ["PATCH"]
    tag = next(t for t in library(stage)["tags"] if t["name"] == "Loyalty")
    assert tag["description"] == "Members' picks"


def test_export_again_leaves_unchanged_files_untouched(sandboxes, capsys, tmp_path):
    folder = tmp_path / "lib"
    export_dev(capsys, folder)
    files = sorted(p for p in folder.rglob("*.json"))
    stamps = {p: p.stat().st_mtime_ns for p in files}
    old = time.time() - 3600
    for p in files:
        os.utime(p, (old, old))  # a rewrite would move the mtime to now, whatever the clock's grain
    stamps = {p: p.stat().st_mtime_ns for p in files}
    out, err = export_dev(capsys, folder)
    assert "0 written" in out and "written, " in out
    assert {p: p.stat().st_mtime_ns for p in files} == stamps
    assert sorted(folder.rglob("*.json")) == files


def test_export_writes_names_as_safe_distinct_files_and_says_so(sandboxes, capsys, tmp_path):
    dev = sandboxes["dev"]
    for name in ("A/B", "A:B", "CON", "Loyalty."):
        add(dev, "tags", f"dps:offer-tag:x{abs(hash(name))}", {"name": name})
    add(dev, "tags", "dps:offer-tag:case1", {"name": "clearance"})  # "Clearance" exists
    folder = tmp_path / "lib"
    out, err = export_dev(capsys, folder, "--kind", "tags")
    files = sorted(p.name for p in (folder / "tags").iterdir())
    assert "Clearance.json" in files and "CON.json" not in files
    assert len([f for f in files if f.startswith("A_B~")]) == 2
    assert any(f.startswith("_CON~") for f in files) and any(f.startswith("Loyalty~") for f in files)
    assert any(f.startswith("clearance~") for f in files) and "differs only in case" in err
    assert {json.loads((folder / "tags" / f).read_text())["name"] for f in files} >= {"A/B", "A:B", "CON", "Loyalty."}


def test_two_objects_with_one_name_are_both_written_and_plan_refuses_them(sandboxes, capsys, tmp_path):
    dev = sandboxes["dev"]
    add(dev, "tags", "dps:offer-tag:twin", {"name": "Loyalty", "description": "the other one"})
    folder = tmp_path / "lib"
    out, err = export_dev(capsys, folder)
    assert "two objects are named 'Loyalty'" in err
    assert len(list((folder / "tags").glob("Loyalty*.json"))) == 2
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage")
    assert code == 1
    assert "2 files of tags are named 'Loyalty'" in err and "Nothing was planned" in err


def test_unresolved_and_ambiguous_references_stop_the_plan_naming_them(sandboxes, capsys, tmp_path):
    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "decisions")
    # "Gold loyalty members" twice in the target; no collections in the folder nor the target.
    add(stage, "offer-rules", "dps:eligibility-rule:twin", {"name": "Gold loyalty members",
        "condition": {"type": "PQL", "format": "pql/text", "value": "true"}})
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage")
    assert code == 1
    assert ("decisions/Loyalty rewards everywhere.json: criteria[0].optionSelection.filter: "
            "@collections/Loyalty rewards resolves to nothing") in err
    assert "criteria[0].profileConstraint.eligibilityRule: @rules/Gold loyalty members resolves to 2 rules" in err
    assert writes(stage) == []


def test_a_hand_edited_file_is_validated_like_validate(sandboxes, capsys, tmp_path):
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "offers", "--name", "^Winter sale 20% \\(web\\)$")
    path = folder / "offers" / "Winter sale 20% (web).json"
    doc = json.loads(path.read_text())
    doc["representations"][0]["components"][0]["format"] = "nonsense"
    doc["representations"][0]["placement"] = "@rules/Adults"
    path.write_text(json.dumps(doc))
    (folder / "tags").mkdir()
    (folder / "tags" / "broken.json").write_text("{nope")
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage")
    assert code == 1
    assert "offers/Winter sale 20% (web).json: representations[0].components[0].format:" in err
    assert "offers/Winter sale 20% (web).json: representations[0].placement: names a rule, but this field takes placements" in err
    assert "tags/broken.json: (file):" in err


def test_prune_deletes_what_the_folder_lacks_dependents_first(sandboxes, capsys, tmp_path):
    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder)
    assert run(capsys, "apply", str(folder), "--profile", "stage", "--yes")[0] == 0
    (folder / "decisions" / "App home launch.json").unlink()
    (folder / "collections" / "App launch picks.json").unlink()
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage")
    assert "to delete" not in err  # only with --prune
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--prune")
    assert code == 5 and "no terminal" in err  # deletes are confirmed, and nothing was sent
    before = len(writes(stage))
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--prune", "--yes")
    assert code == 0, err
    deletes = [r["rel"] for r in writes(stage)[before:] if r["method"] == "DELETE"]
    assert len(deletes) == 2 and deletes[0].startswith("/offer-decisions/") and deletes[1].startswith("/offer-collections/")
    assert "App home launch" not in names(stage, "decisions") and "App launch picks" not in names(stage, "collections")


def test_prune_refuses_to_delete_what_a_kept_object_uses(sandboxes, capsys, tmp_path):
    folder = tmp_path / "lib"
    export_dev(capsys, folder)
    assert run(capsys, "apply", str(folder), "--profile", "stage", "--yes")[0] == 0
    (folder / "collections" / "Loyalty rewards.json").unlink()
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage", "--prune")
    assert code == 1 and "still uses collections/Loyalty rewards" in err


def test_as_draft_creates_drafts_and_production_needs_the_sandbox_name(sandboxes, capsys, tmp_path, memory_keyring):
    stage = sandboxes["stage"]
    store = ProfileStore()
    store.add(Profile("live", DEMO_CLIENT_ID, DEMO_IMS_ORG, DEMO_SANDBOX, endpoint=stage.base_url,
                      ims_url=stage.ims_url, production=True))
    memory_keyring.passwords[("offer-tui", "live:client_secret")] = DEMO_CLIENT_SECRET
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "offers", "--name", "^Winter sale 20% \\(web\\)$")
    code, out, err = run(capsys, "apply", str(folder), "--profile", "live", "--yes", "--as-draft")
    assert code == 5 and "production" in err and writes(stage) == []
    code, out, err = run(capsys, "apply", str(folder), "--profile", "live", "--as-draft",
                         "--confirm-sandbox", DEMO_SANDBOX)
    assert code == 0, err
    [offer] = library(stage)["offers"]
    assert offer["status"] == "draft"
    code, out, err = run(capsys, "plan", str(folder), "--profile", "live", "--as-draft")
    assert "nothing to do" in err
    code, out, err = run(capsys, "plan", str(folder), "--profile", "live")
    assert "replace /status: \"draft\" -> \"approved\"" in out and "(will be live)" in out


def test_kill_9_mid_apply_and_a_rerun_leave_every_object_once(sandboxes, capsys, tmp_path):
    dev, stage = sandboxes["dev"], sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder)
    # The demo holds every create after the 12th until released, so the run cannot finish first.
    held, release, lock = [], threading.Event(), threading.Lock()
    record = stage.state.record

    def holding(entry):
        entry = record(entry)
        if entry["method"] == "POST" and "/ims/" not in entry.get("path", ""):
            with lock:
                held.append(entry)
                late = len(held) > 12
            if late:
                release.wait(30)
        return entry

    stage.state.record = holding
    env = {**os.environ, **demo_env(stage, token=True)}
    journal = tmp_path / "apply.jsonl"
    child = subprocess.Popen([sys.executable, "-m", "offer_tui", "apply", str(folder), "--yes", "--concurrency", "3",
                              "--journal", str(journal)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while len(held) < 15 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.02)
        assert child.poll() is None, child.stderr.read().decode()
        assert len(held) >= 15  # 12 answered, 3 held in flight
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        release.set()
        if child.poll() is None:
            child.kill()
        child.stderr.close()
    lines = journal.read_text().splitlines()
    assert any('"sending"' in line for line in lines)
    # The held creates land after the kill (the client never hears): wait for them, bounded.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and sum(len(v) for k, v in library(stage).items()
                                              if k in ("offers", "fallbacks")) < len(held):
        time.sleep(0.02)
    stage.state.record = record
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes", "--journal", str(journal))
    assert code == 0, err
    src, dst = library(dev), library(stage)
    for word in src:
        assert sorted(o["name"] for o in dst[word]) == sorted(o["name"] for o in src[word]), word
    assert not journal.exists()  # settled: the journal goes
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage")
    assert "nothing to do" in err


def test_an_unknown_create_is_looked_up_by_name_never_resent(sandboxes, capsys, tmp_path):
    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "tags")
    (folder / "tags" / "New tag.json").write_text(json.dumps({"name": "New tag"}))
    # The tag is stored, then the answer is a 502: the outcome is unknown.
    stage.fail_next(502, path_prefix="/tags", method="POST", process_first=True)
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes")
    assert code == 0, err
    assert "the answer proved nothing; A tag named 'New tag' now exists that was not there before" in out
    assert names(stage, "tags").count("New tag") == 1
    assert len([r for r in writes(stage) if r["method"] == "POST"]) == 1


def test_a_journal_that_cannot_be_opened_sends_nothing(sandboxes, capsys, tmp_path):
    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "tags")
    (folder / "tags" / "New tag.json").write_text(json.dumps({"name": "New tag"}))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes", "--journal",
                         str(blocker / "journal.jsonl"))
    assert code == 6 and "Nothing was sent" in err
    assert writes(stage) == []


def test_a_reference_outside_the_selection_is_still_written_by_name(sandboxes, capsys, tmp_path):
    folder = tmp_path / "lib"
    # Only "App launch picks" and only offers named "Winter...": the fixed list names other offers too.
    export_dev(capsys, folder, "--kind", "collections", "--kind", "offers", "--name", "^(App launch picks|Winter)")
    picks = json.loads((folder / "collections" / "App launch picks.json").read_text())
    assert picks["ids"] == ["@offers/Winter sale 20% (app)", "@offers/App-only flash deal",
                            "@offers/Push: weekend bundle"]
    assert not (folder / "offers" / "App-only flash deal.json").exists()


def test_a_create_lost_before_the_server_acted_is_unknown_then_looked_up_and_sent_by_the_rerun(sandboxes, capsys,
                                                                                              tmp_path):
    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "tags", "--kind", "collections", "--name", "^(Loyalty|Loyalty rewards)$")
    (folder / "tags" / "Loyalty.json").write_text(json.dumps({"name": "Loyalty 2"}))
    collection = json.loads((folder / "collections" / "Loyalty rewards.json").read_text())
    collection["ids"] = ["@tags/Loyalty 2"]
    (folder / "collections" / "Loyalty rewards.json").write_text(json.dumps(collection))
    stage.drop_connection_next(path_prefix="/tags", method="POST", process_first=False)
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes")
    assert code == 4, err
    assert "unknown: create tags/Loyalty 2" in err
    assert "skipped: create collections/Loyalty rewards" in err and "uses tags/Loyalty 2" in err
    assert [r["method"] for r in writes(stage)] == ["POST"]  # never resent, and nothing built on it
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes")
    assert code == 0, err
    assert names(stage, "tags").count("Loyalty 2") == 1 and names(stage, "collections") == ["Loyalty rewards"]


def test_a_lost_patch_answer_is_settled_by_a_reread(sandboxes, capsys, tmp_path):
    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "tags", "--name", "^Loyalty$")
    (folder / "tags" / "Loyalty.json").write_text(json.dumps({"name": "Loyalty", "description": "New"}))
    stage.drop_connection_next(path_prefix="/tags/", method="PATCH", process_first=True)
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes")
    assert code == 0, err
    assert "the answer proved nothing; The server now has etag" in out and "your change was applied" in out
    assert [r["method"] for r in writes(stage)] == ["PATCH"]


def test_an_update_is_refused_when_the_target_changed_since_the_plan(sandboxes, capsys, tmp_path):
    import asyncio

    from offer_tui.api import OfferClient
    from offer_tui.api.library import Library
    from offer_tui.bulk.journal import Journal
    from offer_tui.demo import demo_settings
    from offer_tui.sync.apply import apply_plan
    from offer_tui.sync.folder import read_folder
    from offer_tui.sync.plan import make_plan

    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "tags", "--name", "^Loyalty$")
    (folder / "tags" / "Loyalty.json").write_text(json.dumps({"name": "Loyalty", "description": "Mine"}))

    async def go():
        client = OfferClient.from_settings(demo_settings(stage, with_token=True))
        try:
            library = Library(client)
            plan = await make_plan(library, read_folder(folder))
            [action] = plan.changes
            await library.patch("tags", action.target_id, [{"op": "add", "path": "/description", "value": "Theirs"}])
            with Journal.open(tmp_path / "j.jsonl", "f") as journal:
                return await apply_plan(library, plan, journal)
        finally:
            await client.aclose()

    result = asyncio.run(go())
    [step] = result.steps
    assert step.state == "refused" and "changed in the target since the plan" in step.reason
    tag = next(t for t in library(stage)["tags"] if t["name"] == "Loyalty")
    assert tag["description"] == "Theirs"


def test_a_503_answered_by_the_service_with_nothing_created_is_not_applied_and_the_rerun_sends_it(sandboxes, capsys,
                                                                                                tmp_path):
    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "tags", "--name", "^Loyalty$")
    (folder / "tags" / "Loyalty.json").write_text(json.dumps({"name": "Loyalty 3"}))
    stage.fail_next(503, path_prefix="/tags", method="POST")  # answered, nothing stored
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes")
    assert code == 3, err
    assert "it was not created" in err and "Loyalty 3" not in names(stage, "tags")
    code, out, err = run(capsys, "apply", str(folder), "--profile", "stage", "--yes")
    assert code == 0, err
    assert names(stage, "tags").count("Loyalty 3") == 1


def test_steps_give_the_service_layers_outcomes():
    from offer_tui.service.outcomes import APPLIED, NOT_APPLIED, Done, Refused, Unknown
    from offer_tui.sync.apply import Step
    from offer_tui.sync.plan import Action

    action = Action("tags", "T", "create")
    assert isinstance(Step(action, "done", "id1").outcome, Done)
    assert Step(action, "done", "id1", "found by name", True).outcome.found == APPLIED
    assert Step(action, "refused", reason="answered, not there", resolved=True).outcome.found == NOT_APPLIED
    assert isinstance(Step(action, "refused", reason="HTTP 400").outcome, Refused)
    assert isinstance(Step(action, "unknown", reason="lost").outcome, Unknown)


def test_prune_stays_inside_what_was_exported_by_name(sandboxes, capsys, tmp_path):
    stage = sandboxes["stage"]
    folder = tmp_path / "lib"
    export_dev(capsys, folder, "--kind", "tags", "--name", "^Loyalty$")
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage", "--prune", "--json")
    assert code == 0, err
    assert [json.loads(line)["action"] for line in out.splitlines()] == ["unchanged"]  # the other 5 tags stay
    manifest = folder / "offer-tui-export.json"
    manifest.write_text(json.dumps({"format": 1, "kinds": {"tags": "("}}))
    code, out, err = run(capsys, "plan", str(folder), "--profile", "stage", "--prune")
    assert code == 1 and "kinds.tags: '(' is not a regular expression" in err
    assert writes(stage) == []
