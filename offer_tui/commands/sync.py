"""`export`, `plan`, `apply`: the Offer Library as files, Terraform's way. Parse, call, print.

The work is in :mod:`offer_tui.sync` (no printing there). Exit codes: 0 done (or nothing to do),
1 the folder has problems (nothing sent), 3 refused, 4 an outcome unknown (run apply again: it
looks before it resends), 5 not confirmed, 8 stopped partway.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path
from typing import Any, TextIO

from offer_tui.commands.args import profile_flag
from offer_tui.exit_codes import EXIT_API, EXIT_INVALID, EXIT_LOCAL, EXIT_NOT_CONFIRMED, EXIT_OK, EXIT_USAGE
from offer_tui.safe_text import terminal_safe

KIND_HELP = "tags, placements, rules, offers, fallbacks, collections, decisions"


def _kind(text: str) -> str:
    from offer_tui.model.kinds import kind_named

    found = kind_named(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"unknown kind {text!r}; use one of: {KIND_HELP}")
    return found.word


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 16:
        raise argparse.ArgumentTypeError("must be 1 to 16")
    return value


def add_parsers(sub) -> None:
    p = sub.add_parser("export", help="write a sandbox's objects to DIR/<kind>/<name>.json, ids as @kind/name")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--kind", action="append", type=_kind, default=[], metavar="KIND",
                   help=f"only this kind (repeatable): {KIND_HELP}")
    p.add_argument("--name", metavar="REGEX", help="only objects whose name matches REGEX")
    profile_flag(p)

    p = sub.add_parser("plan", help="what apply would do to a sandbox: create, update (the patch), unchanged")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--json", action="store_true", help='one object per line: {"kind","name","action","patch"}')
    p.add_argument("--as-draft", action="store_true", help="plan as apply --as-draft would do it")
    p.add_argument("--prune", action="store_true", help="also list the deletes apply --prune would send")
    profile_flag(p)

    p = sub.add_parser("apply", help="make a sandbox hold what DIR holds (creates and updates; deletes with --prune)")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--yes", action="store_true", help="do not ask (a production target still needs --confirm-sandbox)")
    p.add_argument("--confirm-sandbox", metavar="NAME", help="for a production target without a terminal: its sandbox name")
    p.add_argument("--concurrency", type=_concurrency, default=4, metavar="N", help="writes in flight at once (1-16, default 4)")
    p.add_argument("--as-draft", action="store_true", help="create approved offers and live decisions as drafts; change no status")
    p.add_argument("--prune", action="store_true", help="delete the exported kinds' objects the folder lacks, dependents first")
    p.add_argument("--journal", metavar="PATH", help="the journal (default: one per target and folder in the state directory)")
    profile_flag(p)

    sub.add_parser("sandboxes", help="two profiles side by side, every object of every kind; mark and apply (a TUI)")


def _safe(text: Any, limit: int = 300) -> str:
    return terminal_safe(str(text), limit=limit, one_line=True)


# -- export ------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.api.library import Library
    from offer_tui.commands.common import run_api
    from offer_tui.sync.export import export

    try:
        pattern = re.compile(args.name) if args.name else None
    except re.error as exc:
        print(f"error: --name is not a valid regular expression: {exc}", file=err)
        return EXIT_USAGE

    def progress(word: str, done: int) -> None:
        print(f"{word}: {done} read", file=err, flush=True)

    async def go(client):
        return await export(Library(client), args.dir, kinds=args.kind, pattern=pattern, on_progress=progress)

    try:
        code, result = run_api(args, err, go)
    except OSError as exc:
        print(f"error: {args.dir}: cannot write ({exc.strerror or exc}); files already written are whole", file=err)
        return EXIT_API
    if code != EXIT_OK:
        return code
    for word, c in result.counts.items():
        removed = f", {c.removed} removed (no longer in the source)" if c.removed else ""
        print(f"{word}: {c.written} written, {c.unchanged} unchanged{removed}", file=out)
    for note in result.notes:
        print(f"note: {_safe(note, 400)}", file=err)
    if result.more_notes:
        print(f"note: ... and {result.more_notes} more", file=err)
    for dup in result.duplicates:
        print(f"warning: {_safe(dup, 400)}", file=err)
    print(f"Exported {result.total} object(s) to {args.dir}", file=err)
    return EXIT_OK


# -- plan --------------------------------------------------------------------------------------


def _folder(args, err: TextIO):
    from offer_tui.sync.folder import read_folder

    folder = read_folder(args.dir)
    return folder


def print_plan(plan, out: TextIO, err: TextIO, *, as_json: bool) -> None:
    from offer_tui.commands.common import json_text

    for action in plan.actions:
        if as_json:
            print(json_text(action.as_json(), indent=None), file=out)
            continue
        live = "  (will be live)" if action.live else ""
        where = f" ({action.target_id})" if action.action == "delete" else ""
        print(f"{action.action:<9} {action.kind}/{_safe(action.name, 200)}{where}{live}", file=out)
        for line in action.lines:
            print(f"            {line}", file=out)
    counts = plan.counts
    summary = (f"Plan: {counts['create']} to create, {counts['update']} to update, "
               f"{counts['unchanged']} unchanged" + (f", {counts['delete']} to delete" if counts["delete"] else ""))
    print(summary if plan.changes else f"{summary}: nothing to do.", file=err)


def _plan(args, err: TextIO, folder):
    from offer_tui.api.library import Library
    from offer_tui.commands.common import run_api
    from offer_tui.sync.plan import make_plan

    async def go(client):
        plan = await make_plan(Library(client), folder, as_draft=args.as_draft, prune=args.prune)
        return plan, client

    return run_api(args, err, go)


def _problems(problems: list[str], err: TextIO) -> int:
    for line in problems:
        print(_safe(line, 500), file=err)
    print(f"Nothing was planned or sent: {len(problems)} problem(s) above.", file=err)
    return EXIT_INVALID


def cmd_plan(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    folder = _folder(args, err)
    if folder.problems:
        return _problems(folder.problems, err)
    code, result = _plan(args, err, folder)
    if code != EXIT_OK:
        return code
    plan, _client = result
    if plan.problems:
        return _problems(plan.problems, err)
    print_plan(plan, out, err, as_json=args.json)
    return EXIT_OK


# -- apply -------------------------------------------------------------------------------------


def _ask(prompt: str, err: TextIO) -> str | None:
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        return None
    print(prompt, end="", file=err, flush=True)
    return stdin.readline().rstrip("\r\n")


def _production(client) -> tuple[bool, str]:
    from offer_tui.credentials import is_production

    resolution = getattr(client, "resolution", None)
    sandbox = (resolution.settings.sandbox if resolution is not None else None) or ""
    profile = resolution.profile if resolution is not None else None
    return bool(profile and is_production(profile)) or "prod" in sandbox.lower(), sandbox


def confirm(args, plan, client, err: TextIO) -> bool:
    """Production: the sandbox name typed (or --confirm-sandbox). Otherwise --yes or "y"; deletes
    are confirmed as one list, by typing their count."""
    production, sandbox = _production(client)
    deletes = plan.count("delete")
    if production:
        typed = args.confirm_sandbox if args.confirm_sandbox is not None else \
            _ask(f"Production sandbox {_safe(sandbox, 80)!r}: type its name to apply {len(plan.changes)} change(s): ", err)
        if typed is None:
            print("Not applied: this is a production target; type the sandbox name on a terminal, or pass "
                  "--confirm-sandbox NAME. Nothing was sent.", file=err)
            return False
        if typed.strip() != sandbox:
            print(f"Not applied: {_safe(typed, 80)!r} is not the sandbox name. Nothing was sent.", file=err)
            return False
        return True
    if args.yes:
        return True
    if deletes:
        typed = _ask(f"Type {deletes} to delete the {deletes} object(s) listed above and apply the rest: ", err)
        expected = str(deletes)
    else:
        typed = _ask(f"Apply {len(plan.changes)} change(s) to sandbox {_safe(sandbox, 80)!r}? [y/N] ", err)
        expected = "y"
    if typed is None:
        print("Not applied: no terminal to confirm on; pass --yes. Nothing was sent.", file=err)
        return False
    if typed.strip().lower() not in (expected, "yes" if expected == "y" else expected):
        print("Not applied. Nothing was sent.", file=err)
        return False
    return True


def _target_label(client) -> str:
    # The sandbox, not the profile: two profiles (or env variables) that reach one sandbox share it.
    return f"{getattr(client, '_sandbox', '')}|{getattr(client, 'base_url', '')}"


def cmd_apply(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.api.library import Library
    from offer_tui.bulk.journal import JournalError
    from offer_tui.commands.common import run_api
    from offer_tui.files import state_dir
    from offer_tui.sync.apply import apply_plan, journal_path, open_journal
    from offer_tui.sync.plan import make_plan

    folder = _folder(args, err)
    if folder.problems:
        return _problems(folder.problems, err)

    def show(step) -> None:
        a = step.action
        ident = f" ({step.object_id})" if step.object_id else ""
        how = {"create": "created", "update": "updated", "delete": "deleted"}[a.action]
        text = f"{how} {a.kind}/{_safe(a.name, 200)}{ident}" if step.state == "done" else \
            f"{step.state}: {a.action} {a.kind}/{_safe(a.name, 200)}{ident}"
        if step.reason:
            text += f": {_safe(step.reason, 400)}"
        print(text, file=out if step.state == "done" else err, flush=True)

    async def go(client):
        library = Library(client)
        plan = await make_plan(library, folder, as_draft=args.as_draft, prune=args.prune)
        if plan.problems:
            return _problems(plan.problems, err)
        print_plan(plan, out, err, as_json=False)
        if not plan.changes:
            return EXIT_OK
        if not await asyncio.to_thread(confirm, args, plan, client, err):
            return EXIT_NOT_CONFIRMED
        target = _target_label(client)
        path = Path(args.journal) if args.journal else journal_path(state_dir(), target, Path(args.dir))
        try:
            journal = open_journal(path, target, Path(args.dir))
        except JournalError as exc:
            print(f"error: {_safe(exc, 400)}. Nothing was sent.", file=err)
            return EXIT_LOCAL
        for problem in getattr(journal, "problems", ()):
            print(f"warning: {_safe(problem, 400)}", file=err)
        try:
            result = await apply_plan(library, plan, journal, concurrency=args.concurrency, on_step=show)
        finally:
            journal.close()
        done = result.count("done")
        print(f"Applied: {done} done, {result.count('refused')} refused, {result.count('unknown')} unknown, "
              f"{result.count('skipped')} not sent; {result.writes} write request(s) in {result.elapsed:.1f} s", file=err)
        if result.stopped:
            print(f"stopped early: {_safe(result.stopped, 300)}", file=err)
        if result.exit_code != EXIT_OK:
            print(f"hint: run the same apply again: it plans again, looks up what may exist by name, and sends "
                  f"only what is missing (journal {path})", file=err)
        return result.exit_code

    code, result = run_api(args, err, go)
    return result if code == EXIT_OK else code


def cmd_sandboxes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.ui.sandboxes_app import SandboxesApp

    SandboxesApp().run()
    return EXIT_OK




COMMANDS = {"export": cmd_export, "plan": cmd_plan, "apply": cmd_apply, "sandboxes": cmd_sandboxes}
