"""Where offer-tui keeps its own (non-keyring) files, and how it writes them."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs

ENV_CONFIG_DIR = "OFFER_TUI_CONFIG_DIR"
APP_NAME = "offer-tui"


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The config directory: ``$OFFER_TUI_CONFIG_DIR`` or the platform's user config dir.

    The override exists so tests (and users with odd homes) never touch the real one.
    """
    env = os.environ if environ is None else environ
    override = (env.get(ENV_CONFIG_DIR) or "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME))


def atomic_write_json(path: Path, data: Any) -> None:
    """Write JSON so that a reader sees the old file or the new one, never half of one.

    The temporary file is created 0600 in the same directory (so ``os.replace`` is a rename
    on one filesystem) and fsynced before the rename.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp already creates 0600; chmod again in case of an unusual umask/platform.
        os.chmod(tmp_name, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    os.chmod(path, 0o600)
