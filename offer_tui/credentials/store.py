"""Where secrets go: the OS keyring, this process's memory, or (opt-in only) a 0600 file.

Keys follow ``"<profile>:<item>"`` under the service ``offer-tui``; items are ``client_secret``
and ``access_token`` (a JSON ``{token, expires_at, ...}``). Every backend failure becomes a
``CredentialError`` whose text names the operation and the kind of failure, never the value.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from offer_tui.files import locked
from offer_tui.model.safejson import FileAccessError, JsonFileError, load_json_file

from .detect import (
    DEFAULT_TIMEOUT,
    SERVICE,
    KeyringStatus,
    KeyringTimeout,
    backend_name,
    call_with_timeout,
)
from .errors import CredentialError
from .config_files import atomic_write_json, config_dir
from .tokeninfo import CachedToken
from offer_tui.log import register_secret, swallowed

CLIENT_SECRET = "client_secret"
ACCESS_TOKEN = "access_token"
ITEMS = (CLIENT_SECRET, ACCESS_TOKEN)
SECRETS_FILE = "secrets.json"

# Windows Credential Manager caps a blob at 2,560 bytes, i.e. 1,280 UTF-16 characters.
WINDOWS_SECRET_LIMIT = 1280
# Writes may wait on a desktop unlock prompt the user has to answer, so allow longer than detection.
DEFAULT_STORE_TIMEOUT = 60.0


def keyring_key(profile: str, item: str) -> str:
    return f"{profile}:{item}"


class SecretStore:
    """Common interface. ``persistent`` says whether a value outlives this process."""

    kind = "abstract"
    source_label = "store"  # how resolve.py names this store as a value's source
    persistent = False
    warning: str | None = None  # printed at every start when not None

    def get(self, profile: str, item: str) -> str | None:
        raise NotImplementedError

    def set(self, profile: str, item: str, value: str) -> None:
        raise NotImplementedError

    def delete(self, profile: str, item: str) -> None:
        raise NotImplementedError

    # -- conveniences ----------------------------------------------------------------------
    def get_client_secret(self, profile: str) -> str | None:
        secret = self.get(profile, CLIENT_SECRET)
        register_secret(secret)
        return secret

    def set_client_secret(self, profile: str, secret: str) -> None:
        if not secret:
            raise CredentialError("The client secret is empty")
        register_secret(secret)
        self.set(profile, CLIENT_SECRET, secret)

    def get_token(self, profile: str) -> CachedToken | None:
        text = self.get(profile, ACCESS_TOKEN)
        return CachedToken.from_json(text) if text else None

    def set_token(self, profile: str, token: CachedToken) -> bool:
        """Cache a token. Returns True when it was stored here, False when kept in memory only."""
        self.set(profile, ACCESS_TOKEN, token.to_json())
        return True

    def delete_profile(self, profile: str) -> None:
        for item in ITEMS:
            self.delete(profile, item)

    def describe(self) -> str:
        return self.kind


class MemoryStore(SecretStore):
    """Session-only: asked once per run, gone when offer-tui exits."""

    kind = "session"
    source_label = "session"
    persistent = False

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], str] = {}

    def __repr__(self) -> str:
        return f"MemoryStore(<{len(self._values)} values>)"

    def get(self, profile: str, item: str) -> str | None:
        return self._values.get((profile, item))

    def set(self, profile: str, item: str, value: str) -> None:
        self._values[(profile, item)] = value

    def delete(self, profile: str, item: str) -> None:
        self._values.pop((profile, item), None)

    def describe(self) -> str:
        return "memory only (this session)"


_FAILURES = {
    keyring.errors.KeyringLocked: "the keyring is locked",
    keyring.errors.NoKeyringError: "no OS keyring is available",
    keyring.errors.PasswordSetError: "the keyring refused the value",
    keyring.errors.PasswordDeleteError: "the keyring could not delete the value",
    keyring.errors.InitError: "the keyring could not be initialised",
}


class KeyringStore(SecretStore):
    """Secrets in the OS keyring via ``keyring``, each call off-thread with a timeout."""

    kind = "keyring"
    source_label = "keyring"
    persistent = True

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        *,
        timeout: float | None = DEFAULT_STORE_TIMEOUT,
        max_token_length: int | None | str = "auto",
    ) -> None:
        self._backend = backend
        self.timeout = timeout
        if max_token_length == "auto":
            max_token_length = WINDOWS_SECRET_LIMIT if self._is_windows() else None
        self.max_token_length = max_token_length
        # Tokens too long for the backend (or that it refused) are cached here for this run.
        self._memory_tokens = MemoryStore()

    @property
    def backend(self) -> KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def _is_windows(self) -> bool:
        return type(self.backend).__module__.startswith("keyring.backends.Windows")

    def __repr__(self) -> str:
        return f"KeyringStore({backend_name(self.backend)})"

    def describe(self) -> str:
        return f"OS keyring ({backend_name(self.backend)})"

    def _call(self, operation: str, profile: str, item: str, fn):
        what = f"{operation} {item.replace('_', ' ')} of profile {profile!r}"
        try:
            return call_with_timeout(fn, self.timeout)
        except KeyringTimeout:
            raise CredentialError(
                f"The keyring did not answer within {self.timeout:g} s ({what})",
                hint="unlock the keyring, or use session-only credentials / OFFER_TUI_* variables",
            ) from None
        except Exception as exc:  # noqa: BLE001 - never let backend text (maybe a secret) through
            swallowed("a keyring call")
            reason = next((text for cls, text in _FAILURES.items() if isinstance(exc, cls)), None)
            reason = reason or f"{type(exc).__name__} from {backend_name(self.backend)}"
            raise CredentialError(f"Could not {what}: {reason}") from None

    def get(self, profile: str, item: str) -> str | None:
        backend = self.backend
        return self._call("read", profile, item, lambda: backend.get_password(SERVICE, keyring_key(profile, item)))

    def set(self, profile: str, item: str, value: str) -> None:
        backend = self.backend
        self._call("save", profile, item, lambda: backend.set_password(SERVICE, keyring_key(profile, item), value))

    def delete(self, profile: str, item: str) -> None:
        backend = self.backend

        def remove() -> None:
            try:
                backend.delete_password(SERVICE, keyring_key(profile, item))
            except keyring.errors.PasswordDeleteError:
                pass  # already absent: deleting is idempotent for us

        self._memory_tokens.delete(profile, item)
        self._call("delete", profile, item, remove)

    def get_token(self, profile: str) -> CachedToken | None:
        in_memory = self._memory_tokens.get_token(profile)
        if in_memory is not None:
            return in_memory
        return super().get_token(profile)

    def set_token(self, profile: str, token: CachedToken) -> bool:
        payload = token.to_json()
        if self.max_token_length is not None and len(payload) > self.max_token_length:
            self._forget_stored_token(profile)
            self._memory_tokens.set_token(profile, token)
            return False
        try:
            self.set(profile, ACCESS_TOKEN, payload)
        except CredentialError:
            # Caching is an optimisation: a refused write must not fail the request.
            self._memory_tokens.set_token(profile, token)
            return False
        self._memory_tokens.delete(profile, ACCESS_TOKEN)
        return True

    def _forget_stored_token(self, profile: str) -> None:
        # An older, shorter token in the keyring must not shadow the in-memory one in a later run.
        try:
            self.delete(profile, ACCESS_TOKEN)
        except CredentialError:
            pass


class InsecureFileStore(SecretStore):
    """Explicit ``--insecure-storage`` opt-in: secrets in plain text in a 0600 JSON file."""

    kind = "insecure-file"
    source_label = "insecure file"
    persistent = True

    def __init__(self, path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> None:
        self.path = path if path is not None else config_dir(environ) / SECRETS_FILE

    def __repr__(self) -> str:
        return f"InsecureFileStore({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.exists()

    @property
    def warning(self) -> str:  # type: ignore[override]
        return (
            f"WARNING: --insecure-storage is on: secrets are kept in plain text in {self.path} "
            "(mode 0600). Anyone who can read your files can read them."
        )

    def describe(self) -> str:
        return f"plaintext file {self.path} (--insecure-storage)"

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            info = self.path.stat()
            if stat.S_ISREG(info.st_mode) and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                os.chmod(self.path, 0o600)  # someone loosened it; tighten before reading
            # Bounded, regular files only (a FIFO here must not hang every command); no detail of the
            # content in the message: this file holds secrets.
            data = load_json_file(self.path, limit=1024 * 1024)
        except FileNotFoundError:
            return {}
        except FileAccessError:
            if not self.path.exists():
                return {}
            raise CredentialError(f"Cannot read the secrets file {self.path}", hint="fix or delete it") from None
        except (OSError, JsonFileError):
            raise CredentialError(f"Cannot read the secrets file {self.path}", hint="fix or delete it") from None
        if not isinstance(data, dict):
            raise CredentialError(f"The secrets file {self.path} is malformed", hint="fix or delete it")
        return {k: v for k, v in data.items() if isinstance(v, dict)}

    def _save(self, data: dict[str, dict[str, str]]) -> None:
        try:
            atomic_write_json(self.path, data)
        except OSError as exc:
            raise CredentialError(f"Cannot write the secrets file {self.path}: {type(exc).__name__}") from None

    def get(self, profile: str, item: str) -> str | None:
        value = self._load().get(profile, {}).get(item)
        return value if isinstance(value, str) else None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # Read-modify-write under the file lock: two processes caching tokens keep both.
        try:
            with locked(self.path):
                yield
        except CredentialError:
            raise
        except OSError as exc:
            raise CredentialError(f"Cannot write the secrets file {self.path}: {type(exc).__name__}") from None

    def set(self, profile: str, item: str, value: str) -> None:
        with self._locked():
            data = self._load()
            data.setdefault(profile, {})[item] = value
            self._save(data)

    def delete(self, profile: str, item: str) -> None:
        with self._locked():
            data = self._load()
            if item in data.get(profile, {}):
                del data[profile][item]
                if not data[profile]:
                    del data[profile]
                self._save(data)


def choose_store(
    status: KeyringStatus,
    *,
    insecure_storage: bool = False,
    environ: Mapping[str, str] | None = None,
    timeout: float | None = DEFAULT_STORE_TIMEOUT,
) -> SecretStore:
    """The store for a detected keyring situation.

    secure -> the keyring (``--insecure-storage`` is then ignored); anything else -> memory only,
    unless the user opted in to the plaintext file, now or earlier (the file exists because an
    earlier ``--insecure-storage`` created it; its ``warning`` is shown at every start, and deleting
    the file ends the opt-in). Suspect keyring backends (keyrings.alt, null) are never used, even
    with the opt-in.
    """
    if status.secure:
        return KeyringStore(status.backend, timeout=timeout)
    file_store = InsecureFileStore(environ=environ)
    if insecure_storage or file_store.exists():
        return file_store
    return MemoryStore()


__all__ = [
    "ACCESS_TOKEN",
    "CLIENT_SECRET",
    "DEFAULT_TIMEOUT",
    "InsecureFileStore",
    "KeyringStore",
    "MemoryStore",
    "SecretStore",
    "WINDOWS_SECRET_LIMIT",
    "choose_store",
    "keyring_key",
]
