"""`offer-tui copy ID... --to-profile PROFILE`: offers from one sandbox into another.

Reads the offers from the source profile, maps placement, rule and tag ids by name (and channel)
between the two catalogues, prints the mapping, and stops before sending anything when an id has
no match or several. Offers whose name the target already has are skipped (said so) unless
--allow-duplicates. The creates go through the bulk engine: journal, progress, exit codes.
A production target (as `profile list` marks it) asks for the sandbox name to be typed.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from offer_tui.commands.args import json_flag, offer_type_flag
from offer_tui.exit_codes import EXIT_API, EXIT_INVALID, EXIT_OK, EXIT_USAGE


def add_copy_parser(sub) -> None:
    from offer_tui.commands.bulk import _concurrency

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
    p.add_argument("--concurrency", type=_concurrency, default=4, metavar="N", help="creates in flight at once (1-16, default 4)")
    p.add_argument("--journal", metavar="PATH", help="the journal file (default: one per source, target and selection in the state directory)")
    p.add_argument("--confirm-sandbox", metavar="SANDBOX", help="for a production target without a terminal: its sandbox name, typed in advance")
    json_flag(p, "the mapping and a summary object")


@dataclass
class Target:
    """What the command shows and checks about the two ends (the plan itself is bulk.copy.Plan)."""

    source_label: str
    target_label: str
    sandbox: str
    production: bool


def _client_for(profile: str | None, args: argparse.Namespace, err: TextIO):
    """A client and its resolution for one profile (the same lookup order as every command)."""
    import getpass

    from offer_tui.api import OfferClient
    from offer_tui.credentials import choose_store, detect_keyring, resolve_settings
    from offer_tui.credentials.tokens import KeyringTokenProvider

    store = choose_store(detect_keyring(), insecure_storage=bool(getattr(args, "insecure_storage", False)))
    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    resolution = resolve_settings(profile_flag=profile, store=store, prompt=prompt)
    budget = getattr(args, "timeout", None) or 30.0  # --timeout / OFFER_TUI_TIMEOUT, resolved by cli.main
    provider = KeyringTokenProvider.from_resolution(resolution, timeout=budget)
    return OfferClient.from_settings(resolution.settings, token_provider=provider, budget=budget), resolution


def _label(resolution) -> str:
    return f"{resolution.profile_name or 'environment'} (sandbox {resolution.settings.sandbox})"


def _offer_type_of(args: argparse.Namespace) -> str | None:
    if args.offer_type:
        return args.offer_type
    kinds = {"fallback" if "fallback-offer" in i else "personalized" for i in args.ids}
    return kinds.pop() if len(kinds) == 1 else ("personalized" if not kinds else None)


async def _gather(args, err, source_profile: str | None, offer_type: str, pattern: re.Pattern | None):
    from offer_tui.bulk.copy import plan_copy, read_offers
    from offer_tui.credentials import is_production

    src, src_res = _client_for(source_profile, args, err)
    try:
        dst, dst_res = _client_for(args.to_profile, args, err)
    except BaseException:
        await src.aclose()
        raise
    try:
        offers = await read_offers(src, args.ids, pattern, offer_type)
        plan = await plan_copy(src, dst, offers, offer_type)
    finally:
        await src.aclose()
        await dst.aclose()
    sandbox = dst_res.settings.sandbox or ""
    target = Target(_label(src_res), _label(dst_res), sandbox,
                    is_production(dst_res.profile) or "prod" in sandbox.lower())
    return plan, target


def cmd_copy(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.api import ApiError
    from offer_tui.commands.common import print_api_error
    from offer_tui.credentials import CredentialError

    if not args.ids and not args.name:
        print("error: name the offers to copy: ids, or --name REGEX", file=err)
        return EXIT_USAGE
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
        plan, target = asyncio.run(_gather(args, err, source_profile, offer_type, pattern))
    except ApiError as error:
        return print_api_error(error, err)
    except CredentialError as error:
        print(f"error: {error.message}" + (f"\nhint: {error.hint}" if error.hint else ""), file=err)
        return EXIT_API
    return _carry_out(args, out, err, plan, target, offer_type, source_profile)


def _carry_out(args, out, err, plan, target: Target, offer_type: str, source_profile: str | None) -> int:
    from offer_tui.bulk.copy import build_rows
    from offer_tui.bulk.mapping import mapping_rows
    from offer_tui.commands.common import print_table
    from offer_tui.safe_text import terminal_safe

    if not plan.offers:
        print("No offers matched: nothing to copy.", file=err)
        return EXIT_INVALID
    print(f"Copy {len(plan.offers)} {offer_type} offer(s) from {target.source_label} to {target.target_label}", file=err)
    table = [tuple(terminal_safe(str(c), limit=120, one_line=True) for c in r) for r in mapping_rows(plan.entries)]
    if table and not args.json:
        print_table(table, ("kind", "name", "channel", "source id", "target id"), out)
    if plan.problems:
        for problem in plan.problems:
            print(f"error: {terminal_safe(problem, limit=300, one_line=True)}", file=err)
        print("Nothing was sent: every placement, rule and tag needs exactly one match in the target.", file=err)
        return EXIT_INVALID
    rows, errors = build_rows(plan, offer_type)
    if errors:
        for line in errors:
            print(terminal_safe(line, limit=400, one_line=True), file=err)
        print("Nothing was sent: fix the offers above in the source first.", file=err)
        return EXIT_INVALID
    if args.dry_run:
        for row in rows:
            if row.name in plan.existing and not args.allow_duplicates:
                print(f"would skip {row.name!r}: already in the target ({', '.join(plan.existing[row.name])})", file=err)
            else:
                from offer_tui.commands.common import json_text

                print(json_text(row.doc, indent=None), file=out)
        print("dry run: nothing was sent", file=err)
        return EXIT_OK
    if target.production and not _confirmed(args, target, len(rows), err):
        return EXIT_INVALID
    return _send(args, out, err, plan, rows, offer_type, source_profile)


def _confirmed(args, target: Target, count: int, err: TextIO) -> bool:
    sandbox = target.sandbox
    if args.confirm_sandbox is not None:
        typed = args.confirm_sandbox.strip()
    elif sys.stdin is not None and sys.stdin.isatty():
        print(f"{target.target_label} is production. Type the sandbox name to copy {count} offer(s) into it: ",
              end="", file=err, flush=True)
        typed = sys.stdin.readline().strip()
    else:
        print(f"error: {target.target_label} is production: run on a terminal to type the sandbox name, "
              f"or pass --confirm-sandbox {sandbox}. Nothing was sent.", file=err)
        return False
    if typed != sandbox:
        print(f"Not copied: {typed!r} is not the sandbox name ({sandbox}). Nothing was sent.", file=err)
        return False
    return True


def _send(args, out, err, plan, rows: list, offer_type: str, source_profile: str | None) -> int:
    from offer_tui.bulk.copy import copy_fingerprint, copy_journal_path, skip_existing
    from offer_tui.commands.bulk import run_journaled
    from offer_tui.files import state_dir

    journal = Path(args.journal) if args.journal else copy_journal_path(
        state_dir(), source_profile, args.to_profile, offer_type, sorted(args.ids), args.name)
    journal.parent.mkdir(parents=True, exist_ok=True, mode=0o700)

    def said(row, reason: str) -> None:
        print(f"row {row.number}: skipped {row.name!r}: {reason}; --allow-duplicates copies it anyway", file=err)

    async def before(client, journal_, engine):
        return await skip_existing(rows, plan, journal_, engine, allow_duplicates=args.allow_duplicates, on_skip=said)

    target_args = argparse.Namespace(**{**vars(args), "profile": args.to_profile})
    return run_journaled(target_args, out, err, source=None, rows=None, invalid=(), total=len(rows),
                         offer_type=offer_type, fingerprint=copy_fingerprint(rows, offer_type), journal_path=journal,
                         meta={"copy": {"from": source_profile, "to": args.to_profile}, "existed": plan.existed_ids},
                         before=before, label="copying",
                         extra={"mapping": [e.__dict__ for e in plan.entries]} if args.json else None)
