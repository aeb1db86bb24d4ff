"""The offer-tui command line, against the demo API over loopback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from offer_tui.cli import EXIT_API, EXIT_INVALID, EXIT_OK, EXIT_UNKNOWN, main
from offer_tui.demo import PLACEMENTS, RULES, demo_settings

EXAMPLE = Path(__file__).parent.parent / "examples" / "personalized-offer.json"


@pytest.fixture
def demo_env(demo_server, monkeypatch):
    """Point the OFFER_TUI_* variables at the demo server, as a user would export them."""
    settings = demo_settings(demo_server)
    for name, value in {
        "OFFER_TUI_ENDPOINT": settings.endpoint,
        "OFFER_TUI_IMS_URL": settings.ims_url,
        "OFFER_TUI_CLIENT_ID": settings.client_id,
        "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
        "OFFER_TUI_IMS_ORG": settings.ims_org,
        "OFFER_TUI_SANDBOX": settings.sandbox,
    }.items():
        monkeypatch.setenv(name, value)
    return demo_server


def posts(server) -> list[dict]:
    return [r for r in server.received if r["method"] == "POST" and r["path"].endswith("/offers")]


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(tmp_path, content, name="offer.json") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return str(path)


# -- validate ----------------------------------------------------------------


def test_validate_accepts_the_seed_and_the_example(capsys):
    seed = str(Path(__file__).parent / "data" / "seed_offer.json")
    code, out, err = run(capsys, "validate", seed, str(EXAMPLE))
    assert code == EXIT_OK
    assert "valid personalized offer" in err
    # Adobe's example ended in 2023: warned, not refused; the example file says nothing.
    assert out.splitlines() == [
        f"{seed}: warning: selectionConstraint.endDate: is in the past: the offer will never be shown",
        f"{seed}: warning: frequencyCappingConstraints[0].endDate: is in the past: this cap no longer applies",
    ]


def test_validate_warns_about_an_end_at_midnight(capsys, tmp_path, seed_doc):
    seed_doc["selectionConstraint"]["endDate"] = "2099-07-29T00:00:00.000+02:00"
    code, out, _ = run(capsys, "validate", write(tmp_path, seed_doc))
    assert code == EXIT_OK
    assert ("warning: selectionConstraint.endDate: ends at 00:00, which leaves out 2099-07-29 itself; "
            "to include that day end at 2099-07-29T23:59:59.000+02:00") in out


def test_validate_accepts_adobes_documented_fallback_offer(capsys):
    # The request body of Adobe's "Create a fallback offer" page (journey-optimizer.en,
    # offers-api/fallback-offers/create.md): an imagelink with a deliveryURL and no language.
    fallback = str(Path(__file__).parent / "data" / "adobe_fallback_offer.json")
    code, out, err = run(capsys, "validate", "--offer-type", "fallback", fallback)
    assert code == EXIT_OK, err
    assert "valid fallback offer" in err and out == ""


def test_validate_prints_one_path_reason_line_per_error(capsys, tmp_path, seed_doc):
    seed_doc["rank"]["priority"] = -1
    seed_doc["representations"][0]["components"][0]["format"] = "text/plain"
    code, out, err = run(capsys, "validate", write(tmp_path, seed_doc))
    assert code == EXIT_INVALID
    lines = [line for line in out.splitlines() if not line.startswith("warning: ")]
    assert "rank.priority: must be at least 0" in lines
    assert any(line.startswith("representations[0].components[0].format: ") for line in lines)
    assert len(lines) == 2
    assert "2 errors" in err


def test_validate_prints_warnings_and_still_passes(capsys, tmp_path, seed_doc):
    seed_doc["representations"][0]["channel"] = "https://ns.adobe.com/xdm/channel-types/mobile"
    seed_doc["frequencyCappingConstraints"][0]["enabled"] = True
    code, out, _ = run(capsys, "validate", write(tmp_path, seed_doc))
    assert code == EXIT_OK
    assert "warning: frequencyCappingConstraints: capping is not supported in mobile" in out


def test_validate_fallback_type_rejects_capping(capsys, tmp_path, seed_doc):
    code, out, _ = run(capsys, "validate", "--offer-type", "fallback", write(tmp_path, seed_doc))
    assert code == EXIT_INVALID
    assert "frequencyCappingConstraints: a fallback offer cannot be capped" in out


@pytest.mark.parametrize(
    "content, needle",
    [
        (b'{"name": "x",', "malformed JSON"),
        (b'["not", "an", "offer"]', "expected a JSON object"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary file"),
        (None, "no such file"),
    ],
)
def test_validate_bad_files_give_a_single_clear_line(capsys, tmp_path, content, needle):
    path = write(tmp_path, content) if content is not None else str(tmp_path / "missing.json")
    code, out, err = run(capsys, "validate", path)
    assert code == EXIT_INVALID
    assert err.count("\n") == 1 and needle in err and path in err
    assert "Traceback" not in out + err


def test_validate_many_files_prefixes_each_line_and_checks_all(capsys, tmp_path, seed_doc):
    bad = dict(seed_doc, name="")
    code, out, err = run(capsys, "validate", write(tmp_path, b"[]", "a.json"), write(tmp_path, bad, "b.json"), str(EXAMPLE))
    assert code == EXIT_INVALID
    assert f"{tmp_path / 'b.json'}: name: is required" in out
    assert "a.json: expected a JSON object" in err and "valid personalized offer" in err


def test_validate_and_submit_do_not_load_textual(tmp_path):
    script = (
        "import sys; from offer_tui.cli import main; "
        f"code = main(['validate', {str(EXAMPLE)!r}]); "
        f"main(['submit', '--dry-run', {str(EXAMPLE)!r}]); "
        "print('textual loaded' if any(m.startswith('textual') for m in sys.modules) else 'no textual')"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().endswith("no textual"), result.stderr


def test_console_script_help_runs():
    result = subprocess.run([sys.executable, "-m", "offer_tui", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("validate", "submit", "placements", "rules", "demo-server"):
        assert command in result.stdout


# -- submit ------------------------------------------------------------------


def test_submit_sends_the_file_exactly_and_prints_the_receipt(capsys, demo_env):
    code, out, err = run(capsys, "submit", str(EXAMPLE))
    assert code == EXIT_OK, err
    sent = posts(demo_env)
    assert len(sent) == 1
    original = json.loads(EXAMPLE.read_text())
    assert json.dumps(sent[0]["json"]) == json.dumps(original)  # same keys, order and strings
    (offer_id,) = demo_env.offers
    assert f"id:       {offer_id}" in out and "HTTP 201" in out
    assert sent[0]["query"]["offer-type"] in ("personalized", ["personalized"])


def test_submit_json_output_is_machine_readable(capsys, demo_env):
    code, out, _ = run(capsys, "submit", "--json", str(EXAMPLE))
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["status"] == 201 and data["receipt"]["id"] in demo_env.offers
    assert data["receipt"]["etag"] == 1


def test_submit_dry_run_sends_nothing(capsys, demo_env):
    code, out, err = run(capsys, "submit", "--dry-run", str(EXAMPLE))
    assert code == EXIT_OK
    assert json.loads(out) == json.loads(EXAMPLE.read_text())
    assert "nothing was sent" in err
    assert demo_env.received == []


def test_submit_refuses_an_invalid_offer_before_sending(capsys, tmp_path, demo_env, seed_doc):
    seed_doc["selectionConstraint"]["endDate"] = "2020-01-01T00:00:00.000+00:00"
    code, _, err = run(capsys, "submit", write(tmp_path, seed_doc))
    assert code == EXIT_INVALID
    assert "selectionConstraint.endDate: must come after the start date" in err
    assert demo_env.received == []


def test_submit_api_error_shows_message_and_hint(capsys, demo_env, monkeypatch):
    monkeypatch.setenv("OFFER_TUI_SANDBOX", "some-other-sandbox")
    code, _, err = run(capsys, "submit", str(EXAMPLE))
    assert code == EXIT_API
    assert "HTTP 403" in err and "403025" in err
    assert "hint:" in err and "sandbox" in err.split("hint:")[1]
    assert demo_env.offers == {}


def test_submit_field_errors_from_the_server_are_listed(capsys, tmp_path, demo_env, seed_doc):
    # The seed's placement does not exist in the demo sandbox: only the server can know.
    code, _, err = run(capsys, "submit", write(tmp_path, seed_doc))
    assert code == EXIT_API
    assert "  representations[0].placement: " in err


@pytest.mark.parametrize("misbehave", ["drop", "503"])
def test_submit_with_unknown_outcome_is_never_retried(capsys, demo_env, misbehave):
    if misbehave == "drop":
        demo_env.drop_connection_next(path_prefix="/offers")
    else:
        # process_first: a 503 after storing it; without it the lookup by name would settle it
        demo_env.fail_next(503, path_prefix="/offers", process_first=True, method="POST")
    code, _, err = run(capsys, "submit", str(EXAMPLE))
    assert code == EXIT_UNKNOWN
    assert len(posts(demo_env)) == 1
    assert "unknown" in err.lower() and "offer-tui find --name" in err


def test_submit_after_an_answered_503_looks_it_up_by_name_and_says_not_created(capsys, demo_env):
    # The service answered (503, not a gateway's 502/504) and holds no offer of that name: certain.
    demo_env.fail_next(503, path_prefix="/offers", method="POST")
    code, _, err = run(capsys, "submit", str(EXAMPLE))
    assert code == EXIT_API and len(posts(demo_env)) == 1
    assert "it was not created" in err and not demo_env.offers


def test_find_shows_an_offer_after_an_unknown_outcome(capsys, demo_env):
    demo_env.drop_connection_next(path_prefix="/offers")
    run(capsys, "submit", str(EXAMPLE))
    name = json.loads(EXAMPLE.read_text())["name"]
    code, out, _ = run(capsys, "find", "--name", name)
    assert code == EXIT_OK
    (offer_id,) = demo_env.offers
    assert offer_id in out and name in out


def test_submit_without_credentials_says_what_to_set(capsys, monkeypatch):
    code, _, err = run(capsys, "submit", str(EXAMPLE))
    assert code == EXIT_API
    assert "OFFER_TUI_CLIENT_ID" in err and "Traceback" not in err


def test_refused_connection_is_a_clear_error(capsys, monkeypatch):
    import socket

    with socket.socket() as sock:  # a port that is certainly closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("OFFER_TUI_ENDPOINT", f"http://127.0.0.1:{port}/data/core/dps")
    monkeypatch.setenv("OFFER_TUI_ACCESS_TOKEN", "t")
    code, _, err = run(capsys, "rules")
    assert code == EXIT_API
    assert err.startswith("error:") and "Traceback" not in err


# -- placements and rules ----------------------------------------------------


def test_placements_table_follows_every_page(capsys, demo_env):
    code, out, _ = run(capsys, "placements")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "CHANNEL", "COMPONENTTYPE"]
    assert len(lines) == 1 + len(PLACEMENTS) and len(PLACEMENTS) > demo_env.page_size
    row = next(line for line in lines if PLACEMENTS[0]["id"] in line)
    assert PLACEMENTS[0]["name"] in row and " web " in row and row.endswith(PLACEMENTS[0]["componentType"])


def test_placements_channel_filter_and_json(capsys, demo_env):
    code, out, _ = run(capsys, "placements", "--channel", "email", "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    expected = [p["id"] for p in PLACEMENTS if p["channel"].endswith("/email")]
    assert [p["id"] for p in data] == expected and expected


def test_rules_table_and_json(capsys, demo_env):
    code, out, _ = run(capsys, "rules")
    assert code == EXIT_OK
    assert len(out.splitlines()) == 1 + len(RULES)
    assert RULES[0]["id"] in out and RULES[0]["name"] in out
    code, out, _ = run(capsys, "rules", "--json")
    assert [r["id"] for r in json.loads(out)] == [r["id"] for r in RULES]


# -- profiles ----------------------------------------------------------------


def test_a_profile_added_once_submits_without_a_secret_and_reuses_its_token(capsys, demo_server, monkeypatch):
    import io

    settings = demo_settings(demo_server)
    monkeypatch.setattr(sys, "stdin", io.StringIO(settings.client_secret + "\n"))
    code, out, err = run(
        capsys, "profile", "add", "demo", "--client-id", settings.client_id, "--ims-org", settings.ims_org,
        "--sandbox", settings.sandbox, "--endpoint", settings.endpoint, "--ims-url", settings.ims_url, "--secret-stdin",
    )
    assert code == EXIT_OK, err
    code, out, err = run(capsys, "submit", str(EXAMPLE))
    assert code == EXIT_OK, err
    code, out2, err2 = run(capsys, "--profile", "demo", "rules")
    assert code == EXIT_OK and RULES[0]["id"] in out2
    assert demo_server.token_mints == 1  # minted once, cached in the keyring, reused by the next run
    assert settings.client_secret not in out + err + out2 + err2


def test_unknown_profile_is_a_clear_error(capsys):
    code, _, err = run(capsys, "rules", "--profile", "nope")
    assert code == 6  # EXIT_LOCAL: local state, not the API's 3
    assert "nope" in err and "Traceback" not in err


def test_demo_server_can_be_told_to_fail_for_a_demo():
    """`offer-tui demo-server --fail 503x2` makes the next two creates fail, then it recovers."""
    import threading

    from offer_tui.demo import standalone

    started: list = []
    real_start = standalone.DemoServer.start

    def spy_start(self):
        started.append(self)
        return real_start(self)

    stop = threading.Event()
    out = io.StringIO()
    original = standalone.DemoServer.start
    standalone.DemoServer.start = spy_start
    try:
        thread = threading.Thread(target=standalone.run_standalone, args=(0, 0.0, out),
                                  kwargs={"stop_event": stop, "fail": (503, 2)}, daemon=True)
        thread.start()
        for _ in range(100):
            if started and started[0].running and "Press Ctrl+C" in out.getvalue():
                break
            threading.Event().wait(0.02)
        server = started[0]
        import httpx

        settings = demo_settings(server, with_token=True)
        headers = {"Authorization": f"Bearer {settings.access_token}", "x-api-key": settings.client_id,
                   "x-gw-ims-org-id": settings.ims_org, "x-sandbox-name": settings.sandbox}
        codes = [httpx.post(f"{server.base_url}/offers?offer-type=personalized", json={}, headers=headers,
                            timeout=5).status_code for _ in range(3)]
        assert codes == [503, 503, 400]  # then the real validation answers
    finally:
        standalone.DemoServer.start = original
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_demo_server_rejects_a_bad_fail_spec(capsys):
    with pytest.raises(SystemExit):
        from offer_tui.demo import main as demo_main

        demo_main(["--fail", "ok"])
    assert "503x2" in capsys.readouterr().err
