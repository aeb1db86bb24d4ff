"""Each keyring situation reaches the right classification and the right secret store."""

from __future__ import annotations

import getpass
import time

import keyring
import pytest
from keyring_support import TEST_TIMEOUT

from offer_tui.credentials import (
    HEADLESS_KEYRING_RECIPE,
    InsecureFileStore,
    KeyringStore,
    MemoryStore,
    choose_store,
    detect_keyring,
)


@pytest.fixture(autouse=True)
def no_getpass(monkeypatch):
    """No keyring backend may prompt on the terminal Textual owns."""

    def refuse(*args, **kwargs):
        raise AssertionError("getpass() was called")

    monkeypatch.setattr(getpass, "getpass", refuse)


def detect():
    return detect_keyring(timeout=TEST_TIMEOUT)


def test_memory_backend_counts_as_secure_and_is_used(memory_keyring):
    status = detect()
    assert status.status == "secure"
    assert status.backend is memory_keyring
    store = choose_store(status)
    assert isinstance(store, KeyringStore)
    store.set_client_secret("dev", "s3cret-value")
    assert memory_keyring.passwords[("offer-tui", "dev:client_secret")] == "s3cret-value"


def test_recommended_backend_is_secure(recommended_keyring):
    status = detect()
    assert status.status == "secure"
    assert "RecommendedKeyring" in status.backend_name
    assert status.remedies == ()
    assert isinstance(choose_store(status), KeyringStore)


def test_fail_backend_is_unavailable(fail_keyring):
    status = detect()
    assert status.status == "unavailable"
    assert status.backend_name == "keyring.backends.fail.Keyring"
    assert "No OS keyring" in status.explanation
    assert isinstance(choose_store(status), MemoryStore)


def test_null_backend_is_disabled(null_keyring):
    status = detect()
    assert status.status == "disabled"
    assert "throw away" in status.explanation
    assert isinstance(choose_store(status), MemoryStore)


def test_locked_backend_is_unavailable(locked_keyring):
    status = detect()
    assert status.status == "unavailable"
    assert "locked" in status.explanation
    assert isinstance(choose_store(status), MemoryStore)


def test_hanging_backend_times_out_quickly(hanging_keyring):
    started = time.monotonic()
    status = detect()
    elapsed = time.monotonic() - started
    assert status.status == "unavailable"
    assert "did not answer" in status.explanation
    assert elapsed < TEST_TIMEOUT * 3
    assert isinstance(choose_store(status), MemoryStore)


def test_raising_backend_is_unavailable_and_explains_without_its_text(raising_keyring):
    status = detect()
    assert status.status == "unavailable"
    assert "RuntimeError" in status.explanation
    assert "exploded" not in status.message()


def test_plaintext_backend_is_insecure_and_never_used(plaintext_keyring):
    status = detect()
    assert status.status == "insecure"
    assert status.backend_name == "keyrings.alt.file.PlaintextKeyring"
    assert plaintext_keyring.calls == 0  # not even probed
    assert isinstance(choose_store(status), MemoryStore)


def test_encrypted_alt_backend_is_insecure_without_calling_it(encrypted_alt_keyring):
    # EncryptedKeyring would getpass(); its get_password raises AssertionError if reached.
    status = detect()
    assert status.status == "insecure"
    assert "keyrings.alt" in status.backend_name


def test_chainer_uses_its_secure_member_directly(chained_keyring):
    status = detect()
    assert status.status == "secure"
    assert "RecommendedKeyring" in status.backend_name
    store = choose_store(status)
    store.set_client_secret("dev", "abc-secret")
    assert store.get_client_secret("dev") == "abc-secret"  # never falls through to the alt member


@pytest.mark.parametrize(
    "fixture", ["fail_keyring", "null_keyring", "locked_keyring", "plaintext_keyring", "hanging_keyring"]
)
def test_no_secure_keyring_offers_every_way_out(fixture, request):
    request.getfixturevalue(fixture)
    status = detect()
    assert not status.secure
    text = status.message()
    assert "OFFER_TUI_CLIENT_SECRET" in text
    assert "Session only" in text
    assert "dbus-run-session" in text and "gnome-keyring-daemon --unlock" in text
    assert "--insecure-storage" in text
    assert HEADLESS_KEYRING_RECIPE in text


@pytest.mark.parametrize("fixture", ["fail_keyring", "null_keyring", "plaintext_keyring", "locked_keyring"])
def test_insecure_storage_opt_in_uses_our_own_file(fixture, request):
    request.getfixturevalue(fixture)
    store = choose_store(detect(), insecure_storage=True)
    assert isinstance(store, InsecureFileStore)
    assert "plain text" in store.warning


def test_insecure_storage_flag_is_ignored_when_the_keyring_is_secure(memory_keyring):
    assert isinstance(choose_store(detect(), insecure_storage=True), KeyringStore)


def test_detection_never_raises_even_when_loading_the_backend_fails(monkeypatch):
    def broken():
        raise ImportError("secretstorage is broken")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    status = detect()
    assert status.status == "unavailable"
    assert "ImportError" in status.explanation


def test_hanging_while_loading_the_backend_times_out(monkeypatch):
    import threading

    release = threading.Event()

    def slow_get_keyring():
        release.wait(5)
        return keyring.core._keyring_backend

    monkeypatch.setattr(keyring, "get_keyring", slow_get_keyring)
    started = time.monotonic()
    try:
        status = detect()
    finally:
        release.set()
    assert status.status == "unavailable"
    assert "while loading its backend" in status.explanation
    assert time.monotonic() - started < TEST_TIMEOUT * 3
