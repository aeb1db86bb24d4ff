"""`offer-tui profile ...` and `login` handlers, with a canary secret that must never be printed."""

from __future__ import annotations

import argparse
import io
import os
import stat

import pytest
from keyring_support import TEST_TIMEOUT

from offer_tui.credentials import ProfileStore
from offer_tui.commands.credentials import add_login_parser, add_profile_parser, run
from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX

CANARY = "CANARY-5ecret-0000-do-not-leak"

pytestmark = pytest.mark.timeout(30)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="offer-tui")
    top.add_argument("--profile")
    sub = top.add_subparsers(dest="command")
    add_profile_parser(sub)
    add_login_parser(sub)
    return top


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"Result({self.code}, out={self.out!r}, err={self.err!r})"


def cli(*argv, stdin="", prompt=None, environ=None) -> Result:
    out, err = io.StringIO(), io.StringIO()
    args = parser().parse_args(list(argv))
    code = run(
        args, stdin=io.StringIO(stdin), stdout=out, stderr=err,
        prompt=prompt or (lambda label: pytest.fail(f"unexpected prompt {label!r}")),
        environ=environ if environ is not None else os.environ, keyring_timeout=TEST_TIMEOUT,
    )
    result = Result(code, out.getvalue(), err.getvalue())
    assert CANARY not in result.out + result.err
    return result


ADD = ("profile", "add", "dev", "--client-id", "cid-dev", "--ims-org", "DEV@AdobeOrg", "--sandbox", "dev-sb")


def test_add_with_secret_from_stdin_goes_to_the_keyring(memory_keyring):
    r = cli(*ADD, "--secret-stdin", stdin=CANARY + "\n")
    assert r.code == 0, r
    assert "Saved profile dev" in r.out and "OS keyring" in r.out and "default profile" in r.out
    assert memory_keyring.passwords[("offer-tui", "dev:client_secret")] == CANARY
    assert CANARY not in ProfileStore().path.read_text()


def test_add_with_masked_prompt(memory_keyring):
    labels = []
    r = cli(*ADD, prompt=lambda label: labels.append(label) or CANARY)
    assert r.code == 0 and labels == ["Client secret for profile dev: "]
    assert memory_keyring.passwords[("offer-tui", "dev:client_secret")] == CANARY


def test_secret_is_not_accepted_as_an_argument():
    with pytest.raises(SystemExit):
        parser().parse_args([*ADD, "--client-secret", CANARY])


def test_empty_secret_saves_nothing():
    r = cli(*ADD, "--secret-stdin", stdin="\n")
    assert r.code == 1 and "no client secret" in r.err
    assert ProfileStore().names() == []


@pytest.mark.parametrize("fixture", ["fail_keyring", "null_keyring"])
def test_add_without_secure_keyring_exits_non_zero_and_explains(fixture, request):
    request.getfixturevalue(fixture)
    r = cli(*ADD, "--secret-stdin", stdin=CANARY)
    assert r.code == 1
    assert "NOT stored" in r.err and "OFFER_TUI_CLIENT_SECRET" in r.err
    assert "--insecure-storage" in r.err and "dbus-run-session" in r.err
    # The non-secret part is kept for use with the environment variable or a session prompt.
    assert ProfileStore().get("dev").client_id == "cid-dev"


def test_add_with_insecure_storage_writes_a_0600_file_and_warns(fail_keyring):
    r = cli(*ADD, "--secret-stdin", "--insecure-storage", stdin=CANARY)
    assert r.code == 0, r
    assert "WARNING" in r.err and "plain text" in r.err
    path = ProfileStore().path.parent / "secrets.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # Every later start warns, because the opt-in file exists.
    r = cli("profile", "show", "dev")
    assert "WARNING" in r.err and "CANA••••" in r.out and "(insecure file)" in r.out


