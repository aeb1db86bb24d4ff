"""Every kind from the command line against the seeded demo API over loopback (issue 14, section 1):
list KIND, get, create, update, delete, refs; references checked before anything is sent, in-use
deletes refused with exit 7, guardrail warnings, JSON Lines."""

from __future__ import annotations

import io
import json
import sys

import pytest

from offer_tui.cli import main
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.seed import DEMO_OFFERS
from offer_tui.exit_codes import EXIT_API, EXIT_IN_USE, EXIT_INVALID, EXIT_OK

pytestmark = pytest.mark.timeout(60)

WEB_BANNER = "dps:offer-placement:1a2b3c4d5e6f7081"  # "Homepage hero banner"
EMAIL_BLOCK = "dps:offer-placement:1a2b3c4d5e6f7087"  # "Email body offer block"
WINTER = "dps:offer-activity:4d5e6f7081920000"  # "Winter campaign: web and email"
WINTER_COLLECTION = "dps:offer-collection:3c4d5e6f70819000"
CLEARANCE_ALL = "dps:offer-collection:3c4d5e6f70819002"
HERO_FALLBACK = "dps:fallback-offer:1e9d5c0000000015"  # "Default hero banner"
SUBSCRIBERS_RULE = "dps:eligibility-rule:19af09a9ae45a8d8"  # "Email subscribers"
GOLD_RULE = "dps:eligibility-rule:19af09a9ae45a8d3"
SUMMER_TAG = "dps:offer-tag:2b3c4d5e6f708191"
CLEARANCE_TAG = "dps:offer-tag:2b3c4d5e6f708194"
TOTALS = {"decisions": 3, "collections": 4, "placements": 12, "rules": 8, "tags": 6}
WRITES = ("POST", "PATCH", "DELETE", "PUT")


