"""offer-tui list/get/update/set-status/delete against the seeded demo API over loopback."""

from __future__ import annotations

import io
import json
import sys
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offer_tui.cli import EXIT_API, EXIT_INVALID, EXIT_OK, EXIT_UNKNOWN, main
from offer_tui.exit_codes import EXIT_NOT_CONFIRMED
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.seed import DEMO_OFFERS

pytestmark = pytest.mark.timeout(60)

WEB = "dps:personalized-offer:1e9d5c0000000000"  # "Winter sale 20% (web)", approved, priority 50
FALLBACK = "dps:fallback-offer:1e9d5c0000000015"  # "Default hero banner"
FREE_FALLBACK = "dps:fallback-offer:1e9d5c0000000019"  # "Default push text": no decision uses it


class TtyInput(io.StringIO):
    """What a person types on a terminal."""

    def isatty(self) -> bool:
        return True


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


def requests(server, method: str) -> list[dict]:
    return [r for r in server.received if r["method"] == method and "/offers" in r["path"]]


def stored(server, offer_id: str) -> dict:
    return server.state.get_offer(offer_id, server.offers[offer_id]["offer_type"])


# -- list --------------------------------------------------------------------------------


def table(out: str) -> list[list[str]]:
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "STATUS", "TYPE", "PRIORITY", "START-END", "MODIFIED"]
    return [line.split("  ") for line in lines[1:]]


def test_list_is_a_newest_first_table_of_personalized_offers(capsys, demo):
    code, out, err = run(capsys, "list")
    assert code == EXIT_OK, err
    rows = out.splitlines()[1:]
    assert len(rows) == 21 and "21 offers, newest first." in err
    ids = [row.split()[0] for row in rows]
    expected = sorted((o for o in demo.state.list_offers("personalized")), key=lambda o: o["modified"], reverse=True)
    assert ids == [o["id"] for o in expected]
    assert "Winter sale 20% (web)" in out and "approved" in out and "2026-12-01..2027-01-15" in out


def test_list_limit_stops_after_n_offers_and_fetches_one_page(capsys, demo):
    before = len(requests(demo, "GET"))
    code, out, err = run(capsys, "list", "--limit", "3")
    assert code == EXIT_OK and len(out.splitlines()) == 4
    assert "3 of 21 offers" in err
    assert len(requests(demo, "GET")) == before + 1
    assert run(capsys, "list", "--limit", "0")[0] == EXIT_INVALID


def test_list_all_types_merges_newest_first(capsys, demo):
    code, out, err = run(capsys, "list", "--type", "all")
    assert code == EXIT_OK, err
    rows = out.splitlines()[1:]
    assert len(rows) == DEMO_OFFERS and "30 offers" in err
    assert {"personalized", "fallback"} <= set(out.split())
    modified = [row.rsplit(None, 2)[-2] + " " + row.rsplit(None, 2)[-1] for row in rows]
    assert modified == sorted(modified, reverse=True)


def test_list_json_is_one_offer_per_line_as_the_server_returned_it(capsys, demo):
    code, out, err = run(capsys, "list", "--json")
    assert code == EXIT_OK, err
    lines = out.splitlines()
    assert len(lines) == 21  # every page followed (page size 5), no table limit with --json
    offers = [json.loads(line) for line in lines]
    for offer in offers:
        assert offer == stored(demo, offer["id"])  # server fields and all
    code, out, _ = run(capsys, "list", "--json", "--limit", "4", "--type", "fallback")
    assert [json.loads(x)["id"].startswith("dps:fallback-offer:") for x in out.splitlines()] == [True] * 4


