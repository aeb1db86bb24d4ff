"""Lookup order flag > env > profile / keyring > prompt, with the source of every value."""

from __future__ import annotations

import argparse

import pytest
from offer_tui.api.config import DEFAULT_ENDPOINT, DEFAULT_SCOPES
from offer_tui.credentials import (
    CredentialError,
    KeyringStore,
    MemoryStore,
    Profile,
    ProfileStore,
    flags_from_args,
    mask,
    resolve_settings,
)

CANARY = "CANARY-5ecret-0000-do-not-leak"


@pytest.fixture
def profiles():
    store = ProfileStore()
    store.add(Profile("dev", client_id="cid-dev", ims_org="DEV@AdobeOrg", sandbox="dev-sb", scopes="openid,AdobeID"))
    store.add(Profile("prod", client_id="cid-prod", ims_org="PROD@AdobeOrg", sandbox="prod"))
    return store


@pytest.fixture
def keyring_store(memory_keyring):
    return KeyringStore(memory_keyring)


def test_profile_and_keyring(profiles, keyring_store):
    keyring_store.set_client_secret("dev", CANARY)
    r = resolve_settings(profiles=profiles, store=keyring_store, environ={})
    s = r.settings
    assert (s.client_id, s.client_secret, s.ims_org, s.sandbox, s.scopes) == (
        "cid-dev", CANARY, "DEV@AdobeOrg", "dev-sb", "openid,AdobeID",
    )
    assert r.sources["client_id"] == "profile dev"
    assert r.sources["client_secret"] == "keyring"
    assert r.sources["endpoint"] == "profile dev"
    assert r.sources["access_token"] == "unset"
    assert r.profile_source == "default"
    assert r.cache_key == "dev"


def test_flag_beats_env_beats_profile(profiles, keyring_store):
    keyring_store.set_client_secret("dev", CANARY)
    env = {"OFFER_TUI_SANDBOX": "env-sb", "OFFER_TUI_IMS_ORG": "ENV@AdobeOrg"}
    r = resolve_settings(flags={"sandbox": "flag-sb"}, profiles=profiles, store=keyring_store, environ=env)
    assert r.settings.sandbox == "flag-sb" and r.sources["sandbox"] == "flag"
    assert r.settings.ims_org == "ENV@AdobeOrg" and r.sources["ims_org"] == "env OFFER_TUI_IMS_ORG"
    assert r.settings.client_id == "cid-dev" and r.sources["client_id"] == "profile dev"


def test_env_secret_beats_keyring(profiles, keyring_store):
    keyring_store.set_client_secret("dev", "from-keyring-123")
    r = resolve_settings(profiles=profiles, store=keyring_store, environ={"OFFER_TUI_CLIENT_SECRET": CANARY})
    assert r.settings.client_secret == CANARY
    assert r.sources["client_secret"] == "env OFFER_TUI_CLIENT_SECRET"


def test_profile_selection_flag_and_env(profiles, keyring_store):
    keyring_store.set_client_secret("prod", CANARY)
    r = resolve_settings(profile_flag="prod", profiles=profiles, store=keyring_store, environ={"OFFER_TUI_PROFILE": "dev"})
    assert r.profile.name == "prod" and r.profile_source == "flag"
    r = resolve_settings(profiles=profiles, store=keyring_store, environ={"OFFER_TUI_PROFILE": "prod"})
    assert r.profile.name == "prod" and r.profile_source == "env OFFER_TUI_PROFILE"


def test_keyring_secret_is_not_paired_with_another_client_id(profiles, keyring_store):
    keyring_store.set_client_secret("dev", CANARY)
    with pytest.raises(CredentialError, match="client secret") as info:
        resolve_settings(flags={"client_id": "someone-else"}, profiles=profiles, store=keyring_store, environ={})
    assert CANARY not in str(info.value)