@pytest.fixture
def demo(monkeypatch):
    server = DemoServer(page_size=5, seed_offers=DEMO_OFFERS).start()
    settings = demo_settings(server)
    for name, value in {
        "OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
        "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
        "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal unless a test says so
    try:
        yield server
    finally:
        server.stop()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def writes(server) -> list[dict]:
    return [r for r in server.received if r["method"] in WRITES and "/ims/" not in r["path"]]


def api_gets(server) -> list[dict]:
    return [r for r in server.received if r["method"] == "GET" and "/ims/" not in r["path"]]


# -- list KIND ------------------------------------------------------------------------------------


@pytest.mark.parametrize("word, singular", [("decisions", "decision"), ("collections", "collection"),
                                            ("placements", "placement"), ("rules", "rule"), ("tags", "tag")])
def test_list_every_kind_with_its_own_columns_plural_or_singular(capsys, demo, word, singular):
    code, out, err = run(capsys, "list", word)
    assert code == EXIT_OK, err
    lines = out.splitlines()
    assert len(lines) == 1 + TOTALS[word] and f"{TOTALS[word]} {word}." in err
    headers = {"decisions": ["NAME", "STATUS", "START-END", "PLACEMENTS", "FALLBACK", "ID"],
               "collections": ["NAME", "TYPE", "SELECTS", "ID"],
               "placements": ["NAME", "CHANNEL", "COMPONENT", "ID"],
               "rules": ["NAME", "CONDITION", "ID"], "tags": ["NAME", "DESCRIPTION", "ID"]}[word]
    assert lines[0].split() == headers
    assert run(capsys, "list", singular)[1] == out


def test_list_decisions_and_collections_show_what_the_issue_asks(capsys, demo):
    code, out, _ = run(capsys, "list", "decisions")
    row = next(line for line in out.splitlines() if line.startswith("Winter campaign: web and email"))
    assert row.split("  ")[0] == "Winter campaign: web and email"
    assert "live" in row and "2026-12-01..2027-01-15" in row and HERO_FALLBACK in row and WINTER in row
    code, out, _ = run(capsys, "list", "collections")
    rows = {line.split("  ")[0]: line.split() for line in out.splitlines()[1:]}
    # selects: counted with model.references.selects over the offers (any, all, fixed list)
    assert rows["Winter campaign"][-3:-1] == ["any-tags", "5"]
    assert rows["Clearance for subscribers"][-3:-1] == ["all-tags", "1"]
    assert rows["App launch picks"][-3:-1] == ["offers", "3"]
    code, out, _ = run(capsys, "list", "placements", "--name", "email body")
    assert out.splitlines()[1].split()[-3:] == ["email", "html", EMAIL_BLOCK]


def test_list_decisions_is_one_list_request_to_first_rows(capsys, demo):
    before = len(api_gets(demo))
    code, out, _ = run(capsys, "list", "decisions", "--limit", "2")
    assert code == EXIT_OK and len(out.splitlines()) == 3
    sent = api_gets(demo)[before:]
    assert [r["path"] for r in sent] == ["/data/core/dps/offer-decisions"] and sent[0]["query"]["limit"] == "2"


def test_list_kind_json_lines_are_the_objects_as_returned(capsys, demo):
    code, out, err = run(capsys, "list", "tags", "--json")
    assert code == EXIT_OK, err
    lines = out.splitlines()
    assert len(lines) == 6  # every page followed (page size 5)
    assert [json.loads(line) for line in lines] == demo.state.list_objects("tags")
    code, out, _ = run(capsys, "list", "decisions", "--json", "--limit", "1", "--status", "draft")
    assert [json.loads(line)["name"] for line in out.splitlines()] == ["App home launch"]


def test_an_empty_listing_says_which_kind_and_sandbox(capsys, demo):
    code, out, err = run(capsys, "list", "tags", "--name", "no such tag")
    assert code == EXIT_OK and out == ""
    assert "No tags match name 'no such tag' in sandbox demo-sandbox." in err
    for tag_id in list(demo.state.objects["tags"]):
        demo.state.delete_object("tags", tag_id)
    code, out, err = run(capsys, "list", "tags")
    assert code == EXIT_OK and out == "" and "No tags in sandbox demo-sandbox." in err
    code, out, err = run(capsys, "list", "fallbacks", "--name", "no such offer")
    assert code == EXIT_OK and "No fallback offers match in sandbox demo-sandbox." in err


def test_list_alone_and_list_offers_are_personalized_offers_and_type_keeps_working(capsys, demo):
    alone = run(capsys, "list", "--json")[1]
    assert run(capsys, "list", "offers", "--json")[1] == alone
    assert all(json.loads(x)["id"].startswith("dps:personalized-offer:") for x in alone.splitlines())
    fallbacks = run(capsys, "list", "--type", "fallback", "--json")[1]
    assert run(capsys, "list", "fallbacks", "--json")[1] == fallbacks and fallbacks


def test_list_refuses_an_unknown_kind_and_a_status_the_kind_has_not(capsys, demo):
    code, _, err = run(capsys, "list", "widgets")
    assert code == EXIT_INVALID and "offers, fallbacks, decisions, collections, placements, rules, tags" in err
    code, _, err = run(capsys, "list", "tags", "--status", "live")
    assert code == EXIT_INVALID and "no status" in err
    code, _, err = run(capsys, "list", "offers", "--status", "live")
    assert code == EXIT_INVALID and "draft, approved, archived" in err
    code, _, err = run(capsys, "list", "tags", "--type", "fallback")
    assert code == EXIT_INVALID and "--type is for offers" in err


# -- refs -----------------------------------------------------------------------------------------


def test_refs_lists_every_object_that_references_an_id_by_kind_name_and_id(capsys, demo):
    code, out, err = run(capsys, "refs", WEB_BANNER)
    assert code == EXIT_OK, err
    rows = [line.split("  ") for line in out.splitlines()[1:]]
    kinds = [r[0].strip() for r in rows]
    assert kinds.count("decisions") == 1 and "fallbacks" in kinds and "offers" in kinds
    assert any("Winter campaign: web and email" in line and "criteria[0].placements[0]" in line
               for line in out.splitlines())
    code, out, _ = run(capsys, "refs", WEB_BANNER, "--json")
    users = [json.loads(line) for line in out.splitlines()]
    assert {"kind": "decisions", "id": WINTER, "name": "Winter campaign: web and email",
            "paths": ["criteria[0].placements[0]"]} in users
    assert len(users) == len(rows)


def test_refs_of_a_tag_names_the_offers_and_collections_that_use_it(capsys, demo):
    code, out, _ = run(capsys, "refs", CLEARANCE_TAG, "--json")
    users = [json.loads(line) for line in out.splitlines()]
    assert {u["name"] for u in users if u["kind"] == "collections"} == {"Winter campaign", "Clearance for subscribers"}
    assert {u["kind"] for u in users} == {"offers", "collections"}


def test_refs_reads_one_listing_per_kind_that_can_reference_it(capsys, demo):
    before = len(api_gets(demo))
    code, out, _ = run(capsys, "refs", HERO_FALLBACK, "--json")
    assert code == EXIT_OK
    paths = {r["path"].rsplit("/", 1)[-1] for r in api_gets(demo)[before:]}
    assert paths == {"offer-decisions"}  # only decisions can name a fallback offer
    assert [json.loads(x)["id"] for x in out.splitlines()] == [WINTER]


def test_refs_of_an_unused_object_says_nothing_references_it(capsys, demo):
    demo.state.add_object("offer-rules", "dps:eligibility-rule:00000000000000aa", {"name": "Unused"},
                          created="2026-01-01T00:00:00.000Z", modified="2026-01-01T00:00:00.000Z", etag=1)
    code, out, err = run(capsys, "refs", "dps:eligibility-rule:00000000000000aa")
    assert code == EXIT_OK and out == "" and "Nothing references rule dps:eligibility-rule:00000000000000aa." in err


# -- the kind of an id ---------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["get", "opaque-42"], ["delete", "opaque-42", "--yes"],
                                  ["update", "opaque-42", "x.json"], ["get", "x", "--kind", "widgets"]])
