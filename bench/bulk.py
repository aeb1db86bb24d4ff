"""Benchmark: `offer-tui bulk` against the demo API (issue 10).

    python bench/bulk.py [--rows 500] [--concurrency 8] [--latency 0.1] [--rss-small 100] [--rss-large 10000]

1. Speed: FILE of --rows offers, sent with --concurrency against a demo API answering every
   request after --latency seconds. Ideal = rows / concurrency x latency. Goal: <= 1.25x ideal,
   with exactly one token minted.
2. Memory: peak RSS (ru_maxrss of the child) of a dry run and of a real run (latency 0) for
   --rss-small and --rss-large rows. Goal: large <= 1.2x small.

The demo API runs in this process; `offer-tui bulk` runs as a child process, so the figures are
the command's own. Always exits 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX, DemoServer  # noqa: E402

TEMPLATE = {
    "name": "template", "status": "draft",
    "representations": [{
        "channel": "https://ns.adobe.com/xdm/channel-types/web",
        "placement": "dps:offer-placement:1a2b3c4d5e6f7081",
        "components": [{"type": "html", "format": "text/html", "language": ["en-us"], "content": "<p>x</p>"}],
    }],
    "selectionConstraint": {"startDate": "2026-01-01T00:00:00.000Z", "endDate": "2026-12-31T00:00:00.000Z",
                            "profileConstraintType": "none"},
    "rank": {"priority": 0},
}


def write_inputs(directory: Path, rows: int, tag: str) -> tuple[Path, Path]:
    template = directory / "template.json"
    template.write_text(json.dumps(TEMPLATE))
    path = directory / f"offers-{tag}-{rows}.csv"
    with open(path, "w") as handle:
        handle.write("name,rank.priority,representations[0].components[0].content\n")
        for i in range(1, rows + 1):
            handle.write(f"Bench {tag} {i:06d},{i % 7},<p>offer {i}</p>\n")
    return path, template


def child_env(server: DemoServer, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OFFER_TUI_", "TEXTUAL_"))}
    env.update(
        OFFER_TUI_ENDPOINT=server.base_url, OFFER_TUI_IMS_URL=server.ims_url, OFFER_TUI_CLIENT_ID=DEMO_CLIENT_ID,
        OFFER_TUI_CLIENT_SECRET=DEMO_CLIENT_SECRET, OFFER_TUI_IMS_ORG=DEMO_IMS_ORG, OFFER_TUI_SANDBOX=DEMO_SANDBOX,
        OFFER_TUI_CONFIG_DIR=str(home / "config"), OFFER_TUI_STATE_DIR=str(home / "state"),
        PYTHONPATH=str(REPO_ROOT), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


def run_child(argv: list[str], env: dict[str, str]) -> tuple[int, float, dict | None, str]:
    """(exit code, wall seconds, --json summary or None, stderr tail)."""
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "offer_tui", *argv], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.communicate(timeout=900)
    wall = time.monotonic() - started
    summary = None
    if "--json" in argv:
        try:
            summary = json.loads(out)
        except ValueError:
            summary = None
    return child.returncode, wall, summary, err.decode(errors="replace")[-400:]


def peak_rss(argv: list[str], env: dict[str, str]) -> tuple[int, float]:
    """(exit code, peak RSS MiB): run in a wrapper process, so RUSAGE_CHILDREN is this child's alone."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "offer_tui", *argv], env=env,
                         capture_output=True, text=True, timeout=900).stdout.split()
    return int(out[0]), int(out[1]) / 1024


# The reference: the same client posting the same bodies with the same concurrency, and nothing
# else (no file, no validation, no journal, no progress), in a child process of its own. It shows
# what the machine and the demo API cost by themselves; bulk / reference is the engine's overhead.
async def reference_run(base_url: str, ims_url: str, rows: int, concurrency: int) -> float:
    from offer_tui.api import OfferClient
    from offer_tui.api.config import Settings

    settings = Settings(endpoint=base_url, ims_url=ims_url, client_id=DEMO_CLIENT_ID,
                        client_secret=DEMO_CLIENT_SECRET, ims_org=DEMO_IMS_ORG, sandbox=DEMO_SANDBOX)
    client = OfferClient.from_settings(settings)
    numbers = iter(range(1, rows + 1))
    started = time.monotonic()

    async def worker() -> None:
        for i in numbers:
            doc = dict(TEMPLATE, name=f"Reference {i:06d}", rank={"priority": i % 7})
            await client.create_offer(doc, "personalized")

    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await client.aclose()
    return time.monotonic() - started


