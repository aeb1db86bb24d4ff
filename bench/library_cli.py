"""Benchmark: the library commands and the demo API's listing at Adobe's 10,000-offer guardrail (issue 9).

    python bench/library_cli.py [--offers 10000] [--runs 5]

1. Seeding: `seed_documents(N)` and `DemoServer(seed_offers=N)` (what `demo-server --offers N` does).
2. The first page (limit 50, newest first) from an N-offer demo, over loopback with the client:
   the demo's shallow views (today) against deep copies of every stored offer (what it did
   before), interleaved in one run (ratio = deep / shallow); and a next page, which reuses the
   filtered, sorted selection.
3. `offer-tui list` (a table of 50), `list --name winter`, `list --json --limit 1000` as child
   processes, against `offer-tui rules` (the smallest read command) as the reference: wall time,
   medians of --runs, interleaved. Ratio = command / rules.
4. Peak RSS (ru_maxrss of the child) of `list --json` over all N offers against
   `list --json --limit 50`: JSON Lines are streamed a page at a time, so the goal is <= 1.2x.

The demo API runs in this process; the commands run as child processes. Always exits 0: a
measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.seed import seed_documents


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_seeding(count: int, runs: int) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        seed_documents(count)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    DemoServer(seed_offers=count)
    build = time.perf_counter() - started
    print(f"seed_documents({count}): median {median_ms(times):.0f} ms; DemoServer(seed_offers={count}): {build * 1000:.0f} ms")


async def _page_times(server: DemoServer, runs: int) -> tuple[list[float], list[float], list[float]]:
    from offer_tui.api import OfferClient

    state = server.state
    shallow_list = state.list_offers

    def deep_list(offer_type: str):
        with state.lock:
            return [state._full(i, e) for i, e in state.offers.items() if e["offer_type"] == offer_type]

    shallow, deep, cached = [], [], []
    async with OfferClient.from_settings(demo_settings(server)) as client:
        await client.list_offers_page(limit=50)  # warm-up: token, connection
        for _ in range(runs):
            for variant, samples in ((shallow_list, shallow), (deep_list, deep)):
                state.list_offers = variant  # type: ignore[method-assign]
                with state.lock:
                    state.version += 1  # a first page: no selection cached yet
                started = time.perf_counter()
                page = await client.list_offers_page(limit=50)
                samples.append(time.perf_counter() - started)
            started = time.perf_counter()
            await client.list_offers_page(href=page.next_href)  # the next page reuses the selection
            cached.append(time.perf_counter() - started)
    state.list_offers = shallow_list  # type: ignore[method-assign]
    return shallow, deep, cached


def bench_page(server: DemoServer, runs: int) -> None:
    shallow, deep, cached = asyncio.run(_page_times(server, runs))
    ratio = statistics.median(deep) / statistics.median(shallow)
    print(f"first page of 50 from {len(server.offers):,} offers: shallow views {median_ms(shallow):.0f} ms, "
          f"deep copies {median_ms(deep):.0f} ms (deep/shallow {ratio:.1f}x); "
          f"next page (selection reused) {median_ms(cached):.0f} ms")


def child_env(server: DemoServer, home: str) -> dict[str, str]:
    settings = demo_settings(server, with_token=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OFFER_TUI_", "TEXTUAL_"))}
    env.update({
        "PYTHONPATH": str(REPO_ROOT), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "OFFER_TUI_CONFIG_DIR": os.path.join(home, "config"), "OFFER_TUI_STATE_DIR": os.path.join(home, "state"),
        "OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
        "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
        "OFFER_TUI_ACCESS_TOKEN": settings.access_token or "", "OFFER_TUI_IMS_ORG": settings.ims_org,
        "OFFER_TUI_SANDBOX": settings.sandbox,
    })
    return env


def run_child(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """(wall seconds, exit code) of `python -m offer_tui ARGV`."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "offer_tui", *argv], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600, check=False)
    return time.perf_counter() - started, proc.returncode


# Linux carries a process's peak RSS across fork and exec, so a child of this 150 MiB process
# would report at least 150 MiB: a small wrapper process runs the command and reports its own
# RUSAGE_CHILDREN (the same way as bench/bulk.py).
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def peak_rss(argv: list[str], env: dict[str, str]) -> float:
    """Peak RSS (MiB) of `python -m offer_tui ARGV`."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-m", "offer_tui", *argv], env=env,
                         capture_output=True, text=True, timeout=600, check=False).stdout.split()
    return int(out[1]) / 1024


def bench_commands(server: DemoServer, runs: int) -> None:
    commands = {
        "rules (reference)": ["rules"],
        "list": ["list"],
        "list --name winter": ["list", "--name", "winter"],
        "list --json --limit 1000": ["list", "--json", "--limit", "1000"],
    }
    with tempfile.TemporaryDirectory() as home:
        env = child_env(server, home)
        for argv in commands.values():  # warm-up: .pyc files, page cache
            run_child(argv, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                wall, code = run_child(argv, env)
                if code != 0:
                    print(f"note: {name} exited {code}")
                times[name].append(wall)
        reference = statistics.median(times["rules (reference)"])
        for name, samples in times.items():
            ratio = statistics.median(samples) / reference
            print(f"{name}: median {median_ms(samples):.0f} ms ({ratio:.2f}x rules)")
        small, large = [], []
        for _ in range(max(2, runs // 2)):
            small.append(peak_rss(["list", "--json", "--limit", "50"], env))
            large.append(peak_rss(["list", "--json"], env))
        ratio = statistics.median(large) / statistics.median(small)
        print(f"peak RSS: list --json --limit 50 {statistics.median(small):.1f} MiB, list --json (all "
              f"{len(server.offers):,}) {statistics.median(large):.1f} MiB ({ratio:.2f}x; goal <= 1.2x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    bench_seeding(args.offers, 3)
    server = DemoServer(seed_offers=args.offers, page_size=100).start()
    try:
        bench_page(server, args.runs)
        bench_commands(server, args.runs)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
