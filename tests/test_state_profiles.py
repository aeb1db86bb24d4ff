"""profiles.json shared by several processes (issue 7, items 9-11, 15, 17): damaged files are
explained and kept, a newer format is never rewritten, concurrent adds are all kept, a failed add
leaves no orphaned secret, and nothing prompts without a terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import keyring.errors
import pytest
from keyring_support import TEST_TIMEOUT

from offer_tui.credentials import Profile, ProfileError, ProfileStore, resolve_settings
from offer_tui.commands.credentials import run
from test_credentials_cli import ADD, CANARY, parser

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.timeout(60)


def cli(*argv: str, stdin: str = "", environ=None):
    """Like test_credentials_cli.cli, but with NO prompt injected: the real no-terminal path."""
    out, err = io.StringIO(), io.StringIO()
    code = run(parser().parse_args(list(argv)), stdin=io.StringIO(stdin), stdout=out, stderr=err,
               environ=environ if environ is not None else os.environ, keyring_timeout=TEST_TIMEOUT)
    assert CANARY not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def profile_json(**fields) -> dict:
    return dict({"client_id": "cid", "ims_org": "ORG@AdobeOrg", "sandbox": "sb"}, **fields)


def write_profiles(content: bytes | dict) -> Path:
    path = ProfileStore().path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob("profiles.json.corrupt-*"))


# -- item 9: damaged files ----------------------------------------------------------------------

def test_a_profiles_file_that_is_not_utf8_is_explained_and_kept_until_replaced():
    original = b'{"profiles": {"dev": {"sandbox": "caf\xe9"}}}'
    path = write_profiles(original)
    code, out, err = cli("profile", "list")
    assert code == 0 and "No profiles yet" in out
    assert f"offer-tui: warning: {path}:1:38: not UTF-8 text (byte 0xe9)" in err
    assert "moves profiles.json aside as profiles.json.corrupt-<time> first" in err
    assert path.read_bytes() == original  # reading never rewrites

    code, out, err = cli(*ADD, "--secret-stdin", stdin=CANARY)
    assert code == 0, err
    (backup,) = backups(path)
    assert backup.read_bytes() == original
    assert f"the damaged profiles file was kept as {backup}" in err
    assert ProfileStore().names() == ["dev"] and ProfileStore().problems() == []


def test_wrong_types_skip_that_profile_and_keep_the_others():
    original = {"version": 1, "default": "good",
                "profiles": {"good": profile_json(), "bad": profile_json(sandbox=["x"]),
                             "worse": profile_json(production="yes"), "list": [1]}}
    path = write_profiles(original)
    store = ProfileStore()
    assert store.names() == ["good"] and store.default_name == "good"
    problems = store.problems()
    assert f"{path}: Profile 'bad': sandbox must be a string, not a list; this profile is skipped" in problems
    assert f"{path}: Profile 'worse': production must be true or false, not a string; this profile is skipped" in problems
    assert f"{path}: Profile 'list' is a list, not an object; this profile is skipped" in problems

    store.use("good")
    (backup,) = backups(path)
    assert json.loads(backup.read_text()) == original
    assert set(json.loads(path.read_text())["profiles"]) == {"good"}
    assert store.last_backup == backup


@pytest.mark.parametrize("content", [b"", b"[1, 2]", b'{"profiles": [1]}', b'{"profiles": {}, "default": 3}',
                                     b"\xff\xfe{\x00}\x00", ("[" * 5000).encode()])
def test_every_kind_of_damage_still_lets_the_user_work(content):
    path = write_profiles(content)
    store = ProfileStore()
    assert store.list() == [] and store.select() == (None, "none")
    assert store.problems() and all(str(path) in p for p in store.problems()[:1])
    store.add(Profile(name="dev", client_id="c", ims_org="o", sandbox="s"))
    assert [b.read_bytes() for b in backups(path)] == [content]


def test_an_unreadable_profiles_path_is_never_replaced(tmp_path):
    path = ProfileStore().path
    path.mkdir(parents=True)  # a directory where the file should be
    store = ProfileStore()
    assert store.list() == []
    assert store.problems() == [f"cannot read {path}: is a directory, not a file; give the path of a JSON file; "
                                "profiles from it are not used"]
    with pytest.raises(ProfileError, match="Cannot change profiles: cannot read"):
        store.add(Profile(name="dev", client_id="c", ims_org="o", sandbox="s"))
    assert path.is_dir() and backups(path) == []


def test_resolution_notes_carry_the_damage_to_submit_and_the_tui():
    path = write_profiles({"profiles": {"bad": profile_json(sandbox=7)}})
    resolution = resolve_settings(require_credentials=False)
    assert resolution.notes[0] == f"{path}: Profile 'bad': sandbox must be a string, not a number; this profile is skipped"


# -- item 10: a newer format version -----------------------------------------------------------

def test_a_newer_format_is_read_but_never_rewritten():
    original = json.dumps({"version": 2, "default": "dev", "profiles": {"dev": profile_json(region="eu")},
                           "teams": {"a": 1}}).encode()
    path = write_profiles(original)
    store = ProfileStore()
    assert store.names() == ["dev"]
    assert store.problems() == [f"{path} was written by a newer offer-tui (format version 2; this one knows "
                                "version 1) (read only)"]
    code, out, err = cli(*ADD, "--secret-stdin", stdin=CANARY)
    assert code == 1
    assert (f"{path} was written by a newer offer-tui (format version 2; this one knows version 1): not changed, "
            "so none of its newer settings is lost") in err
    assert path.read_bytes() == original and backups(path) == []


# -- item 11: several processes at once ----------------------------------------------------------

ADD_ONE = """
import sys, time
from offer_tui.credentials import Profile, ProfileStore
start, name = float(sys.argv[1]), sys.argv[2]
time.sleep(max(0.0, start - time.time()))
for n in range(3):
    ProfileStore().add(Profile(name=f"{name}-{n}", client_id="c", ims_org="o", sandbox="s"))