@pytest.mark.parametrize("text, names", [
    ("20% (web)", ["Winter sale 20% (web)"]),
    ("WINTER sale", ["Winter sale 20% (app)", "Winter sale 20% (web)", "Winter sale 20% (email)"]),
    ("ÚLTIMO", ["Summer sale 40% – último día"]),
    (".*", []),
    ("[a-z]+", []),
    ("sale|gift", []),
])
def test_list_name_matches_part_of_the_name_literally(capsys, demo, text, names):
    code, out, err = run(capsys, "list", "--name", text, "--json")
    assert code == EXIT_OK, err
    assert [json.loads(line)["name"] for line in out.splitlines()] == names
    if not names:
        code, out, err = run(capsys, "list", "--name", text)
        assert code == EXIT_OK and out == "" and "No offers match in sandbox demo-sandbox." in err


def test_list_name_with_url_and_regex_metacharacters_reaches_the_server_intact(capsys, demo):
    odd = "Tom & Jerry + Co #1 50% [a-z]* (\\d) ?x=1"
    demo.state.add_offer("personalized", "dps:personalized-offer:odd", {**stored(demo, WEB), "name": odd},
                         created="2026-01-01T00:00:00.000Z", modified="2026-01-01T00:00:00.000Z")
    for part in (odd, "& jerry + co #1", "[A-Z]* (\\D) ?X=1"):
        code, out, err = run(capsys, "list", "--name", part, "--json")
        assert code == EXIT_OK, err
        assert [json.loads(line)["name"] for line in out.splitlines()] == [odd], part


def test_list_status_filter(capsys, demo):
    code, out, _ = run(capsys, "list", "--status", "archived", "--type", "all", "--json")
    offers = [json.loads(line) for line in out.splitlines()]
    assert code == EXIT_OK and len(offers) == 5 and {o["status"] for o in offers} == {"archived"}


def test_list_cells_are_terminal_safe(capsys, demo):
    demo.state.add_offer("personalized", "dps:personalized-offer:evil", {
        **stored(demo, WEB), "name": "Evil\x1b]52;c;aGk=\x07 \x1b[2Jname\nsecond line" + "x" * 80},
        created="2026-11-29T00:00:00.000Z", modified="2026-11-29T00:00:00.000Z")
    code, out, _ = run(capsys, "list", "--limit", "2")
    assert code == EXIT_OK and "\x1b" not in out and "\x07" not in out
    first = out.splitlines()[1]
    assert "Evil" in first and "second line" in first and "..." in first


def test_list_fits_the_terminal_by_dropping_columns_then_shortening_names(demo):
    from offer_tui.commands.library_text import LIST_HEADERS, fit_rows

    items = [(o, "personalized") for o in demo.state.list_offers("personalized")]
    assert fit_rows(items, None)[0] == LIST_HEADERS  # not a terminal: every column
    for columns, headers in ((80, ("id", "name", "status")),
                             (120, ("id", "name", "status", "type", "priority", "modified")),
                             (200, LIST_HEADERS)):
        got_headers, rows = fit_rows(items, columns)
        assert got_headers == headers
        assert all(len("  ".join(row).rstrip()) < columns for row in rows), columns
        elided = any(row[1].endswith("...") for row in rows)
        assert elided == (columns < 200), columns  # the longest seeded name fits in 40


# -- get ----------------------------------------------------------------------------------


def test_get_shows_a_readable_summary_with_placement_names(capsys, demo):
    code, out, err = run(capsys, "get", WEB)
    assert code == EXIT_OK, err
    assert out.startswith("Winter sale 20% (web)\n")
    assert "status:    approved" in out and "Homepage hero banner (dps:offer-placement:" in out
    assert "dates:     2026-12-01..2027-01-15" in out


def test_get_json_is_the_offer_as_the_server_returned_it(capsys, demo):
    code, out, _ = run(capsys, "get", WEB, "--json")
    assert code == EXIT_OK and json.loads(out) == stored(demo, WEB)


