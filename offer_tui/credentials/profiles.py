"""Named connection profiles (dev, stage, prod...): the non-secret half of a credential.

Everything here is safe to write to disk. The client secret and the cached token live in a
``SecretStore`` (see ``store.py``), keyed by the profile name. The profiles live in ONE JSON file,
``profiles.json`` in the config directory: TOML would be nicer to hand-edit, but the standard
library cannot write it and we do not want a dependency for one small file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from offer_tui.api.config import DEFAULT_ENDPOINT, DEFAULT_IMS_URL, DEFAULT_SCOPES

from .errors import CredentialError
from .paths import atomic_write_json, config_dir

ENV_PROFILE = "OFFER_TUI_PROFILE"
PROFILES_FILE = "profiles.json"
FORMAT_VERSION = 1

# ":" separates the profile from the item in keyring keys ("dev:client_secret"), so it is banned.
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class ProfileError(CredentialError):
    """A profile is missing, malformed, or its name is not allowed."""


@dataclass(frozen=True)
class Profile:
    name: str
    client_id: str
    ims_org: str
    sandbox: str
    endpoint: str = DEFAULT_ENDPOINT
    ims_url: str = DEFAULT_IMS_URL
    scopes: str = DEFAULT_SCOPES
    production: bool = False

    def __post_init__(self) -> None:
        validate_profile_name(self.name)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["name"]  # the key of the mapping
        return data

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> Profile:
        known = {f.name for f in fields(cls)} - {"name"}
        values = {k: v for k, v in data.items() if k in known}
        missing = [k for k in ("client_id", "ims_org", "sandbox") if not values.get(k)]
        if missing:
            raise ProfileError(f"Profile {name!r} lacks {', '.join(missing)}")
        values["production"] = bool(values.get("production", False))
        return cls(name=name, **values)


def validate_profile_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ProfileError(
            f"Invalid profile name {name!r}",
            hint="use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )


def is_production(profile: Profile | None) -> bool:
    """True when submitting to this profile needs the typed-sandbox confirmation."""
    if profile is None:
        return False
    return (
        profile.production
        or "prod" in profile.name.lower()
        or "prod" in (profile.sandbox or "").lower()
    )


@dataclass
class _ProfilesFile:
    default: str | None = None
    profiles: dict[str, Profile] = field(default_factory=dict)


class ProfileStore:
    """Load, change and save ``profiles.json``. Every change is written at once, atomically, 0600."""

    def __init__(self, path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> None:
        self.path = path if path is not None else config_dir(environ) / PROFILES_FILE

    # -- reading -------------------------------------------------------------------------
    def _load(self) -> _ProfilesFile:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _ProfilesFile()
        except OSError as exc:
            raise ProfileError(f"Cannot read {self.path}: {exc.strerror or type(exc).__name__}") from None
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError(
                f"{self.path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                hint="fix or delete the file",
            ) from None
        if not isinstance(raw, dict) or not isinstance(raw.get("profiles", {}), dict):
            raise ProfileError(f"{self.path} does not hold a profiles object", hint="fix or delete the file")
        profiles: dict[str, Profile] = {}
        for name, data in raw.get("profiles", {}).items():
            if not isinstance(data, dict):
                raise ProfileError(f"Profile {name!r} in {self.path} is not an object")
            profiles[name] = Profile.from_json(name, data)
        default = raw.get("default")
        if default not in profiles:
            default = None
        return _ProfilesFile(default=default, profiles=profiles)

    def _save(self, state: _ProfilesFile) -> None:
        payload = {
            "version": FORMAT_VERSION,
            "default": state.default,
            "profiles": {name: p.to_json() for name, p in sorted(state.profiles.items())},
        }
        try:
            atomic_write_json(self.path, payload)
        except OSError as exc:
            raise ProfileError(f"Cannot write {self.path}: {exc.strerror or type(exc).__name__}") from None

    def list(self) -> list[Profile]:
        return [p for _, p in sorted(self._load().profiles.items())]

    def names(self) -> list[str]:
        return sorted(self._load().profiles)

    @property
    def default_name(self) -> str | None:
        return self._load().default

    def get(self, name: str) -> Profile:
        state = self._load()
        try:
            return state.profiles[name]
        except KeyError:
            known = ", ".join(sorted(state.profiles)) or "none yet"
            raise ProfileError(
                f"No profile named {name!r} (known: {known})",
                hint="add one with `offer-tui profile add NAME ...`",
            ) from None

    def exists(self, name: str) -> bool:
        return name in self._load().profiles

    # -- changing ------------------------------------------------------------------------
    def add(self, profile: Profile, *, replace_existing: bool = False, make_default: bool | None = None) -> Profile:
        """Save ``profile``. The first profile ever added becomes the default."""
        state = self._load()
        if profile.name in state.profiles and not replace_existing:
            raise ProfileError(f"Profile {profile.name!r} already exists", hint="edit it or remove it first")
        state.profiles[profile.name] = profile
        if make_default or (make_default is None and state.default is None):
            state.default = profile.name
        self._save(state)
        return profile

    def edit(self, name: str, /, **changes: Any) -> Profile:
        """Change some fields of a profile (not its name: secrets are keyed by it)."""
        if "name" in changes and changes["name"] != name:
            raise ProfileError("Renaming a profile is not supported", hint="add a new one and remove the old one")
        state = self._load()
        if name not in state.profiles:
            self.get(name)  # raises the friendly error
        updated = replace(state.profiles[name], **changes)
        state.profiles[name] = updated
        self._save(state)
        return updated

    def remove(self, name: str) -> None:
        state = self._load()
        if name not in state.profiles:
            self.get(name)
        del state.profiles[name]
        if state.default == name:
            # With exactly one profile left there is no doubt which one the user means.
            state.default = next(iter(state.profiles)) if len(state.profiles) == 1 else None
        self._save(state)

    def use(self, name: str) -> None:
        state = self._load()
        if name not in state.profiles:
            self.get(name)
        state.default = name
        self._save(state)

    def select(self, flag: str | None = None, environ: Mapping[str, str] | None = None) -> tuple[Profile | None, str]:
        """The active profile: ``--profile`` > ``$OFFER_TUI_PROFILE`` > the default.

        Returns the profile (None when there is none at all) and how it was chosen
        ("flag", "env OFFER_TUI_PROFILE", "default" or "none").
        """
        env = os.environ if environ is None else environ
        if flag:
            return self.get(flag), "flag"
        from_env = (env.get(ENV_PROFILE) or "").strip()
        if from_env:
            return self.get(from_env), f"env {ENV_PROFILE}"
        state = self._load()
        if state.default:
            return state.profiles[state.default], "default"
        return None, "none"
