"""What the credentials screen shows and checks, kept apart from its widgets: the form's fields,
the keyring summary line, where a secret goes, a saved profile's values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from offer_tui.api.config import DEFAULT_ENDPOINT, DEFAULT_IMS_URL, DEFAULT_SCOPES
from offer_tui.credentials.detect import KeyringStatus
from offer_tui.credentials.errors import CredentialError
from offer_tui.credentials.profiles import ProfileStore
from offer_tui.credentials.store import MemoryStore, SecretStore

NEW_OPTION = "__new__"  # profile names must start with a letter or digit, so this cannot clash
# (field id, label, Profile attribute) for the plain inputs, in form order.
FIELDS = (
    ("name", "Name", "name"),
    ("client-id", "Client ID", "client_id"),
    ("ims-org", "IMS org", "ims_org"),
    ("sandbox", "Sandbox", "sandbox"),
    ("endpoint", "Endpoint", "endpoint"),
    ("ims-url", "IMS token URL", "ims_url"),
    ("scopes", "Scopes", "scopes"),
)
DEFAULTS = {"endpoint": DEFAULT_ENDPOINT, "ims_url": DEFAULT_IMS_URL, "scopes": DEFAULT_SCOPES}
StatusSource = KeyringStatus | Callable[[], KeyringStatus] | None


def keyring_summary(status: KeyringStatus | None, store: SecretStore | None) -> str:
    """One line for the top of the screen (fits 80 columns in the usual cases)."""
    if status is None:
        return "Keyring: checking… (saving waits for the check)"
    if status.secure:
        return f"Keyring: secure · secrets are saved in the OS keyring ({status.backend_name.rsplit('.', 1)[-1]})"
    if store is None or isinstance(store, MemoryStore):
        return f"Keyring {status.status}: secrets kept in memory, this session only (Keyring tab)"
    return f"Keyring {status.status}: secrets go to {store.describe()} (Keyring tab)"


def where_stored(store: SecretStore) -> str:
    return {"keyring": "in the OS keyring", "session": "in memory, this session only",
            "insecure-file": "in the plaintext file"}.get(store.kind, f"in {store.describe()}")


def profile_values(profiles: ProfileStore, name: str) -> dict[str, Any] | None:
    try:
        profile = profiles.get(name)
    except CredentialError:
        return None
    values: dict[str, Any] = {attr: getattr(profile, attr) for _, _, attr in FIELDS}
    values["production"] = profile.production
    return values
