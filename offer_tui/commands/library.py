"""The library commands: list, get, update, delete (every kind), set-status (offers).

No Textual here. Reads are retried by the client; PATCH and DELETE are sent once, and
after an unknown outcome the object is read again and the user told what the server
now holds (offer_tui/api/settle.py has the rule, service/objects.py applies it to every
kind). Exit codes: 0 done, 1 invalid input (nothing sent), 3 refused or not done (nothing
changed), 4 cannot tell, 5 not confirmed, 7 in use (a delete others depend on).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from offer_tui.commands.args import json_flag, offer_type_flag, profile_flag
from offer_tui.commands.common import (
    print_outcome,
    print_report,
    run_api,
)
from offer_tui.commands.kinds import read_current as _read_current
from offer_tui.commands.library_list import DEFAULT_TABLE_LIMIT, cmd_list
from offer_tui.commands.library_text import cell
from offer_tui.exit_codes import EXIT_API, EXIT_INVALID, EXIT_OK
from offer_tui.model.kinds import KINDS, kind_words
from offer_tui.model import (
    STATUSES,
    OfferFileError,
    guess_offer_type,
    load_offer_file,
    strip_server_fields,
)


def _type_flag(p: argparse.ArgumentParser, allow_all: bool = False) -> None:
    if not allow_all:
        offer_type_flag(p, name="--type")
        return
    p.add_argument("--type", dest="offer_type", choices=("personalized", "fallback", "all"), default=None,
                   help="personalized (default), fallback, or all (both, merged newest first)")


ALL_STATUSES = tuple(dict.fromkeys(s for k in KINDS for s in k.statuses))


def _kind_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", metavar="KIND", default=None,
                   help=f"the kind of ID when its prefix does not say: {kind_words()}")


def add_parsers(sub) -> None:
    p = sub.add_parser("list", help="list offers (newest first) or any kind: list KIND (a table, or JSON Lines with --json)")
    p.add_argument("kind", metavar="KIND", nargs="?", default=None,
                   help=f"what to list: {kind_words()} (singular too; default: personalized offers)")
    _type_flag(p, allow_all=True)
    p.add_argument("--name", metavar="TEXT", help="only objects whose name contains TEXT (any case, taken literally)")
    p.add_argument("--status", choices=ALL_STATUSES, help="only objects with this status (offers: draft, approved, "
                                                          "archived; decisions: draft, live, archived)")
    p.add_argument("--limit", metavar="N", type=int, default=None,
                   help=f"stop after N offers (default {DEFAULT_TABLE_LIMIT} in a table, all with --json)")
    p.add_argument("--json", action="store_true", help="print JSON Lines: one offer per line, as the server returned it")
    profile_flag(p)

    p = sub.add_parser("get", help="show one object of any kind, its references by name (as the server returned it with --json)")
    p.add_argument("offer_id", metavar="ID")
    _type_flag(p)
    _kind_flag(p)
    json_flag(p, "the offer")
    profile_flag(p)

    p = sub.add_parser("update", help="send the changes from the server's object to FILE as one JSON Patch")
    p.add_argument("offer_id", metavar="ID")
    p.add_argument("file", metavar="FILE", help="a body of the object's kind, or what 'get --json' printed, edited")
    _type_flag(p)
    _kind_flag(p)
    p.add_argument("--dry-run", action="store_true", help="print the patch; send nothing")
    p.add_argument("--force", action="store_true",
                   help="send even though the offer changed on the server since FILE was fetched")
    profile_flag(p)

    p = sub.add_parser("set-status", help="change an offer's status (one PATCH of /status)")
    p.add_argument("offer_id", metavar="ID")
    p.add_argument("status", choices=STATUSES)
    _type_flag(p)
    profile_flag(p)

    p = sub.add_parser("delete", help="delete an object of any kind (type its name to confirm, or --yes); refused while in use")
    p.add_argument("offer_id", metavar="ID")
    _type_flag(p)
    _kind_flag(p)
    p.add_argument("--yes", action="store_true", help="do not ask for the object's name")
    p.add_argument("--force", action="store_true",
                   help="delete even though other objects reference it (they are listed; exit 7 without --force)")
    p.add_argument("--confirm-sandbox", metavar="NAME",
                   help="for a production profile without a terminal: the sandbox name you would type")
    profile_flag(p)


def kind_for(args: argparse.Namespace, err: TextIO):
    """The kind of ``args.offer_id``: --kind, else --type (an offer), else the id's prefix; None
    after saying that --kind is needed (and listing the kinds). For an offer kind,
    ``args.offer_type`` is set so the offers' code below runs unchanged."""
    from offer_tui.commands.kinds import kind_or_error
    from offer_tui.model.kinds import kind as kind_word

    if not getattr(args, "kind", None) and args.offer_type:
        return kind_word("fallbacks" if args.offer_type == "fallback" else "offers")
    kind = kind_or_error(args.offer_id, getattr(args, "kind", None), err)
    if kind is not None and kind.offer_type is not None:
        if args.offer_type and args.offer_type != kind.offer_type:
            print(f"error: --kind {kind.word} and --type {args.offer_type} disagree", file=err)
            return None
        args.offer_type = kind.offer_type
    return kind


