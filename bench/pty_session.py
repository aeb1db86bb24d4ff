"""Run a program in a pseudo-terminal and account for every byte it writes.

Used by bench/run.py. Everything here is bounded: each wait has a timeout, and `close()`
always leaves the child dead and reaped.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import termios
import threading
import time
from dataclasses import dataclass, field

ALT_SCREEN = b"\x1b[?1049h"


@dataclass
class Chunk:
    at: float  # time.monotonic() when read
    data: bytes


@dataclass
class ExitInfo:
    status: int | None
    max_rss_kb: int | None  # from wait4's rusage: the child's peak RSS
    killed: bool


def _make_controlling_tty() -> None:  # runs in the child between fork and exec
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@dataclass
class PtySession:
    argv: list[str]
    env: dict[str, str]
    columns: int = 120
    rows: int = 40
    cwd: str | None = None
    started_at: float = 0.0
    chunks: list[Chunk] = field(default_factory=list)

    def start(self) -> "PtySession":
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
        self._master = master
        self._lock = threading.Lock()
        self._new_data = threading.Condition(self._lock)
        self._eof = False
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            cwd=self.cwd,
            close_fds=True,
            preexec_fn=_make_controlling_tty,
        )
        os.close(slave)  # so reads see EIO once the child is gone
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()
        self._exit: ExitInfo | None = None
        return self

    # -- output accounting --------------------------------------------------------------

    def _read_loop(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                data = b""
            now = time.monotonic()
            with self._lock:
                if not data:
                    self._eof = True
                    self._new_data.notify_all()
                    return
                self.chunks.append(Chunk(now, data))
                self._new_data.notify_all()

    @property
    def output(self) -> bytes:
        with self._lock:
            return b"".join(c.data for c in self.chunks)

    def byte_count(self) -> int:
        with self._lock:
            return sum(len(c.data) for c in self.chunks)

    def chunk_count(self) -> int:
        with self._lock:
            return len(self.chunks)

    def wait_for(self, predicate, timeout: float) -> bool:
        """Wait until predicate(output_bytes) is true; False on timeout or EOF."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                if predicate(b"".join(c.data for c in self.chunks)):
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._eof:
                    return False
                self._new_data.wait(min(remaining, 0.05))

    def wait_quiet(self, quiet: float, timeout: float, since: float | None = None) -> bool:
        """Wait until no output arrived for `quiet` seconds (after `since`, if output came).

        Returns False if the output never went quiet within `timeout`.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                now = time.monotonic()
                last = self.chunks[-1].at if self.chunks else self.started_at
                if since is not None:
                    last = max(last, since)
                if now - last >= quiet:
                    return True
                if now >= deadline or self._eof:
                    return self._eof
                self._new_data.wait(min(deadline - now, quiet - (now - last)) + 0.001)

    # -- input --------------------------------------------------------------------------

    def send(self, data: bytes) -> float:
        sent_at = time.monotonic()
        os.write(self._master, data)
        return sent_at

    # -- ending -------------------------------------------------------------------------

    def peak_rss_kb_now(self) -> int | None:
        """VmHWM of the live child (peak RSS so far), or None if unreadable."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def _reap(self, timeout: float) -> ExitInfo | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            except ChildProcessError:
                return ExitInfo(None, None, False)
            if pid:
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                return ExitInfo(self.proc.returncode, usage.ru_maxrss, False)
            time.sleep(0.02)
        return None

    def close(self, quit_keys: bytes = b"\x11", grace: float = 5.0) -> ExitInfo:
        """Quit with `quit_keys` (ctrl+q), then SIGTERM, then SIGKILL; always reaps."""
        if self._exit is not None:
            return self._exit
        info = None
        if quit_keys:
            try:
                self.send(quit_keys)
            except OSError:
                pass
            info = self._reap(grace)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if info is not None:
                break
            try:
                os.killpg(self.proc.pid, sig)  # the child leads its own session
            except ProcessLookupError:
                pass
            info = self._reap(grace)
            if info is not None:
                info.killed = True
        if info is None:  # unreachable in practice: SIGKILL always wins
            info = ExitInfo(None, None, True)
        self._reader.join(timeout=2)
        try:
            os.close(self._master)
        except OSError:
            pass
        self._exit = info
        return info
