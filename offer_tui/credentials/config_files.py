"""Where offer-tui keeps its own (non-keyring) files, and how it writes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from offer_tui.files import APP_NAME, ENV_CONFIG_DIR, atomic_write_text, config_dir

__all__ = ["APP_NAME", "ENV_CONFIG_DIR", "atomic_write_json", "config_dir"]


def atomic_write_json(path: Path, data: Any) -> None:
    """Write JSON atomically, 0600 (see ``offer_tui.files.atomic_write_text``)."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    atomic_write_text(path, text)
