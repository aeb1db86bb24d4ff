"""Named connection profiles (dev, stage, prod...): the non-secret half of a credential.

Everything here is safe to write to disk. The client secret and the cached token live in a
``SecretStore`` (see ``store.py``), keyed by the profile name. The profiles live in ONE JSON file,
``profiles.json`` in the config directory: TOML would be nicer to hand-edit, but the standard
library cannot write it and we do not want a dependency for one small file.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from offer_tui.api.config import DEFAULT_ENDPOINT, DEFAULT_IMS_URL, DEFAULT_SCOPES
from offer_tui.files import locked
from offer_tui.model.safejson import FileAccessError, JsonFileError, load_json_file
from offer_tui.exit_codes import EXIT_LOCAL

from .errors import CredentialError
from .config_files import atomic_write_json, config_dir

ENV_PROFILE = "OFFER_TUI_PROFILE"
PROFILES_FILE = "profiles.json"
FORMAT_VERSION = 1
MAX_STATE_BYTES = 1024 * 1024  # a profiles file of hundreds of profiles is a few KB

# ":" separates the profile from the item in keyring keys ("dev:client_secret"), so it is banned.
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class ProfileError(CredentialError):
    """A profile is missing, malformed, or its name is not allowed."""


class LocalStateError(ProfileError):
    """Local state is missing or unreadable: an unknown profile, a profiles.json that cannot be read.
    Nothing was sent; the CLI exits with EXIT_LOCAL (6), not the API's 3."""

    exit_code = EXIT_LOCAL


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
    decisions_endpoint: str = ""  # the preview's URL when not the endpoint's sibling (api/preview.py)

    def __post_init__(self) -> None:
        validate_profile_name(self.name)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["name"]  # the key of the mapping
        if not data["decisions_endpoint"]:
            del data["decisions_endpoint"]  # unset: profiles.json stays as it was
        return data

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> Profile:
        """A profile from its stored form; wrong types are a ProfileError naming the field."""
        known = {f.name for f in fields(cls)} - {"name"}
        values = {k: v for k, v in data.items() if k in known}
        for key, value in values.items():
            wanted = bool if key == "production" else str
            if not isinstance(value, wanted):
                raise ProfileError(
                    f"Profile {name!r}: {key} must be {'true or false' if wanted is bool else 'a string'}, "
                    f"not {_json_kind(value)}"
                )
        missing = [k for k in ("client_id", "ims_org", "sandbox") if not values.get(k)]
        if missing:
            raise ProfileError(f"Profile {name!r} lacks {', '.join(missing)}")
        return cls(name=name, **values)


def _json_kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return kinds.get(type(value), "a number")


