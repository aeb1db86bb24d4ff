"""Profiles: round trip, file mode, atomic writes, selection order, production flag."""

from __future__ import annotations

import json
import os
import stat

import pytest

from offer_tui.credentials import Profile, ProfileError, ProfileStore, is_production
from offer_tui.credentials.config_files import config_dir


def make(name="dev", **kw):
    values = dict(client_id="cid-123", ims_org="ORG@AdobeOrg", sandbox="dev-sb")
    values.update(kw)
    return Profile(name=name, **values)


def test_config_dir_follows_the_override(tmp_path, monkeypatch):
    monkeypatch.setenv("OFFER_TUI_CONFIG_DIR", str(tmp_path / "cfg"))
    assert config_dir() == tmp_path / "cfg"
    assert ProfileStore().path == tmp_path / "cfg" / "profiles.json"


def test_round_trip_and_first_profile_becomes_default():
    store = ProfileStore()
    dev = store.add(make("dev", scopes="openid,AdobeID", production=False))
    prod = store.add(make("prod", sandbox="prod", endpoint="https://example.test/dps"))
    again = ProfileStore(store.path)
    assert again.get("dev") == dev
    assert again.get("prod") == prod
    assert again.default_name == "dev"
    assert [p.name for p in again.list()] == ["dev", "prod"]


def test_file_is_0600_and_has_no_secret_fields():
    store = ProfileStore()
    store.add(make())
    mode = stat.S_IMODE(os.stat(store.path).st_mode)
    assert mode == 0o600
    data = json.loads(store.path.read_text())
    assert data["default"] == "dev"
    assert set(data["profiles"]["dev"]) == {
        "client_id", "ims_org", "sandbox", "endpoint", "ims_url", "scopes", "production",
    }


def test_atomic_write_leaves_old_file_when_writing_fails(monkeypatch):
    store = ProfileStore()
    store.add(make("dev"))
    before = store.path.read_text()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(ProfileError, match="No space left"):
        store.add(make("stage"))
    assert store.path.read_text() == before
    leftovers = [p.name for p in store.path.parent.iterdir() if p.name != "profiles.json"]
    assert leftovers == ["profiles.json.lock"]  # the lock file stays (deleting it would race); no temp file


def test_edit_use_remove():
    store = ProfileStore()
    store.add(make("dev"))
    store.add(make("stage"))
    edited = store.edit("stage", sandbox="stage-2", production=True)
    assert store.get("stage") == edited and edited.production
    store.use("stage")
    assert store.default_name == "stage"
    store.remove("stage")
    # One profile left: it becomes the default.
    assert store.default_name == "dev"
    with pytest.raises(ProfileError, match="No profile named 'stage'"):
        store.get("stage")


def test_add_refuses_duplicates_unless_replacing():
    store = ProfileStore()
    store.add(make("dev"))
    with pytest.raises(ProfileError, match="already exists"):
        store.add(make("dev"))
    store.add(make("dev", sandbox="other"), replace_existing=True)
    assert store.get("dev").sandbox == "other"


def test_rename_is_refused():
    store = ProfileStore()
    store.add(make("dev"))
    with pytest.raises(ProfileError, match="Renaming"):
        store.edit("dev", name="dev2")


@pytest.mark.parametrize("name", ["", "a:b", "with space", "-dash", "x" * 65, "../etc"])
def test_bad_names(name):
    with pytest.raises(ProfileError):
        make(name)


def test_selection_order_flag_env_default(monkeypatch):
    store = ProfileStore()
    store.add(make("dev"))
    store.add(make("stage"))
    store.add(make("prod"))
    assert store.select()[0].name == "dev"
    assert store.select()[1] == "default"
    monkeypatch.setenv("OFFER_TUI_PROFILE", "stage")
    assert store.select() == (store.get("stage"), "env OFFER_TUI_PROFILE")
    assert store.select("prod") == (store.get("prod"), "flag")


def test_selection_without_profiles():
    assert ProfileStore().select() == (None, "none")
    with pytest.raises(ProfileError, match="known: none yet"):
        ProfileStore().select("nope")


def test_malformed_file_names_file_and_position_and_starts_anyway():
    store = ProfileStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text('{"profiles": {\n  "dev": oops}}')
    assert store.list() == []  # starts anyway, with no profiles
    first = store.problems()[0]
    assert first.startswith(f"{store.path}:2:10: malformed JSON")


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (make("dev"), False),
        (make("Prod-EU"), True),
        (make("eu", sandbox="PRODUCTION"), True),
        (make("eu", production=True), True),
        (None, False),
    ],
)
def test_is_production(profile, expected):
    assert is_production(profile) is expected