def test_list_show_use_remove(memory_keyring):
    cli(*ADD, "--secret-stdin", stdin=CANARY)
    cli("profile", "add", "prod", "--client-id", "cid-p", "--ims-org", "P@AdobeOrg", "--sandbox", "prod",
        "--secret-stdin", stdin="prod-secret-value")
    r = cli("profile", "list")
    assert r.out.splitlines()[0].startswith("* dev")
    assert "prod" in r.out and "[production]" in r.out

    r = cli("profile", "show", "dev", environ=dict(os.environ, OFFER_TUI_SANDBOX="override-sb"))
    assert r.code == 0
    assert "CANA••••" in r.out and "(keyring)" in r.out
    assert "override-sb" in r.out and "(env OFFER_TUI_SANDBOX)" in r.out
    assert "(profile dev)" in r.out and "Keyring: secure" in r.out

    assert cli("profile", "use", "prod").code == 0
    assert ProfileStore().default_name == "prod"
    r = cli("profile", "remove", "prod")
    assert r.code == 0 and "Removed profile prod" in r.out
    assert ("offer-tui", "prod:client_secret") not in memory_keyring.passwords
    assert ProfileStore().default_name == "dev"
    assert cli("profile", "remove", "prod").code == 6  # unknown profile: local state (EXIT_LOCAL)


def test_list_json_and_empty():
    assert "No profiles yet" in cli("profile", "list").out
    cli(*ADD, "--secret-stdin", stdin=CANARY)
    r = cli("profile", "list", "--json")
    assert '"default": true' in r.out and '"name": "dev"' in r.out


def test_show_unknown_profile():
    r = cli("profile", "show", "nope")
    assert r.code == 6 and "No profile named 'nope'" in r.err


def add_demo(server):
    return cli("profile", "add", "demo", "--client-id", DEMO_CLIENT_ID, "--ims-org", DEMO_IMS_ORG,
               "--sandbox", DEMO_SANDBOX, "--endpoint", server.base_url, "--ims-url", server.ims_url,
               "--secret-stdin", stdin=DEMO_CLIENT_SECRET)


def test_login_mints_once_then_reuses(demo_server):
    assert add_demo(demo_server).code == 0
    r = cli("login")
    assert r.code == 0, r
    assert "new token valid for 23h" in r.out and "OS keyring" in r.out
    r = cli("--profile", "demo", "login")
    assert "cached token still valid" in r.out
    assert demo_server.token_mints == 1
    r = cli("login", "--profile", "demo", "--force")
    assert "new token" in r.out and demo_server.token_mints == 2


def test_login_with_bad_secret_says_what_failed(demo_server):
    cli("profile", "add", "demo", "--client-id", DEMO_CLIENT_ID, "--ims-org", DEMO_IMS_ORG,
        "--sandbox", DEMO_SANDBOX, "--endpoint", demo_server.base_url, "--ims-url", demo_server.ims_url,
        "--secret-stdin", stdin=CANARY)
    r = cli("login")
    assert r.code == 3
    assert "invalid_client" in r.err and "OFFER_TUI_CLIENT_SECRET" in r.err


def test_login_on_a_jump_host_prompts_once_per_run(demo_server, fail_keyring):
    env = dict(os.environ, OFFER_TUI_CLIENT_ID=DEMO_CLIENT_ID, OFFER_TUI_IMS_ORG=DEMO_IMS_ORG,
               OFFER_TUI_SANDBOX=DEMO_SANDBOX, OFFER_TUI_IMS_URL=demo_server.ims_url)
    asked = []
    r = cli("login", environ=env, prompt=lambda label: asked.append(label) or DEMO_CLIENT_SECRET)
    assert r.code == 0, r
    assert asked == ["Client secret: "]
    assert "kept in memory only" in r.out


def test_login_without_anything_explains():
    r = cli("login", prompt=lambda label: "")
    assert r.code == 1 and "No client id" in r.err


def test_add_keeps_a_decisions_endpoint(memory_keyring):
    r = cli(*ADD, "--decisions-endpoint", " https://decide.example.test/ods/decisions ", "--secret-stdin",
            stdin=CANARY + "\n")
    assert r.code == 0, r
    assert ProfileStore().get("dev").decisions_endpoint == "https://decide.example.test/ods/decisions"
