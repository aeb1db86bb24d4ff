"""A dropped session (SIGHUP) or a kill (SIGTERM): save the draft, then be gone within a second.

Why this is more than a signal handler (see /work/notes/signals.md and
scripts/textual_hangup_deadlock.py for the reproduction):

- When a terminal hangs up, the kernel sends SIGHUP *and SIGCONT*. Textual's own SIGCONT handler
  (meant for ctrl+z then ``fg``) starts application mode again; its "may I use the terminal?"
  check sits behind ``os.isatty(fd)``, which is False on a hung-up terminal, so it starts a second
  writer thread on the dead terminal. That thread dies on its first flush (EIO), the first one idles
  in ``Queue.get`` for ever, and once 30 writes are queued for the dead one the main thread blocks
  in ``Queue.put`` for good (``App._shutdown -> LinuxDriver.close -> WriterThread.stop``).
- Even without SIGCONT, Textual's writer thread dies on the first EIO from a hung-up terminal and
  every later write blocks once its queue is full.

So: the SIGCONT resume is skipped on a dead terminal; once the terminal is gone, fds 1 and 2 point
at /dev/null (writes can neither fail nor block) and the driver drops writes for a dead writer
thread; and a watchdog thread, woken through a pipe by a signal handler that does nothing else,
flushes the draft, asks the app to exit, and ends the process with ``os._exit`` if it is still
there ``deadline`` seconds after the signal, whatever Textual is doing (or at once when Textual
has shut down: the interpreter's teardown is not worth waiting for after a hang-up).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable
from typing import Any

from textual.drivers.linux_driver import LinuxDriver
from offer_tui.log import swallowed

HANGUP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
DEADLINE = 0.8  # seconds from the signal to os._exit, if the clean exit has not happened by then
FLUSH_TIMEOUT = 2.0  # a draft write stuck on a dead disk may delay the exit this long, no more
# If even the watchdog cannot run (the main thread holding the GIL in a long C call), SIGALRM's
# default action ends the process this long after the deadline, in the kernel.
ALARM_MARGIN = 0.15
# Between the signal and the exit request, so that keys Textual has already read reach the form and
# the draft (each key goes app -> input widget -> screen before ``schedule_draft`` sees it).
EXIT_SETTLE = 0.15
# What Textual's stop_application_mode writes, for a live terminal we must leave behind ourselves.
RESET_TERMINAL = "\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?7h"


def _stdin_fd() -> int:
    try:
        return sys.__stdin__.fileno()
    except (AttributeError, OSError, ValueError):  # no stdin at all
        return -1


def terminal_alive(fd: int) -> bool:
    """False once the terminal behind ``fd`` has hung up (or was never one)."""
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):
        return False
    return True


class HangupSafeDriver(LinuxDriver):
    """Textual's Linux driver, but a writer thread that died (EIO on a hung-up terminal) makes
    writes no-ops instead of filling its queue and blocking the main thread in ``Queue.put``.
    ``on_closed`` is called once the driver is closed (the last thing ``App._shutdown`` needs)."""

    on_closed: Callable[[], Any] | None = None

    def _writer_dead(self) -> bool:
        writer = getattr(self, "_writer_thread", None)
        return writer is not None and not writer.is_alive()

    def write(self, data: str) -> None:
        if not self._writer_dead():
            super().write(data)

    def close(self) -> None:
        if not self._writer_dead():
            super().close()
        if self.on_closed is not None:
            self.on_closed()


def use_hangup_safe_driver(app: Any) -> None:
    """Run ``app`` with ``HangupSafeDriver`` where it would use the plain Linux driver."""
    if getattr(app, "driver_class", None) is LinuxDriver:
        app.driver_class = HangupSafeDriver


class HangupGuard:
    """Signal handlers, the SIGCONT filter and the watchdog thread for one running app."""

    def __init__(
        self,
        flush: Callable[[], Any],
        request_exit: Callable[[int], Any],
        *,
        deadline: float = DEADLINE,
        flush_timeout: float = FLUSH_TIMEOUT,
        terminal_attrs: Callable[[], Any] = lambda: None,
        terminal_fd: int | None = None,
        hard_exit: Callable[[int], Any] = os._exit,
        kernel_backstop: bool = True,
    ) -> None:
        self.flush = flush
        self.request_exit = request_exit
        self.deadline = deadline
        self.flush_timeout = flush_timeout
        self.terminal_attrs = terminal_attrs
        self.terminal_fd = _stdin_fd() if terminal_fd is None else terminal_fd
        self.kernel_backstop = kernel_backstop
        self.hard_exit = hard_exit
        self.previous: dict[int, Any] = {}
        self.triggered = threading.Event()
        self.finished = threading.Event()  # the app has shut down: nothing left worth waiting for
        self._pipe: tuple[int, int] | None = None
        self._devnull = -1
        self._thread: threading.Thread | None = None
        self._had_terminal = False
        self._alarm_free = False  # SIGALRM keeps its default action: the kernel-side backstop is ours

    # -- install / uninstall (main thread) ---------------------------------------------------------
    def install(self) -> Callable[[], None]:
        """Install the handlers and start the watchdog; returns ``uninstall``. Main thread only."""
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        self._had_terminal = terminal_alive(self.terminal_fd)
        self._alarm_free = (self.kernel_backstop and signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
                            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)  # a handler must never block, even on a full pipe
        self._pipe = (read_end, write_end)
        self._devnull = os.open(os.devnull, os.O_WRONLY)
        self._thread = threading.Thread(target=self._watch, name="offer-tui-hangup", daemon=True)
        self._thread.start()
        for signum in HANGUP_SIGNALS:
            self.previous[signum] = signal.signal(signum, self._on_signal)
        textual_sigcont = signal.getsignal(signal.SIGCONT)
        if callable(textual_sigcont):
            signal.signal(signal.SIGCONT, self._sigcont_filter(textual_sigcont))
        return self.uninstall

    def uninstall(self) -> None:
        """Put SIGHUP and SIGTERM back as they were. The SIGCONT filter stays: a hang-up during the
        rest of the shutdown must not restart application mode. A watchdog already woken keeps
        running (it ends the process if the shutdown stalls); an idle one ends."""
        for signum, old in self.previous.items():
            try:
                signal.signal(signum, old if old is not None else signal.SIG_DFL)
            except (ValueError, TypeError):
                pass
        self.previous.clear()
        if self._pipe is not None and not self.triggered.is_set():
            pipe, self._pipe = self._pipe, None
            os.close(pipe[1])  # the watchdog reads EOF and returns
            os.close(self._devnull)
            self._devnull = -1

    def _sigcont_filter(self, textual_sigcont: Callable[..., Any]) -> Callable[..., None]:
        def on_sigcont(signum: int, frame: Any) -> None:
            # Resume (after ctrl+z, fg) only on a terminal that still exists: see the module doc.
            if self._had_terminal and not terminal_alive(self.terminal_fd):
                return
            textual_sigcont(signum, frame)

        return on_sigcont

    # -- the handler: runs between two bytecodes of the main thread, so it touches nothing shared ---
    def _on_signal(self, signum: int, frame: Any) -> None:
        if self._had_terminal and self._devnull >= 0 and not terminal_alive(self.terminal_fd):
            for fd in (1, 2):  # the terminal is gone: writes go nowhere instead of failing
                try:
                    os.dup2(self._devnull, fd)
                except OSError:
                    pass
        pipe = self._pipe
        if pipe is not None:
            try:
                os.write(pipe[1], bytes([signum]))
            except OSError:  # pipe full: the watchdog is already awake
                pass

    # -- the watchdog thread -----------------------------------------------------------------------
    def _watch(self) -> None:
        assert self._pipe is not None
        read_end = self._pipe[0]
        data = os.read(read_end, 1)
        if not data:  # uninstalled: the write end was closed
            os.close(read_end)
            return
        started = time.monotonic()
        self.triggered.set()
        signum = data[0]
        flusher = threading.Thread(target=self._flush_quietly, name="offer-tui-hangup-flush", daemon=True)
        flusher.start()
        flusher.join(self.flush_timeout)
        if self._alarm_free:  # armed after the flush: a slow disk must not cost the draft
            remaining = self.deadline - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.0) + ALARM_MARGIN)
        try:
            self.request_exit(signum)
        except Exception:  # noqa: BLE001, S110 - the loop may be closed already: the deadline below still holds
            swallowed("asking the app to exit after a hang-up")
            pass
        # Once Textual has shut down (terminal restored, writer joined) there is nothing left but
        # the interpreter's own teardown (0.3-0.4 s with ~200 widgets on a loaded machine): skip it.
        clean = self.finished.wait(max(0.0, self.deadline - (time.monotonic() - started)))
        if not clean:
            # Keys the app took in since the first flush (it was busy, or still settling: see
            # EXIT_SETTLE) are in the saver now: write them too, briefly (the kernel backstop runs).
            flusher = threading.Thread(target=self._flush_quietly, name="offer-tui-hangup-flush", daemon=True)
            flusher.start()
            flusher.join(ALARM_MARGIN / 2)
            self._leave_terminal()
        self.hard_exit(128 + signum)

    def _flush_quietly(self) -> None:
        try:
            self.flush()
        except Exception:  # noqa: BLE001, S110 - nothing to report to: the process is ending
            swallowed("flushing the draft after a hang-up")
            pass

    def _leave_terminal(self) -> None:
        """Before a hard exit on a live terminal (SIGTERM, a manual SIGHUP), undo raw mode and the
        alternate screen, as Textual would have. Bounded: the write runs in a thread we wait 50 ms for."""
        if not terminal_alive(self.terminal_fd):
            return
        attrs = self.terminal_attrs()
        if attrs is not None:
            try:
                termios.tcsetattr(self.terminal_fd, termios.TCSANOW, attrs)
            except (termios.error, OSError):
                pass
        writer = threading.Thread(target=self._write_reset, daemon=True)
        writer.start()
        writer.join(0.05)

    def _write_reset(self) -> None:
        try:
            os.write(2, RESET_TERMINAL.encode())
        except OSError:
            pass


def exit_requester(app: Any, loop: asyncio.AbstractEventLoop, settle: float = EXIT_SETTLE) -> Callable[[int], None]:
    """From any thread: ``app.exit(None, 128 + signum)`` in the event loop, ``settle`` seconds later."""

    def request_exit(signum: int) -> None:
        loop.call_soon_threadsafe(loop.call_later, settle, app.exit, None, 128 + signum)

    return request_exit


def install_hangup_guard(app: Any, flush: Callable[[], Any], settle: float = EXIT_SETTLE,
                         **options: Any) -> Callable[[], None]:
    """Guard a running Textual ``app`` (call from ``on_mount``); returns the function that restores
    the previous SIGHUP/SIGTERM handlers (call it from ``on_unmount``)."""
    request_exit = exit_requester(app, asyncio.get_running_loop(), settle)

    def terminal_attrs() -> Any:
        return getattr(getattr(app, "_driver", None), "attrs_before", None)

    guard = HangupGuard(flush, request_exit, terminal_attrs=terminal_attrs, **options)
    driver = getattr(app, "_driver", None)
    if isinstance(driver, HangupSafeDriver):
        driver.on_closed = guard.finished.set
    return guard.install()
