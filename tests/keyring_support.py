"""Keyring test support: an in-memory backend and fixtures for every backend situation.

Loaded as a pytest plugin (``pytest_plugins = ["keyring_support"]`` in conftest.py, or
``-p keyring_support``). Its autouse ``memory_keyring`` fixture guarantees no test ever touches the
real OS keyring: each test gets a fresh in-memory backend, and the previous one is restored after.
(tests/conftest.py already keeps OFFER_TUI_* and the config dir out of tests.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import keyring
import keyring.core
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.compat import properties
from keyring.credentials import SimpleCredential

# Short, so the hanging-backend tests stay fast.
TEST_TIMEOUT = 0.3


class MemoryKeyring(KeyringBackend):
    """Keeps passwords in a dict.

    The priority is negative so that keyring's own detection never picks it, even though the
    class is registered globally the moment it is defined. offer-tui treats it as a secure
    keyring only because of the explicit test marker below.
    """

    OFFER_TUI_TRUSTED_FOR_TESTS = True

    @properties.classproperty
    def priority(cls) -> float:
        return -10

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}
        self.calls: list[tuple[str, str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append(("get", service, username))
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append(("set", service, username))
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append(("delete", service, username))
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("not found") from None

    def get_credential(self, service: str, username: str | None):
        if username is not None:
            password = self.passwords.get((service, username))
            return SimpleCredential(username, password) if password is not None else None
        for (svc, user), password in self.passwords.items():
            if svc == service:
                return SimpleCredential(user, password)
        return None


class _InstalledOnly(KeyringBackend):
    """Viable only while a fixture has installed it.

    Every KeyringBackend subclass is registered globally when defined, so a class with a plain
    positive priority would be considered by keyring's own detection (and chained) in any later
    ``init_backend()``. Raising from ``priority`` is keyring's way to say "not viable".
    """

    TEST_PRIORITY: float = 5
    _active = False

    @properties.classproperty
    def priority(cls) -> float:
        if not cls._active:
            raise RuntimeError("test-only keyring backend")
        return cls.TEST_PRIORITY


class LockedKeyring(_InstalledOnly):
    """A Secret Service whose collection stays locked: every call raises KeyringLocked."""

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    set_password = delete_password = get_password


class HangingKeyring(_InstalledOnly):
    """A Secret Service waiting for a desktop prompt nobody answers."""

    def __init__(self, hang_for: float = TEST_TIMEOUT * 5) -> None:
        super().__init__()
        self.hang_for = hang_for
        self.released = threading.Event()

    def get_password(self, service, username):
        self.released.wait(self.hang_for)
        return None

    set_password = delete_password = get_password


class RaisingKeyring(_InstalledOnly):
    """Recommended, but every call fails with an unexpected error that quotes what it was given."""

    def get_password(self, service, username, *rest):
        raise RuntimeError(f"backend exploded on {service} {username} {rest}")

    def set_password(self, service, username, password):
        raise RuntimeError(f"backend exploded storing {password}")

    delete_password = get_password


class PlaintextKeyring(_InstalledOnly):
    """Stands in for keyrings.alt.file.PlaintextKeyring (keyrings.alt is not installed)."""

    TEST_PRIORITY = 0.5

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def get_password(self, service, username):
        self.calls += 1
        return None

    set_password = delete_password = get_password


PlaintextKeyring.__module__ = "keyrings.alt.file"


class EncryptedKeyring(_InstalledOnly):
    """Stands in for keyrings.alt.file.EncryptedKeyring, which calls getpass() on first use."""

    TEST_PRIORITY = 0.6

    def get_password(self, service, username):
        raise AssertionError("offer-tui called into an encrypted keyrings.alt backend (it would getpass())")

    set_password = delete_password = get_password


EncryptedKeyring.__module__ = "keyrings.alt.file"


class RecommendedKeyring(_InstalledOnly):
    """A genuinely recommended backend (priority 5, no test marker) that stores in a dict."""

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}
        self.calls: list[tuple[str, str, str]] = []

    get_password = MemoryKeyring.get_password
    set_password = MemoryKeyring.set_password
    delete_password = MemoryKeyring.delete_password


class ChainedKeyring(ChainerBackend):
    """keyring's chainer over a recommended member and an encrypted keyrings.alt one.

    Reads through a chainer fall through to later members, so offer-tui must pick the secure
    member and use it directly; touching the encrypted one would prompt with getpass().
    """

    MEMBERS: list[KeyringBackend] = []
    _active = False

    @properties.classproperty
    def viable(cls) -> bool:
        return cls._active

    @properties.classproperty
    def priority(cls) -> float:
        if not cls._active:
            raise RuntimeError("test-only keyring backend")
        return 10

    @properties.classproperty
    def backends(cls):
        return list(cls.MEMBERS)


def _install(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    previous = keyring.core._keyring_backend
    cls = type(backend)
    was_active = getattr(cls, "_active", False)
    if issubclass(cls, (_InstalledOnly, ChainedKeyring)):
        cls._active = True
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.core._keyring_backend = previous
        if issubclass(cls, (_InstalledOnly, ChainedKeyring)):
            cls._active = was_active


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Autouse: a fresh in-memory keyring per test, so nothing ever reaches the real OS keyring."""
    yield from _install(MemoryKeyring())


@pytest.fixture
def fail_keyring() -> Iterator[KeyringBackend]:
    yield from _install(fail.Keyring())


@pytest.fixture
def null_keyring() -> Iterator[KeyringBackend]:
    yield from _install(null.Keyring())


@pytest.fixture
def locked_keyring() -> Iterator[KeyringBackend]:
    yield from _install(LockedKeyring())


@pytest.fixture
def hanging_keyring() -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    try:
        yield from _install(backend)
    finally:
        backend.released.set()  # let the abandoned daemon thread finish


@pytest.fixture
def raising_keyring() -> Iterator[KeyringBackend]:
    yield from _install(RaisingKeyring())


@pytest.fixture
def plaintext_keyring() -> Iterator[PlaintextKeyring]:
    yield from _install(PlaintextKeyring())


@pytest.fixture
def encrypted_alt_keyring() -> Iterator[KeyringBackend]:
    yield from _install(EncryptedKeyring())


@pytest.fixture
def recommended_keyring() -> Iterator[RecommendedKeyring]:
    RecommendedKeyring._active = True
    try:
        yield from _install(RecommendedKeyring())
    finally:
        RecommendedKeyring._active = False


@pytest.fixture
def keyring_timeout() -> float:
    """The detection timeout tests should pass: short, so hanging backends cost little."""
    return TEST_TIMEOUT


@pytest.fixture
def chained_keyring() -> Iterator[ChainedKeyring]:
    secure, encrypted = RecommendedKeyring(), EncryptedKeyring()
    ChainedKeyring.MEMBERS = [secure, encrypted]
    RecommendedKeyring._active = EncryptedKeyring._active = True
    try:
        yield from _install(ChainedKeyring())
    finally:
        RecommendedKeyring._active = EncryptedKeyring._active = False
        ChainedKeyring.MEMBERS = []