def test_get_takes_the_type_from_the_id_and_hints_when_it_cannot(capsys, demo):
    code, out, _ = run(capsys, "get", FALLBACK, "--json")
    assert code == EXIT_OK and json.loads(out)["name"] == "Default hero banner"
    assert requests(demo, "GET")[-1]["query"]["offer-type"] == "fallback"
    demo.state.add_offer("fallback", "opaque-42", stored(demo, FALLBACK), created="2026-01-01T00:00:00.000Z",
                         modified="2026-01-01T00:00:00.000Z")
    code, _, err = run(capsys, "get", "opaque-42")  # issue 14: an id that does not say its kind needs --kind
    assert code == EXIT_INVALID and "--kind" in err and "fallbacks" in err
    assert run(capsys, "get", "opaque-42", "--type", "personalized")[0] == EXIT_API  # 404: not a personalized one
    assert run(capsys, "get", "opaque-42", "--type", "fallback")[0] == EXIT_OK
    assert run(capsys, "get", "opaque-42", "--kind", "fallback")[0] == EXIT_OK


# -- update ---------------------------------------------------------------------------------


def fetched_file(capsys, tmp_path, offer_id=WEB, edit=None) -> str:
    code, out, _ = run(capsys, "get", offer_id, "--json")
    assert code == EXIT_OK
    doc = json.loads(out)
    if edit:
        edit(doc)
    path = tmp_path / "o.json"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False))
    return str(path)


def test_update_from_get_json_sends_only_the_change_and_prints_the_new_etag(capsys, demo, tmp_path):
    path = fetched_file(capsys, tmp_path, edit=lambda d: (d["rank"].update(priority=55), d.update(description="New")))
    code, out, err = run(capsys, "update", WEB, path)
    assert code == EXIT_OK, err
    [patch] = requests(demo, "PATCH")
    assert patch["json"] == [
        {"op": "replace", "path": "/description", "value": "New"},
        {"op": "replace", "path": "/rank/priority", "value": 55},
    ]
    assert "replace /rank/priority: 50 -> 55" in out
    assert "etag 1 -> 2" in out
    assert stored(demo, WEB)["rank"] == {"priority": 55}


def test_update_accepts_a_plain_body_and_says_when_there_is_nothing_to_change(capsys, demo, tmp_path):
    body = {k: v for k, v in stored(demo, WEB).items() if k not in ("id", "etag", "created", "modified", "schemas",
                                                                     "createdBy", "lastModifiedBy")}
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body))
    code, out, err = run(capsys, "update", WEB, str(path))
    assert code == EXIT_OK and "Nothing to change" in err and out == ""
    assert requests(demo, "PATCH") == []


def test_update_dry_run_prints_the_patch_and_sends_nothing(capsys, demo, tmp_path):
    path = fetched_file(capsys, tmp_path, edit=lambda d: d["representations"].pop())
    code, out, err = run(capsys, "update", WEB, path, "--dry-run")
    assert code == EXIT_OK and "nothing was sent" in err
    assert out.startswith("replace /representations: [")  # a shorter array is replaced whole
    assert requests(demo, "PATCH") == []


def test_update_validates_first_and_refuses_another_offers_file(capsys, demo, tmp_path):
    before = len(demo.received)
    path = fetched_file(capsys, tmp_path, edit=lambda d: d["rank"].update(priority=-1))
    before = len(demo.received)
    code, _, err = run(capsys, "update", WEB, path)
    assert code == EXIT_INVALID and "rank.priority" in err and len(demo.received) == before  # nothing sent at all
    path = fetched_file(capsys, tmp_path, offer_id="dps:personalized-offer:1e9d5c0000000001")
    code, _, err = run(capsys, "update", WEB, path)
    assert code == EXIT_INVALID and "holds offer dps:personalized-offer:1e9d5c0000000001" in err
    assert requests(demo, "PATCH") == []
    missing = tmp_path / "nope.json"
    assert run(capsys, "update", WEB, str(missing))[0] == EXIT_INVALID