def offer_type_for(args: argparse.Namespace, offer_id: str) -> str:
    """--type, else what the id says (dps:fallback-offer:...), else personalized."""
    return args.offer_type or guess_offer_type({"id": offer_id}) or "personalized"


# -- get -------------------------------------------------------------------------


def cmd_get(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    kind = kind_for(args, err)
    if kind is None:
        return EXIT_INVALID
    from offer_tui.commands.kinds import get_kind

    if kind.offer_type is not None:
        from offer_tui.service.offers import kind_of

        kind = kind_of(offer_type_for(args, args.offer_id))
    return get_kind(args, kind, out, err)


# -- writes ------------------------------------------------------------------------
# The service sends each write once and settles an unknown outcome (offer_tui/service/offers.py);
# these commands ask, call and print.


async def _patch(client, args, err: TextIO, out: TextIO, offer_type: str, before: dict[str, Any], ops: list) -> int:
    from offer_tui.service import offers

    outcome = await offers.patch(client, args.offer_id, offer_type, before=before, ops=ops)
    return print_outcome(outcome, out, err)


def _noun(kind) -> str:
    return "offer" if kind.offer_type is not None else kind.singular


def cmd_update(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """update ID FILE for every kind: one JSON Patch of the changed fields, after the etag check
    and the check of every reference the edit adds."""
    from offer_tui.model.kind_shape import validate_object
    from offer_tui.model.patch import make_edit_patch, patch_lines

    kind = kind_for(args, err)
    if kind is None:
        return EXIT_INVALID
    noun = _noun(kind)
    try:
        doc = load_offer_file(args.file)
    except OfferFileError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_INVALID
    file_id = doc.get("id")
    if isinstance(file_id, str) and file_id != args.offer_id:
        print(f"error: {args.file} holds {noun} {cell(file_id, 80)}, not {args.offer_id}: nothing was sent", file=err)
        print(f"hint: remove its \"id\" line to apply it to this {noun} anyway", file=err)
        return EXIT_INVALID
    if kind.offer_type is not None:
        from offer_tui.service.offers import kind_of

        args.offer_type = args.offer_type or guess_offer_type({"id": args.offer_id}) or guess_offer_type(doc) or "personalized"
        kind = kind_of(args.offer_type)
    edited = strip_server_fields(doc)[0]
    report = validate_object(kind, edited)
    if not report.ok:
        print_report(report, err)
        print(f"{args.file}: not sent: fix the {len(report.errors)} error(s) above first", file=err)
        return EXIT_INVALID
    print_report(report, err)

    async def go(client):
        from offer_tui.service import objects

        current = await _read_current(client, args, kind, err)
        ops = make_edit_patch(current, edited)
        if not ops:
            print(f"Nothing to change: the server already holds this {noun} (etag {cell(current.get('etag'), 20)}).", file=err)
            return EXIT_OK
        for line in patch_lines(ops, current):
            print(line, file=out)
        fetched_etag = doc.get("etag")
        if fetched_etag is not None and fetched_etag != current.get("etag") and not args.force:
            print(f"Not sent: the {noun} changed on the server since {args.file} was fetched (etag {cell(fetched_etag, 20)} "
                  f"-> {cell(current.get('etag'), 20)}); the patch above would also undo those changes.", file=err)
            print(f"hint: fetch it again (offer-tui get {args.offer_id} --json), redo your edit, or add --force", file=err)
            return EXIT_API
        problems = await objects.check_added_references(client, kind, current, edited)
        if problems:
            return print_outcome(objects.references_refusal(kind, problems), out, err)
        if args.dry_run:
            print(f"dry run: {len(ops)} operation(s); nothing was sent", file=err)
            return EXIT_OK
        return print_outcome(await objects.patch(client, kind, args.offer_id, before=current, ops=ops), out, err)

    code, result = run_api(args, err, go)
    return result if code == EXIT_OK else code


def cmd_set_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.model.patch import patch_lines

    offer_type = offer_type_for(args, args.offer_id)

    async def go(client):

        from offer_tui.service.offers import status_ops

        current = await _read_current(client, args, offer_type, err)
        ops = status_ops(current, args.status)
        if not ops:
            print(f"Nothing to change: {cell(current.get('name'), 80)!r} is already {args.status}.", file=err)
            return EXIT_OK
        for line in patch_lines(ops, current):
            print(line, file=out)
        return await _patch(client, args, err, out, offer_type, current, ops)

    code, result = run_api(args, err, go)
    return result if code == EXIT_OK else code


def _ask(prompt: str, err: TextIO) -> str | None:
    """One line typed on the terminal, or None without a terminal (never waits on a pipe)."""
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        return None
    print(prompt, end="", file=err, flush=True)
    line = stdin.readline()
    if not line:
        print(file=err)  # Ctrl+D: end the prompt's line
    return line.rstrip("\r\n")  # "" after Ctrl+D: nothing typed


def cmd_delete(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """delete ID for every kind: refused (exit 7) while others reference it unless --force, then
    confirmed by typing its name, sent once, settled by a re-read."""
    kind = kind_for(args, err)
    if kind is None:
        return EXIT_INVALID
    if kind.offer_type is not None:
        from offer_tui.service.offers import kind_of

        kind = kind_of(offer_type_for(args, args.offer_id))

    async def go(session):
        from offer_tui.service import objects

        current = await _read_current(session.client, args, kind, err)
        name = current.get("name") if isinstance(current.get("name"), str) else ""
        shown = cell(name, 200)
        users = await objects.in_use(session, kind, args.offer_id)
        if users and not args.force:
            return print_outcome(objects.in_use_refusal(kind, args.offer_id, users), out, err)
        if users:
            print(f"warning: --force: {len(users)} object(s) still reference it and will name a {kind.singular} "
                  "that no longer exists:", file=err)
            for line in objects.users_text(users):
                print(f"  {line}", file=err)
        refusal = _confirm_delete(args, kind, name, shown, session, err)
        if refusal is not None:
            return print_outcome(refusal, out, err)
        outcome = await objects.delete(session, kind, args.offer_id, force=True)
        return print_outcome(outcome, out, err,
                             done_text=f"Deleted {kind.title} {shown!r} ({cell(args.offer_id, 80)}).")

    code, result = run_api(args, err, go, with_session=True)
    return result if code == EXIT_OK else code


def _confirm_delete(args: argparse.Namespace, kind, name: str, shown: str, session, err: TextIO):
    """None when the delete may go; else the refusal (not confirmed: exit 5, never 3, which says
    the API refused)."""
    from offer_tui.service.offers import not_confirmed

    if session.production:  # as in the wizard: typing the sandbox is asked even with --yes
        sandbox = session.sandbox
        typed = args.confirm_sandbox if args.confirm_sandbox is not None else \
            _ask(f"Production sandbox {cell(sandbox, 80)!r}: type its name to delete {shown!r}: ", err)
        if typed is None:
            return not_confirmed("Not deleted: this is a production profile; type the sandbox name on a terminal, "
                                 "or pass --confirm-sandbox NAME.")
        if not typed.strip() or typed.strip() != sandbox:
            return not_confirmed(f"Not deleted: {cell(typed, 80)!r} is not the sandbox name." if typed.strip()
                                 else "Not deleted: nothing typed.")
    if not args.yes:
        # An offer without a usable name is confirmed by its id: typing nothing never deletes.
        what, accepted = ("name", {name, name.strip(), shown.strip()}) if name.strip() else ("id", {args.offer_id})
        typed = _ask(f"Delete {kind.title} {shown!r} ({cell(args.offer_id, 80)})? Type its {what} to confirm: ", err)
        if typed is None:
            return not_confirmed(f"Not deleted: no terminal to confirm on. Pass --yes to delete without typing the {what}.")
        if not typed.strip() or (typed not in accepted and typed.strip() not in accepted):
            return not_confirmed(f"Not deleted: {cell(typed, 80)!r} is not the {_noun(kind)}'s {what}." if typed.strip()
                                 else "Not deleted: nothing typed.")
    return None


COMMANDS = {
    "list": cmd_list,
    "get": cmd_get,
    "update": cmd_update,
    "set-status": cmd_set_status,
    "delete": cmd_delete,
}
