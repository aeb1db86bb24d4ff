"""Where offer-tui keeps its own files, and the one way it writes them.

Every file the app writes (profiles, drafts, UI preferences, the opt-in plaintext secrets) goes
through ``atomic_write_text``: a reader sees the old file or the new one, never half of one, and
the file is private to the user (0600) from its first byte. No Textual here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import platformdirs

APP_NAME = "offer-tui"
ENV_CONFIG_DIR = "OFFER_TUI_CONFIG_DIR"
ENV_STATE_DIR = "OFFER_TUI_STATE_DIR"


def _directory(environ: Mapping[str, str] | None, variable: str, default: str) -> Path:
    # The overrides exist so tests (and users with odd homes) never touch the real directories.
    env = os.environ if environ is None else environ
    override = (env.get(variable) or "").strip()
    return Path(override).expanduser() if override else Path(default)


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$OFFER_TUI_CONFIG_DIR`` or the platform's user config directory (profiles, UI preferences)."""
    return _directory(environ, ENV_CONFIG_DIR, platformdirs.user_config_dir(APP_NAME))


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$OFFER_TUI_STATE_DIR`` or the platform's user state directory (drafts)."""
    return _directory(environ, ENV_STATE_DIR, platformdirs.user_state_dir(APP_NAME))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` via a 0600 temporary file in the same directory, fsynced, then renamed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)  # mkstemp already creates 0600; this guards against odd platforms
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise


class LockTimeout(OSError):
    """Another process held a state file's lock for too long."""


@contextmanager
def locked(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """Hold ``<path>.lock`` (an OS file lock, via ``filelock``) for a read-modify-write of ``path``.

    Every process that changes a shared state file (profiles, secrets file, drafts) takes this
    lock around load + change + ``atomic_write_text``, so two writers never lose each other's
    change. Readers need no lock: the atomic rename shows them the old file or the new one.
    Raises ``LockTimeout`` after ``timeout`` seconds, OSError when the lock file cannot be made.
    """
    from filelock import FileLock, Timeout

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = FileLock(f"{path}.lock", timeout=timeout, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise LockTimeout(f"another offer-tui process has held {path.name}.lock for {timeout:g} s") from None
    try:
        yield
    finally:
        lock.release()
