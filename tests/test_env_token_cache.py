"""With credentials only in environment variables, the token is cached like a profile's when a
secure keyring exists (issue 13, 5): three commands, one mint. The cache key is a hash of client
id + org + IMS URL, never the secret."""

from __future__ import annotations

import io
import sys

import pytest

from offer_tui.cli import main
from offer_tui.demo import demo_settings
from offer_tui.exit_codes import EXIT_OK

pytestmark = pytest.mark.timeout(60)


def _env(monkeypatch, settings, **changes):
    values = {"OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
              "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
              "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox, **changes}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def test_three_commands_with_env_credentials_mint_one_token(capsys, demo_server, monkeypatch, memory_keyring):
    settings = demo_settings(demo_server)
    _env(monkeypatch, settings)
    for argv in (["rules"], ["placements"], ["list"]):
        assert main(argv) == EXIT_OK, capsys.readouterr().err
    assert demo_server.token_mints == 1
    stored = repr(memory_keyring.passwords)
    assert settings.client_secret not in stored  # the key is a hash, and the secret is not cached here


def test_another_org_or_ims_url_does_not_reuse_the_token(capsys, demo_server, monkeypatch, memory_keyring):
    settings = demo_settings(demo_server)
    _env(monkeypatch, settings)
    assert main(["rules"]) == EXIT_OK
    _env(monkeypatch, settings, OFFER_TUI_IMS_ORG="OTHER@AdobeOrg")
    main(["rules"])  # the demo refuses the other org (403) whatever the token: what counts is the mint
    assert demo_server.token_mints == 2  # the first org's token was not offered for the second
