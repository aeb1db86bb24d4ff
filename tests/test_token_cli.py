"""`offer-tui token`: a valid token on stdout and nothing else; errors on stderr with exit codes."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from offer_tui.cli import main
from offer_tui.credentials import KeyringStore, Profile, ProfileStore
from offer_tui.demo import DEMO_CLIENT_SECRET, demo_settings
from offer_tui.exit_codes import EXIT_API, EXIT_OK


def add_profile(server, name: str = "dev", secret: str = DEMO_CLIENT_SECRET) -> None:
    settings = demo_settings(server)
    ProfileStore().add(Profile(name=name, client_id=settings.client_id, ims_org=settings.ims_org,
                               sandbox=settings.sandbox, endpoint=settings.endpoint, ims_url=settings.ims_url))
    KeyringStore().set_client_secret(name, secret)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def placements_with(server, token: str) -> int:
    settings = demo_settings(server)
    response = httpx.get(f"{settings.endpoint}/placements", headers={
        "Authorization": f"Bearer {token}", "x-api-key": settings.client_id,
        "x-gw-ims-org-id": settings.ims_org, "x-sandbox-name": settings.sandbox})
    return response.status_code


def test_prints_only_a_token_that_works_and_reuses_the_cached_one(server, capsys):
    add_profile(server)
    code, out, err = run(capsys, "token")
    assert code == EXIT_OK, err
    token = out.removesuffix("\n")
    assert out == token + "\n" and token and "\n" not in token and " " not in token
    assert placements_with(server, token) == 200
    assert placements_with(server, "not-a-token") != 200  # the demo API does check it
    assert server.token_mints == 1
    code, again, _ = run(capsys, "token")
    assert code == EXIT_OK and again == out  # the cached token, not a new one
    assert server.token_mints == 1


def test_profile_flag_picks_the_profile(server, capsys):
    add_profile(server, "good")
    add_profile(server, "bad", secret="wrong-" + DEMO_CLIENT_SECRET)
    ProfileStore().use("bad")
    code, out, err = run(capsys, "token", "--profile", "good")
    assert code == EXIT_OK and out.strip(), err
    code, out, err = run(capsys, "token")
    assert code == EXIT_API and out == ""
    assert "invalid_client" in err and "wrong-" not in err


def test_no_credentials_is_an_error_on_stderr_only(capsys):
    code, out, err = run(capsys, "token")
    assert code == EXIT_API and out == ""
    assert err.startswith("error: ")


def test_in_a_shell_substitution_stdout_is_the_token_alone(server, tmp_path):
    settings = demo_settings(server)
    env = {key: value for key, value in os.environ.items() if not key.startswith("OFFER_TUI_")}
    env.update(OFFER_TUI_CLIENT_ID=settings.client_id, OFFER_TUI_CLIENT_SECRET=settings.client_secret,
               OFFER_TUI_IMS_ORG=settings.ims_org, OFFER_TUI_SANDBOX=settings.sandbox,
               OFFER_TUI_ENDPOINT=settings.endpoint, OFFER_TUI_IMS_URL=settings.ims_url,
               OFFER_TUI_CONFIG_DIR=str(tmp_path / "config"), OFFER_TUI_STATE_DIR=str(tmp_path / "state"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               PYTHONPATH=os.pathsep.join(sys.path))
    result = subprocess.run([sys.executable, "-m", "offer_tui", "token"], env=env, capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.count("\n") == 1
    assert placements_with(server, result.stdout.strip()) == 200
    assert settings.client_secret not in result.stdout + result.stderr
