"""Where each connection value comes from: flag > environment > profile / keyring > prompt.

The app can always say which source won, so every value is resolved with a source label:
"flag", "env OFFER_TUI_CLIENT_ID", "profile dev", "keyring" (or "session" / "insecure file" for
the other secret stores), "prompt", "default" or "unset".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from offer_tui.api import config as api_config
from offer_tui.api.config import Settings

from offer_tui.log import register_secret

from .errors import CredentialError
from .profiles import ENV_PROFILE, Profile, ProfileStore
from .store import MemoryStore, SecretStore

FIELDS = ("endpoint", "ims_url", "client_id", "client_secret", "access_token", "ims_org", "sandbox", "scopes")
SECRET_FIELDS = frozenset({"client_secret", "access_token"})
# Secrets are never accepted on the command line (shell history, ps): only these have flags.
FLAG_FIELDS = ("endpoint", "ims_url", "client_id", "ims_org", "sandbox", "scopes")
ENV_NAMES = {
    "endpoint": api_config.ENV_ENDPOINT,
    "ims_url": api_config.ENV_IMS_URL,
    "client_id": api_config.ENV_CLIENT_ID,
    "client_secret": api_config.ENV_CLIENT_SECRET,
    "access_token": api_config.ENV_ACCESS_TOKEN,
    "ims_org": api_config.ENV_IMS_ORG,
    "sandbox": api_config.ENV_SANDBOX,
    "scopes": api_config.ENV_SCOPES,
}
DEFAULTS = {
    "endpoint": api_config.DEFAULT_ENDPOINT,
    "ims_url": api_config.DEFAULT_IMS_URL,
    "scopes": api_config.DEFAULT_SCOPES,
}
LABELS = {
    "endpoint": "Endpoint",
    "ims_url": "IMS token URL",
    "client_id": "Client ID",
    "client_secret": "Client secret",
    "access_token": "Access token",
    "ims_org": "IMS org",
    "sandbox": "Sandbox",
    "scopes": "Scopes",
}
FLAG_NAMES = {name: "--" + name.replace("_", "-") for name in FLAG_FIELDS}
REQUIRED = ("client_id", "ims_org", "sandbox")
# Used as the secret-store key when no profile is active (env / prompt only), session stores only.
SESSION_KEY = "_session"

Prompt = Callable[[str], str]


def mask(value: str | None) -> str:
    """Show the first 4 characters and then ``••••``; short values show only ``••••``.

    Short values would give away too much of themselves, so they get no prefix at all.
    """
    if not value:
        return "(not set)"
    if len(value) < 8:
        return "••••"
    return value[:4] + "••••"


@dataclass(frozen=True)
class Resolution:
    settings: Settings
    sources: dict[str, str]
    profile: Profile | None
    profile_source: str  # "flag", "env OFFER_TUI_PROFILE", "default" or "none"
    store: SecretStore = field(repr=False, compare=False)
    notes: tuple[str, ...] = ()  # non-fatal problems met on the way (e.g. keyring read failed)

    @property
    def profile_name(self) -> str | None:
        return self.profile.name if self.profile else None

    @property
    def cache_key(self) -> str:
        """Secret-store key for the token cache: the profile, else (credentials from the environment)
        a hash of what the token belongs to: client id, org, IMS URL and the secret. A token minted for
        one org is never offered to another, and the key (visible in some keyrings) shows no secret."""
        if self.profile is not None:
            return self.profile.name
        import hashlib

        s = self.settings
        owner = "\0".join(v or "" for v in (s.client_id, s.ims_org, s.ims_url, s.client_secret))
        return "env-" + hashlib.sha256(owner.encode("utf-8")).hexdigest()[:24]

    def env_overrides(self) -> list[tuple[str, str]]:
        """(label, variable) for each value an environment variable supplies instead of the profile
        (all of them when no profile is active): the variables the user must unset to use the profile."""
        found = []
        for name in FIELDS:
            variable = ENV_NAMES[name]
            if self.sources.get(name) == f"env {variable}":
                found.append((LABELS[name], variable))
        return found

    def describe(self) -> list[tuple[str, str, str]]:
        """(label, display value with secrets masked, source) for every field."""
        rows = []
        for name in FIELDS:
            value = getattr(self.settings, name)
            shown = mask(value) if name in SECRET_FIELDS else (value or "(not set)")
            rows.append((LABELS[name], shown, self.sources.get(name, "unset")))
        return rows


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def flags_from_args(args: Any) -> dict[str, str | None]:
    """Pick the connection flags off an argparse namespace (missing attributes are fine)."""
    return {name: _clean(getattr(args, name, None)) for name in FLAG_FIELDS}


def resolve_settings(
    *,
    flags: Mapping[str, str | None] | None = None,
    profile_flag: str | None = None,
    environ: Mapping[str, str] | None = None,
    profiles: ProfileStore | None = None,
    store: SecretStore | None = None,
    prompt: Prompt | None = None,
    require_credentials: bool = True,
) -> Resolution:
    """Resolve every value and say where it came from.

    ``prompt`` is called with a label such as ``"Client secret: "`` for each required value no
    other source supplied (the CLI passes ``getpass.getpass``, the UI its own masked dialog).
    A prompted secret is remembered in ``store`` only when that store is session-only, so it is
    asked once per run and never written anywhere. With ``require_credentials=False`` nothing is
    prompted and missing values stay ``None`` (for ``profile show`` and the credentials screen).
    Raises ``CredentialError`` when a required value is still missing.
    """
    env = os.environ if environ is None else environ
    flags = dict(flags or {})
    for secret in SECRET_FIELDS:
        if _clean(flags.get(secret)):
            raise CredentialError(
                f"The {LABELS[secret].lower()} is not accepted on the command line",
                hint=f"set {ENV_NAMES[secret]} or store it in a profile",
            )
    profiles = profiles if profiles is not None else ProfileStore(environ=env)
    store = store if store is not None else MemoryStore()
    profile, profile_source = profiles.select(_clean(profile_flag), env)

    values: dict[str, str | None] = {}
    sources: dict[str, str] = {}
    notes: list[str] = profiles.problems()  # a damaged profiles.json: say what was skipped

    def take(name: str, value: Any, source: str) -> bool:
        value = _clean(value)
        if value is None:
            return False
        values[name] = value
        sources[name] = source
        return True

    for name in FIELDS:
        if name in FLAG_FIELDS and take(name, flags.get(name), "flag"):
            continue
        if take(name, env.get(ENV_NAMES[name]), f"env {ENV_NAMES[name]}"):
            continue
        if profile is not None and name not in SECRET_FIELDS and take(name, getattr(profile, name), f"profile {profile.name}"):
            continue
        if name in DEFAULTS and take(name, DEFAULTS[name], "default"):
            continue
        values[name] = None
        sources[name] = "unset"

    for name in api_config.URL_FIELDS:  # a clear line now (before any prompt), not a traceback in httpx later
        problem = api_config.url_problem(values[name])
        if problem:
            message, hint = api_config.url_error_text(name, values[name], problem, sources[name])
            raise CredentialError(message, hint=hint)

    # The stored secret belongs to the profile's client id: never pair it with another one.
    secret_key = None
    if profile is not None and values["client_id"] == profile.client_id:
        secret_key = profile.name
    elif profile is None and not store.persistent:
        secret_key = SESSION_KEY
    if values["client_secret"] is None and secret_key is not None:
        try:
            take("client_secret", store.get_client_secret(secret_key), store.source_label)
        except CredentialError as exc:
            notes.append(str(exc))

    needed = list(REQUIRED)
    if values["access_token"] is None:
        needed.append("client_secret")
    missing = [name for name in needed if values[name] is None]

    if missing and require_credentials and prompt is not None:
        for name in missing:
            answer = _clean(prompt(f"{LABELS[name]}: "))
            if answer is None:
                raise CredentialError(f"No {LABELS[name].lower()} was given")
            take(name, answer, "prompt")
            if name == "client_secret" and not store.persistent:
                store.set_client_secret(secret_key or SESSION_KEY, answer)
        missing = []

    if missing and require_credentials:
        raise CredentialError(
            "Missing " + ", ".join(LABELS[n].lower() for n in missing),
            hint=_how_to_supply(missing, notes),
        )

    settings = Settings(**{name: values[name] for name in FIELDS})
    for secret in settings.secret_values():
        register_secret(secret)  # never in --log's file, whatever carries it there
    return Resolution(settings, sources, profile, profile_source, store, tuple(notes))


def _how_to_supply(missing: list[str], notes: list[str]) -> str:
    ways = []
    for name in missing:
        flag = FLAG_NAMES.get(name)
        ways.append(f"{flag} or {ENV_NAMES[name]}" if flag else ENV_NAMES[name])
    hint = "set " + ", ".join(ways) + ", or add a profile with `offer-tui profile add`"
    if notes:
        hint += f" ({'; '.join(notes)})"
    return hint


__all__ = [
    "ENV_NAMES",
    "ENV_PROFILE",
    "FIELDS",
    "Resolution",
    "flags_from_args",
    "mask",
    "resolve_settings",
]
