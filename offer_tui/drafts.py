"""Autosave and resume of the offer being edited.

No Textual here: the UI drives the debounce (it calls ``schedule`` on every change and ``flush`` from a
timer), and on a dropped SSH session (SIGHUP) or a kill (SIGTERM) ``offer_tui.ui.hangup`` calls
``flush`` from its watchdog thread (hence the lock), so at most the debounce interval is lost.

A draft holds only the offer document, the offer type, the current step and the id it was based on:
never settings, tokens or secrets. Files are written atomically (temp file + ``os.replace``) with
mode 0600 because an unsubmitted offer may still be confidential marketing copy.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offer_tui.files import atomic_write_text, state_dir
from offer_tui.model.safejson import JsonFileError, load_json_file

DRAFT_FILE = "draft.json"
FORMAT_VERSION = 1
DEFAULT_DELAY = 0.5


@dataclass
class Draft:
    doc: dict[str, Any]
    offer_type: str = "personalized"
    step: str = "basics"
    based_on: str | None = None

    def to_payload(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "offer_type": self.offer_type,
            "step": self.step,
            "based_on": self.based_on,
            "doc": self.doc,
        }

    @classmethod
    def from_payload(cls, data: Any) -> "Draft | None":
        if not isinstance(data, dict) or not isinstance(data.get("doc"), dict):
            return None
        offer_type = data.get("offer_type")
        step = data.get("step")
        based_on = data.get("based_on")
        return cls(
            doc=data["doc"],
            offer_type=offer_type if offer_type in ("personalized", "fallback") else "personalized",
            step=step if isinstance(step, str) else "basics",
            based_on=based_on if isinstance(based_on, str) else None,
        )


@dataclass
class DraftStore:
    """One draft file in the state directory."""

    directory: Path = field(default_factory=state_dir)

    @property
    def path(self) -> Path:
        return Path(self.directory) / DRAFT_FILE

    def save(self, draft: Draft) -> Path:
        atomic_write_text(self.path, json.dumps(draft.to_payload(), indent=2, ensure_ascii=False))
        return self.path

    def load(self) -> Draft | None:
        """The saved draft, or None when there is none or it is unreadable (never raises)."""
        try:
            data = load_json_file(self.path)
        except JsonFileError:
            return None
        return Draft.from_payload(data)

    def delete(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass


class DraftSaver:
    """Holds the latest unsaved draft; ``flush`` writes it. Thread- and signal-safe enough for one app."""

    def __init__(self, store: DraftStore, delay: float = DEFAULT_DELAY) -> None:
        self.store = store
        self.delay = delay
        self._pending: Draft | None = None
        self._lock = threading.RLock()
        self.last_error: OSError | None = None
        self.suspended = False

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def schedule(self, draft: Draft) -> None:
        if self.suspended:
            return
        with self._lock:
            self._pending = draft

    def flush(self) -> bool:
        """Write the pending draft now. Returns True when something was written."""
        with self._lock:
            draft, self._pending = self._pending, None
            if draft is None:
                return False
            try:
                self.store.save(draft)
            except OSError as error:
                self.last_error = error
                return False
            self.last_error = None
            return True

    def discard(self) -> None:
        """Forget the pending draft and delete the file (after a successful submit)."""
        with self._lock:
            self._pending = None
            self.store.delete()

