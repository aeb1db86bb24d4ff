"""Benchmark: `offer-tui --demo` against a bare Textual app, in a 120x40 pseudo-terminal.

    python bench/run.py [--runs 5] [--app auto|demo|standin] [--dump DIR]

Prints the median of each figure for both apps, the ratios, and PASS/MISS against the goals
of issue 3. Always exits 0: this is a measurement, not a test. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from pty_session import ALT_SCREEN, PtySession  # noqa: E402

COLUMNS, ROWS = 120, 40
TYPED = "Spring sale offer 25"  # 20 characters, typed one at a time
assert len(TYPED) == 20

# The first frame starts with the first cursor move after the switch to the alternate screen:
# Textual positions the cursor (CSI row;col H) before painting each frame.
CURSOR_MOVE = re.compile(rb"\x1b\[\d+;\d+H")

STARTUP_TIMEOUT = 30.0  # seconds until a first frame must have appeared
SETTLE_QUIET = 0.3  # silence that counts as "startup has settled" (cursor blinks every 0.5 s)
SETTLE_TIMEOUT = 10.0
KEY_QUIET = 0.15  # silence after a keystroke that ends its echo
KEY_TIMEOUT = 2.0

GOALS = {"first_frame_ms": 1.2, "bytes_per_key": 1.3, "peak_rss_mib": 1.3}


@dataclass
class RunResult:
    first_frame_ms: float | None = None  # process start -> first byte of the first frame
    settled_ms: float | None = None  # process start -> last byte before startup went quiet
    startup_bytes: int | None = None
    bytes_per_key: list[int] = field(default_factory=list)
    echo_ms: list[float] = field(default_factory=list)  # key sent -> first byte back
    trailing_bytes: int = 0  # output after the last key's quiet window (debounced work)
    peak_rss_mib: float | None = None
    echo_seen: bool = False  # the typed text reached the screen
    killed: bool = False
    error: str | None = None
    raw: bytes = b""


@dataclass
class Target:
    label: str
    argv: list[str]


def clean_env(state_dir: str, config_dir: str) -> dict[str, str]:
    """The same terminal environment for both apps, without the caller's Textual settings."""
    # PYTHONDONTWRITEBYTECODE would make every run compile the project's modules from source
    # (about 30 ms here), which no installed copy does (pip writes .pyc files); the warm-up run
    # is there to write them.
    drop = ("TEXTUAL_", "COLUMNS", "LINES", "NO_COLOR", "COLORTERM", "FORCE_COLOR", "OFFER_TUI_",
            "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(
        TERM="xterm-256color",
        OFFER_TUI_STATE_DIR=state_dir,  # fresh dirs: no draft to resume, no saved prefs
        OFFER_TUI_CONFIG_DIR=config_dir,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


def measure(target: Target, dump_dir: Path | None = None, tag: str = "") -> RunResult:
    result = RunResult()
    with tempfile.TemporaryDirectory(prefix="offer-bench-") as tmp:
        state, config = os.path.join(tmp, "state"), os.path.join(tmp, "config")
        os.makedirs(state)
        os.makedirs(config)
        session = PtySession(target.argv, clean_env(state, config), COLUMNS, ROWS, cwd=tmp)
        session.start()
        try:
            _drive(session, result)
        except Exception as exc:  # a benchmark reports, it does not crash
            result.error = f"{type(exc).__name__}: {exc}"
        finally:
            rss_now = session.peak_rss_kb_now()
            info = session.close()
            rss_kb = info.max_rss_kb or rss_now
            result.peak_rss_mib = rss_kb / 1024 if rss_kb else None
            result.killed = info.killed
            result.raw = session.output
    if dump_dir is not None:
        dump_dir.mkdir(parents=True, exist_ok=True)
        (dump_dir / f"{tag}.raw").write_bytes(result.raw)
    return result


def _first_frame_offset(output: bytes) -> int | None:
    alt = output.find(ALT_SCREEN)
    if alt < 0:
        return None
    move = CURSOR_MOVE.search(output, alt + len(ALT_SCREEN))
    return move.start() if move else None


def _drive(session: PtySession, result: RunResult) -> None:
    if not session.wait_for(lambda out: _first_frame_offset(out) is not None, STARTUP_TIMEOUT):
        result.error = "no first frame within %.0f s" % STARTUP_TIMEOUT
        return
    # Time of the chunk holding the first cursor move.
    offset, seen = _first_frame_offset(session.output), 0
    for chunk in list(session.chunks):
        seen += len(chunk.data)
        if seen > offset:
            result.first_frame_ms = (chunk.at - session.started_at) * 1000
            break

    session.wait_quiet(SETTLE_QUIET, SETTLE_TIMEOUT)
    chunks = list(session.chunks)
    result.settled_ms = (chunks[-1].at - session.started_at) * 1000
    result.startup_bytes = sum(len(c.data) for c in chunks)

    for char in TYPED:
        before = session.chunk_count()
        sent_at = session.send(char.encode())
        session.wait_quiet(KEY_QUIET, KEY_TIMEOUT, since=sent_at)
        new = list(session.chunks)[before:]
        result.bytes_per_key.append(sum(len(c.data) for c in new))
        if new:
            result.echo_ms.append((new[0].at - sent_at) * 1000)

    before = session.chunk_count()
    session.wait_quiet(SETTLE_QUIET, SETTLE_TIMEOUT)
    result.trailing_bytes = sum(len(c.data) for c in list(session.chunks)[before:])
    result.echo_seen = _typed_text_visible(session.output[result.startup_bytes :])


def _typed_text_visible(output: bytes) -> bool:
    """Did the last characters typed reach the screen? (Checks focus was in the name field.)"""
    text = re.sub(rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b\][^\x07]*\x07", b"", output)
    return TYPED[-4:].encode() in text


def pick_target(choice: str) -> tuple[Target, str | None]:
    demo = Target("offer-tui --demo", [sys.executable, "-m", "offer_tui", "--demo"])
    standin = Target("stand-in (bench/standin_app.py)", [sys.executable, str(BENCH_DIR / "standin_app.py")])
    if choice == "demo":
        return demo, None
    if choice == "standin":
        return standin, None
    probe = measure(demo)
    if probe.error or not probe.echo_seen:
        reason = probe.error or "the typed name never appeared on screen"
        tail = _visible_tail(probe.raw)
        return standin, f"offer-tui --demo unusable ({reason}); using the stand-in. Last output: {tail!r}"
    return demo, None


def _visible_tail(raw: bytes, limit: int = 300) -> str:
    text = re.sub(rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]", b"", raw)
    text = re.sub(rb"\s+", b" ", text)
    return text[-limit:].decode("utf-8", "replace")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(results: list[RunResult]) -> dict[str, float | None]:
    ok = [r for r in results if not r.error]
    return {
        "first_frame_ms": median(r.first_frame_ms for r in ok),
        "bytes_per_key": median(median(r.bytes_per_key) for r in ok),
        "peak_rss_mib": median(r.peak_rss_mib for r in ok),
        "settled_ms": median(r.settled_ms for r in ok),
        "startup_bytes": median(r.startup_bytes for r in ok),
        "mean_bytes_per_key": median(
            (sum(r.bytes_per_key) + r.trailing_bytes) / len(TYPED) for r in ok if r.bytes_per_key
        ),
        "max_bytes_per_key": median(max(r.bytes_per_key) for r in ok if r.bytes_per_key),
        "echo_ms": median(median(r.echo_ms) for r in ok if r.echo_ms),
    }


ROWS_SPEC = [
    # key, label, format, goal-checked
    ("first_frame_ms", "first frame (ms)", "{:.0f}", True),
    ("bytes_per_key", "bytes per keystroke (median)", "{:.0f}", True),
    ("peak_rss_mib", "peak RSS (MiB)", "{:.1f}", True),
    ("settled_ms", "startup settled (ms)", "{:.0f}", False),
    ("startup_bytes", "startup bytes", "{:.0f}", False),
    ("mean_bytes_per_key", "bytes per keystroke (mean, incl. trailing)", "{:.0f}", False),
    ("max_bytes_per_key", "bytes per keystroke (worst key)", "{:.0f}", False),
    ("echo_ms", "key -> first echo byte (ms)", "{:.1f}", False),
]


def report(bare: dict, app: dict, app_label: str, runs: int, problems: list[str]) -> str:
    width = 44
    lines = [
        f"offer-tui benchmark: {COLUMNS}x{ROWS} pty, TERM=xterm-256color, median of {runs} runs",
        f"  bare = bench/bare_app.py    app = {app_label}",
        "",
        f"{'figure':<{width}} {'bare':>10} {'app':>10} {'ratio':>7}  {'goal':>7}  result",
        "-" * (width + 48),
    ]
    for key, label, fmt, checked in ROWS_SPEC:
        b, a = bare.get(key), app.get(key)
        bs = fmt.format(b) if b is not None else "n/a"
        as_ = fmt.format(a) if a is not None else "n/a"
        ratio = a / b if a is not None and b else None
        rs = f"{ratio:.2f}x" if ratio is not None else "n/a"
        if checked:
            goal = GOALS[key]
            verdict = "n/a" if ratio is None else ("PASS" if ratio <= goal else "MISS")
            lines.append(f"{label:<{width}} {bs:>10} {as_:>10} {rs:>7}  {'<=' + str(goal) + 'x':>7}  {verdict}")
        else:
            lines.append(f"{label:<{width}} {bs:>10} {as_:>10} {rs:>7}")
    if problems:
        lines += ["", "notes:"] + [f"  - {p}" for p in problems]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="measured runs per app (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs per app first (default 1)")
    parser.add_argument(
        "--app",
        choices=("auto", "demo", "standin"),
        default="auto",
        help="app under test: offer-tui --demo, the stand-in, or demo if it works (default)",
    )
    parser.add_argument("--dump", type=Path, help="write each run's raw terminal output here")
    args = parser.parse_args(argv)

    problems: list[str] = []
    bare = Target("bare", [sys.executable, str(BENCH_DIR / "bare_app.py")])
    target, note = pick_target(args.app)
    if note:
        problems.append(note)
    print(f"measuring {target.label} against the bare app: {args.warmup} warm-up + {args.runs} runs each...",
          file=sys.stderr)

    for _ in range(args.warmup):  # compile bytecode, warm the page cache
        measure(bare)
        measure(target)

    results: dict[str, list[RunResult]] = {"bare": [], "app": []}
    for run in range(args.runs):
        # Interleave, alternating who goes first, so drift on the machine hits both alike.
        order = [("bare", bare), ("app", target)]
        if run % 2:
            order.reverse()
        for name, tgt in order:
            r = measure(tgt, args.dump, f"{name}-{run}")
            results[name].append(r)
            if r.error:
                problems.append(f"{name} run {run}: {r.error}")
            elif not r.echo_seen:
                problems.append(f"{name} run {run}: typed text not seen on screen (focus not in the name field?)")
            if r.killed:
                problems.append(f"{name} run {run}: did not quit on ctrl+q, killed")
            print(f"  run {run} {name}: first frame {r.first_frame_ms or 0:.0f} ms, "
                  f"{median(r.bytes_per_key) or 0:.0f} B/key, {r.peak_rss_mib or 0:.1f} MiB", file=sys.stderr)

    print(report(summarize(results["bare"]), summarize(results["app"]), target.label, args.runs, problems))
    return 0


if __name__ == "__main__":
    sys.exit(main())
