"""Shared test setup: keep the user's real config, state and keyring out of every test."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

# Deterministic Textual output for Pilot and snapshot tests.
os.environ["TEXTUAL_ANIMATIONS"] = "none"

# The in-memory keyring (autouse): no test ever reaches the developer's real OS keyring.
pytest_plugins = ["keyring_support"]

DATA = Path(__file__).parent / "data"


def _loopback(host: object) -> bool:
    return host is None or (isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1")))


@pytest.fixture(autouse=True, scope="session")
def loopback_only():
    """Tests may reach 127.0.0.1 and nothing else: a stray default endpoint fails loudly here."""
    original_connect, original_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            raise AssertionError(f"a test tried to reach {address[0]}: only 127.0.0.1 is allowed")
        return original_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host):
            raise AssertionError(f"a test tried to resolve {host}: only 127.0.0.1 is allowed")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo
    yield
    socket.socket.connect, socket.getaddrinfo = original_connect, original_getaddrinfo


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """No OFFER_TUI_* from the developer's shell; config and state go to tmp_path."""
    for key in list(os.environ):
        if key.startswith("OFFER_TUI_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("OFFER_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("OFFER_TUI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def seed_text() -> str:
    return (DATA / "seed_offer.json").read_text()


@pytest.fixture
def seed_doc(seed_text) -> dict:
    return json.loads(seed_text)


@pytest.fixture
def demo_server():
    """The local demo API on 127.0.0.1, on a free port, stopped after the test."""
    from offer_tui.demo import DemoServer

    server = DemoServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(demo_server):
    """The same demo API under the name most test modules use."""
    return demo_server


@pytest.fixture
def demo(demo_server):
    return demo_server


# Tests that start the real app in a pseudo-terminal are sensitive to CPU contention: under
# pytest-xdist they share one worker (`--dist loadgroup`), so two of them never race each other.
_REAL_APP_TESTS = (
    "test_two_real_wizards_keep_their_own_drafts_and_never_offer_a_live_one",
    "test_a_dropped_session_saves_the_typed_text_and_the_process_ends",
    "test_a_hang_up_in_the_middle_of_typing_leaves_no_process",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.originalname in _REAL_APP_TESTS:
            item.add_marker(pytest.mark.xdist_group("real-app"))
