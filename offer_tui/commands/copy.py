"""`offer-tui copy ID... --to-profile PROFILE`: offers from one sandbox into another.

Parses, calls ``offer_tui.service.copy`` (the plan: both catalogues, ids mapped by name and
channel, the target's same-name offers; the run: journaled creates), prints. Nothing is sent when
an id has no match or several. Offers whose name the target already has are skipped (said so)
unless --allow-duplicates. A production target (as `profile list` marks it) asks for the sandbox
name to be typed.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from typing import TextIO

from offer_tui.commands.args import json_flag, offer_type_flag
from offer_tui.commands.progress import concurrency
from offer_tui.exit_codes import EXIT_API, EXIT_INVALID, EXIT_OK, EXIT_USAGE


def add_parsers(sub) -> None:
    p = sub.add_parser("copy", help="copy offers to another profile's sandbox, mapping placements and rules by name",
                       description="Copy offers (by id, or every offer whose name matches --name) from one "
                       "profile's sandbox to another's. Placement, rule and tag ids are mapped by name "
                       "(and channel); nothing is sent while any has no match or several.")
    p.add_argument("ids", nargs="*", metavar="ID", help="offer ids in the source sandbox")
    p.add_argument("--to-profile", required=True, metavar="PROFILE", help="the target profile")
    p.add_argument("--from-profile", metavar="PROFILE", help="the source profile (default: --profile, then the default profile)")
    p.add_argument("--name", metavar="REGEX", help="copy every offer whose name matches this regular expression")
    offer_type_flag(p, name="--type")
    p.add_argument("--dry-run", action="store_true", help="show the mapping and the bodies that would be sent; send nothing")
    p.add_argument("--allow-duplicates", action="store_true", help="copy even when the target has an offer of the same name")
    p.add_argument("--concurrency", type=concurrency, default=4, metavar="N", help="creates in flight at once (1-16, default 4)")
    p.add_argument("--journal", metavar="PATH", help="the journal file (default: one per source, target and selection in the state directory)")
    p.add_argument("--with-dependencies", action="store_true",
                   help="also create the placements, rules, tags (and collections) the selection needs when the target "
                   "lacks them, matched by name (ids of any kind accepted)")
    p.add_argument("--confirm-sandbox", metavar="SANDBOX", help="for a production target without a terminal: its sandbox name, typed in advance")
    json_flag(p, "the mapping and a summary object")


def _offer_type_of(args: argparse.Namespace) -> str | None:
    if args.offer_type:
        return args.offer_type
    kinds = {"fallback" if "fallback-offer" in i else "personalized" for i in args.ids}
    return kinds.pop() if len(kinds) == 1 else ("personalized" if not kinds else None)


def _budget(args) -> float:
    from offer_tui.api.budget import DEFAULT_BUDGET

    return getattr(args, "timeout", None) or DEFAULT_BUDGET  # --timeout / OFFER_TUI_TIMEOUT, resolved by cli.main


def _open(profile: str | None, args):
    import getpass

    from offer_tui.service.copy import open_profile_target

    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    return open_profile_target(profile, budget=_budget(args), prompt=prompt,
                               insecure_storage=bool(getattr(args, "insecure_storage", False)))


def cmd_copy(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.api import ApiError
    from offer_tui.commands.common import print_api_error
    from offer_tui.credentials import CredentialError

    if not args.ids and not args.name:
        print("error: name the offers to copy: ids, or --name REGEX", file=err)
        return EXIT_USAGE
    if getattr(args, "with_dependencies", False):  # a selection plus an in-memory export and apply
        from offer_tui.commands.sync_copy import copy_with_dependencies

        return copy_with_dependencies(args, out, err)
    try:
        pattern = re.compile(args.name) if args.name else None
    except re.error as exc:
        print(f"error: --name is not a valid regular expression: {exc}", file=err)
        return EXIT_USAGE
    offer_type = _offer_type_of(args)
    if offer_type is None:
        print("error: the ids mix personalized and fallback offers: copy each type on its own (--type)", file=err)
        return EXIT_USAGE
    source_profile = args.from_profile or getattr(args, "profile", None)
    try:
        planned, source_label, target = asyncio.run(_plan(args, source_profile, offer_type, pattern))
    except ApiError as error:
        return print_api_error(error, err)
    except CredentialError as error:
        return _credential_error(error, err)
    return _carry_out(args, out, err, planned, source_label, target, offer_type, source_profile)


def _credential_error(error, err: TextIO) -> int:
    print(f"error: {error.message}" + (f"\nhint: {error.hint}" if error.hint else ""), file=err)
    return EXIT_API


async def _plan(args, source_profile: str | None, offer_type: str, pattern):
    """(the plan, the source's label, the target (its client closed)): one event loop, both clients closed."""
    from offer_tui.service.copy import make_plan

    source = _open(source_profile, args)
    try:
        target = _open(args.to_profile, args)
        try:
            planned = await make_plan(source.client, target.client, args.ids, offer_type, pattern)
        finally:
            await target.close()
    finally:
        await source.close()
    return planned, source.label, target


def _carry_out(args, out, err, planned, source_label: str, target, offer_type: str, source_profile: str | None) -> int:
    from offer_tui.bulk.mapping import mapping_rows
    from offer_tui.commands.common import json_text, print_table
    from offer_tui.safe_text import terminal_safe

    plan = planned.plan
    if not plan.offers:
        print("No offers matched: nothing to copy.", file=err)
        return EXIT_INVALID
    print(f"Copy {len(plan.offers)} {offer_type} offer(s) from {source_label} to {target.label}", file=err)
    table = [tuple(terminal_safe(str(c), limit=120, one_line=True) for c in r) for r in mapping_rows(plan.entries)]
    if table and not args.json:
        print_table(table, ("kind", "name", "channel", "source id", "target id"), out)
    if plan.problems:
        for problem in plan.problems:
            print(f"error: {terminal_safe(problem, limit=300, one_line=True)}", file=err)
        print("Nothing was sent: every placement, rule and tag needs exactly one match in the target.", file=err)
        return EXIT_INVALID
    if planned.errors:
        for line in planned.errors:
            print(terminal_safe(line, limit=400, one_line=True), file=err)
        print("Nothing was sent: fix the offers above in the source first.", file=err)
        return EXIT_INVALID
    if args.dry_run:
        skipped = {id(r) for r in planned.existing(args.allow_duplicates)}
        for row in planned.rows:
            if id(row) in skipped:
                print(f"would skip {row.name!r}: already in the target ({', '.join(plan.existing[row.name])})", file=err)
            else:
                print(json_text(row.doc, indent=None), file=out)
        print("dry run: nothing was sent", file=err)
        return EXIT_OK
    if target.production and not _confirmed(args, target, len(planned.rows), err):
        return EXIT_INVALID
    return _send(args, out, err, planned, offer_type, source_profile)


def _confirmed(args, target, count: int, err: TextIO) -> bool:
    sandbox = target.sandbox
    if args.confirm_sandbox is not None:
        typed = args.confirm_sandbox.strip()
    elif sys.stdin is not None and sys.stdin.isatty():
        print(f"{target.label} is production. Type the sandbox name to copy {count} offer(s) into it: ",
              end="", file=err, flush=True)
        typed = sys.stdin.readline().strip()
    else:
        print(f"error: {target.label} is production: run on a terminal to type the sandbox name, "
              f"or pass --confirm-sandbox {sandbox}. Nothing was sent.", file=err)
        return False
    if typed != sandbox:
        print(f"Not copied: {typed!r} is not the sandbox name ({sandbox}). Nothing was sent.", file=err)
        return False
    return True


def _send(args, out, err, planned, offer_type: str, source_profile: str | None) -> int:
    from offer_tui.api import ApiError
    from offer_tui.commands.common import print_api_error
    from offer_tui.commands.progress import run_journaled
    from offer_tui.credentials import CredentialError
    from offer_tui.files import state_dir
    from offer_tui.service.copy import copy_fingerprint, journal_for, journal_meta, run_copy

    path = args.journal or journal_for(state_dir(), source_profile, args.to_profile, offer_type, args.ids, args.name)

    async def go(journal, progress):
        target = _open(args.to_profile, args)  # a fresh client for this event loop (the token is cached)
        try:
            return await run_copy(target.client, planned, offer_type, journal, concurrency=args.concurrency,
                                  allow_duplicates=args.allow_duplicates, on_result=progress.update)
        finally:
            await target.close()

    def run(journal, progress):
        try:
            return 0, asyncio.run(go(journal, progress))
        except ApiError as error:
            return print_api_error(error, err), None
        except CredentialError as error:
            return _credential_error(error, err), None

    return run_journaled(args, out, err, journal_path=path, fingerprint=copy_fingerprint(planned.rows, offer_type),
                         meta={"offer_type": offer_type, **journal_meta(source_profile, args.to_profile, planned.plan)},
                         total=len(planned.rows), run=run, label="copying", verb="copies",
                         extra={"mapping": [e.__dict__ for e in planned.plan.entries]} if args.json else None)


COMMANDS = {"copy": cmd_copy}
