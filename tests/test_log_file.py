"""The opt-in diagnostic log (issue 13, 5): --log FILE / OFFER_TUI_LOG, 0600, appended, every
swallowed exception with its traceback, and never a secret or a token (the canary)."""

from __future__ import annotations

import asyncio
import io
import os
import stat
import sys

import pytest

from offer_tui import log
from offer_tui.cli import main
from offer_tui.credentials import MemoryStore, ProfileStore
from offer_tui.credentials.probe import run_connection_test
from offer_tui.demo import demo_settings
from offer_tui.exit_codes import EXIT_OK, EXIT_USAGE

pytestmark = pytest.mark.timeout(60)

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ"


@pytest.fixture(autouse=True)
def _closed_log():
    yield
    log.close()


def _env(monkeypatch, settings):
    for name, value in {"OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
                        "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
                        "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox}.items():
        monkeypatch.setenv(name, value)


def test_canary_no_secret_or_token_reaches_the_log(tmp_path, demo_server, monkeypatch):
    """A failing flow (the credentials check: token minted, then listing placements raises an error
    that carries the client secret and the token, bare and as a header) is logged with its traceback,
    and the file holds neither the secret nor the token."""
    from offer_tui.api.client import OfferClient

    settings = demo_settings(demo_server)
    _env(monkeypatch, settings)
    seen: dict[str, str] = {}

    async def failing_placements(self, channel=None):
        token = await self._token_provider()
        seen["token"] = token
        raise RuntimeError(f"placements failed: secret={settings.client_secret} raw {token} "
                           f"Authorization: Bearer {token} jwt {JWT} client_secret={settings.client_secret}")

    monkeypatch.setattr(OfferClient, "list_placements", failing_placements)
    path = tmp_path / "diag.log"
    log.configure(path)
    ok, text = asyncio.run(run_connection_test(ProfileStore(), MemoryStore(), None))
    log.close()
    assert not ok
    written = path.read_text()
    assert "swallowed: testing the credentials: listing placements" in written
    assert "Traceback" in written and "RuntimeError: placements failed" in written
    assert seen["token"] and seen["token"] not in written
    assert settings.client_secret not in written
    assert JWT not in written and "canary" not in written
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_the_flag_and_the_variable_open_the_log_0600_and_append(tmp_path, capsys, demo_server, monkeypatch):
    _env(monkeypatch, demo_settings(demo_server))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    path = tmp_path / "a.log"
    path.write_text("earlier line\n")
    os.chmod(path, 0o644)
    assert main(["--log", str(path), "rules"]) == EXIT_OK
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().startswith("earlier line\n")  # appended, never truncated
    monkeypatch.setenv("OFFER_TUI_LOG", str(tmp_path / "b.log"))
    assert main(["rules"]) == EXIT_OK
    assert (tmp_path / "b.log").exists()
    assert main(["rules", "--log", str(tmp_path / "c.log")]) == EXIT_OK  # after the command too
    assert (tmp_path / "c.log").exists()


def test_a_log_that_cannot_be_opened_is_a_usage_error(tmp_path, capsys):
    code = main(["--log", str(tmp_path / "missing-dir" / "x.log"), "validate", "nothing.json"])
    assert code == EXIT_USAGE
    assert "cannot open the log file" in capsys.readouterr().err


def test_without_log_nothing_is_written_and_nothing_printed(tmp_path, capsys):
    try:
        raise ValueError("quiet")
    except ValueError:
        log.swallowed("a test")
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""