def test_prompt_fills_the_gaps_and_session_remembers_the_secret():
    asked = []

    def prompt(label):
        asked.append(label)
        return {"Client ID: ": "cid", "IMS org: ": "O@AdobeOrg", "Sandbox: ": "sb", "Client secret: ": CANARY}[label]

    session = MemoryStore()
    r = resolve_settings(prompt=prompt, store=session, environ={})
    assert asked == ["Client ID: ", "IMS org: ", "Sandbox: ", "Client secret: "]
    assert r.sources["client_secret"] == "prompt" and r.settings.client_secret == CANARY
    assert r.sources["endpoint"] == "default" and r.settings.endpoint == DEFAULT_ENDPOINT
    assert r.sources["scopes"] == "default" and r.settings.scopes == DEFAULT_SCOPES
    # Asked once per run: the next resolution in this session finds it.
    r2 = resolve_settings(environ={"OFFER_TUI_CLIENT_ID": "cid", "OFFER_TUI_IMS_ORG": "o", "OFFER_TUI_SANDBOX": "s"},
                          store=session, prompt=lambda label: pytest.fail("asked again"))
    assert r2.settings.client_secret == CANARY and r2.sources["client_secret"] == "session"


def test_prompted_secret_is_not_written_to_a_persistent_store(profiles, keyring_store, memory_keyring):
    r = resolve_settings(profiles=profiles, store=keyring_store, environ={}, prompt=lambda label: CANARY)
    assert r.sources["client_secret"] == "prompt"
    assert memory_keyring.passwords == {}


def test_access_token_makes_the_secret_optional():
    env = {"OFFER_TUI_CLIENT_ID": "cid", "OFFER_TUI_IMS_ORG": "o", "OFFER_TUI_SANDBOX": "s",
           "OFFER_TUI_ACCESS_TOKEN": CANARY}
    r = resolve_settings(environ=env)
    assert r.settings.access_token == CANARY and r.settings.client_secret is None
    assert r.sources["access_token"] == "env OFFER_TUI_ACCESS_TOKEN"


def test_missing_values_name_every_way_to_supply_them():
    with pytest.raises(CredentialError) as info:
        resolve_settings(environ={})
    text = str(info.value)
    for needle in ("client id", "ims org", "sandbox", "client secret", "--client-id", "OFFER_TUI_CLIENT_ID",
                   "OFFER_TUI_CLIENT_SECRET", "offer-tui profile add"):
        assert needle in text


def test_not_required_leaves_gaps_for_display():
    r = resolve_settings(environ={}, require_credentials=False, prompt=lambda label: pytest.fail("prompted"))
    assert r.settings.client_id is None and r.sources["client_id"] == "unset"


def test_secrets_are_refused_as_flags():
    with pytest.raises(CredentialError, match="not accepted on the command line"):
        resolve_settings(flags={"client_secret": CANARY}, environ={})


def test_empty_prompt_answer_is_an_error():
    with pytest.raises(CredentialError, match="No client id"):
        resolve_settings(environ={}, prompt=lambda label: "  ")


def test_describe_masks_secrets_and_names_sources(profiles, keyring_store):
    keyring_store.set_client_secret("dev", CANARY)
    r = resolve_settings(profiles=profiles, store=keyring_store, environ={})
    rows = {label: (shown, source) for label, shown, source in r.describe()}
    assert rows["Client secret"] == ("CANA••••", "keyring")
    assert rows["Client ID"] == ("cid-dev", "profile dev")
    assert CANARY not in repr(r) and CANARY not in str(r.describe())


def test_flags_from_args():
    ns = argparse.Namespace(client_id=" cid ", sandbox="", profile="dev", endpoint=None)
    assert flags_from_args(ns) == {
        "endpoint": None, "ims_url": None, "client_id": "cid", "ims_org": None, "sandbox": None, "scopes": None,
    }


@pytest.mark.parametrize(
    ("value", "shown"),
    [("p8e-abcdefghijkl", "p8e-••••"), ("abcdefgh", "abcd••••"), ("short", "••••"), ("", "(not set)"), (None, "(not set)")],
)
def test_mask(value, shown):
    assert mask(value) == shown
