"""The bulk journal: one JSON line per step of each row, on disk before the step happens.

Lines, in order:

* a header ``{"journal": "offer-tui bulk", "version": 1, "fingerprint": ..., ...}``: the hash of
  the file, the template and the offer type, so a journal is never applied to other input;
* ``{"row": N, "name": ..., "state": "sending"}``: written, flushed and fsync'd BEFORE the create
  is sent, so a crash after it leaves a trace that the row may exist;
* ``{"row": N, "name": ..., "state": "created", "id": ...}`` (or ``refused`` with ``reason``,
  ``unknown`` with ``reason``, ``skipped`` with ``reason``) when the row is finished.

Reading keeps one small int per row (its last state), not the lines. A torn last line (kill -9 in
the middle of a write, or a file cut short) is cut off before anything is appended, and said so
(``problems``); so is a line that parses but is not an entry. Neither can cause a duplicate: a
row without a record is checked against the target's names before it is sent. Writes from concurrent
rows are committed together (one write and one fsync for all lines waiting), off the event loop.
The journal is locked (filelock) for the whole run: two runs on one journal cannot interleave.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from offer_tui.log import swallowed

SENDING, CREATED, REFUSED, UNKNOWN, SKIPPED = "sending", "created", "refused", "unknown", "skipped"
STATES = (SENDING, CREATED, REFUSED, UNKNOWN, SKIPPED)
_CODE = {state: i for i, state in enumerate(STATES)}
MAGIC = "offer-tui bulk"
VERSION = 1


class JournalError(Exception):
    """The journal cannot be used; str() says why and what to do."""


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def default_journal_path(source: Path) -> Path:
    """Beside FILE: ``offers.csv`` -> ``offers.csv.journal.jsonl``."""
    return source.with_name(source.name + ".journal.jsonl")


class Journal:
    """Open with :meth:`open` (locks, reads, repairs a torn tail); close with :meth:`close`."""

    def __init__(self, path: Path, lock: FileLock, fd: int, states: dict[int, int], header: dict[str, Any],
                 *, resumed: bool, problems: list[str] | None = None) -> None:
        self.path = path
        self.problems = problems or []  # damaged lines found on opening, for the user to read
        self.header = header
        self.resumed = resumed  # True when an earlier run's journal was found
        self._lock = lock
        self._fd = fd
        self._states = states
        self._pending: list[tuple[str, asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None
        self._broken: BaseException | None = None
        # A commit runs in a worker thread; close() waits for it, so the fd is never closed (and
        # reused by another open) under a write that a cancelled run left in flight.
        self._io_lock = threading.Lock()

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike, fingerprint: str, meta: dict[str, Any] | None = None) -> Journal:
        path = Path(path)
        lock = FileLock(str(path) + ".lock", timeout=0, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            raise JournalError(f"{path}: another offer-tui run is using this journal; wait for it to finish") from None
        except OSError as exc:
            raise JournalError(f"{path}.lock: cannot lock ({exc.strerror or exc})") from None
        try:
            return cls._open_locked(path, lock, fingerprint, meta or {})
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _open_locked(cls, path: Path, lock: FileLock, fingerprint: str, meta: dict[str, Any]) -> Journal:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise JournalError(f"{path}: cannot open the journal ({exc.strerror or exc})") from None
        try:
            header, states, good_size, problems = _read(fd, path)
            if header is None:
                if os.fstat(fd).st_size:
                    problems.append(f"{path}: the first line was cut off; the journal is started again")
                header = {"journal": MAGIC, "version": VERSION, "fingerprint": fingerprint, "started": now_iso(), **meta}
                os.ftruncate(fd, 0)
                _write_all(fd, (json.dumps(header, ensure_ascii=False) + "\n").encode("utf-8"))
                os.fsync(fd)
                return cls(path, lock, fd, states, header, resumed=False, problems=problems)
            if header.get("fingerprint") != fingerprint:
                raise JournalError(
                    f"{path} belongs to another input (a different file, template or offer type): "
                    "it would skip or resolve the wrong rows. Give --journal a new path, or move "
                    "the old journal away once you know its rows are settled."
                )
            size = os.fstat(fd).st_size
            if good_size != size:
                problems.append(f"{path}: the last line was cut off ({size - good_size} bytes, a run stopped "
                                "while writing it, or the file was cut short); it is ignored")
                os.ftruncate(fd, good_size)  # a torn last line: the write it recorded never finished
                os.fsync(fd)
            return cls(path, lock, fd, states, header, resumed=True, problems=problems)
        except BaseException:
            os.close(fd)
            raise

    # -- what earlier runs left -----------------------------------------------------------------
    def state(self, row: int) -> str | None:
        code = self._states.get(row)
        return STATES[code] if code is not None else None

    def counts(self) -> dict[str, int]:
        result = dict.fromkeys(STATES, 0)
        for code in self._states.values():
            result[STATES[code]] += 1
        return result

    # -- writing --------------------------------------------------------------------------------
    async def record(self, row: int, name: str | None, state: str, **extra: Any) -> None:
        """Append one line; returns once it is on disk (fsync'd)."""
        await self.record_soon(row, name, state, **extra)

    def record_soon(self, row: int, name: str | None, state: str, **extra: Any) -> asyncio.Future:
        """Queue one line; the future is done once it is on disk. Lines waiting together share
        one write and one fsync. ``state()`` answers what earlier runs left until :meth:`drain`."""
        if self._broken is not None:
            raise JournalError(f"{self.path}: the journal cannot be written: {self._broken}")
        entry = {"row": row, "name": name, "state": state, "at": now_iso(), **{k: v for k, v in extra.items() if v is not None}}
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        future = asyncio.get_running_loop().create_future()
        # A failure is reported by drain() and by whoever awaits; never "exception never retrieved".
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._pending.append((line, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return future

    async def drain(self) -> None:
        """Wait until every queued line is on disk; raises if the journal could not be written."""
        while self._flusher is not None and not self._flusher.done():
            await self._flusher
        if self._broken is not None:
            raise JournalError(f"{self.path}: the journal cannot be written: {self._broken}")

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            data = "".join(line for line, _ in batch).encode("utf-8")
            try:
                await asyncio.to_thread(self._commit, data)
            except Exception as exc:  # disk full, removed directory...: nothing more may be sent
                swallowed(f"writing the journal {self.path}")
                self._broken = exc
                error = JournalError(f"{self.path}: the journal cannot be written ({exc})")
                for _, future in batch + self._pending:
                    if not future.done():
                        future.set_exception(error)
                self._pending = []
                return
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    def _commit(self, data: bytes) -> None:
        with self._io_lock:
            if self._fd < 0:
                raise OSError("the journal is closed")
            _write_all(self._fd, data)
            os.fsync(self._fd)

    def close(self) -> None:
        with self._io_lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read(fd: int, path: Path) -> tuple[dict[str, Any] | None, dict[int, int], int, list[str]]:
    """(header, last state per row, size of the intact part, problems) of an existing journal."""
    states: dict[int, int] = {}
    problems: list[str] = []
    header: dict[str, Any] | None = None
    good = 0
    with os.fdopen(os.dup(fd), "rb") as handle:
        handle.seek(0)
        number = 0
        for line in handle:
            number += 1
            if not line.endswith(b"\n"):
                break  # torn: the process died while writing it
            try:
                entry = json.loads(line)
            except ValueError:
                raise JournalError(f"{path}: line {number} is damaged; the journal cannot be trusted. "
                                   "Move it away and check the target for the file's names first.") from None
            if number == 1:
                if not isinstance(entry, dict) or entry.get("journal") != MAGIC:
                    raise JournalError(f"{path}: not an offer-tui bulk journal; give --journal another path")
                if entry.get("version") != VERSION:
                    raise JournalError(f"{path}: journal version {entry.get('version')!r} is not supported")
                header = entry
            elif isinstance(entry, dict) and type(entry.get("row")) is int and entry.get("state") in _CODE:
                states[entry["row"]] = _CODE[entry["state"]]
            elif len(problems) < 20:
                problems.append(f"{path}: line {number} is not a journal entry; it is ignored")
            good += len(line)
    return header, states, good, problems
