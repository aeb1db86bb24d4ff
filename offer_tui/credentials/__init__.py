"""Credentials: profiles, the OS keyring, the lookup order and the cached IMS token. No Textual.

Names are loaded on first use (PEP 562), so that importing one submodule, such as the
argparse definitions every command builds, does not pull in keyring and httpx.
"""

from __future__ import annotations

from offer_tui._lazy import lazy_exports

_WHERE = {
    "DEFAULT_TIMEOUT": "detect",
    "ENV_PROFILE": "profiles",
    "HEADLESS_KEYRING_RECIPE": "detect",
    "REMEDIES": "detect",
    "CachedToken": "tokeninfo",
    "CredentialError": "errors",
    "InsecureFileStore": "store",
    "KeyringStatus": "detect",
    "KeyringStore": "store",
    "KeyringTokenProvider": "tokens",
    "MemoryStore": "store",
    "Profile": "profiles",
    "ProfileError": "profiles",
    "ProfileStore": "profiles",
    "Resolution": "resolve",
    "SecretStore": "store",
    "choose_store": "store",
    "describe_remaining": "tokeninfo",
    "detect_keyring": "detect",
    "flags_from_args": "resolve",
    "is_production": "profiles",
    "mask": "resolve",
    "resolve_settings": "resolve",
    "token_expiry": "tokeninfo",
}

__getattr__, __all__ = lazy_exports(__name__, _WHERE)
