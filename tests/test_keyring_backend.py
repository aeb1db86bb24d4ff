"""keyring's own conformance tests, run against the in-memory test backend."""

from keyring.testing.backend import BackendBasicTests
from keyring_support import MemoryKeyring


class TestMemoryKeyring(BackendBasicTests):
    def init_keyring(self):
        return MemoryKeyring()


def test_memory_keyring_is_never_chosen_by_keyring_itself():
    assert MemoryKeyring.priority < 0
