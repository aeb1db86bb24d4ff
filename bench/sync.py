"""Benchmark: `offer-tui export`, `plan` and `apply` between two demo sandboxes (issue 15).

    python bench/sync.py [--offers 1000] [--collections 50] [--decisions 20] [--latency 0.1]
                         [--concurrency 8] [--rss-small 100] [--rss-large 10000]

1. Speed: the source holds --offers offers, --collections collections and --decisions decisions
   (plus its catalogue); the target only its catalogue, under other ids. Both answer every request
   after --latency seconds. Each command runs as a child process (its own start-up included):
   requests it sent, tokens minted, wall time. For apply, ideal = writes / concurrency x latency.
   Reference, measured in the same run: a bare client loop of the same number of creates at the
   same concurrency against the same latency (what the machine and the demo cost by themselves).
2. Memory: peak RSS (ru_maxrss of the child) of an export of --rss-small and --rss-large offers.

Always exits 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX, DemoServer  # noqa: E402


def child_env(server: DemoServer, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OFFER_TUI_", "TEXTUAL_"))}
    env.update(
        OFFER_TUI_ENDPOINT=server.base_url, OFFER_TUI_IMS_URL=server.ims_url, OFFER_TUI_CLIENT_ID=DEMO_CLIENT_ID,
        OFFER_TUI_CLIENT_SECRET=DEMO_CLIENT_SECRET, OFFER_TUI_IMS_ORG=DEMO_IMS_ORG, OFFER_TUI_SANDBOX=DEMO_SANDBOX,
        OFFER_TUI_CONFIG_DIR=str(home / "config"), OFFER_TUI_STATE_DIR=str(home / "state"),
        PYTHONPATH=str(REPO_ROOT), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


def add_collections(server: DemoServer, count: int) -> None:
    """Collections beyond the demo's 4: any-tags over the catalogue's tags, so they resolve."""
    tags = list(server.state.objects["tags"])
    for i in range(count):
        server.state.add_object("offer-collections", f"dps:offer-collection:bench{i:04d}",
                                {"name": f"Bench collection {i:03d}", "filterType": "any-tags",
                                 "ids": [tags[i % len(tags)], tags[(i + 1) % len(tags)]], "labels": []},
                                created="2024-01-01T00:00:00.000Z", modified="2024-01-01T00:00:00.000Z")


def counts(server: DemoServer) -> dict[str, int]:
    state = server.state
    result = {"offers+fallbacks": len(state.offers)}
    for key in ("offer-collections", "offer-decisions"):
        result[key] = len(state.objects[key])
    return result


def run_child(server: DemoServer, argv: list[str], env: dict[str, str]) -> dict:
    before, mints = len(server.received), server.token_mints
    started = time.monotonic()
    child = subprocess.run([sys.executable, "-m", "offer_tui", *argv], env=env, capture_output=True, text=True,
                           timeout=1800)
    wall = time.monotonic() - started
    sent = server.received[before:]
    api = [r for r in sent if "/ims/" not in r.get("path", "")]
    return {"code": child.returncode, "wall": wall, "requests": len(api),
            "writes": sum(1 for r in api if r["method"] in ("POST", "PATCH", "DELETE")),
            "gets": sum(1 for r in api if r["method"] == "GET"), "mints": server.token_mints - mints,
            "err": child.stderr[-600:], "out": child.stdout}


async def reference_loop(base_url: str, ims_url: str, count: int, concurrency: int) -> float:
    from offer_tui.api import OfferClient
    from offer_tui.api.config import Settings
    from offer_tui.api.library import Library

    settings = Settings(endpoint=base_url, ims_url=ims_url, client_id=DEMO_CLIENT_ID,
                        client_secret=DEMO_CLIENT_SECRET, ims_org=DEMO_IMS_ORG, sandbox=DEMO_SANDBOX)
    client = OfferClient.from_settings(settings)
    library = Library(client)
    await client.list_placements()  # the token, outside the timing
    numbers = iter(range(count))
    started = time.monotonic()

    async def worker() -> None:
        for i in numbers:
            await library.create("tags", {"name": f"Reference {i:06d}"})

    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await client.aclose()
    return time.monotonic() - started


def reference(args, writes: int, home: Path) -> float:
    with DemoServer(latency=args.latency) as server:
        out = subprocess.run([sys.executable, __file__, "--reference-child", server.base_url, server.ims_url,
                              str(writes), str(args.concurrency)], env=child_env(server, home),
                             capture_output=True, text=True, timeout=1800).stdout
    return float(out.strip().splitlines()[-1])


def speed(args, work: Path) -> None:
    folder = work / "library"
    with DemoServer(latency=0, seed_offers=args.offers, seed_decisions=args.decisions) as source, \
            DemoServer(latency=0, id_salt="bench-target") as target:
        add_collections(source, max(0, args.collections - 4))
        source.latency = target.latency = args.latency
        print(f"== export, plan, apply: source {counts(source)}; latency {args.latency:g} s, "
              f"--concurrency {args.concurrency} ==")
        src_env, dst_env = child_env(source, work), child_env(target, work)
        export = run_child(source, ["export", str(folder)], src_env)
        files = sum(1 for _ in folder.rglob("*.json")) - 1
        print(f"  export: exit {export['code']}, {files} files, {export['requests']} requests "
              f"({export['gets']} GET), tokens {export['mints']}, {export['wall']:.2f} s")
        plan = run_child(target, ["plan", str(folder)], dst_env)
        print(f"  plan:   exit {plan['code']}, {plan['requests']} requests ({plan['writes']} writes), "
              f"tokens {plan['mints']}, {plan['wall']:.2f} s; {plan['err'].strip().splitlines()[-1]}")
        apply = run_child(target, ["apply", str(folder), "--yes", "--concurrency", str(args.concurrency)], dst_env)
        ideal = apply["writes"] / args.concurrency * args.latency
        print(f"  apply:  exit {apply['code']}, {apply['requests']} requests ({apply['writes']} writes, "
              f"{apply['gets']} GET), tokens {apply['mints']}, {apply['wall']:.2f} s")
        phase = float(apply["err"].rsplit(" in ", 1)[1].split(" s")[0]) if " in " in apply["err"] else apply["wall"]
        print(f"          ideal (writes / concurrency x latency) {ideal:.2f} s: write phase {phase:.2f} s = "
              f"{phase / ideal:.2f}x ideal; whole command {apply['wall'] / ideal:.2f}x ideal")
        if apply["code"]:
            print(apply["err"])
        print(f"          target now {counts(target)}")
        again = run_child(target, ["plan", str(folder)], dst_env)
        print(f"  re-plan: exit {again['code']}, {again['requests']} requests, {again['wall']:.2f} s; "
              f"{again['err'].strip().splitlines()[-1]}")
    ref = reference(args, apply["writes"], work)
    print(f"  reference (bare client loop, {apply['writes']} creates, same concurrency and latency): "
          f"{ref:.2f} s = {ref / ideal:.2f}x ideal; apply's write phase / reference = {phase / ref:.2f}x")
    print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def peak_rss(argv: list[str], env: dict[str, str]) -> tuple[int, float]:
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "offer_tui", *argv], env=env,
                         capture_output=True, text=True, timeout=1800).stdout.split()
    return int(out[0]), int(out[1]) / 1024


def memory(args, work: Path) -> None:
    print(f"== peak RSS of export: {args.rss_small} offers against {args.rss_large} ==")
    results = {}
    for count in (args.rss_small, args.rss_large):
        with DemoServer(seed_offers=max(count, 30), seed_decisions=0) as server:
            started = time.monotonic()
            code, mib = peak_rss(["export", str(work / f"rss-{count}"), "--kind", "offers"], child_env(server, work))
            files = sum(1 for _ in (work / f"rss-{count}" / "offers").glob("*.json"))
            results[count] = mib
            print(f"  {count:6d} offers: exit {code}, {files} files, peak RSS {mib:6.1f} MiB "
                  f"({time.monotonic() - started:.1f} s)")
    print(f"  {args.rss_large} / {args.rss_small} offers = {results[args.rss_large] / results[args.rss_small]:.3f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--collections", type=int, default=50)
    parser.add_argument("--decisions", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rss-small", type=int, default=100)
    parser.add_argument("--rss-large", type=int, default=10_000)
    parser.add_argument("--skip", choices=("speed", "memory"), action="append", default=[])
    parser.add_argument("--reference-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference_child:
        base, ims, count, concurrency = args.reference_child
        print(asyncio.run(reference_loop(base, ims, int(count), int(concurrency))))
        return 0
    with tempfile.TemporaryDirectory(prefix="offer-tui-bench-") as tmp:
        work = Path(tmp)
        if "speed" not in args.skip:
            speed(args, work)
        if "memory" not in args.skip:
            memory(args, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