def test_update_refuses_to_undo_someone_elses_change_unless_forced(capsys, demo, tmp_path):
    path = fetched_file(capsys, tmp_path, edit=lambda d: d["rank"].update(priority=60))
    assert run(capsys, "set-status", WEB, "draft")[0] == EXIT_OK  # a colleague, meanwhile
    code, out, err = run(capsys, "update", WEB, path)
    assert code == EXIT_API and "changed on the server" in err and "etag 1 -> 2" in err
    assert 'replace /status: "draft" -> "approved"' in out  # the revert it would have sent, shown
    assert len(requests(demo, "PATCH")) == 1
    code, _, err = run(capsys, "update", WEB, path, "--force")
    assert code == EXIT_OK and stored(demo, WEB)["status"] == "approved"


# -- set-status -------------------------------------------------------------------------------


def test_set_status_is_one_patch_of_status(capsys, demo):
    code, out, err = run(capsys, "set-status", FALLBACK, "archived")
    assert code == EXIT_OK, err
    [patch] = requests(demo, "PATCH")
    assert patch["json"] == [{"op": "replace", "path": "/status", "value": "archived"}]
    assert patch["query"]["offer-type"] == "fallback"
    assert 'replace /status: "approved" -> "archived"' in out and "etag" in out
    code, _, err = run(capsys, "set-status", FALLBACK, "archived")
    assert code == EXIT_OK and "already archived" in err and len(requests(demo, "PATCH")) == 1


# -- unknown outcomes, settled by a re-read -----------------------------------------------------


def test_a_patch_answered_500_is_read_again_and_found_not_applied(capsys, demo):
    demo.fail_next(500, path_prefix="/offers", process_first=False, method="PATCH")
    code, _, err = run(capsys, "set-status", WEB, "draft")
    assert code == EXIT_API, err
    assert "it was not applied; you may send it again" in err
    assert len(requests(demo, "PATCH")) == 1 and stored(demo, WEB)["status"] == "approved"


def test_a_patch_answered_500_after_it_was_applied_is_found_applied(capsys, demo):
    demo.fail_next(500, path_prefix="/offers", process_first=True, method="PATCH")
    code, out, err = run(capsys, "set-status", WEB, "draft")
    assert code == EXIT_OK, err
    assert "The server now has etag 2 and status draft: your change was applied." in out
    assert len(requests(demo, "PATCH")) == 1


def test_a_gateway_502_leaves_a_patch_that_is_not_there_yet_unknown(capsys, demo):
    demo.fail_next(502, path_prefix="/offers", method="PATCH")  # the backend may still be working on it
    code, _, err = run(capsys, "set-status", WEB, "archived")
    assert code == EXIT_UNKNOWN and "may still be in flight" in err
    assert len(requests(demo, "PATCH")) == 1


def test_a_dropped_patch_that_did_not_land_stays_unknown(capsys, demo):
    demo.drop_connection_next(path_prefix="/offers", process_first=False, method="PATCH")
    code, _, err = run(capsys, "set-status", WEB, "archived")
    assert code == EXIT_UNKNOWN and "may still be in flight" in err
    assert len(requests(demo, "PATCH")) == 1


def test_a_delete_whose_connection_drops_is_read_again_and_found_gone(capsys, demo):
    demo.drop_connection_next(path_prefix="/offers", process_first=True, method="DELETE")
    before_gets = len(requests(demo, "GET"))
    code, out, err = run(capsys, "delete", WEB, "--yes")
    assert code == EXIT_OK, err
    assert "The offer is gone (404): it was deleted." in out
    assert len(requests(demo, "DELETE")) == 1 and WEB not in demo.offers
    assert len(requests(demo, "GET")) == before_gets + 2  # the offer before, the re-read after


def test_a_delete_answered_500_is_found_still_there(capsys, demo):
    demo.fail_next(500, path_prefix="/offers", process_first=False, method="DELETE")
    code, _, err = run(capsys, "delete", WEB, "--yes")
    assert code == EXIT_API and "The offer still exists (etag 1): it was not deleted." in err
    assert WEB in demo.offers and len(requests(demo, "DELETE")) == 1


