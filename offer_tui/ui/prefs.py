"""Remembered UI preferences (the theme), in a small JSON file in the user's config directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from offer_tui.files import atomic_write_text, config_dir

__all__ = ["PREFS_FILE", "config_dir", "load_prefs", "save_prefs"]

PREFS_FILE = "ui.json"


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
        atomic_write_text(directory / PREFS_FILE, json.dumps(prefs, indent=2))
    except OSError:
        pass
