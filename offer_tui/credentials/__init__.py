"""Credentials: profiles, the OS keyring, the lookup order and the cached IMS token. No Textual."""

from offer_tui.credentials.detect import (
    DEFAULT_TIMEOUT,
    HEADLESS_KEYRING_RECIPE,
    REMEDIES,
    KeyringStatus,
    detect_keyring,
)
from offer_tui.credentials.errors import CredentialError
from offer_tui.credentials.profiles import (
    ENV_PROFILE,
    Profile,
    ProfileError,
    ProfileStore,
    is_production,
)
from offer_tui.credentials.resolve import Resolution, flags_from_args, mask, resolve_settings
from offer_tui.credentials.store import (
    InsecureFileStore,
    KeyringStore,
    MemoryStore,
    SecretStore,
    choose_store,
)
from offer_tui.credentials.tokeninfo import CachedToken, describe_remaining, token_expiry
from offer_tui.credentials.tokens import KeyringTokenProvider

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENV_PROFILE",
    "HEADLESS_KEYRING_RECIPE",
    "REMEDIES",
    "CachedToken",
    "CredentialError",
    "InsecureFileStore",
    "KeyringStatus",
    "KeyringStore",
    "KeyringTokenProvider",
    "MemoryStore",
    "Profile",
    "ProfileError",
    "ProfileStore",
    "Resolution",
    "SecretStore",
    "choose_store",
    "describe_remaining",
    "detect_keyring",
    "flags_from_args",
    "is_production",
    "mask",
    "resolve_settings",
    "token_expiry",
]
