"""Benchmark: the kinds' commands at scale (issue 14, Figures).

    python bench/library_kinds.py [--offers 10000] [--decisions 1000] [--runs 5]

A demo with 10,000 offers and 1,000 decisions (``DemoServer(seed_offers=..., seed_decisions=...)``,
the demo's default page size). Each command runs in this process through ``offer_tui.cli.main``
(the demo API on 127.0.0.1 in a thread), interleaved, medians of --runs after one warm-up:

- ``list tags``: the reference (one small listing).
- ``list decisions``: time to its first row on stdout, and its API requests (the goal: one).
- ``refs <"Summer sale" tag>``: a tag used by 500+ offers; every offer and collection is read
  once (one listing per kind that can reference a tag, 1,000 a page), never a GET per offer.

Ratios are against ``list tags`` measured in the same run. Always exits 0: a measurement.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from offer_tui.demo import DemoServer, demo_settings  # noqa: E402


class FirstWrite(io.StringIO):
    """stdout that notes when the first byte arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.first: float | None = None

    def write(self, text: str) -> int:
        if self.first is None and text:
            self.first = time.perf_counter()
        return super().write(text)


def run(argv: list[str], server: DemoServer) -> tuple[float, float, int, int]:
    """(seconds to the first output, seconds in all, API requests, exit code)."""
    from offer_tui.cli import main

    before = len(server.received)
    out, err = FirstWrite(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    started = time.perf_counter()
    try:
        code = main(argv)
    finally:
        sys.stdout, sys.stderr = saved
    ended = time.perf_counter()
    requests = [r for r in server.received[before:] if "/ims/" not in r["path"]]
    return (out.first or ended) - started, ended - started, len(requests), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    server = DemoServer(seed_offers=args.offers, seed_decisions=args.decisions).start()
    print(f"demo: {args.offers:,} offers, {args.decisions:,} decisions, default page size {server.page_size}"
          f" (seeded in {time.perf_counter() - started:.1f} s)")
    settings = demo_settings(server)
    os.environ.update({
        "OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
        "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
        "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox,
        "OFFER_TUI_ACCESS_TOKEN": server.issue_token(),  # no token request in the figures
    })
    sys.stdin = io.StringIO("")
    summer = next(i for i, e in server.state.objects["tags"].items() if e["body"]["name"] == "Summer sale")
    used = sum(1 for e in server.state.offers.values() if summer in (e["body"].get("tags") or []))
    commands = {"list tags": ["list", "tags"], "list decisions": ["list", "decisions"],
                "refs Summer sale": ["refs", summer, "--json"]}
    samples: dict[str, list[tuple[float, float, int, int]]] = {name: [] for name in commands}
    try:
        for name, argv in commands.items():  # warm-up: imports, connection
            run(argv, server)
        for _ in range(args.runs):
            for name, argv in commands.items():
                samples[name].append(run(argv, server))
    finally:
        server.stop()

    def med(name: str, index: int) -> float:
        return statistics.median(s[index] for s in samples[name])

    reference = med("list tags", 1)
    print(f'"Summer sale" ({summer}) is on {used:,} offers')
    print(f"{'command':<18} {'first row ms':>12} {'total ms':>9} {'requests':>8} {'exit':>4} {'x list tags':>11}")
    for name in commands:
        codes = {s[3] for s in samples[name]}
        print(f"{name:<18} {med(name, 0) * 1000:>12.0f} {med(name, 1) * 1000:>9.0f} {int(med(name, 2)):>8} "
              f"{','.join(map(str, codes)):>4} {med(name, 1) / reference:>11.1f}")


if __name__ == "__main__":
    main()
