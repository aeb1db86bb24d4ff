"""Benchmark: `offer-tui bulk` against the demo API (issues 10 and 13).

    python bench/bulk.py [--rows 200] [--runs 7] [--concurrency 8] [--latency 0.1] [--rss-small 100] [--rss-large 10000]

1. Bulk overhead (issue 13, section 7): FILE of --rows offers, sent with --concurrency against a
   demo API answering every request after --latency seconds. The reference is a bare
   ``httpx.AsyncClient`` loop (``reference_run``): --concurrency workers posting the same bodies
   to the same server, after minting its token the same way (one IMS request), nothing else. Each
   pair (bulk, reference) runs against one fresh server, the order alternating, and the figure is
   the median of the per-pair ratios: the machine is shared, so only paired figures mean much.
   "bulk" is its send phase as its --json summary reports it (``elapsed``: the token, the listing
   of the target's names, the journal and every create; the process start and the validation
   pass are excluded). Goal: <= 1.10x. Also reported: bulk against the ideal (rows / concurrency x
   latency) and the tokens minted (goal: exactly 1).
2. Names listing (issue 13, section 4): a bulk run lists the target's offer names once before
   sending; the time, the requests and the memory of that listing in a sandbox of --names offers
   (default 10,000), against one page of it.
3. Memory: peak RSS (ru_maxrss of the child) of a dry run and of a real run (latency 0) for
   --rss-small and --rss-large rows. Goal: large <= 1.2x small.

The demo API runs in this process; `offer-tui bulk` and the reference each run as a child
process, so the figures are their own. Always exits 0: a measurement, not a test.
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


# The reference: a bare httpx.AsyncClient, the same bodies, the same concurrency, one token minted
# the same way, and nothing else (no file, no validation, no journal, no listing, no progress), in
# a child process of its own. bulk / reference is the engine's own overhead.
def reference_bodies(rows: int, tag: str) -> list[bytes]:
    """The bodies `bulk` sends for write_inputs(rows, tag): the template with the CSV's three cells."""
    bodies = []
    for i in range(1, rows + 1):
        doc = json.loads(json.dumps(TEMPLATE))
        doc["name"] = f"Bench {tag} {i:06d}"
        doc["rank"]["priority"] = i % 7
        doc["representations"][0]["components"][0]["content"] = f"<p>offer {i}</p>"
        bodies.append(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    return bodies


async def reference_run(base_url: str, ims_url: str, rows: int, concurrency: int, tag: str) -> float:
    import httpx

    from offer_tui.api.config import DEFAULT_SCOPES

    bodies = iter(reference_bodies(rows, tag))
    async with httpx.AsyncClient(timeout=60) as http:
        started = time.monotonic()
        minted = await http.post(ims_url, data={"grant_type": "client_credentials", "client_id": DEMO_CLIENT_ID,
                                                "client_secret": DEMO_CLIENT_SECRET, "scope": DEFAULT_SCOPES})
        minted.raise_for_status()
        headers = {"Authorization": f"Bearer {minted.json()['access_token']}", "x-api-key": DEMO_CLIENT_ID,
                   "x-gw-ims-org-id": DEMO_IMS_ORG, "x-sandbox-name": DEMO_SANDBOX,
                   "Content-Type": "application/json"}
        url = f"{base_url}/offers?offer-type=personalized"

        async def worker() -> None:
            for body in bodies:
                response = await http.post(url, content=body, headers=headers)
                response.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.monotonic() - started


def reference(server: DemoServer, args, env: dict[str, str], tag: str) -> float:
    """Send seconds of the reference loop (timed inside its child)."""
    out = subprocess.run([sys.executable, __file__, "--reference-child", server.base_url, server.ims_url,
                          str(args.rows), str(args.concurrency), tag], env=env, capture_output=True, text=True,
                         timeout=900)
    if out.returncode:
        raise RuntimeError(f"the reference failed: {out.stderr[-400:]}")
    return float(out.stdout.strip().splitlines()[-1])


def bulk_once(server: DemoServer, args, work: Path, tag: str) -> dict:
    path, template = write_inputs(work, args.rows, tag)
    argv = ["bulk", str(path), "--template", str(template), "--concurrency", str(args.concurrency), "--json"]
    mints = server.token_mints
    code, wall, summary, err = run_child(argv, child_env(server, work))
    if summary is None:
        raise RuntimeError(f"bulk failed (exit {code}): {err}")
    return {"send": summary["elapsed"], "wall": wall, "code": code, "created": summary["created"],
            "mints": server.token_mints - mints}


def speed(args, work: Path) -> None:
    """Pairs (bulk, reference) on one fresh server each, order alternating; medians of the ratios."""
    ideal = args.rows / args.concurrency * args.latency
    pairs = []
    for run in range(args.runs):
        order = ("bulk", "ref") if run % 2 == 0 else ("ref", "bulk")
        with DemoServer(latency=args.latency) as server:
            pair = {}
            for what in order:
                if what == "bulk":
                    pair["bulk"] = bulk_once(server, args, work, f"b{run}")
                else:
                    pair["ref"] = reference(server, args, child_env(server, work), f"r{run}")
            pair["stored"] = len(server.offers)
        pairs.append(pair)
    ratios = [p["bulk"]["send"] / p["ref"] for p in pairs]
    send = statistics.median(p["bulk"]["send"] for p in pairs)
    wall = statistics.median(p["bulk"]["wall"] for p in pairs)
    ref_send = statistics.median(p["ref"] for p in pairs)
    ratio = statistics.median(ratios)
    print(f"== bulk overhead: {args.rows} creates, --concurrency {args.concurrency}, latency {args.latency:g} s, "
          f"{args.runs} pairs on one server each, order alternating ==")
    for p, r in zip(pairs, ratios):
        b = p["bulk"]
        print(f"  pair: bulk exit {b['code']}, created {b['created']}, tokens {b['mints']}, send {b['send']:.3f} s; "
              f"reference {p['ref']:.3f} s; stored {p['stored']}; ratio {r:.3f}x")
    mints = {p["bulk"]["mints"] for p in pairs}
    print(f"  tokens minted per bulk run: {sorted(mints)} (goal: exactly 1)")
    print(f"  ideal {ideal:.2f} s; bulk send phase (median) {send:.3f} s = {send / ideal:.2f}x ideal")
    print(f"  reference (bare httpx.AsyncClient, {args.concurrency} workers; median) {ref_send:.3f} s = "
          f"{ref_send / ideal:.2f}x ideal")
    print(f"  bulk / reference, median of paired ratios = {ratio:.3f}x "
          f"({'PASS' if ratio <= 1.10 else 'MISS'} <= 1.10x); range {min(ratios):.3f}-{max(ratios):.3f}")
    print(f"  bulk whole command (start-up, validation pass, sends; median) {wall:.2f} s")
    print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def listing(args) -> None:
    """The name listing a run does first, in a sandbox of --names offers (the demo seeded)."""
    import tracemalloc

    from offer_tui.api import OfferClient
    from offer_tui.demo import demo_settings
    from offer_tui.service.bulk import NAME_PAGE_SIZE, target_names

    async def timed(server, page_size: int | None) -> tuple[float, int, float]:
        client = OfferClient.from_settings(demo_settings(server, with_token=True))
        try:
            before = len(server.received)
            tracemalloc.start()
            started = time.monotonic()
            if page_size is None:
                await client.list_offers_page("personalized", orderby=None, limit=NAME_PAGE_SIZE)
                count = NAME_PAGE_SIZE
            else:
                count = (await target_names(client, "personalized", page_size=page_size)).count
            elapsed = time.monotonic() - started
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            return elapsed, len(server.received) - before, peak if count else 0.0
        finally:
            await client.aclose()

    with DemoServer() as server:
        server.seed(args.names)
        runs = [(asyncio.run(timed(server, None)), asyncio.run(timed(server, NAME_PAGE_SIZE))) for _ in range(3)]
    one = statistics.median(r[0][0] for r in runs)
    whole = statistics.median(r[1][0] for r in runs)
    requests = runs[0][1][1]
    peak = statistics.median(r[1][2] for r in runs)
    print(f"== names listing: {args.names:,} offers in the target, pages of {NAME_PAGE_SIZE} (median of 3) ==")
    print(f"  one page {one:.3f} s; every name {whole:.3f} s in {requests} requests = {whole / one:.1f}x one page; "
          f"peak Python memory {peak:.1f} MiB")


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
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7, help="paired speed runs (medians)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--rss-small", type=int, default=100)
    parser.add_argument("--rss-large", type=int, default=10_000)
    parser.add_argument("--names", type=int, default=10_000, help="offers in the sandbox for the names listing")
    parser.add_argument("--skip", choices=("speed", "listing", "memory"), action="append", default=[])
    parser.add_argument("--reference-child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference_child:
        base, ims, rows, concurrency, tag = args.reference_child
        print(asyncio.run(reference_run(base, ims, int(rows), int(concurrency), tag)))
        return 0
    with tempfile.TemporaryDirectory(prefix="offer-tui-bench-bulk-") as tmp:
        work = Path(tmp)
        if "speed" not in args.skip:
            speed(args, work)
        if "listing" not in args.skip:
            listing(args)
        if "memory" not in args.skip:
            memory(args, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
