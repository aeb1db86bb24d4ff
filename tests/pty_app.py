"""Run the real `offer-tui --demo` in a pseudo-terminal, for the hang-up tests.

The child is a session leader with the pty as its controlling terminal, as under sshd or tmux, so
closing the master hangs the terminal up exactly as a dropped SSH session does (the kernel sends
SIGHUP and SIGCONT). Everything is read on the calling thread (no reader thread holding the master
open), and every wait is bounded.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
ALT_SCREEN_ON = b"\x1b[?1049h"
ALT_SCREEN_OFF = b"\x1b[?1049l"
ESCAPES = re.compile(rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")
READY_MARK = "Summer sale"  # the name field's placeholder: the wizard is on screen

# The real command line (offer_tui.cli.main), with the draft debounce raised to a minute so a draft on
# disk after the signal can only have been written by the hang-up path.
LAUNCHER = (
    "import sys\n"
    "from offer_tui.ui.app import OfferTuiApp\n"
    "OfferTuiApp.__init__.__kwdefaults__['draft_delay'] = 60.0\n"
    "from offer_tui.cli import main\n"
    "sys.exit(main(['--demo']))\n"
)


def _controlling_tty() -> None:  # in the child, between fork and exec
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyApp:
    def __init__(self, tmp_path: Path, columns: int = 120, rows: int = 40) -> None:
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.state_dir = tmp_path / "state"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "OFFER_TUI_"))}
        env.update(
            TERM="xterm-256color",
            OFFER_TUI_CONFIG_DIR=str(tmp_path / "config"),
            OFFER_TUI_STATE_DIR=str(self.state_dir),
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
            PYTHONPATH=str(REPO_ROOT),
            TEXTUAL_ANIMATIONS="none",
        )
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.proc = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=slave, stdout=slave, stderr=slave,
                                     env=env, cwd=str(tmp_path), close_fds=True, preexec_fn=_controlling_tty)
        os.close(slave)
        self.output = bytearray()
        self.master_open = True

    # -- output --------------------------------------------------------------------------------------
    def read(self, seconds: float) -> bool:
        """Read for up to `seconds`; False once the terminal is closed (EOF/EIO)."""
        end = time.monotonic() + seconds
        while self.master_open and (left := end - time.monotonic()) > 0:
            if not select.select([self.master], [], [], left)[0]:
                return True
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return False
            if not data:
                return False
            self.output += data
        return self.master_open

    def screen_text(self) -> str:
        """Everything written so far, escape sequences removed (good enough to find a word)."""
        return ESCAPES.sub(b"", bytes(self.output)).decode("utf-8", errors="replace")

    def wait_quiet(self, quiet: float = 0.3, timeout: float = 45.0, showing: str = READY_MARK) -> bool:
        """Until `showing` has been drawn and then nothing was written for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len(self.output)
            if not self.read(quiet):
                return False
            if len(self.output) == before and ALT_SCREEN_ON in self.output and showing in self.screen_text():
                return True
        return False

    def type(self, text: str) -> None:
        for char in text:
            os.write(self.master, char.encode())
            self.read(0.01)

    # -- ending ----------------------------------------------------------------------------------------
    def hang_up(self) -> None:
        os.close(self.master)  # what a dropped SSH session does to the terminal
        self.master_open = False

    def wait_exit(self, timeout: float) -> tuple[float | None, int | None]:
        """(seconds until the process was gone, exit code), or (None, None) if it is still alive."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            code = self.proc.poll()
            if code is not None:
                return time.monotonic() - start, code
            if self.master_open:
                self.read(0.005)  # a live terminal keeps being read, or the app could block writing
            else:
                time.sleep(0.005)
        return None, None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        if self.master_open:
            os.close(self.master)
            self.master_open = False

    # -- the drafts on disk ------------------------------------------------------------------------------
    def draft_names(self) -> list[Any]:
        """The offer name in every draft file under the state folder (one file or one per instance)."""
        names = []
        for path in sorted(self.state_dir.rglob("*.json")) if self.state_dir.exists() else []:
            try:
                names.append(json.loads(path.read_text(encoding="utf-8"))["doc"].get("name"))
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue
        return names