# -- delete's confirmations ------------------------------------------------------------------------


def test_delete_asks_for_the_name_and_refuses_a_wrong_one(capsys, demo, monkeypatch):
    monkeypatch.setattr(sys, "stdin", TtyInput("Winter sale\n"))
    code, _, err = run(capsys, "delete", WEB)
    assert code == EXIT_NOT_CONFIRMED and "Type its name to confirm" in err and "is not the offer's name" in err
    assert requests(demo, "DELETE") == [] and WEB in demo.offers
    monkeypatch.setattr(sys, "stdin", TtyInput("Winter sale 20% (web)\n"))
    code, out, err = run(capsys, "delete", WEB)
    assert code == EXIT_OK and "Deleted personalized offer 'Winter sale 20% (web)'" in out
    assert WEB not in demo.offers


def test_delete_with_nothing_typed_ctrl_d_deletes_nothing(capsys, demo, monkeypatch):
    monkeypatch.setattr(sys, "stdin", TtyInput(""))  # Ctrl+D at the prompt
    code, _, err = run(capsys, "delete", WEB)
    assert code == EXIT_NOT_CONFIRMED and "Not deleted: nothing typed." in err
    assert requests(demo, "DELETE") == [] and WEB in demo.offers


def test_an_offer_without_a_name_is_confirmed_by_its_id(capsys, demo, monkeypatch):
    demo.state.add_offer("personalized", "dps:personalized-offer:noname", {**stored(demo, WEB), "name": "  "},
                         created="2026-01-01T00:00:00.000Z", modified="2026-01-01T00:00:00.000Z")
    monkeypatch.setattr(sys, "stdin", TtyInput("  \n"))
    code, _, err = run(capsys, "delete", "dps:personalized-offer:noname")
    assert code == EXIT_NOT_CONFIRMED and "Type its id to confirm" in err and "nothing typed" in err
    monkeypatch.setattr(sys, "stdin", TtyInput("dps:personalized-offer:noname\n"))
    assert run(capsys, "delete", "dps:personalized-offer:noname")[0] == EXIT_OK
    assert "dps:personalized-offer:noname" not in demo.offers


def test_delete_without_a_terminal_or_yes_refuses_at_once(capsys, demo):
    code, _, err = run(capsys, "delete", FREE_FALLBACK)  # stdin is a pipe: never wait on it
    assert code == EXIT_NOT_CONFIRMED and "Pass --yes" in err
    assert requests(demo, "DELETE") == [] and FREE_FALLBACK in demo.offers


def test_delete_of_a_missing_offer_is_refused(capsys, demo):
    code, _, err = run(capsys, "delete", "dps:personalized-offer:0000000000000000", "--yes")
    assert code == EXIT_API and "not found" in err and requests(demo, "DELETE") == []