def reference(server: DemoServer, args, env: dict[str, str]) -> tuple[float, float]:
    """(send seconds, whole child seconds) of the reference loop."""
    started = time.monotonic()
    out = subprocess.run([sys.executable, __file__, "--reference-child", server.base_url, server.ims_url,
                          str(args.rows), str(args.concurrency)], env=env, capture_output=True, text=True,
                         timeout=900).stdout
    return float(out.strip().splitlines()[-1]), time.monotonic() - started


def bulk_once(args, work: Path, run: int) -> dict:
    with DemoServer(latency=args.latency) as server:
        path, template = write_inputs(work, args.rows, f"speed{run}")
        argv = ["bulk", str(path), "--template", str(template), "--concurrency", str(args.concurrency), "--json"]
        code, wall, summary, err = run_child(argv, child_env(server, work))
        if summary is None:
            raise RuntimeError(f"bulk failed (exit {code}): {err}")
        return {"send": summary["elapsed"], "wall": wall, "code": code, "created": summary["created"],
                "stored": len(server.offers), "mints": server.token_mints}


def speed(args, work: Path) -> None:
    """Runs interleaved (bulk, reference, reference, bulk, ...) so machine drift hits both; medians."""
    ideal = args.rows / args.concurrency * args.latency
    bulk, ref = [], []
    for run in range(args.runs):
        order = ("bulk", "ref") if run % 2 == 0 else ("ref", "bulk")
        for what in order:
            if what == "bulk":
                bulk.append(bulk_once(args, work, run))
            else:
                with DemoServer(latency=args.latency) as server:
                    ref.append(reference(server, args, child_env(server, work)))
    send = statistics.median(b["send"] for b in bulk)
    wall = statistics.median(b["wall"] for b in bulk)
    ref_send = statistics.median(r[0] for r in ref)
    print(f"== speed: {args.rows} rows, --concurrency {args.concurrency}, latency {args.latency:g} s, "
          f"median of {args.runs} interleaved runs ==")
    for b in bulk:
        print(f"  bulk run: exit {b['code']}, created {b['created']}, stored {b['stored']}, tokens minted {b['mints']}, "
              f"send {b['send']:.2f} s, whole {b['wall']:.2f} s")
    print(f"  reference runs (send): {', '.join(f'{r[0]:.2f} s' for r in ref)}")
    mints = {b["mints"] for b in bulk}
    print(f"  tokens minted per run: {sorted(mints)} (goal: exactly 1)")
    print(f"  ideal {ideal:.2f} s; bulk send phase {send:.2f} s = {send / ideal:.2f}x ideal "
          f"({'PASS' if send <= 1.25 * ideal else 'MISS'} <= 1.25x)")
    print(f"  bulk whole command (start-up, validation pass, sends) {wall:.2f} s = {wall / ideal:.2f}x ideal")
    print(f"  reference (bare client loop, same concurrency) {ref_send:.2f} s = {ref_send / ideal:.2f}x ideal")
    print(f"  bulk send phase / reference = {send / ref_send:.2f}x (the engine's own overhead)")
    print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def memory(args, work: Path) -> None:
    print(f"== peak RSS: {args.rss_small} rows against {args.rss_large} rows ==")
    results = {}
    for mode in ("dry-run", "real run"):
        for rows in (args.rss_small, args.rss_large):
            with DemoServer() as server:
                path, template = write_inputs(work, rows, f"rss{mode[:3]}")
                argv = ["bulk", str(path), "--template", str(template), "--concurrency", "16"]
                if mode == "dry-run":
                    argv.append("--dry-run")
                started = time.monotonic()
                code, mib = peak_rss(argv, child_env(server, work))
                results[(mode, rows)] = mib
                print(f"  {mode:8} {rows:6d} rows: exit {code}, peak RSS {mib:6.1f} MiB "
                      f"({time.monotonic() - started:.1f} s; {len(server.offers)} stored)")
        ratio = results[(mode, args.rss_large)] / results[(mode, args.rss_small)]
        print(f"  {mode}: {args.rss_large} / {args.rss_small} rows = {ratio:.3f}x "
              f"({'PASS' if ratio <= 1.2 else 'MISS'} <= 1.2x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3, help="speed runs of each (medians)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--rss-small", type=int, default=100)
    parser.add_argument("--rss-large", type=int, default=10_000)
    parser.add_argument("--skip", choices=("speed", "memory"), action="append", default=[])
    parser.add_argument("--reference-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference_child:
        base, ims, rows, concurrency = args.reference_child
        print(asyncio.run(reference_run(base, ims, int(rows), int(concurrency))))
        return 0
    with tempfile.TemporaryDirectory(prefix="offer-tui-bench-bulk-") as tmp:
        work = Path(tmp)
        if "speed" not in args.skip:
            speed(args, work)
        if "memory" not in args.skip:
            memory(args, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
