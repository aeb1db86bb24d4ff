"""Benchmark: process start until the wizard's *complete* first screen is on the terminal.

    python bench/first_screen.py [--runs 5] [--warmup 1]

bench/run.py stops its clock at the first byte of the first frame. A user waits for more
than that: for the title and the Name field. This script stops the clock when every marker
of the finished screen has been written (escape sequences stripped), for both apps:

* bare (bench/bare_app.py: Header, Input, TextArea, Footer): its title, the Input's
  placeholder and the footer's last key;
* `offer-tui --demo`: its title, the step bar's last step ("5 Review"), the Name label and placeholder, the
  preview's first key and the footer's last key.

Runs are interleaved, alternating who goes first. Printed: each app's median, the ratio of
the medians, and the median of the per-run ratios (each run's pair ran back to back, so on a
shared machine this one follows the load least). The load average is printed too: compare
figures taken under a similar load. Always exits 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from pty_session import PtySession  # noqa: E402
from run import COLUMNS, ROWS, clean_env  # noqa: E402

ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b[=>]")
TIMEOUT = 30.0

TARGETS = {
    "bare": ([sys.executable, str(BENCH_DIR / "bare_app.py")], (b"bare", b"Name", b"palette")),
    "offer-tui": ([sys.executable, "-m", "offer_tui", "--demo"],
                  (b"offer-tui", b"5 Review", b"Name", b"e.g. Summer sale", b'"name"', b"palette")),
}


def complete_ms(argv: list[str], markers: tuple[bytes, ...]) -> float | None:
    """Milliseconds from process start to the chunk that completed the last marker."""
    with tempfile.TemporaryDirectory(prefix="offer-bench-") as tmp:
        state, config = os.path.join(tmp, "state"), os.path.join(tmp, "config")
        os.makedirs(state)
        os.makedirs(config)
        session = PtySession(argv, clean_env(state, config), COLUMNS, ROWS, cwd=tmp)
        session.start()
        try:
            def done(out: bytes) -> bool:
                text = ESCAPES.sub(b"", out)
                return all(m in text for m in markers)

            if not session.wait_for(done, TIMEOUT):
                return None
            seen = b""
            for chunk in list(session.chunks):
                seen += chunk.data
                if done(seen):
                    return (chunk.at - session.started_at) * 1000
            return None
        finally:
            session.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args(argv)
    for _ in range(args.warmup):
        for cmd, markers in TARGETS.values():
            complete_ms(cmd, markers)
    results: dict[str, list[float]] = {name: [] for name in TARGETS}
    pair_ratios: list[float] = []
    load_before = os.getloadavg()[0]
    for run in range(args.runs):
        order = list(TARGETS.items())
        if run % 2:
            order.reverse()
        for name, (cmd, markers) in order:
            ms = complete_ms(cmd, markers)
            if ms is not None:
                results[name].append(ms)
            print(f"  run {run} {name}: {'n/a' if ms is None else f'{ms:.0f} ms'}", file=sys.stderr)
        if len(results["bare"]) == len(results["offer-tui"]) == run + 1:
            pair_ratios.append(results["offer-tui"][-1] / results["bare"][-1])
    bare = statistics.median(results["bare"]) if results["bare"] else None
    app = statistics.median(results["offer-tui"]) if results["offer-tui"] else None
    load = f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    print(f"complete first screen, {COLUMNS}x{ROWS} pty, median of {args.runs} interleaved runs ({load})")
    print(f"  bare app     {bare:.0f} ms" if bare else "  bare app     n/a")
    print(f"  offer-tui    {app:.0f} ms" if app else "  offer-tui    n/a")
    if bare and app:
        print(f"  ratio        {app / bare:.2f}x   (goal <= 1.2x: {'PASS' if app / bare <= 1.2 else 'MISS'})")
    if pair_ratios:
        print(f"  ratio of pairs, median {statistics.median(pair_ratios):.2f}x "
              f"(range {min(pair_ratios):.2f}-{max(pair_ratios):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