def test_an_id_whose_kind_cannot_be_told_needs_kind_and_the_error_lists_the_kinds(capsys, demo, argv):
    before = len(demo.received)
    code, out, err = run(capsys, *argv)
    assert code == EXIT_INVALID and out == ""
    assert "offers, fallbacks, decisions, collections, placements, rules, tags" in err
    assert "--kind" in err or "not a kind" in err
    assert len(demo.received) == before  # nothing sent, not even a token request


# -- get ------------------------------------------------------------------------------------------


def test_get_a_decision_names_its_placements_collections_rule_ranking_and_fallback(capsys, demo):
    before = len(api_gets(demo))
    code, out, err = run(capsys, "get", WINTER)
    assert code == EXIT_OK, err
    assert out.startswith("Winter campaign: web and email\n")
    assert f"Homepage hero banner ({WEB_BANNER})" in out and f"Email body offer block ({EMAIL_BLOCK})" in out
    assert f"Winter campaign ({WINTER_COLLECTION})" in out and f"Clearance for subscribers ({CLEARANCE_ALL})" in out
    assert f"rule Email subscribers ({SUBSCRIBERS_RULE})" in out
    assert f"Default hero banner ({HERO_FALLBACK})" in out and "offer priority" in out
    # one read of the decision, then one listing per referenced kind, not a GET per id
    paths = [r["path"].rsplit("/", 1)[-1] for r in api_gets(demo)[before:]]
    assert paths[0] == WINTER.replace(":", "%3A") or paths[0].startswith("dps")
    assert sorted(paths[1:]) == sorted(["placements", "offer-collections", "offer-rules", "offers"])


def test_get_says_when_a_reference_is_not_in_the_sandbox(capsys, demo):
    body = demo.state.raw_object("offer-decisions", WINTER)
    body["fallback"] = "dps:fallback-offer:gone"
    demo.state.replace_object("offer-decisions", WINTER, body, "test")
    code, out, _ = run(capsys, "get", WINTER)
    assert code == EXIT_OK and "dps:fallback-offer:gone (not in this sandbox)" in out


@pytest.mark.parametrize("object_id, facts", [
    (WINTER_COLLECTION, ["any of these tags", "Clearance (dps:offer-tag:2b3c4d5e6f708194)"]),
    (WEB_BANNER, ["channel:", "web", "component:", "html"]),
    (SUBSCRIBERS_RULE, ['consents.marketing.email.val = "y"']),
    (SUMMER_TAG, ["kind:", "tag"]),
])
def test_get_every_kind_by_its_id_prefix(capsys, demo, object_id, facts):
    code, out, err = run(capsys, "get", object_id)
    assert code == EXIT_OK, err
    for fact in facts:
        assert fact in out
    code, out, _ = run(capsys, "get", object_id, "--json")
    assert json.loads(out)["id"] == object_id


def test_get_an_offer_names_its_rule_and_tags(capsys, demo):
    offer = next(o for o in demo.state.list_offers("personalized")
                 if o.get("selectionConstraint", {}).get("profileConstraintType") == "eligibilityRule" and o.get("tags"))
    code, out, err = run(capsys, "get", offer["id"])
    assert code == EXIT_OK, err
    rule = offer["selectionConstraint"]["eligibilityRule"]
    rule_name = demo.state.raw_object("offer-rules", rule)["name"]
    assert f"rule {rule_name} ({rule})" in out
    tag_name = demo.state.raw_object("tags", offer["tags"][0])["name"]
    assert f"{tag_name} ({offer['tags'][0]})" in out


