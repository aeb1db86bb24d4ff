"""Remembered UI preferences (the theme), in a small JSON file in the user's config directory."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

CONFIG_DIR_ENV = "OFFER_TUI_CONFIG_DIR"
PREFS_FILE = "ui.json"


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir("offer-tui"))


def load_prefs(directory: Path | None = None) -> dict[str, Any]:
    path = (directory or config_dir()) / PREFS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_prefs(prefs: dict[str, Any], directory: Path | None = None) -> None:
    """Best effort: a read-only home must not break the app."""
    directory = directory or config_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ui-", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(prefs, handle, indent=2)
        os.replace(tmp, directory / PREFS_FILE)
    except OSError:
        pass
