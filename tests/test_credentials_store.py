"""Secret stores: keyring keys, session memory, the opt-in file, long tokens, error text."""

from __future__ import annotations

import os
import stat

import pytest

from offer_tui.credentials import CachedToken, CredentialError, InsecureFileStore, KeyringStore, MemoryStore
from offer_tui.credentials.store import WINDOWS_SECRET_LIMIT

CANARY = "CANARY-5ecret-0000-do-not-leak"


def test_keyring_store_keys_and_token_json(memory_keyring):
    store = KeyringStore(memory_keyring)
    store.set_client_secret("dev", CANARY)
    assert store.set_token("dev", CachedToken("tok-abc", 1_900_000_000.0, "cid")) is True
    assert memory_keyring.passwords[("offer-tui", "dev:client_secret")] == CANARY
    assert '"token":"tok-abc"' in memory_keyring.passwords[("offer-tui", "dev:access_token")]
    assert store.get_token("dev") == CachedToken("tok-abc", 1_900_000_000.0, "cid")
    store.delete_profile("dev")
    store.delete_profile("dev")  # idempotent
    assert memory_keyring.passwords == {}


def test_store_reprs_never_show_values(memory_keyring):
    memory = MemoryStore()
    memory.set_client_secret("dev", CANARY)
    token = CachedToken(CANARY, None)
    for obj in (memory, KeyringStore(memory_keyring), token):
        assert CANARY not in repr(obj)


def test_too_long_token_stays_in_memory_only(memory_keyring):
    store = KeyringStore(memory_keyring, max_token_length=WINDOWS_SECRET_LIMIT)
    long_token = CachedToken("x" * 1400, 1_900_000_000.0, "cid")
    short_token = CachedToken("y" * 100, 1_800_000_000.0, "cid")
    assert store.set_token("dev", short_token) is True
    assert store.set_token("dev", long_token) is False
    assert ("offer-tui", "dev:access_token") not in memory_keyring.passwords  # older one removed
    assert store.get_token("dev") == long_token
    # A fresh store (the next run) does not see it: it was never written anywhere.
    assert KeyringStore(memory_keyring).get_token("dev") is None


def test_windows_backend_gets_the_limit_automatically(memory_keyring):
    class WinVaultKeyring(type(memory_keyring)):
        pass

    WinVaultKeyring.__module__ = "keyring.backends.Windows"
    assert KeyringStore(WinVaultKeyring()).max_token_length == WINDOWS_SECRET_LIMIT
    assert KeyringStore(memory_keyring).max_token_length is None


def test_backend_failure_becomes_credential_error_without_secret(raising_keyring):
    store = KeyringStore(raising_keyring)
    with pytest.raises(CredentialError) as info:
        store.set_client_secret("dev", CANARY)
    text = str(info.value) + repr(info.value)
    assert CANARY not in text
    assert "RuntimeError" in text and "client secret" in text and "'dev'" in text
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_refused_token_write_falls_back_to_memory(raising_keyring):
    store = KeyringStore(raising_keyring)
    token = CachedToken(CANARY, 1_900_000_000.0)
    assert store.set_token("dev", token) is False
    assert store.get_token("dev") == token


def test_locked_keyring_message(locked_keyring):
    with pytest.raises(CredentialError, match="the keyring is locked"):
        KeyringStore(locked_keyring).get_client_secret("dev")


def test_hanging_store_call_times_out(memory_keyring):
    import threading

    release = threading.Event()

    class Slow(type(memory_keyring)):
        def get_password(self, service, username):
            release.wait(2)

    try:
        with pytest.raises(CredentialError, match="did not answer within 0.2 s"):
            KeyringStore(Slow(), timeout=0.2).get_client_secret("dev")
    finally:
        release.set()


def test_memory_store_is_session_only():
    store = MemoryStore()
    assert not store.persistent
    store.set_client_secret("dev", CANARY)
    assert store.get_client_secret("dev") == CANARY
    assert MemoryStore().get_client_secret("dev") is None


def test_empty_secret_is_refused():
    with pytest.raises(CredentialError, match="empty"):
        MemoryStore().set_client_secret("dev", "")


def test_insecure_file_store_is_0600_atomic_and_warns():
    store = InsecureFileStore()
    store.set_client_secret("dev", CANARY)
    store.set_token("dev", CachedToken("tok", None))
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    again = InsecureFileStore()
    assert again.get_client_secret("dev") == CANARY
    assert again.get_token("dev").token == "tok"
    assert "plain text" in again.warning and str(again.path) in again.warning
    assert CANARY not in repr(again)
    again.delete_profile("dev")
    assert again.get_client_secret("dev") is None
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["secrets.json", "secrets.json.lock"]  # no temp file


def test_insecure_file_store_tightens_loose_permissions():
    store = InsecureFileStore()
    store.set_client_secret("dev", CANARY)
    os.chmod(store.path, 0o644)
    assert store.get_client_secret("dev") == CANARY
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_cached_token_json_is_tolerant():
    assert CachedToken.from_json("not json") is None
    assert CachedToken.from_json('{"token": ""}') is None
    assert CachedToken.from_json('{"token": "t", "expires_at": "12.5"}') == CachedToken("t", 12.5)
