"""The identities last used to preview a decision, so the preview screen can offer them again.

Not secret (an email address or an ECID the user typed), but personal data: kept only in the
user's state directory, ``preview-identities.json`` (``$OFFER_TUI_STATE_DIR`` or the platform's
state folder, beside the drafts), 0600, newest first, at most ``MAX_KEPT``. Written under the
file lock and atomically like profiles and drafts, so two offer-tui windows never lose each
other's entries. A damaged file is read as empty and replaced on the next preview. No Textual.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from offer_tui.files import atomic_write_text, locked, state_dir

FILE_NAME = "preview-identities.json"
MAX_KEPT = 20
MAX_BYTES = 64 * 1024
FORMAT_VERSION = 1


def history_path(environ: Mapping[str, str] | None = None) -> Path:
    return state_dir(environ) / FILE_NAME


class IdentityHistory:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else history_path()

    def load(self) -> list[str]:
        """The remembered identities (``Email:jane@example.com``), newest first; [] when none or unreadable."""
        try:
            if self.path.stat().st_size > MAX_BYTES:
                return []
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return []
        items = data.get("identities") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return []
        return [i for i in items if isinstance(i, str) and ":" in i and len(i) <= 500][:MAX_KEPT]

    def namespaces(self) -> list[str]:
        """The namespaces used before, most recent first, once each."""
        return list(dict.fromkeys(i.split(":", 1)[0] for i in self.load()))

    def remember(self, identities: Sequence[str]) -> list[str]:
        """Put ``identities`` first (moved up if already there); returns the new list. OSError when
        the file cannot be written (the caller says so; the preview itself is unaffected)."""
        with locked(self.path):
            kept = [i for i in self.load() if i not in identities]
            updated = (list(dict.fromkeys(identities)) + kept)[:MAX_KEPT]
            atomic_write_text(self.path, json.dumps({"version": FORMAT_VERSION, "identities": updated},
                                                    ensure_ascii=False, indent=2) + "\n")
        return updated
