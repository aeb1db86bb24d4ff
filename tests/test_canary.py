"""Security check: a canary secret goes through every flow and is never written anywhere but the keyring.

Flows: add a profile, mint a token, submit (CLI and wizard), autosave a draft, export curl,
save JSON, take a screenshot, and fail with a server that echoes the secret back. Afterwards no
file the app wrote, no output stream, no preview and no exception text holds the secret or the token.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
import uuid
from pathlib import Path

import keyring
import pytest
from textual.widgets import Input

from offer_tui.api import ApiError, OfferClient
from offer_tui.cli import EXIT_OK, main
from offer_tui.credentials import KeyringTokenProvider, resolve_settings
from offer_tui.credentials.store import KeyringStore
from offer_tui.demo import DemoServer, data
from offer_tui.drafts import DraftStore
from offer_tui.ui.app import OfferTuiApp
from offer_tui.ui.screens.save import SaveJsonScreen
from offer_tui.ui.screens.success import SuccessScreen
from offer_tui.ui.widgets.json_preview import JsonPreview
from test_ui_helpers import SIZE_WIDE, settle

EXAMPLE = str(Path(__file__).parent.parent / "examples" / "personalized-offer.json")
CANARY = f"canary-{uuid.uuid4().hex}-S3CRET"


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setattr(data, "DEMO_CLIENT_SECRET", CANARY)  # the demo IMS now accepts only the canary
    with DemoServer() as demo:
        yield demo


def cli(capsys, *argv: str, stdin: str = "") -> tuple[int, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv))
    finally:
        sys.stdin = old
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_the_canary_never_leaves_the_keyring(server, tmp_path, capsys, monkeypatch):
    outputs: list[str] = []
    # 1. add a profile (secret on stdin), 2. mint a token, 3. submit from the CLI
    code, text = cli(capsys, "profile", "add", "canary", "--client-id", data.DEMO_CLIENT_ID,
                     "--ims-org", data.DEMO_IMS_ORG, "--sandbox", data.DEMO_SANDBOX, "--endpoint", server.base_url,
                     "--ims-url", server.ims_url, "--secret-stdin", stdin=CANARY + "\n")
    assert code == EXIT_OK, text
    outputs.append(text)
    code, text = cli(capsys, "login", "--profile", "canary")
    assert code == EXIT_OK and "valid for" in text, text
    outputs.append(text)
    cached = json.loads(keyring.get_password("offer-tui", "canary:access_token"))
    token = cached["token"]
    assert keyring.get_password("offer-tui", "canary:client_secret") == CANARY  # the canary is in the keyring
    code, text = cli(capsys, "submit", "--profile", "canary", EXAMPLE)
    assert code == EXIT_OK, text
    outputs.append(text)
    # 4. a server that echoes secrets back in an error body
    server.fail_next(500, body=f"upstream said: secret={CANARY} token={token}", path_prefix="/offers")
    code, text = cli(capsys, "submit", "--profile", "canary", EXAMPLE)
    assert code != EXIT_OK and "upstream said" in text
    outputs.append(text)
    code, text = cli(capsys, "profile", "show", "canary")
    assert code == EXIT_OK
    outputs.append(text)

    # 5. exception text and repr from the client itself
    resolution = resolve_settings(profile_flag="canary", store=KeyringStore())
    server.fail_next(400, body={"detail": f"bad secret {CANARY}", "token": token}, path_prefix="/placements")
    error = asyncio.run(failing_call(resolution))
    outputs += [str(error), repr(error), error.raw or "", repr(resolution.settings)]

    # 6. the wizard: autosave a draft, copy curl, save JSON, take a screenshot, submit
    copied: list[str] = []
    asyncio.run(wizard_flow(tmp_path, monkeypatch, copied, outputs))
    outputs += copied
    assert copied and "$OFFER_TUI_ACCESS_TOKEN" in copied[0]

    written = files_under(tmp_path)
    names = {p.name for p in written}
    assert {"profiles.json", "offer.json", "wizard.svg", "success.svg"} <= names
    for path in written:
        content = path.read_bytes()
        assert CANARY.encode() not in content, f"the client secret leaked into {path}"
        assert token.encode() not in content, f"the access token leaked into {path}"
    for text in outputs:
        assert CANARY not in text and token not in text
    assert len(server.offers) == 2  # one from the CLI, one from the wizard


async def failing_call(resolution) -> ApiError:
    client = OfferClient.from_settings(resolution.settings, token_provider=KeyringTokenProvider.from_resolution(resolution))
    try:
        await client.list_placements()
    except ApiError as error:
        return error
    finally:
        await client.aclose()
    raise AssertionError("the injected 400 did not surface as an ApiError")


async def wizard_flow(tmp_path: Path, monkeypatch, copied: list[str], outputs: list[str]) -> None:
    app = OfferTuiApp(draft_store=DraftStore(tmp_path / "state"), config_directory=tmp_path / "config",
                      profile="canary", from_file=EXAMPLE, keyring_timeout=1.0)
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        app.wizard.query_one("#name", Input).focus()
        await pilot.press(*" (canary run)")
        assert app.flush_draft()
        drafts = [p for p in files_under(tmp_path / "state") if p.suffix == ".json"]  # not the draft's .lock
        assert drafts and "(canary run)" in drafts[0].read_text()  # autosaved (removed after the submit)
        outputs += [p.read_text() for p in drafts]
        outputs.append(app.wizard.query_one(JsonPreview).text)
        await pilot.press("ctrl+y")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SaveJsonScreen)
        app.screen.query_one("#save-path", Input).value = str(tmp_path / "saved" / "offer.json")
        (tmp_path / "saved").mkdir()
        (tmp_path / "shots").mkdir()
        await pilot.press("enter")
        await settle(pilot)
        app.save_screenshot("wizard.svg", str(tmp_path / "shots"))
        await pilot.press("f9")
        for _ in range(100):
            if isinstance(app.screen, SuccessScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, SuccessScreen)
        app.save_screenshot("success.svg", str(tmp_path / "shots"))