def test_a_production_profile_always_asks_for_the_sandbox(capsys, demo, monkeypatch):
    settings = demo_settings(demo)
    for name in ("OFFER_TUI_ENDPOINT", "OFFER_TUI_IMS_URL", "OFFER_TUI_CLIENT_ID", "OFFER_TUI_CLIENT_SECRET",
                 "OFFER_TUI_IMS_ORG", "OFFER_TUI_SANDBOX"):
        monkeypatch.delenv(name)
    monkeypatch.setattr(sys, "stdin", io.StringIO(settings.client_secret + "\n"))
    code, _, err = run(capsys, "profile", "add", "live", "--client-id", settings.client_id, "--ims-org", settings.ims_org,
                       "--sandbox", settings.sandbox, "--endpoint", settings.endpoint, "--ims-url", settings.ims_url,
                       "--secret-stdin", "--production")
    assert code == EXIT_OK, err
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run(capsys, "delete", WEB, "--yes", "--profile", "live")
    assert code == EXIT_NOT_CONFIRMED and "production profile" in err and "--confirm-sandbox" in err
    code, _, err = run(capsys, "delete", WEB, "--yes", "--profile", "live", "--confirm-sandbox", "prod")
    assert code == EXIT_NOT_CONFIRMED and "is not the sandbox name" in err
    assert requests(demo, "DELETE") == []
    monkeypatch.setattr(sys, "stdin", TtyInput(f"{settings.sandbox}\nWinter sale 20% (web)\n"))
    code, _, err = run(capsys, "--profile", "live", "delete", WEB)
    assert code == EXIT_OK, err
    assert "Production sandbox" in err and "Type its name" in err and WEB not in demo.offers
    code, _, err = run(capsys, "delete", FREE_FALLBACK, "--yes", "--profile", "live", "--confirm-sandbox", settings.sandbox)
    assert code == EXIT_OK and FREE_FALLBACK not in demo.offers
    # Every command takes --profile.
    assert run(capsys, "list", "--profile", "live", "--limit", "1")[0] == EXIT_OK
    assert run(capsys, "get", "--profile", "live", "dps:personalized-offer:1e9d5c0000000001")[0] == EXIT_OK


def test_ids_with_reserved_characters_are_percent_encoded(capsys, demo):
    odd = "dps:personalized-offer:a/b?c#d"
    demo.state.add_offer("personalized", odd, stored(demo, WEB), created="2026-01-01T00:00:00.000Z",
                         modified="2026-01-01T00:00:00.000Z")
    code, out, _ = run(capsys, "get", odd, "--json")
    assert code == EXIT_OK and json.loads(out)["id"] == odd
    assert requests(demo, "GET")[-1]["path"].endswith(quote(odd, safe=""))


def test_a_delete_dropped_before_it_landed_stays_unknown(capsys, demo):
    demo.drop_connection_next(path_prefix="/offers", process_first=False, method="DELETE")
    code, _, err = run(capsys, "delete", WEB, "--yes")
    assert code == EXIT_UNKNOWN and "still exists (etag 1) for now" in err
    assert WEB in demo.offers and len(requests(demo, "DELETE")) == 1


def test_list_json_into_a_pipe_closed_early_ends_quietly(monkeypatch):
    """`offer-tui list --json | head -c 100`: no traceback, exit 0, no hang."""
    import os
    import subprocess
    from pathlib import Path

    server = DemoServer(seed_offers=3000, page_size=100).start()
    try:
        settings = demo_settings(server)
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent),
               "OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
               "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
               "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox}
        proc = subprocess.Popen([sys.executable, "-m", "offer_tui", "list", "--json"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        first = proc.stdout.read(100)
        proc.stdout.close()
        _, stderr = proc.communicate(timeout=30)
        assert first.startswith(b'{"name": ')
        assert proc.returncode == EXIT_OK and b"Traceback" not in stderr, stderr.decode()
    finally:
        server.stop()


# Whatever the server sends, the table and the summary neither crash nor print control characters.
_junk_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
_junk = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _junk_text,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_junk_text, inner, max_size=3),
                     max_leaves=12)
_keys = st.sampled_from(["id", "name", "status", "rank", "selectionConstraint", "modified", "created", "etag",
                         "representations", "frequencyCappingConstraints", "cappingConstraint", "tags",
                         "description", "lastModifiedBy", "schemas"])


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_keys, _junk | st.dictionaries(_keys | _junk_text, _junk, max_size=4)
                       | st.lists(st.dictionaries(_keys | _junk_text, _junk, max_size=4), max_size=3), max_size=10))
def test_any_server_offer_renders_safely(offer):
    from offer_tui.commands.library_text import fit_rows, summary_lines

    lines = summary_lines(offer, {"p": "\x1b[2Jname"})
    _, rows = fit_rows([(offer, "personalized")], 80)
    for text in [*lines, *(c for row in rows for c in row)]:
        assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in text), repr(text)
