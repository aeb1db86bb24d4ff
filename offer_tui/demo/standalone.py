"""Running the demo server on its own (``offer-tui demo-server``) and pointing settings at it."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING, Protocol, TextIO

from .data import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX
from .seed import DEMO_OFFERS
from .server import DemoServer

if TYPE_CHECKING:
    from offer_tui.api.config import Settings


class _Waitable(Protocol):
    def wait(self, timeout: float | None = None) -> bool: ...


def demo_settings(server: DemoServer, *, with_token: bool = False) -> "Settings":
    """Settings that point at ``server`` with the demo credentials.

    ``with_token=True`` also fills ``access_token`` with a freshly issued token,
    the way a user who pastes a token would run.
    """
    from offer_tui.api.config import Settings  # lazy: keeps the demo importable on its own

    return Settings(
        endpoint=server.base_url,
        ims_url=server.ims_url,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        access_token=server.issue_token() if with_token else None,
        ims_org=DEMO_IMS_ORG,
        sandbox=DEMO_SANDBOX,
    )


def banner(server: DemoServer) -> str:
    lines = [
        f"offer-tui demo server listening on {server.url} (this machine only; demo data in memory)",
        f"  API endpoint:  {server.base_url}",
        f"  IMS token URL: {server.ims_url}",
    ]
    count = len(server.offers)
    realistic = min(count, DEMO_OFFERS)
    detail = f" ({realistic} realistic, {count - realistic:,} synthetic)" if count > DEMO_OFFERS else ""
    lines.append(f"  Offers:        {count:,}{detail}")
    objects = server.state.objects
    lines.append(f"  Library:       {len(objects['offer-decisions']):,} decisions, "
                 f"{len(objects['offer-collections'])} collections, {len(objects['placements'])} placements, "
                 f"{len(objects['offer-rules'])} rules, {len(objects['tags'])} tags")
    if server.latency:
        lines.append(f"  Simulated latency: {server.latency:g} s per request")
    lines += [
        "",
        "Demo credentials (they open only this demo server):",
        f"  export OFFER_TUI_ENDPOINT={server.base_url}",
        f"  export OFFER_TUI_IMS_URL={server.ims_url}",
        f"  export OFFER_TUI_CLIENT_ID={DEMO_CLIENT_ID}",
        f"  export OFFER_TUI_CLIENT_SECRET={DEMO_CLIENT_SECRET}",
        f"  export OFFER_TUI_IMS_ORG={DEMO_IMS_ORG}",
        f"  export OFFER_TUI_SANDBOX={DEMO_SANDBOX}",
        "",
        "Press Ctrl+C to stop.",
    ]
    return "\n".join(lines) + "\n"


def run_standalone(
    port: int = 0,
    latency: float = 0.0,
    out: TextIO = sys.stdout,
    *,
    stop_event: _Waitable | None = None,
    fail: tuple[int, int] | None = None,
    rate_limit: int = 0,
    offers: int = DEMO_OFFERS,
    id_salt: str | None = None,
    decisions: int | None = None,
) -> int:
    """Start the server, print where it is and how to use it, block until Ctrl+C.

    ``stop_event`` lets tests (or an embedding program) end the wait without a
    signal. Returns 0 after a clean stop; Ctrl+C never shows a traceback.
    """
    server = DemoServer(port=port, latency=latency, seed_offers=offers, id_salt=id_salt,
                        seed_decisions=decisions).start()
    if fail is not None:
        # Writes only: the library's reads (list, get, the check by name) must work, so that the
        # app's answer to a failed create, PATCH or DELETE can be seen and verified.
        server.fail_next(fail[0], times=fail[1], path_prefix="/offers", method=("POST", "PATCH", "DELETE"))
    if rate_limit:
        server.rate_limit_next(times=rate_limit, retry_after=2, path_prefix="/placements")
    try:
        out.write(banner(server))
        out.flush()
        event = stop_event if stop_event is not None else threading.Event()
        # Short waits keep the main thread responsive to Ctrl+C on every platform.
        while not event.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    out.write("Demo server stopped.\n")
    out.flush()
    return 0


def _failure_spec(text: str) -> tuple[int, int]:
    status, _, times = text.lower().partition("x")
    try:
        code, count = int(status), int(times or 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: use STATUS or STATUSxN, like 503 or 503x2") from None
    if not 400 <= code <= 599 or count < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: STATUS must be 400-599 and N at least 1")
    return code, count


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    """``offer-tui demo-server [--port N] [--latency S] [--offers N] [--decisions N] [--fail ...] [--rate-limit N]``."""
    parser = argparse.ArgumentParser(prog="offer-tui demo-server",
                                     description="Run the local stand-in for the Offer Library API.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to wait before each answer")
    parser.add_argument("--fail", metavar="STATUS[xN]", type=_failure_spec,
                        help="answer the next N writes to /offers (create, PATCH, DELETE) with STATUS "
                             "(e.g. 503x2), to show error handling; reads are served")
    parser.add_argument("--rate-limit", metavar="N", type=int, default=0,
                        help="answer the next N placement requests with 429 and Retry-After: 2")
    parser.add_argument("--offers", metavar="N", type=int, default=DEMO_OFFERS,
                        help=f"start with N offers: the {DEMO_OFFERS} realistic ones, then synthetic ones "
                             f"(default {DEMO_OFFERS}; 10000 is Adobe's per-sandbox limit)")
    parser.add_argument("--decisions", metavar="N", type=int, default=None,
                        help="start with N decisions: the 3 realistic ones, then synthetic ones (default 3; "
                             "1000 for scale); needs the realistic offers (--offers 30 or more)")
    parser.add_argument("--id-salt", metavar="WORD",
                        help="serve the same catalogue names under other ids: a second sandbox, to try `copy`")
    args = parser.parse_args(argv)
    if not 0 <= args.offers <= 100_000:
        parser.error("--offers must be between 0 and 100000")
    if args.decisions is not None and not 0 <= args.decisions <= 10_000:
        parser.error("--decisions must be between 0 and 10000 (Adobe's per-sandbox limit)")
    if args.decisions and args.offers < DEMO_OFFERS:
        parser.error(f"--decisions needs the {DEMO_OFFERS} realistic offers: --offers {DEMO_OFFERS} or more")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    if args.latency < 0:
        parser.error("--latency cannot be negative")
    try:
        return run_standalone(args.port, args.latency, out, fail=args.fail, rate_limit=args.rate_limit,
                              offers=args.offers, id_salt=args.id_salt, decisions=args.decisions)
    except OSError as exc:
        print(f"offer-tui demo-server: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
