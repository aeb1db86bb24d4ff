"""`offer-tui preview DECISION --placement P --identity NS:VALUE`: what a profile gets, and why not the rest.

No Textual here; the work is :func:`offer_tui.service.preview.preview_decision`. Exit codes as
for reads: 0 answered, 1 the input cannot be asked (unknown or ambiguous name, bad count or
identity: nothing sent), 3 the API or the network refused. A preview never leaves an unknown
outcome behind: it changes nothing in the library.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from offer_tui.commands.args import profile_flag
from offer_tui.exit_codes import EXIT_INVALID, EXIT_OK

CAPPING_NOTE = ("note: a preview is a real decision request: it may count toward capping and reporting like a "
                "real visit (--dry-run sends xdm:dryRun, which Adobe does not confirm for this endpoint)")


def add_parsers(sub) -> None:
    p = sub.add_parser("preview", help="which offers a decision gives a profile on a placement, ranked, and why "
                                       "not the others (the Decisioning API)")
    p.add_argument("decision", metavar="DECISION", help="the decision's id or exact name")
    p.add_argument("--placement", required=True, metavar="PLACEMENT", help="the placement's id or exact name")
    p.add_argument("--identity", action="append", required=True, metavar="NAMESPACE:VALUE",
                   help="a profile identity, e.g. Email:jane@example.com (repeat for more; the first is primary)")
    p.add_argument("--count", type=int, default=None, metavar="N",
                   help="offers to ask for, 1 to 30 (default: the placement's itemCount, or 1)")
    p.add_argument("--dry-run", action="store_true",
                   help="send xdm:dryRun: true (asks the service not to count the request; unconfirmed for this endpoint)")
    p.add_argument("--json", action="store_true", help="print the service's answer as returned")
    profile_flag(p)


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def cmd_preview(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.commands.common import json_text, print_table, run_api, safe_cell
    from offer_tui.service.preview import PreviewInputError, check_inputs, preview_decision

    try:
        check_inputs(args.count, args.identity)
    except PreviewInputError as error:
        print(f"error: {safe_cell(error.message, 400)}", file=err)
        if error.hint:
            print(f"hint: {error.hint}", file=err)
        return EXIT_INVALID
    refused: list[PreviewInputError] = []

    async def go(client):
        try:
            return await preview_decision(client, args.decision, args.placement, args.identity,
                                          count=args.count, dry_run=args.dry_run)
        except PreviewInputError as error:
            refused.append(error)
            return None

    code, result = run_api(args, err, go)
    if refused:
        error = refused[0]
        print(f"error: {safe_cell(error.message, 400)}", file=err)
        for match_id, name in error.matches:
            print(f"  {safe_cell(match_id)}  {safe_cell(name)}", file=err)
        if error.hint:
            print(f"hint: {safe_cell(error.hint, 400)}", file=err)
        return EXIT_INVALID
    if code != EXIT_OK:
        return code
    if not args.dry_run:  # once, and only when a request was answered (so it was sent)
        print(CAPPING_NOTE, file=err)
    if args.json:
        print(json_text(result.answer.raw), file=out)
        return EXIT_OK
    print(f"{safe_cell(result.decision_name)} on {safe_cell(result.placement_name)} for "
          f"{safe_cell(', '.join(str(i) for i in result.identities))} (count {result.count})", file=out)
    if result.offers:
        print_table([(o.rank, o.name, o.id, _score(o.score), o.excerpt) for o in result.offers],
                    ("rank", "name", "id", "score", "content"), out)
    elif result.fallback is not None:
        print(f"fallback: {safe_cell(result.fallback.name) or '(name unknown)'} ({safe_cell(result.fallback.id)})",
              file=out)
        if result.fallback.excerpt:
            print(f"  {result.fallback.excerpt}", file=out)
    else:
        print("no offer and no fallback in the answer", file=out)
    if result.why_not:
        print("why not the others:", file=out)
        for item in result.why_not:
            print(f"  {safe_cell(item.name)} ({safe_cell(item.id)}): {safe_cell(item.reason)}", file=out)
    return EXIT_OK


COMMANDS = {"preview": cmd_preview}
