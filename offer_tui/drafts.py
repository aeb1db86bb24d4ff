"""Autosave and resume of the offer being edited: one draft file per running instance.

No Textual here: the UI drives the debounce (it calls ``schedule`` on every change and ``flush`` from a
timer), and on a dropped SSH session (SIGHUP) or a kill (SIGTERM) ``offer_tui.ui.hangup`` calls
``flush`` from its watchdog thread (hence the lock), so at most the debounce interval is lost.

A draft holds only the offer document, the offer type, the current step and the id it was based on:
never settings, tokens or secrets. Files are written atomically (temp file + ``os.replace``) with
mode 0600 because an unsubmitted offer may still be confidential marketing copy.

Several wizards may run on one machine (two SSH sessions on a jump host). Each keeps its draft in
``<state>/drafts/<id>.json`` and holds ``<id>.lock`` (an OS file lock) while it runs, so another
instance can tell a live draft (never offered, never deleted) from an orphaned one (offered on start,
deleted only on request). A draft that cannot be read is moved aside as ``<id>.json.corrupt``.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offer_tui.files import atomic_write_text, state_dir
from offer_tui.model.safejson import MAX_DEPTH, FileAccessError, JsonFileError, load_json_file
from offer_tui.log import swallowed

DRAFTS_DIR = "drafts"
LEGACY_FILE = "draft.json"  # before 0.x: one draft shared by every instance
FORMAT_VERSION = 1
DEFAULT_DELAY = 0.5


def new_draft_id() -> str:
    """Sortable by creation time, unique across processes: 20261130T201500Z-4242-9f3a1c."""
    return f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{os.getpid()}-{secrets.token_hex(3)}"


@dataclass
class Draft:
    doc: dict[str, Any]
    offer_type: str = "personalized"
    step: str = "basics"
    based_on: str | None = None
    # An edit of an existing offer: {"offer_id", "etag", "opened": the offer as fetched}; None: a new offer.
    edit: dict[str, Any] | None = None

    def to_payload(self) -> dict[str, Any]:
        payload = {
            "version": FORMAT_VERSION,
            "offer_type": self.offer_type,
            "step": self.step,
            "based_on": self.based_on,
            "doc": self.doc,
        }
        if self.edit is not None:
            payload["mode"] = "edit"
            payload["edit"] = self.edit
        return payload

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
            edit=_edit_of(data),
        )


def _edit_of(data: dict[str, Any]) -> dict[str, Any] | None:
    """A draft's edit target, when it is a well-formed one (else the draft resumes as a new offer)."""
    edit = data.get("edit")
    if data.get("mode") != "edit" or not isinstance(edit, dict):
        return None
    opened = edit.get("opened")
    if not isinstance(edit.get("offer_id"), str) or not isinstance(opened, dict):
        return None
    return {"offer_id": edit["offer_id"], "etag": edit.get("etag"), "opened": opened}


@dataclass
class DraftInfo:
    """An unsubmitted draft that no running instance owns."""

    id: str
    path: Path
    draft: Draft
    saved_at: float  # the file's mtime (seconds since the epoch)

    @property
    def name(self) -> str:
        name = self.draft.doc.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else ""


def describe_age(seconds: float) -> str:
    """'just now', '5 minutes ago', '3 hours ago', '2 days ago'."""
    seconds = max(0.0, seconds)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' * (count != 1)} ago"
    return "just now"


def _file_lock(path: Path) -> Any:
    from filelock import FileLock

    return FileLock(str(path), timeout=0, mode=0o600)