"""


def test_ten_processes_adding_profiles_at_once_keep_all_of_them():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.time() + 2.0  # every process waits for the same moment, then adds 3 profiles
    procs = [subprocess.Popen([sys.executable, "-c", ADD_ONE, str(start), f"p{i}"], env=env,
                              stderr=subprocess.PIPE, text=True) for i in range(10)]
    for proc in procs:
        _, err = proc.communicate(timeout=50)
        assert proc.returncode == 0, err
    names = ProfileStore().names()
    assert len(names) == 30 and names == sorted(f"p{i}-{n}" for i in range(10) for n in range(3))


# -- item 15: a failed add leaves no orphaned secret -------------------------------------------

def test_an_add_that_cannot_write_the_profile_stores_no_secret(tmp_path, monkeypatch, memory_keyring):
    (tmp_path / "not-a-dir").write_text("")
    monkeypatch.setenv("OFFER_TUI_CONFIG_DIR", str(tmp_path / "not-a-dir" / "config"))
    code, out, err = cli(*ADD, "--secret-stdin", stdin=CANARY)
    assert code == 1 and "the client secret was not stored" in err
    assert memory_keyring.passwords == {}


def test_an_add_whose_secret_is_refused_puts_the_profiles_back(memory_keyring, monkeypatch):
    store = ProfileStore()
    store.add(Profile(name="other", client_id="c", ims_org="o", sandbox="s"))
    before = store.path.read_text()

    def refuse(*args):
        raise keyring.errors.PasswordSetError("refused")

    monkeypatch.setattr(memory_keyring, "set_password", refuse)
    code, out, err = cli(*ADD, "--secret-stdin", stdin=CANARY)
    assert code == 1 and "the keyring refused the value; the profile was left as it was" in err
    assert store.path.read_text() == before


# -- item 17: no terminal, no prompt --------------------------------------------------------------

def test_profile_add_without_a_terminal_never_prompts(memory_keyring):
    code, out, err = cli(*ADD)  # stdin is a StringIO: not a terminal
    assert code == 1
    assert ("offer-tui: there is no terminal to ask for the client secret: pass it on stdin with --secret-stdin "
            "(e.g. `--secret-stdin < secret.txt`) or set OFFER_TUI_CLIENT_SECRET; nothing was saved") in err
    assert ProfileStore().names() == [] and memory_keyring.passwords == {}


def test_profile_add_takes_the_secret_from_the_environment(memory_keyring):
    code, out, err = cli(*ADD, environ=dict(os.environ, OFFER_TUI_CLIENT_SECRET=CANARY))
    assert code == 0 and "taken from OFFER_TUI_CLIENT_SECRET" in err
    assert memory_keyring.passwords[("offer-tui", "dev:client_secret")] == CANARY


def test_login_without_a_terminal_says_how_to_give_the_secret(memory_keyring):
    ProfileStore().add(Profile(name="dev", client_id="c", ims_org="o", sandbox="s"))
    code, out, err = cli("login")
    assert code == 1 and "Missing client secret" in err
    assert "there is no terminal to ask for the client secret: set OFFER_TUI_CLIENT_SECRET" in err


@pytest.mark.parametrize("command", [["profile", "add", "dev", "--client-id", "c", "--ims-org", "o", "--sandbox", "s"],
                                     ["login"]])
@pytest.mark.parametrize("stdin", ["devnull", "pipe"])
def test_real_processes_without_a_tty_exit_1_without_warning_or_traceback(tmp_path, command, stdin):
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'tests'}",
               PYTHON_KEYRING_BACKEND="keyring_support.MemoryKeyring")
    if command == ["login"]:  # login needs a profile to get as far as the secret
        ProfileStore().add(Profile(name="dev", client_id="c", ims_org="o", sandbox="s"))
    result = subprocess.run([sys.executable, "-m", "offer_tui", *command], env=env, capture_output=True, text=True,
                            timeout=30, check=False,
                            **({"stdin": subprocess.DEVNULL} if stdin == "devnull" else {"input": CANARY + "\n"}))
    assert result.returncode == 1, result
    assert "there is no terminal to ask for the client secret" in result.stderr
    for bad in ("GetPassWarning", "Traceback", "EOFError", "echoed", CANARY):
        assert bad not in result.stderr + result.stdout


async def test_the_wizard_starts_with_a_damaged_profiles_file_and_says_why(tmp_path):
    from test_ui_credentials import settle  # tolerates an exclusive worker replaced by a newer one
    from test_ui_helpers import SIZE_NARROW
    from test_ui_session import make_app

    path = write_profiles(b'{"profiles": {"dev": {"sandbox": ["x"], "client_id": "c", "ims_org": "o"}}}')
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        for _ in range(200):  # the credentials check runs in a worker after the first frame (bounded: 10 s)
            if any("profiles.json" in str(n.message) for n in app._notifications):
                break
            await pilot.pause(0.05)
        messages = [str(n.message) for n in app._notifications]
        assert any(f"{path}: Profile 'dev': sandbox must be a string, not a list" in m for m in messages), messages


def test_a_fifo_in_place_of_the_secrets_file_never_hangs(tmp_path):
    from offer_tui.credentials import CredentialError
    from offer_tui.credentials.store import InsecureFileStore

    store = InsecureFileStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(store.path)
    started = time.monotonic()
    with pytest.raises(CredentialError, match="Cannot read the secrets file"):
        store.get_client_secret("dev")
    assert time.monotonic() - started < 5


async def test_the_credentials_screen_says_where_the_damaged_file_was_kept(memory_keyring):
    from test_ui_credentials import Host, fill, settle, text_of

    from offer_tui.ui.screens.credentials import CredentialsScreen

    path = write_profiles(b'{"profiles": {"dev": "not an object"}}')
    profiles = ProfileStore()
    app = Host(lambda: CredentialsScreen(profiles))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill(pilot, {"name": "ok", "client-id": "c", "ims-org": "o", "sandbox": "s", "secret": CANARY})
        await pilot.press("ctrl+s")
        await settle(pilot)
        (backup,) = backups(path)
        assert f"The damaged profiles file was kept as {backup}" in text_of(pilot, "#result-line").replace("\n", "")
    assert backup.read_bytes() == b'{"profiles": {"dev": "not an object"}}'
    assert ProfileStore().names() == ["ok"]
