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