def test_get_with_kind_for_an_id_without_a_known_prefix(capsys, demo):
    demo.state.add_object("tags", "tag1234", {"name": "Short id"}, created="2026-01-01T00:00:00.000Z",
                          modified="2026-01-01T00:00:00.000Z", etag=1)
    code, out, err = run(capsys, "get", "tag1234", "--kind", "tag")
    assert code == EXIT_OK and out.startswith("Short id\n"), err


# -- create ---------------------------------------------------------------------------------------


def write(tmp_path, body: dict, name: str = "body.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return str(path)


DECISION = {"name": "Spring decision", "status": "draft", "startDate": "2027-03-01T00:00:00.000+00:00",
            "endDate": "2027-04-01T00:00:00.000+00:00", "fallback": HERO_FALLBACK,
            "criteria": [{"placements": [WEB_BANNER], "rank": {"priority": 0, "order": {"orderEvaluationType": "static"}},
                          "profileConstraint": {"profileConstraintType": "none"},
                          "optionSelection": {"filter": WINTER_COLLECTION}}]}


def test_create_a_decision_prints_the_receipt_and_the_server_holds_it(capsys, demo, tmp_path):
    code, out, err = run(capsys, "create", "decisions", write(tmp_path, DECISION))
    assert code == EXIT_OK, err
    [post] = writes(demo)
    assert post["path"] == "/data/core/dps/offer-decisions" and post["json"] == DECISION
    new_id = out.split(" id ", 1)[1].split(",")[0]
    assert "Created decision 'Spring decision'." in out and new_id.startswith("dps:offer-activity:")
    assert demo.state.raw_object("offer-decisions", new_id)["name"] == "Spring decision"
    code, out, _ = run(capsys, "create", "tag", write(tmp_path, {"name": "Spring"}), "--json")
    assert code == EXIT_OK and json.loads(out)["id"] and json.loads(out)["etag"] == 1


@pytest.mark.parametrize("change, path, missing", [
    (lambda d: d["criteria"][0]["placements"].append("dps:offer-placement:nope"), "criteria[0].placements[1]",
     "dps:offer-placement:nope"),
    (lambda d: d["criteria"][0]["optionSelection"].update(filter="dps:offer-collection:nope"),
     "criteria[0].optionSelection.filter", "dps:offer-collection:nope"),
    (lambda d: d.update(fallback="dps:fallback-offer:nope"), "fallback", "dps:fallback-offer:nope"),
    (lambda d: d["criteria"][0].update(profileConstraint={"profileConstraintType": "eligibilityRule",
                                                           "eligibilityRule": "dps:eligibility-rule:nope"}),
     "criteria[0].profileConstraint.eligibilityRule", "dps:eligibility-rule:nope"),
])
def test_create_naming_a_missing_id_is_refused_with_its_path_and_nothing_is_sent(capsys, demo, tmp_path,
                                                                                 change, path, missing):
    body = json.loads(json.dumps(DECISION))
    change(body)
    code, out, err = run(capsys, "create", "decision", write(tmp_path, body))
    assert code == EXIT_INVALID and out == ""
    assert f"{path}: " in err and missing in err and "does not exist in this sandbox" in err
    assert writes(demo) == []


def test_create_a_collection_of_a_missing_tag_is_refused(capsys, demo, tmp_path):
    body = {"name": "Nope", "filterType": "any-tags", "ids": [SUMMER_TAG, "dps:offer-tag:nope"]}
    code, _, err = run(capsys, "create", "collections", write(tmp_path, body))
    assert code == EXIT_INVALID and "ids[1]: " in err and "dps:offer-tag:nope" in err and writes(demo) == []


def test_create_validates_the_shape_first_and_dry_run_sends_nothing(capsys, demo, tmp_path):
    code, _, err = run(capsys, "create", "collections", write(tmp_path, {"name": "x", "filterType": "some"}))
    assert code == EXIT_INVALID and "filterType" in err and "ids" in err
    before = len(api_gets(demo))
    code, out, err = run(capsys, "create", "decisions", write(tmp_path, DECISION), "--dry-run")
    assert code == EXIT_OK and "nothing was sent" in (out + err) and writes(demo) == []
    assert len(api_gets(demo)) > before  # the references were checked
    code, _, err = run(capsys, "create", "widgets", write(tmp_path, DECISION))
    assert code == EXIT_INVALID and "decisions, collections" in err


def test_create_an_offer_checks_its_placements_too(capsys, demo, tmp_path):
    body = {k: v for k, v in demo.state.list_offers("personalized")[0].items()
            if k not in ("id", "etag", "created", "modified", "schemas", "createdBy", "lastModifiedBy")}
    body["name"] = "Copy with a bad placement"
    body["representations"][0]["placement"] = "dps:offer-placement:nope"
    code, _, err = run(capsys, "create", "offers", write(tmp_path, body))
    assert code == EXIT_INVALID and "representations[0].placement" in err and writes(demo) == []


def test_create_warns_before_passing_a_published_limit(capsys, demo, tmp_path, monkeypatch):
    from offer_tui.model import guardrails

    monkeypatch.setitem(guardrails.SANDBOX_LIMITS, "tags", 6)
    code, out, err = run(capsys, "create", "tags", write(tmp_path, {"name": "Seventh"}))
    assert code == EXIT_OK, err
    assert "warning: 7 tags in the sandbox would pass Adobe's published limit of 6" in err
    body = json.loads(json.dumps(DECISION))
    body["criteria"][0]["placements"] = [WEB_BANNER] * 1 + [f"p{i}" for i in range(30)]
    code, _, err = run(capsys, "create", "decisions", write(tmp_path, body), "--dry-run")
    assert "31 placements in one decision" in err


# -- update ---------------------------------------------------------------------------------------


def test_update_a_decision_sends_a_patch_of_the_changed_fields_only(capsys, demo, tmp_path):
    code, out, _ = run(capsys, "get", WINTER, "--json")
    body = json.loads(out)
    body["description"] = "New words"
    code, out, err = run(capsys, "update", WINTER, write(tmp_path, body))
    assert code == EXIT_OK, err
    [patch] = writes(demo)
    assert patch["method"] == "PATCH" and patch["json"] == [{"op": "replace", "path": "/description", "value": "New words"}]
    assert "etag 2 -> 3" in out and demo.state.raw_object("offer-decisions", WINTER)["description"] == "New words"


def test_update_refuses_a_missing_reference_and_a_stale_file(capsys, demo, tmp_path):
    code, out, _ = run(capsys, "get", WINTER, "--json")
    body = json.loads(out)
    body["fallback"] = "dps:fallback-offer:nope"
    code, _, err = run(capsys, "update", WINTER, write(tmp_path, body))
    assert code == EXIT_INVALID and "fallback: " in err and "dps:fallback-offer:nope" in err and writes(demo) == []
    body = json.loads(out)
    body["description"] = "Mine"
    stale = write(tmp_path, body, "stale.json")
    body2 = json.loads(out)
    body2["name"] = "Theirs"
    assert run(capsys, "update", WINTER, write(tmp_path, body2, "theirs.json"))[0] == EXIT_OK
    code, _, err = run(capsys, "update", WINTER, stale)
    assert code == EXIT_API and "changed on the server" in err and len(writes(demo)) == 1


def test_update_a_tag_with_kind_and_an_unknown_outcome_is_settled_by_a_reread(capsys, demo, tmp_path):
    body = {"name": "Summer sale 2027"}
    demo.fail_next(500, path_prefix="/data/core/dps/tags", process_first=True, method="PATCH")
    code, out, err = run(capsys, "update", SUMMER_TAG, write(tmp_path, body))
    assert code == EXIT_OK, err  # the re-read found the change applied (the demo applies, then fails)
    assert "applied" in (out + err) and len(writes(demo)) == 1


# -- delete ---------------------------------------------------------------------------------------


def test_delete_of_a_placement_in_use_is_refused_with_exit_7_listing_its_users(capsys, demo):
    code, out, err = run(capsys, "delete", WEB_BANNER, "--yes")
    assert code == EXIT_IN_USE
    assert "Winter campaign: web and email" in err and WINTER in err and "--force" in err
    assert writes(demo) == [] and demo.state.raw_object("placements", WEB_BANNER) is not None


def test_delete_force_deletes_an_object_in_use_and_a_free_one_needs_no_force(capsys, demo):
    code, out, err = run(capsys, "delete", CLEARANCE_ALL, "--yes", "--force")
    assert code == EXIT_OK, err
    assert demo.state.raw_object("offer-collections", CLEARANCE_ALL) is None
    demo.state.add_object("tags", "dps:offer-tag:00000000000000ff", {"name": "Free"},
                          created="2026-01-01T00:00:00.000Z", modified="2026-01-01T00:00:00.000Z", etag=1)
    code, out, err = run(capsys, "delete", "dps:offer-tag:00000000000000ff", "--yes")
    assert code == EXIT_OK and "Deleted tag" in out


def test_delete_of_a_fallback_offer_a_decision_uses_is_refused_too(capsys, demo):
    code, _, err = run(capsys, "delete", HERO_FALLBACK, "--yes")
    assert code == EXIT_IN_USE and "Winter campaign: web and email" in err and writes(demo) == []


def test_delete_asks_for_the_name_and_without_a_terminal_sends_nothing(capsys, demo):
    demo.state.add_object("tags", "dps:offer-tag:00000000000000fe", {"name": "Ask me"},
                          created="2026-01-01T00:00:00.000Z", modified="2026-01-01T00:00:00.000Z", etag=1)
    code, _, err = run(capsys, "delete", "dps:offer-tag:00000000000000fe")
    assert code == 5 and "--yes" in err and writes(demo) == []


# -- unknown outcomes settle as offers' do ---------------------------------------------------------


def test_a_create_whose_answer_proves_nothing_is_looked_up_by_name_never_resent(capsys, demo, tmp_path):
    demo.fail_next(502, path_prefix="/data/core/dps/tags", process_first=True, method="POST")
    code, out, err = run(capsys, "create", "tags", write(tmp_path, {"name": "Autumn"}))
    posts = [r for r in writes(demo) if r["method"] == "POST"]
    assert len(posts) == 1  # sent once
    assert code == EXIT_OK, err  # the lookup by name found a new tag that was not there before
    assert "A tag named 'Autumn' now exists that was not there before" in out + err
    demo.fail_next(500, path_prefix="/data/core/dps/tags", method="POST")
    code, out, err = run(capsys, "create", "tags", write(tmp_path, {"name": "Winter"}))
    assert code == EXIT_API and "No tag is named 'Winter': it was not created" in out + err


def test_a_delete_whose_answer_proves_nothing_is_settled_by_a_reread(capsys, demo):
    demo.state.add_object("tags", "dps:offer-tag:00000000000000fd", {"name": "Gone soon"},
                          created="2026-01-01T00:00:00.000Z", modified="2026-01-01T00:00:00.000Z", etag=1)
    demo.fail_next(500, path_prefix="/data/core/dps/tags", process_first=True, method="DELETE")
    code, out, err = run(capsys, "delete", "dps:offer-tag:00000000000000fd", "--yes")
    assert code == EXIT_OK, err
    assert "The tag is gone (404): it was deleted." in out + err and len(writes(demo)) == 1


NEW = {"decisions": DECISION,
       "collections": {"name": "New collection", "filterType": "any-tags", "ids": [SUMMER_TAG]},
       "placements": {"name": "New placement", "componentType": "html",
                      "channel": "https://ns.adobe.com/xdm/channel-types/web", "itemCount": 1},
       "rules": {"name": "New rule", "condition": {"type": "PQL", "format": "pql/text", "value": "true"}},
       "tags": {"name": "New tag"}}


@pytest.mark.parametrize("word", list(NEW))
def test_create_get_update_refs_delete_round_trip_for_every_kind(capsys, demo, tmp_path, word):
    code, out, err = run(capsys, "create", word, write(tmp_path, NEW[word]), "--json")
    assert code == EXIT_OK, err
    new_id = json.loads(out)["id"]
    code, out, _ = run(capsys, "get", new_id, "--kind", word, "--json")
    body = json.loads(out)
    assert code == EXIT_OK and body["name"] == NEW[word]["name"]
    body["description"] = "Edited"
    code, out, err = run(capsys, "update", new_id, write(tmp_path, body, "edit.json"), "--kind", word)
    assert code == EXIT_OK and "etag 1 -> 2" in out, err
    code, out, err = run(capsys, "refs", new_id, "--kind", word)
    assert code == EXIT_OK and "Nothing references" in err
    code, out, err = run(capsys, "delete", new_id, "--kind", word, "--yes")
    assert code == EXIT_OK and "Deleted" in out, err
    assert [w["method"] for w in writes(demo)] == ["POST", "PATCH", "DELETE"]
    assert run(capsys, "get", new_id, "--kind", word)[0] == EXIT_API  # 404
