"""Minimal reproduction: a Textual app that exits cleanly on SIGHUP deadlocks when its terminal hangs up.

    python scripts/textual_hangup_deadlock.py            # deadlocks (prints the evidence)
    python scripts/textual_hangup_deadlock.py --guard    # same app, SIGCONT ignored on a dead terminal: exits

No offer-tui code involved; only Textual (8.2.8 here) and the standard library.

What happens when a terminal hangs up (an SSH session drops, ``tmux kill-session``, the pty master
is closed): the kernel sends the session SIGHUP *and SIGCONT*. The app below handles SIGHUP the
recommended way (``loop.add_signal_handler``, so the callback runs in the event loop) by exiting
after a short delay (as an app that saves work would). Textual's LinuxDriver has its own SIGCONT
handler (for ctrl+z then ``fg``) which calls ``resume_application_mode`` ->
``start_application_mode``. Its "may I use the terminal?" check is inside ``if
os.isatty(fd)``, and ``isatty`` is False on a hung-up terminal, so the check is skipped and
application mode starts again on the dead terminal: a second ``WriterThread`` replaces the first
(which stays idle in ``Queue.get`` forever), and dies on its first flush with EIO. Every later
write goes into the dead thread's queue (30 slots); once full, ``Queue.put`` blocks the main
thread for good, in a refresh or in ``App._shutdown -> LinuxDriver.close -> WriterThread.stop``.

The child writes what it finds 1 s after the hang-up to a log (the threads, whether the driver's
writer thread was replaced and is alive, the main thread's stack); the parent prints it.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import tempfile
import time


def child(log_path: str, guard: bool) -> None:
    import asyncio
    import termios
    import threading
    import traceback

    from textual.app import App
    from textual.widgets import Static

    class Ticker(App[None]):
        def compose(self):
            yield Static(id="tick")

        def on_mount(self) -> None:
            self.count = 0
            self.first_writer = self._driver._writer_thread
            self.set_interval(0.01, self.tick)  # something on screen changes, as in any live app
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self.on_hangup)
            if guard:  # resume application mode only on a terminal that still exists
                textual_sigcont = signal.getsignal(signal.SIGCONT)

                def sigcont(*args) -> None:
                    try:
                        termios.tcgetattr(sys.__stdin__.fileno())
                    except termios.error:  # EIO: hung up
                        return
                    textual_sigcont(*args)

                signal.signal(signal.SIGCONT, sigcont)

        def tick(self) -> None:
            self.count += 1
            self.query_one("#tick", Static).update(f"tick {self.count}")

        def on_hangup(self) -> None:
            threading.Thread(target=self.report, daemon=True).start()
            self.set_timer(0.5, self.exit)  # e.g. the time it takes to save the user's work

        def report(self) -> None:
            time.sleep(1.0)
            writer = self._driver._writer_thread
            main = sys._current_frames()[threading.main_thread().ident]
            with open(log_path, "w") as log:
                log.write(f"threads: {[t.name for t in threading.enumerate()]}\n")
                log.write(f"writer thread replaced after the hang-up: {writer is not self.first_writer}\n")
                log.write(f"current writer alive: {writer.is_alive()}, first writer alive: "
                          f"{self.first_writer.is_alive()}, queued in current: {writer._queue.qsize()}\n")
                log.write("main thread:\n" + "".join(traceback.format_stack(main)[-6:]))

    Ticker().run()


def main() -> int:
    guard = "--guard" in sys.argv
    log_path = os.path.join(tempfile.mkdtemp(prefix="hangup-repro-"), "report.txt")
    pid, master = pty.fork()
    if pid == 0:
        try:
            child(log_path, guard)
        finally:
            os._exit(0)
    deadline = time.monotonic() + 1.5  # let the app start, keeping the terminal drained
    while (left := deadline - time.monotonic()) > 0:
        if select.select([master], [], [], left)[0]:
            os.read(master, 65536)
    os.close(master)  # the hang-up
    hung_up_at = time.monotonic()
    exited = False
    while time.monotonic() - hung_up_at < 4:
        if os.waitpid(pid, os.WNOHANG)[0]:
            exited = True
            break
        time.sleep(0.01)
    print(f"{'with' if guard else 'without'} the SIGCONT guard: "
          + (f"exited {time.monotonic() - hung_up_at:.2f} s after the hang-up" if exited
             else "STILL RUNNING 4 s after the hang-up (deadlocked)"))
    if os.path.exists(log_path):
        print(open(log_path).read())
    if not exited:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
