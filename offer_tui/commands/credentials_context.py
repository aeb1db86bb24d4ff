"""The surroundings of a `profile` / `login` command: streams, prompt, environment, keyring.

Injectable, so tests pass their own streams and prompt. No Textual here.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Mapping
from typing import IO, Any

from offer_tui.credentials.detect import DEFAULT_TIMEOUT, KeyringStatus, detect_keyring
from offer_tui.credentials.profiles import ProfileStore
from offer_tui.credentials.store import SecretStore, choose_store

Prompt = Callable[[str], str]


class _Context:
    """The injectable surroundings of a command (tests pass their own)."""

    def __init__(
        self,
        *,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        prompt: Prompt | None = None,
        environ: Mapping[str, str] | None = None,
        keyring_timeout: float = DEFAULT_TIMEOUT,
        transport: Any = None,
    ) -> None:
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self._prompt_given = prompt is not None
        self.prompt = prompt if prompt is not None else getpass.getpass
        self.environ = environ if environ is not None else os.environ
        self.keyring_timeout = keyring_timeout
        self.transport = transport  # an httpx transport for the IMS request (tests)

    def can_prompt(self) -> bool:
        """Only a terminal may be asked: with stdin from /dev/null, a pipe or cron, getpass would
        warn, echo or die with EOFError. A prompt passed in (tests, the UI) is always usable."""
        if self._prompt_given:
            return True
        try:
            return self.stdin is not None and self.stdin.isatty()
        except (AttributeError, ValueError):  # closed or odd stdin
            return False

    def warn_profiles(self, profiles: ProfileStore) -> None:
        """Say what is wrong with profiles.json (damaged, newer version), if anything."""
        for problem in profiles.problems():
            self.err(f"offer-tui: warning: {problem}")

    def report_backup(self, profiles: ProfileStore) -> None:
        if profiles.last_backup is not None:
            self.err(f"offer-tui: the damaged profiles file was kept as {profiles.last_backup}")

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        print(text, file=self.stderr)

    def open_store(self, insecure_storage: bool = False) -> tuple[KeyringStatus, SecretStore]:
        status = detect_keyring(timeout=self.keyring_timeout)
        store = choose_store(status, insecure_storage=insecure_storage, environ=self.environ)
        if store.warning:
            self.err(store.warning)
        return status, store
