"""offer_tui/ui/hangup.py, piece by piece and in-process (the whole app under a pty is in
tests/test_ui_features.py). Each test pins one cause of the hang-up deadlock down deterministically."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

import pytest
from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

from offer_tui.ui.hangup import HangupGuard, HangupSafeDriver, exit_requester, terminal_alive


def wait_until(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


@pytest.fixture
def hung_up_terminal():
    """The slave side of a pty whose master is closed: what a dropped SSH session leaves."""
    master, slave = os.openpty()
    os.close(master)
    yield slave
    os.close(slave)


@pytest.fixture
def live_terminal():
    master, slave = os.openpty()
    yield slave
    os.close(slave)
    os.close(master)


@pytest.fixture
def saved_handlers():
    """Whatever a test does to these handlers is undone afterwards."""
    names = (signal.SIGHUP, signal.SIGTERM, signal.SIGCONT, signal.SIGTSTP)
    saved = {signum: signal.getsignal(signum) for signum in names}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, object, float]] = []

    def __call__(self, name: str):
        return lambda *args: self.events.append((name, args[0] if args else None, time.monotonic()))

    def names(self) -> list[str]:
        return [name for name, _, _ in self.events]


def make_guard(recorder: Recorder, terminal_fd: int, **options) -> HangupGuard:
    return HangupGuard(recorder("flush"), recorder("request_exit"), hard_exit=recorder("hard_exit"),
                       terminal_fd=terminal_fd, kernel_backstop=False, **options)


def test_terminal_alive_tells_a_hung_up_terminal(live_terminal, hung_up_terminal):
    assert terminal_alive(live_terminal)
    assert not terminal_alive(hung_up_terminal)
    assert not os.isatty(hung_up_terminal)  # why Textual's own check is skipped on a dead terminal


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_real_signal_flushes_asks_to_exit_then_ends_the_process_at_the_deadline(
        saved_handlers, live_terminal, signum):
    recorder = Recorder()
    guard = make_guard(recorder, live_terminal, deadline=0.3)
    guard.install()
    sent = time.monotonic()
    os.kill(os.getpid(), signum)
    assert wait_until(lambda: "hard_exit" in recorder.names())
    # Flush, ask the app to exit; at the deadline flush what the app took in meanwhile, and go.
    assert recorder.names() == ["flush", "request_exit", "flush", "hard_exit"]
    assert recorder.events[1][1] == signum
    assert recorder.events[3][1] == 128 + signum
    assert 0.25 <= recorder.events[3][2] - sent < 1.0  # the app had 0.3 s to exit cleanly, no more


def test_once_the_app_has_shut_down_the_process_ends_at_once(saved_handlers, live_terminal):
    recorder = Recorder()
    guard = make_guard(recorder, live_terminal, deadline=5.0)
    guard.install()
    os.kill(os.getpid(), signal.SIGHUP)
    assert wait_until(lambda: "request_exit" in recorder.names())
    finished_at = time.monotonic()
    guard.finished.set()  # what HangupSafeDriver.close reports
    assert wait_until(lambda: "hard_exit" in recorder.names(), timeout=2.0)
    assert recorder.events[-1][2] - finished_at < 0.5  # not the 5 s deadline
    assert recorder.names() == ["flush", "request_exit", "hard_exit"]  # the app flushed on its way out


def test_a_stuck_flush_delays_the_exit_by_at_most_the_flush_timeout(saved_handlers, live_terminal):
    recorder = Recorder()
    release = threading.Event()
    guard = HangupGuard(lambda: release.wait(10), recorder("request_exit"), hard_exit=recorder("hard_exit"),
                        terminal_fd=live_terminal, kernel_backstop=False, deadline=0.1, flush_timeout=0.3)
    guard.install()
    sent = time.monotonic()
    os.kill(os.getpid(), signal.SIGTERM)
    assert wait_until(lambda: "hard_exit" in recorder.names())
    assert recorder.events[-1][2] - sent < 1.5
    release.set()


def test_uninstall_restores_the_previous_handlers_and_stops_the_idle_watchdog(saved_handlers, live_terminal):
    def previous_hup(signum, frame):
        pass

    def previous_term(signum, frame):
        pass

    signal.signal(signal.SIGHUP, previous_hup)
    signal.signal(signal.SIGTERM, previous_term)
    guard = make_guard(Recorder(), live_terminal)
    uninstall = guard.install()
    assert signal.getsignal(signal.SIGHUP) not in (previous_hup, signal.SIG_DFL)
    uninstall()
    assert signal.getsignal(signal.SIGHUP) is previous_hup
    assert signal.getsignal(signal.SIGTERM) is previous_term
    assert wait_until(lambda: not guard._thread.is_alive(), timeout=2.0)


def test_sigcont_resumes_application_mode_only_on_a_live_terminal(saved_handlers, live_terminal):
    resumed: list[int] = []
    signal.signal(signal.SIGCONT, lambda signum, frame: resumed.append(signum))  # stands for Textual's
    master, slave = os.openpty()
    guard = make_guard(Recorder(), slave)
    uninstall = guard.install()
    try:
        os.kill(os.getpid(), signal.SIGCONT)  # ctrl+z then fg: Textual must still get it
        assert wait_until(lambda: resumed == [signal.SIGCONT], timeout=2.0)
        os.close(master)  # the hang-up
        os.kill(os.getpid(), signal.SIGCONT)  # what the kernel sends along with SIGHUP
        time.sleep(0.05)
        assert resumed == [signal.SIGCONT]  # not resumed on the dead terminal
    finally:
        uninstall()
        os.close(slave)


class _DeadTerminal:
    """A text file whose flush fails as a hung-up terminal's does."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        raise OSError(5, "Input/output error")

    def fileno(self) -> int:
        return 2


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_the_driver_never_blocks_on_a_writer_thread_that_died(saved_handlers):
    """Textual's writer thread dies on the first EIO; afterwards its 30-slot queue fills and
    ``Queue.put`` blocks the main thread for ever (in a redraw, or in ``close``)."""

    class FakeApp:
        pass

    async def build() -> HangupSafeDriver:
        return HangupSafeDriver(FakeApp())  # type: ignore[arg-type]

    driver = asyncio.run(build())
    writer = WriterThread(_DeadTerminal())  # type: ignore[arg-type]
    driver._writer_thread = writer
    writer.start()
    driver.write("the first frame after the hang-up")
    writer.join(2.0)
    assert not writer.is_alive()  # died on EIO, as Textual's does

    def redraw_and_close() -> None:
        for _ in range(MAX_QUEUED_WRITES + 10):
            driver.write("a frame")
        driver.close()

    worker = threading.Thread(target=redraw_and_close, daemon=True)
    worker.start()
    worker.join(2.0)
    assert not worker.is_alive(), "blocked in Queue.put on a dead writer thread"


def test_the_exit_request_reaches_the_app_in_its_event_loop_after_the_settle_time():
    calls: list[tuple[object, ...]] = []

    class FakeApp:
        def exit(self, *args) -> None:
            calls.append((threading.current_thread() is threading.main_thread(), *args))

    async def scenario() -> float:
        request = exit_requester(FakeApp(), asyncio.get_running_loop(), settle=0.1)
        asked = time.monotonic()
        threading.Thread(target=request, args=(signal.SIGHUP,)).start()  # as the watchdog does
        for _ in range(200):
            if calls:
                break
            await asyncio.sleep(0.01)
        return time.monotonic() - asked

    waited = asyncio.run(scenario())
    assert calls == [(True, None, 128 + signal.SIGHUP)]  # in the loop's (main) thread
    assert 0.1 <= waited < 2.0
