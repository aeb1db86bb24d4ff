"""Remembered UI preferences (the theme), in a small JSON file in the user's config directory."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from offer_tui.files import atomic_write_text, config_dir

__all__ = ["PREFS_FILE", "PrefsSaver", "config_dir", "load_prefs", "save_prefs"]

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


class PrefsSaver:
    """Preference changes written off the event loop (an fsync on NFS stalls a UI): ``set`` from the
    loop, ``flush`` from a worker thread. One writer at a time takes every change made so far, so the
    last theme chosen is the one on disk, whatever order the threads run in."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._changes: dict[str, Any] = {}
        self._changes_lock = threading.Lock()
        self._write_lock = threading.Lock()

    def set(self, key: str, value: Any) -> None:
        with self._changes_lock:
            self._changes[key] = value

    def flush(self) -> bool:
        with self._write_lock:
            with self._changes_lock:
                changes, self._changes = self._changes, {}
            if not changes:
                return False
            prefs = load_prefs(self.directory)
            prefs.update(changes)
            save_prefs(prefs, self.directory)
            return True
