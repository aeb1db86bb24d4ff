"""`copy ID... --to-profile P --with-dependencies`: commands/copy.py hands over here. Parse, call
:mod:`offer_tui.sync.copydeps` (the selection and what it needs, planned by name) and
:mod:`offer_tui.sync.apply` (the creates, journaled), print.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path
from typing import TextIO

from offer_tui.commands.sync import _ask, _problems, _safe
from offer_tui.exit_codes import EXIT_API, EXIT_INVALID, EXIT_LOCAL, EXIT_NOT_CONFIRMED, EXIT_OK, EXIT_USAGE


def copy_with_dependencies(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`copy ID... --to-profile P --with-dependencies`: the selection and what it needs, planned
    by name against the target; what the target lacks is created through apply's journal."""
    import getpass

    from offer_tui.api import ApiError
    from offer_tui.api.budget import DEFAULT_BUDGET
    from offer_tui.commands.common import json_text, print_api_error
    from offer_tui.credentials import CredentialError
    from offer_tui.service.copy import open_profile_target
    from offer_tui.sync.copydeps import plan_copy

    if args.allow_duplicates:
        print("error: --allow-duplicates and --with-dependencies do not go together: names are how the "
              "dependencies are matched", file=err)
        return EXIT_USAGE
    try:
        pattern = re.compile(args.name) if args.name else None
    except re.error as exc:
        print(f"error: --name is not a valid regular expression: {exc}", file=err)
        return EXIT_USAGE
    default_kind = "fallbacks" if args.offer_type == "fallback" else "offers"
    budget = getattr(args, "timeout", None) or DEFAULT_BUDGET
    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    source_profile = args.from_profile or getattr(args, "profile", None)

    def open_side(profile):
        return open_profile_target(profile, budget=budget, prompt=prompt,
                                   insecure_storage=bool(getattr(args, "insecure_storage", False)))

    async def go():
        from offer_tui.api.library import Library

        source = open_side(source_profile)
        try:
            target = open_side(args.to_profile)
            try:
                copy = await plan_copy(Library(source.client), Library(target.client), args.ids,
                                       default_kind=default_kind, pattern=pattern)
                return await _copy_carry_out(args, out, err, copy, source, target)
            finally:
                await target.close()
        finally:
            await source.close()

    try:
        code, summary = asyncio.run(go())
    except ApiError as error:
        return print_api_error(error, err)
    except CredentialError as error:
        print(f"error: {error.message}" + (f"\nhint: {error.hint}" if error.hint else ""), file=err)
        return EXIT_API
    if args.json and summary is not None:
        print(json_text(summary, indent=None), file=out)
    return code


async def _copy_carry_out(args, out: TextIO, err: TextIO, copy, source, target) -> tuple[int, dict | None]:
    from offer_tui.bulk.journal import JournalError
    from offer_tui.files import state_dir
    from offer_tui.sync.apply import apply_plan, journal_path, open_journal

    plan = copy.plan
    if not copy.selected:
        print("Nothing matched: nothing to copy.", file=err)
        return EXIT_INVALID, None
    print(f"Copy {len(copy.selected)} object(s) with what they need from {source.label} to {target.label}", file=err)
    if plan.problems:
        return _problems(plan.problems, err), None
    dependencies = set(copy.dependencies)
    for action in plan.actions:
        why = "  (needed, the target lacks it)" if (action.kind, action.name) in dependencies else ""
        live = "  (will be live)" if action.live else ""
        print(f"create    {action.kind}/{_safe(action.name, 200)}{why}{live}", file=err if args.json else out)
    for line in copy.skipped:
        print(f"skipped   {_safe(line, 300)}", file=err)
    summary = {"selected": len(copy.selected), "to_create": len(plan.actions), "dependencies": len(dependencies),
               "skipped": copy.skipped}
    if not plan.actions:
        print("Nothing to copy: the target has all of it.", file=err)
        return EXIT_OK, summary
    if args.dry_run:
        print("dry run: nothing was sent", file=err)
        return EXIT_OK, summary
    if target.production:
        typed = args.confirm_sandbox if args.confirm_sandbox is not None else \
            await asyncio.to_thread(_ask, f"{_safe(target.label, 80)} is production. Type the sandbox name to create "
                                          f"{len(plan.actions)} object(s) in it: ", err)
        if typed is None or typed.strip() != target.sandbox:
            print("Not copied: " + ("no terminal to type the sandbox name on; pass --confirm-sandbox NAME"
                                    if typed is None else f"{_safe(typed, 80)!r} is not the sandbox name")
                  + ". Nothing was sent.", file=err)
            return EXIT_NOT_CONFIRMED, None
    identity = f"{getattr(target.client, '_sandbox', '')}|{getattr(target.client, 'base_url', '')}"
    origin = Path(f"copy-from-{getattr(source.client, '_sandbox', '')}|{getattr(source.client, 'base_url', '')}")
    path = Path(args.journal) if args.journal else journal_path(state_dir(), identity, origin)
    try:
        journal = open_journal(path, identity, origin)
    except JournalError as exc:
        print(f"error: {_safe(exc, 400)}. Nothing was sent.", file=err)
        return EXIT_LOCAL, None

    def show(step) -> None:
        a = step.action
        if step.state == "done":
            print(f"created {a.kind}/{_safe(a.name, 200)} ({step.object_id})", file=err if args.json else out)
        else:
            print(f"{step.state}: {a.kind}/{_safe(a.name, 200)}: {_safe(step.reason, 400)}", file=err)

    try:
        from offer_tui.api.library import Library

        result = await apply_plan(Library(target.client), plan, journal, concurrency=args.concurrency, on_step=show)
    finally:
        journal.close()
    print(f"Copied: {result.count('done')} created, {result.count('refused')} refused, {result.count('unknown')} "
          f"unknown, {result.count('skipped')} not sent; {len(copy.skipped)} already in the target", file=err)
    summary.update(created=result.count("done"), refused=result.count("refused"), unknown=result.count("unknown"),
                   not_sent=result.count("skipped"), exit_code=result.exit_code)
    return result.exit_code, summary