@dataclass
class DraftStore:
    """This instance's draft file, and the drafts other (finished or crashed) instances left."""

    directory: Path = field(default_factory=state_dir)
    id: str = field(default_factory=new_draft_id)
    problems: list[str] = field(default_factory=list)  # corrupt drafts moved aside (said once, then cleared)

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)
        self._lock: Any = None

    @property
    def folder(self) -> Path:
        return self.directory / DRAFTS_DIR

    @property
    def path(self) -> Path:
        return self.folder / f"{self.id}.json"

    def _lock_path(self, draft_id: str) -> Path:
        return self.folder / f"{draft_id}.lock"

    # -- this instance's draft -----------------------------------------------------------------
    def claim(self) -> bool:
        """Hold this draft's lock for as long as the instance runs (others then leave it alone).
        False when the lock cannot be made (read-only state folder): saving will then report it."""
        if self._lock is not None:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock = _file_lock(self._lock_path(self.id))
            lock.acquire()
        except Exception:  # noqa: BLE001 - filelock.Timeout or OSError: run on without the claim
            swallowed("claiming the draft's lock")
            return False
        self._lock = lock
        return True

    def release(self) -> None:
        """Give the claim up (at exit); the lock file goes too when no draft is left behind."""
        if self._lock is None:
            return
        lock, self._lock = self._lock, None
        if not self.path.exists():
            _unlink(self._lock_path(self.id))
        lock.release()

    def save(self, draft: Draft) -> Path:
        atomic_write_text(self.path, json.dumps(draft.to_payload(), indent=2, ensure_ascii=False))
        return self.path

    def load(self) -> Draft | None:
        """This instance's saved draft, or None when there is none or it is unreadable (never raises)."""
        try:
            return Draft.from_payload(load_json_file(self.path, max_depth=MAX_DEPTH + 1))
        except JsonFileError:
            return None

    def delete(self) -> None:
        _unlink(self.path)

    # -- drafts of other instances ----------------------------------------------------------------
    def others(self) -> list[DraftInfo]:
        """Unsubmitted drafts no running instance owns, newest first. Corrupt ones are moved aside
        as ``*.corrupt`` and said in ``problems``; drafts held by a running instance are skipped."""
        self._adopt_legacy_file()
        found: list[DraftInfo] = []
        paths = sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []
        for path in paths:
            draft_id = path.name[: -len(".json")]
            if draft_id == self.id or self._owned_elsewhere(draft_id):
                continue
            info = self._read(draft_id, path)
            if info is not None:
                found.append(info)
        return sorted(found, key=lambda info: info.saved_at, reverse=True)

    def _read(self, draft_id: str, path: Path) -> DraftInfo | None:
        try:
            saved_at = path.stat().st_mtime
            draft = Draft.from_payload(load_json_file(path, max_depth=MAX_DEPTH + 1))
            problem = None if draft is not None else f"{path}: not a draft (no offer document in it)"
        except FileAccessError as exc:
            self.problems.append(f"A draft could not be read: {exc}")
            return None
        except (JsonFileError, OSError) as exc:
            draft, problem = None, str(exc)
        if draft is None:
            aside = path.with_name(path.name + ".corrupt")
            _unlink(self._lock_path(draft_id))  # made by the ownership probe; nothing owns a corrupt draft
            try:
                os.replace(path, aside)
                self.problems.append(f"A damaged draft was moved aside as {aside} ({problem}).")
            except OSError as exc:
                self.problems.append(f"A damaged draft could not be moved aside ({problem}; {exc.strerror}).")
            return None
        return DraftInfo(draft_id, path, draft, saved_at)

    def _owned_elsewhere(self, draft_id: str) -> bool:
        lock = _file_lock(self._lock_path(draft_id))
        try:
            lock.acquire()
        except Exception:  # noqa: BLE001 - held by a running instance (or unlockable: leave it alone)
            swallowed("probing a draft's lock")
            return True
        lock.release()
        return False

    def _adopt_legacy_file(self) -> None:
        """The single ``draft.json`` of older versions joins the per-instance drafts (an atomic rename:
        of two instances starting at once, one moves it and the other finds it gone)."""
        legacy = self.directory / LEGACY_FILE
        if not legacy.is_file():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.rename(legacy, self.folder / f"{new_draft_id()}-legacy.json")
        except OSError:
            pass

    def adopt(self, info: DraftInfo) -> bool:
        """Continue ``info``'s draft as this instance's own (its file is then saved over). False when
        another instance took it first or it is gone."""
        if info.id == self.id:
            return True
        lock = _file_lock(self._lock_path(info.id))
        try:
            lock.acquire()
        except Exception:  # noqa: BLE001
            swallowed("locking a draft to resume it")
            return False
        if not info.path.exists():
            lock.release()
            return False
        mine = self.path
        self.release()
        _unlink(mine)  # nothing was saved under the fresh id yet; be sure no stray file stays
        self.id, self._lock = info.id, lock
        return True

    def discard(self, info: DraftInfo) -> bool:
        """Delete ``info``'s draft, unless a running instance owns it (then False, nothing deleted)."""
        if info.id == self.id:
            self.delete()
            return True
        lock = _file_lock(self._lock_path(info.id))
        try:
            lock.acquire()
        except Exception:  # noqa: BLE001
            swallowed("locking a draft to discard it")
            return False
        try:
            _unlink(info.path)
            _unlink(self._lock_path(info.id))
        finally:
            lock.release()
        return True


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass


class DraftSaver:
    """Holds the latest unsaved draft; ``flush`` writes it.

    The app calls ``flush`` from a worker thread (an fsync on a slow home directory, NFS on a jump
    host, would stall the UI), and schedules from the event loop. Two locks keep that safe:
    ``_pending_lock`` only guards the hand-over of the latest draft (``schedule`` never waits for a
    write), and ``_write_lock`` lets one writer at a time take the latest draft and write it, so
    the last draft scheduled is the last one written and no two writers race on the file."""

    def __init__(self, store: DraftStore, delay: float = DEFAULT_DELAY) -> None:
        self.store = store
        self.delay = delay
        self._pending: Draft | None = None
        self._pending_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self.last_error: OSError | None = None  # the UI reports it once, then clears it
        self.failing: OSError | None = None  # set while the latest draft is NOT on disk (quit warns)
        self.suspended = False

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def schedule(self, draft: Draft) -> None:
        if self.suspended:
            return
        with self._pending_lock:
            self._pending = draft

    def flush(self) -> bool:
        """Write the pending draft now. Returns True when something was written. On failure the draft
        stays pending (the next flush tries again, unless a newer one came) and ``failing`` says why."""
        with self._write_lock:
            with self._pending_lock:
                draft, self._pending = self._pending, None
            if draft is None:
                return False
            try:
                self.store.save(draft)
            except OSError as error:
                if self.failing is None:  # said once per run of failures, not at every keystroke
                    self.last_error = error
                self.failing = error
                with self._pending_lock:
                    if self._pending is None:
                        self._pending = draft
                return False
            self.last_error = self.failing = None
            return True

    def discard(self) -> None:
        """Forget the pending draft and delete the file (after a successful submit). Waits for a write
        in progress, so the file it was writing cannot reappear after the delete."""
        with self._pending_lock:
            self._pending = None
        with self._write_lock:
            with self._pending_lock:
                self._pending = None
            self.failing = None
            self.store.delete()
