"""Benchmark: how long `offer-tui --demo` takes to exit after a hang-up, and whether it ever stays.

    python bench/hangup.py [--runs 20] [--mode close|sighup|sigterm|all] [--app demo|bare]

Each run starts the app in a fresh 120x40 pseudo-terminal (its own session, the pty as its
controlling terminal, fresh state and config folders, the null keyring), waits for the first
screen to settle and ``--idle`` seconds more, types a few characters into the focused name field, waits a random 0-30 ms
after the last key, then ends the session:

- ``close``: closes the pty master, which is what a dropped SSH session or ``tmux kill-session``
  does (the kernel hangs the terminal up and sends SIGHUP and SIGCONT);
- ``sighup`` / ``sigterm``: sends that signal and leaves the terminal open.

It times from that moment until the process is gone (reaped), and counts runs where it is still
alive after ``--bound`` seconds ("left behind": those get a py-spy dump with ``--dump-stuck``,
then SIGKILL). It also reports whether the draft file held the typed text afterwards.

``--app bare`` runs bench/bare_app.py as a reference: a Textual app with no hang-up handling,
which the kernel's default SIGHUP action ends at once (and which saves nothing).

A measurement, not a test: it always exits 0. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
COLUMNS, ROWS = 120, 40
TYPED = "Dropped link"
ALT_SCREEN = b"\x1b[?1049h"
FIRST_PAINT = re.compile(rb"\x1b\[\d+;\d+H")  # Textual moves the cursor before painting a frame
STARTUP_TIMEOUT = 30.0
SETTLE_QUIET = 0.3


def _controlling_tty() -> None:  # in the child, between fork and exec
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(
        TERM="xterm-256color",
        OFFER_TUI_STATE_DIR=str(tmp / "state"),
        OFFER_TUI_CONFIG_DIR=str(tmp / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        PYTHONPATH=str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    env.pop("COLORTERM", None)
    return env


def _drain(master: int, seconds: float, buffer: bytearray) -> None:
    """Read whatever the app writes for `seconds` (bounded)."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select([master], [], [], left)
        if not ready:
            return
        try:
            data = os.read(master, 65536)
        except OSError:
            return
        if not data:
            return
        buffer += data


def _wait_settled(master: int, buffer: bytearray) -> bool:
    """Until the alternate screen is on and the output was quiet for SETTLE_QUIET seconds."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last = time.monotonic()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        now = time.monotonic()
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                return False
            if not data:
                return False
            buffer += data
            last = now
        elif ALT_SCREEN in buffer and FIRST_PAINT.search(buffer) and now - last >= SETTLE_QUIET:
            return True
    return False


def one_run(argv: list[str], mode: str, bound: float, dump_stuck: bool, idle: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="hangup-bench-") as tmp_name:
        tmp = Path(tmp_name)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=_environment(tmp),
                                cwd=REPO_ROOT, close_fds=True, preexec_fn=_controlling_tty)
        os.close(slave)
        buffer = bytearray()
        result: dict = {"mode": mode}
        master_open = True
        try:
            if not _wait_settled(master, buffer):
                result["error"] = "no settled first screen"
                return result
            _drain(master, idle, buffer)  # let the idle work run (other steps mounted, demo API started)
            for char in TYPED:
                os.write(master, char.encode())
                _drain(master, 0.01, buffer)  # about 100 keys a second, and keep the pty drained
            delay = random.uniform(0.0, 0.030)
            _drain(master, delay, buffer)
            result["delay_ms"] = delay * 1000
            if mode == "close":
                os.close(master)
                master_open = False
                start = time.monotonic()
            else:
                start = time.monotonic()
                os.kill(proc.pid, signal.SIGHUP if mode == "sighup" else signal.SIGTERM)
            # Keep draining an open terminal, as a live terminal would, while waiting.
            seconds, code = None, None
            while time.monotonic() - start < bound:
                if master_open:
                    _drain(master, 0.002, buffer)
                done, status = os.waitpid(proc.pid, os.WNOHANG)
                if done:
                    seconds, code = time.monotonic() - start, os.waitstatus_to_exitcode(status)
                    break
                if not master_open:
                    time.sleep(0.002)
            result["seconds"] = seconds
            result["exit_code"] = code
            if code not in (None, 128 + signal.SIGHUP, 128 + signal.SIGTERM):
                result["output_tail"] = bytes(buffer[-1500:]).decode(errors="replace")
            if seconds is None:
                result["left_behind"] = True
                if dump_stuck:
                    spy = Path(sys.executable).with_name("py-spy")
                    dump = subprocess.run([str(spy), "dump", "--pid", str(proc.pid)], capture_output=True,
                                          text=True, timeout=30)
                    result["stack"] = dump.stdout[-4000:]
            drafts = list((tmp / "state").rglob("*.json"))  # one draft.json, or one per instance
            texts = [d.read_text(errors="replace") for d in drafts]
            result["draft_saved"] = any(TYPED in t for t in texts)
            names = []
            for text in texts:
                try:
                    names.append(json.loads(text)["doc"].get("name"))
                except (ValueError, KeyError, TypeError, AttributeError):
                    names.append("<unreadable>")
            result["draft_names"] = names
            return result
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
            if master_open:
                os.close(master)


def summarize(label: str, results: list[dict]) -> dict:
    times = [r["seconds"] for r in results if r.get("seconds") is not None]
    summary = {
        "label": label,
        "runs": len(results),
        "errors": sum(1 for r in results if "error" in r),
        "left_behind": sum(1 for r in results if r.get("left_behind")),
        "median_s": round(statistics.median(times), 3) if times else None,
        "worst_s": round(max(times), 3) if times else None,
        "under_1s": sum(1 for t in times if t < 1.0),
        "draft_saved": sum(1 for r in results if r.get("draft_saved")),
        "exit_codes": sorted({r.get("exit_code") for r in results if r.get("exit_code") is not None}),
    }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mode", choices=["close", "sighup", "sigterm", "all"], default="close")
    parser.add_argument("--app", choices=["demo", "bare"], default="demo")
    parser.add_argument("--bound", type=float, default=10.0, help="seconds after which a run counts as left behind")
    parser.add_argument("--dump-stuck", action="store_true", help="py-spy dump of every process left behind")
    parser.add_argument("--idle", type=float, default=2.0,
                        help="seconds to wait after the first screen settles, before typing (default 2: the "
                             "app mounts the other steps and starts the demo API after a 1.5 s pause)")
    parser.add_argument("--json", action="store_true", help="print every run as JSON too")
    args = parser.parse_args()
    if args.app == "demo":
        argv = [sys.executable, "-m", "offer_tui", "--demo"]
    else:
        argv = [sys.executable, str(REPO_ROOT / "bench" / "bare_app.py")]
    modes = ["close", "sighup", "sigterm"] if args.mode == "all" else [args.mode]
    for mode in modes:
        results = []
        for index in range(args.runs):
            result = one_run(argv, mode, args.bound, args.dump_stuck, args.idle)
            results.append(result)
            shown = "left behind" if result.get("left_behind") else (
                f"{result['seconds'] * 1000:.0f} ms" if result.get("seconds") is not None else result.get("error"))
            print(f"{args.app} {mode} run {index + 1}/{args.runs}: {shown} "
                  f"(hang-up {result.get('delay_ms', 0):.0f} ms after the last key)", flush=True)
            if result.get("stack"):
                print(result["stack"], flush=True)
        summary = summarize(f"{args.app} {mode}", results)
        print(json.dumps(summary), flush=True)
        if args.json:
            print(json.dumps(results, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
