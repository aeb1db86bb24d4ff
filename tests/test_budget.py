"""Issue 7, item 19: one time budget per user action, named in the hint; progress and a true Esc.

A loopback server that accepts connections and never answers stands in for a hung IMS or API.
Every test uses a short --timeout, so the suite stays fast; before, a token mint against it took
4 tries of 30 s = 124 s and the hint said "raise the timeout", which nothing could do.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import Static

from offer_tui.api import ApiError
from offer_tui.api.budget import DEFAULT_BUDGET, BudgetSettingError, resolve_budget
from offer_tui.api.config import Settings
from offer_tui.api.ims import ClientCredentialsProvider
from offer_tui.cli import EXIT_API, EXIT_UNKNOWN, EXIT_USAGE, main
from offer_tui.demo import demo_settings
from offer_tui.ui.screens.failure import FailureScreen
from offer_tui.ui.screens.submit import SubmitScreen
from test_ui_errors import fill_minimal_offer
from test_ui_helpers import SIZE_WIDE, make_app, settle

EXAMPLE = Path(__file__).parent.parent / "examples" / "personalized-offer.json"


@pytest.fixture
def silent():
    """http://127.0.0.1:PORT that accepts every connection and never sends a byte (bounded)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


def credentials_env(monkeypatch, server, **override) -> None:
    settings = dataclasses.replace(demo_settings(server), **override)
    for name, value in {
        "OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
        "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
        "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox,
    }.items():
        monkeypatch.setenv(name, value)


def timed_main(*argv: str) -> tuple[int, float]:
    started = time.monotonic()
    code = main(list(argv))
    return code, time.monotonic() - started


def test_budget_comes_from_the_flag_then_the_environment_then_the_default():
    assert resolve_budget(None, {}) == DEFAULT_BUDGET == 30.0
    assert resolve_budget(None, {"OFFER_TUI_TIMEOUT": "7.5"}) == 7.5
    assert resolve_budget("2", {"OFFER_TUI_TIMEOUT": "7.5"}) == 2.0
    for bad in ("abc", "0", "-1", "nan", "1e9"):
        with pytest.raises(BudgetSettingError):
            resolve_budget(bad, {})
        with pytest.raises(BudgetSettingError, match="OFFER_TUI_TIMEOUT"):
            resolve_budget(None, {"OFFER_TUI_TIMEOUT": bad})


def test_a_bad_timeout_is_a_usage_error(capsys, monkeypatch):
    assert main(["rules", "--timeout", "soon"]) == EXIT_USAGE
    assert "--timeout must be a number of seconds" in capsys.readouterr().err
    monkeypatch.setenv("OFFER_TUI_TIMEOUT", "soon")
    assert main(["rules"]) == EXIT_USAGE
    assert "OFFER_TUI_TIMEOUT must be a number of seconds" in capsys.readouterr().err
    assert main(["validate", str(EXAMPLE)]) == 0  # sends nothing: the variable does not matter


@pytest.mark.parametrize("how", ["flag", "global flag", "env"])
def test_a_token_mint_against_a_silent_ims_fails_within_the_budget(capsys, monkeypatch, server, silent, how):
    credentials_env(monkeypatch, server, ims_url=silent + "/ims/token/v3")
    argv = {"flag": ["rules", "--timeout", "1"], "global flag": ["--timeout", "1", "rules"], "env": ["rules"]}[how]
    if how == "env":
        monkeypatch.setenv("OFFER_TUI_TIMEOUT", "1")
    code, took = timed_main(*argv)
    err = capsys.readouterr().err
    assert code == EXIT_API
    assert took < 4  # the budget (1 s) plus start-up, not 4 x 30 s
    assert "within 1 s" in err and "--timeout SECONDS" in err and "OFFER_TUI_TIMEOUT" in err
    assert "raise the timeout" not in err and "Traceback" not in err
    assert server.received == []  # the API was never reached


def test_a_silent_api_after_the_token_makes_the_create_unknown_within_the_budget(capsys, monkeypatch, server, silent):
    credentials_env(monkeypatch, server, endpoint=silent + "/data/core/dps")
    code, took = timed_main("submit", "--timeout", "1.5", str(EXAMPLE))
    err = capsys.readouterr().err
    assert code == EXIT_UNKNOWN and took < 5
    assert "outcome is unknown" in err and "1.5 s" in err and "offer-tui find --name" in err and "--timeout" in err


async def test_the_token_provider_alone_keeps_its_budget(silent):
    provider = ClientCredentialsProvider(Settings(ims_url=silent + "/ims/token/v3", client_id="id", client_secret="s3cret!"),
                                         timeout=0.5)
    started = time.monotonic()
    with pytest.raises(ApiError) as info:
        await provider()
    assert time.monotonic() - started < 2.5
    assert info.value.code == "timeout" and "--timeout" in info.value.hint
    await provider.aclose()


def test_no_doubled_failure_names():
    error = ApiError("Listing placements timed out (ReadTimeout)", code="ReadTimeout", hint="h")
    assert str(error).count("ReadTimeout") == 1
    dropped = ApiError("The outcome is unknown: no answer came back (RemoteProtocolError: gone)",
                       code="RemoteProtocolError")
    assert str(dropped).count("RemoteProtocolError") == 1


async def test_wizard_shows_the_phase_and_esc_before_sending_says_nothing_was_sent(server, silent, tmp_path):
    settings = dataclasses.replace(demo_settings(server), ims_url=silent + "/ims/token/v3")
    app = make_app(settings, tmp_path, timeout=3)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await fill_minimal_offer(pilot)  # the placement list fails after 3 s: the id is typed
        await pilot.press("f9")
        for _ in range(100):  # bounded: until the token phase shows
            screen = pilot.app.screen
            if isinstance(screen, SubmitScreen) and screen.phase == "token":
                break
            await pilot.pause(0.05)
        phase = str(screen.query_one("#submit-phase", Static).render())
        assert "Getting an access token" in phase and "nothing sent yet" in phase
        await pilot.pause(0.6)
        assert "of the 3 s allowed" in str(screen.query_one("#submit-clock", Static).render())
        await pilot.press("escape")
        await pilot.pause(0.1)
        failure = pilot.app.screen
        assert isinstance(failure, FailureScreen) and not failure.unknown
        assert "nothing was sent" in failure.error.message and "unknown" not in failure.error.message
    assert not any(r["method"] == "POST" and r["path"].endswith("/offers") for r in server.received)


async def test_wizard_timeout_after_sending_is_unknown_and_names_the_option(server, silent, tmp_path):
    settings = dataclasses.replace(demo_settings(server), endpoint=silent + "/data/core/dps")
    app = make_app(settings, tmp_path, timeout=1)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        await fill_minimal_offer(pilot)
        await pilot.press("f9")
        await settle(pilot)
        failure = pilot.app.screen
        assert isinstance(failure, FailureScreen) and failure.unknown
        details = str(failure.query_one("#failure-details", Static).render())
        assert "within 1 s" in details and "--timeout" in details
