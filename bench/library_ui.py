"""Benchmark: the library screen at Adobe's 10,000-offer guardrail (issue 9, "Scale and figures").

    python bench/library_ui.py [--offers 10000] [--runs 3] [--dump DIR]

The demo API runs in this process with N seeded offers (what `demo-server --offers N` serves);
`offer-tui` runs as a child in a 120x40 pseudo-terminal (bench/pty_session.py, the environment of
bench/run.py), pointed at it through the OFFER_TUI_* variables. Per run:

1. **Open to first rows**: the wizard starts and goes quiet; F7 is sent; the time until the newest
   offer's name is on the terminal, and how many list requests (GET /offers) the server saw by
   then (goal: 1, one page, never the sandbox).
2. **Bytes per scroll step**: 40 presses of Down in the table, each followed by quiet (150 ms, at
   most 2 s); median bytes per press (a press that crosses into a new page includes that page).
3. **Bytes per character typed in the filter**: `/` then `winter`, one character at a time, each
   followed by quiet; median bytes per character (the echo), and the bytes of the debounced
   reload that follows the last one (server-side `name~` filter, one request).
4. **Peak RSS**: VmHWM of the process with the wizard at start (before F7), and after Page Down
   has loaded 1,000 rows (20 pages of 50, unfiltered); ratio after / start (goal <= 1.5x).

Medians over --runs. Always exits 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pty_session import PtySession  # noqa: E402
from run import clean_env  # noqa: E402

from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX, DemoServer  # noqa: E402

F7, DOWN, PAGE_DOWN = b"\x1b[18~", b"\x1b[B", b"\x1b[6~"
COLUMNS, ROWS = 120, 40


def list_requests(server: DemoServer) -> int:
    return sum(1 for r in server.received if r.get("method") == "GET" and r.get("rel") == "/offers")


def bytes_per_key(session: PtySession, key: bytes) -> int:
    before = session.byte_count()
    sent = session.send(key)
    session.wait_quiet(0.15, 2.0, since=sent)
    return session.byte_count() - before


def one_run(server: DemoServer, newest: str, dump: Path | None, tag: str) -> dict[str, float]:
    result: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="offer-bench-lib-") as tmp:
        state, config = os.path.join(tmp, "state"), os.path.join(tmp, "config")
        os.makedirs(state)
        os.makedirs(config)
        env = clean_env(state, config)
        env.update(OFFER_TUI_ENDPOINT=server.base_url, OFFER_TUI_IMS_URL=server.ims_url,
                   OFFER_TUI_CLIENT_ID=DEMO_CLIENT_ID, OFFER_TUI_CLIENT_SECRET=DEMO_CLIENT_SECRET,
                   OFFER_TUI_IMS_ORG=DEMO_IMS_ORG, OFFER_TUI_SANDBOX=DEMO_SANDBOX)
        session = PtySession([sys.executable, "-m", "offer_tui"], env, COLUMNS, ROWS, cwd=tmp).start()
        try:
            session.wait_quiet(2.0, 20.0)  # start-up, the idle prefetch (placements, rules) included
            result["wizard_rss_mib"] = (session.peak_rss_kb_now() or 0) / 1024
            requests = list_requests(server)
            seen = session.byte_count()
            sent = session.send(F7)
            target = newest.encode()
            if session.wait_for(lambda out: target in out[seen:], 15.0):
                shown = session.chunks[-1].at
                result["open_to_rows_ms"] = (shown - sent) * 1000
            result["list_requests_at_first_rows"] = list_requests(server) - requests
            session.wait_quiet(0.5, 5.0)

            steps = [bytes_per_key(session, DOWN) for _ in range(40)]
            result["bytes_per_scroll_step"] = statistics.median(steps)
            result["bytes_per_scroll_step_max"] = max(steps)

            session.wait_quiet(0.3, 3.0)
            bytes_per_key(session, b"/")
            typed = [bytes_per_key(session, bytes([c])) for c in b"winter"]
            result["bytes_per_filter_char"] = statistics.median(typed)
            before = session.byte_count()
            session.wait_quiet(1.0, 5.0)  # the debounced reload (0.3 s) and its repaint
            result["bytes_filter_reload"] = session.byte_count() - before + typed[-1]
            bytes_per_key(session, b"\x1b")  # back to the table
            bytes_per_key(session, b"\x15")  # (ctrl+u does nothing on the table: a harmless key)

            # Clear the filter and load 1,000 rows with Page Down.
            bytes_per_key(session, b"/")
            for _ in range(6):
                bytes_per_key(session, b"\x7f")
            session.send(b"\r")
            session.wait_quiet(1.0, 5.0)
            start_pages = list_requests(server)
            for _ in range(400):
                if list_requests(server) - start_pages >= 19:  # the first page + 19 = 1,000 rows
                    break
                bytes_per_key(session, PAGE_DOWN)
            session.wait_quiet(0.5, 5.0)
            result["pages_loaded"] = list_requests(server) - start_pages + 1
            result["library_rss_mib"] = (session.peak_rss_kb_now() or 0) / 1024
            if result["wizard_rss_mib"]:
                result["rss_ratio"] = result["library_rss_mib"] / result["wizard_rss_mib"]
        finally:
            session.close()
            if dump is not None:
                dump.mkdir(parents=True, exist_ok=True)
                (dump / f"library-{tag}.raw").write_bytes(session.output)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dump", type=Path, default=None, help="write each run's terminal output here")
    args = parser.parse_args(argv)
    with DemoServer(seed_offers=args.offers, page_size=50) as server:
        newest = max((o for o in server.offers.values() if o["offer_type"] == "personalized"),
                     key=lambda o: o["receipt"]["lastModifiedDate"])["body"]["name"]
        runs = []
        for index in range(args.runs):
            try:
                runs.append(one_run(server, newest[:12], args.dump, str(index)))
            except Exception as error:  # a benchmark reports, it does not crash
                print(f"run {index}: {type(error).__name__}: {error}")
    keys = sorted({key for run in runs for key in run})
    print(f"library at {args.offers:,} offers, {len(runs)} run(s), 120x40, medians:")
    for key in keys:
        values = [run[key] for run in runs if key in run]
        print(f"  {key:<30} {statistics.median(values):10.2f}   (runs: {', '.join(f'{v:.1f}' for v in values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