def validate_profile_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ProfileError(
            f"Invalid profile name {name!r}",
            hint="use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )


def _newer_text(path: Path, version: int) -> str:
    return (f"{path} was written by a newer offer-tui (format version {version}; this one knows "
            f"version {FORMAT_VERSION})")


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
    problems: list[str] = field(default_factory=list)  # one line each, naming the file
    damaged: bool = False  # some content was unusable: move the file aside before writing
    unreadable: bool = False  # could not be read at all (permissions, a directory...): never write
    newer: int | None = None  # a newer format version: read what we know, never write


class ProfileStore:
    """Load, change and save ``profiles.json``. Every change is a read-modify-write under a file
    lock (several offer-tui processes may add profiles at once), written atomically, 0600.

    A damaged file does not stop anyone: the usable profiles are read and ``problems()`` says what
    was skipped. The next change first moves the damaged file aside as
    ``profiles.json.corrupt-<timestamp>`` (``last_backup``), so nothing is overwritten without a copy.
    A file of a newer format version is read but never written.
    """

    def __init__(self, path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> None:
        self.path = path if path is not None else config_dir(environ) / PROFILES_FILE
        self.last_backup: Path | None = None

    # -- reading -------------------------------------------------------------------------
    def _load(self) -> _ProfilesFile:
        state = _ProfilesFile()
        try:
            raw = load_json_file(self.path, limit=MAX_STATE_BYTES)
        except FileAccessError as exc:
            if not self.path.exists() and not self.path.is_symlink():
                return state
            state.unreadable = True
            state.problems.append(f"cannot read {exc}; profiles from it are not used")
            return state
        except JsonFileError as exc:
            return self._damaged(state, f"{exc}")
        if not isinstance(raw, dict):
            return self._damaged(state, f"{self.path}: holds {_json_kind(raw)}, not a profiles object")
        version = raw.get("version", FORMAT_VERSION)
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            state.newer = version
        elif version != FORMAT_VERSION:
            self._damaged(state, f"{self.path}: version must be {FORMAT_VERSION}, not {version!r}")
        entries = raw.get("profiles", {})
        if not isinstance(entries, dict):
            return self._damaged(state, f"{self.path}: \"profiles\" must be an object, not {_json_kind(entries)}")
        for name, data in entries.items():
            try:
                if not isinstance(data, dict):
                    raise ProfileError(f"Profile {name!r} is {_json_kind(data)}, not an object")
                state.profiles[name] = Profile.from_json(name, data)
            except ProfileError as exc:
                self._damaged(state, f"{self.path}: {exc.message}; this profile is skipped")
        default = raw.get("default")
        if default is not None and not isinstance(default, str):
            self._damaged(state, f"{self.path}: \"default\" must be a profile name, not {_json_kind(default)}")
        state.default = default if default in state.profiles else None
        return state

    @staticmethod
    def _damaged(state: _ProfilesFile, problem: str) -> _ProfilesFile:
        state.damaged = True
        state.problems.append(problem)
        return state

    def unreadable(self) -> str | None:
        """Why profiles.json could not be read at all (permissions, a folder...), or None."""
        state = self._load()
        return state.problems[0] if state.unreadable else None

    def problems(self) -> list[str]:
        """What is wrong with the file, one line each (empty when it is fine or absent)."""
        state = self._load()
        notes = list(state.problems)
        if state.damaged:
            notes.append(
                f"offer-tui starts anyway with the usable profiles; the next change to profiles moves "
                f"{self.path.name} aside as {self.path.name}.corrupt-<time> first"
            )
        if state.newer is not None:
            notes.append(_newer_text(self.path, state.newer) + " (read only)")
        return notes

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

    def _change(self, change: Callable[[_ProfilesFile], Any]) -> Any:
        """Load, ``change`` and save, all under the file lock; refuse to write what we must not."""
        self.last_backup = None
        try:
            with locked(self.path):
                state = self._load()
                if state.unreadable:
                    raise ProfileError(f"Cannot change profiles: {state.problems[0]}",
                                       hint="fix the file's permissions, or move it away")
                if state.newer is not None:
                    raise ProfileError(_newer_text(self.path, state.newer) + ": not changed, so none of its "
                                       "newer settings is lost", hint="use the newer offer-tui to change profiles")
                result = change(state)
                if state.damaged:
                    self.last_backup = self._move_aside()
                self._save(state)
                return result
        except OSError as exc:  # the lock file or the folder could not be made, or the lock timed out
            raise ProfileError(f"Cannot change {self.path}: {exc.strerror or exc}") from None

    def _move_aside(self) -> Path:
        """Keep the damaged file as ``<name>.corrupt-<UTC time>`` (a hard link, so the path is never
        missing for readers; a rename where links are not supported)."""
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while backup.exists():
            n += 1
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            os.link(self.path, backup)
        except OSError:
            os.replace(self.path, backup)
        return backup

    def list(self) -> list[Profile]:
        return [p for _, p in sorted(self._load().profiles.items())]

    def names(self) -> list[str]:
        return sorted(self._load().profiles)

    @property
    def default_name(self) -> str | None:
        return self._load().default

    def get(self, name: str) -> Profile:
        return self._known(self._load(), name)

    def exists(self, name: str) -> bool:
        return name in self._load().profiles

    # -- changing ------------------------------------------------------------------------
    def add(self, profile: Profile, *, replace_existing: bool = False, make_default: bool | None = None) -> Profile:
        """Save ``profile``. The first profile ever added becomes the default."""

        def change(state: _ProfilesFile) -> Profile:
            if profile.name in state.profiles and not replace_existing:
                raise ProfileError(f"Profile {profile.name!r} already exists", hint="edit it or remove it first")
            state.profiles[profile.name] = profile
            if make_default or (make_default is None and state.default is None):
                state.default = profile.name
            return profile

        return self._change(change)

    def edit(self, name: str, /, **changes: Any) -> Profile:
        """Change some fields of a profile (not its name: secrets are keyed by it)."""
        if "name" in changes and changes["name"] != name:
            raise ProfileError("Renaming a profile is not supported", hint="add a new one and remove the old one")

        def change(state: _ProfilesFile) -> Profile:
            updated = replace(self._known(state, name), **changes)
            state.profiles[name] = updated
            return updated

        return self._change(change)

    def remove(self, name: str) -> None:
        def change(state: _ProfilesFile) -> None:
            self._known(state, name)
            del state.profiles[name]
            if state.default == name:
                # With exactly one profile left there is no doubt which one the user means.
                state.default = next(iter(state.profiles)) if len(state.profiles) == 1 else None

        self._change(change)

    def use(self, name: str) -> None:
        def change(state: _ProfilesFile) -> None:
            self._known(state, name)
            state.default = name

        self._change(change)

    def _known(self, state: _ProfilesFile, name: str) -> Profile:
        try:
            return state.profiles[name]
        except KeyError:
            if state.unreadable:  # "none yet" would be a guess: the file may well hold it
                raise LocalStateError(f"Profile {name!r} is not known: {state.problems[0]}",
                                      hint="fix the file's permissions, or move it away") from None
            known = ", ".join(sorted(state.profiles)) or "none yet"
            raise LocalStateError(
                f"No profile named {name!r} (known: {known})",
                hint="add one with `offer-tui profile add NAME ...`",
            ) from None

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
