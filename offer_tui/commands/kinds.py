"""The commands for every kind of the Offer Library: ``list KIND``, ``get`` (of any kind),
``create KIND FILE`` and ``refs ID``. ``update`` and ``delete`` of any kind are in
:mod:`offer_tui.commands.library`, next to the offers' own.

They ask, call :mod:`offer_tui.service.objects` and print; no status code or receipt is read
here. Exit codes: 0 done, 1 invalid input or a reference to nothing (nothing sent), 3 refused,
4 cannot tell, 7 in use.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from offer_tui.commands.args import json_flag, profile_flag
from offer_tui.commands.common import json_text, print_report, run_api, safe_row
from offer_tui.exit_codes import EXIT_INVALID, EXIT_OK
from offer_tui.model.kinds import Kind, kind_words

TABLE_BLOCK = 500  # rows held before they are printed: a huge --limit streams, it does not hoard


def add_parsers(sub) -> None:
    p = sub.add_parser("create", help="create an object of any kind from a JSON file (validated, references checked)")
    p.add_argument("kind", metavar="KIND", help=f"one of: {kind_words()} (singular too)")
    p.add_argument("file", metavar="FILE", help="the object's JSON body (what 'get --json' printed is accepted)")
    p.add_argument("--dry-run", action="store_true", help="validate and check references; send nothing")
    json_flag(p, "the receipt")
    profile_flag(p)

    p = sub.add_parser("refs", help="every object that references ID (by kind, name and id)")
    p.add_argument("object_id", metavar="ID")
    p.add_argument("--kind", metavar="KIND", help=f"the kind of ID when its prefix does not say: {kind_words()}")
    json_flag(p, "the objects that reference ID")
    profile_flag(p)


def kind_or_error(object_id: str | None, word: str | None, err: TextIO) -> Kind | None:
    """The kind from --kind or the id's prefix; None after saying why not (exit 1)."""
    from offer_tui.service.objects import KindNeeded, resolve_kind

    try:
        return resolve_kind(object_id, word)
    except KindNeeded as problem:
        print(f"error: {problem}", file=err)
        return None


def sandbox_of(client: Any) -> str:
    resolution = getattr(client, "resolution", None)
    settings = getattr(resolution, "settings", None)
    return getattr(settings, "sandbox", None) or getattr(client, "_sandbox", None) or "?"


def not_found_hint(error, offer_id: str, offer_type: str, args: argparse.Namespace, err: TextIO) -> None:
    """After an offer's 404 when its type was a guess: the other type to try."""
    from offer_tui.model import guess_offer_type
    from offer_tui.service.offers import not_found_hint as hint_for

    guessed = not args.offer_type and guess_offer_type({"id": offer_id}) is None
    hint = hint_for(error, offer_type, type_was_guessed=guessed)
    if hint:
        print(f"hint: {hint}", file=err)


async def read_current(client, args: argparse.Namespace, kind, err: TextIO) -> dict:
    """The object as the server holds it now; for an offer, a 404 says which type and id were
    looked for. ``kind``: a Kind, or an offer type ("personalized", "fallback")."""
    from offer_tui.api import ApiError
    from offer_tui.service import objects
    from offer_tui.service.offers import kind_of

    kind = kind_of(kind) if isinstance(kind, str) else kind
    try:
        return await objects.read(client, kind, args.offer_id)
    except ApiError as error:
        if kind.offer_type is not None:
            not_found_hint(error, args.offer_id, kind.offer_type, args, err)
        raise


# -- list KIND ----------------------------------------------------------------------------------


class _Table:
    """Rows printed in blocks as they arrive; the first block sets the widths."""

    def __init__(self, headers: tuple[str, ...], out: TextIO) -> None:
        self.headers = headers
        self.out = out
        self.block: list[tuple[str, ...]] = []
        self.widths: list[int] | None = None
        self.printed = 0

    def add(self, row: tuple[str, ...]) -> None:
        self.block.append(safe_row(row))
        if len(self.block) >= TABLE_BLOCK:
            self.flush()

    def flush(self) -> None:
        if not self.block:
            return
        if self.widths is None:
            self.widths = [max([len(h)] + [len(r[i]) for r in self.block]) for i, h in enumerate(self.headers)]
            print("  ".join(h.upper().ljust(w) for h, w in zip(self.headers, self.widths)).rstrip(), file=self.out)
        for row in self.block:
            print("  ".join(c.ljust(w) for c, w in zip(row, self.widths)).rstrip(), file=self.out)
        self.out.flush()
        self.printed += len(self.block)
        self.block = []


def list_kind(args: argparse.Namespace, kind: Kind, out: TextIO, err: TextIO, limit: int | None) -> int:
    """``list KIND`` for a kind other than offers: its own columns, or JSON Lines as returned."""
    from offer_tui.service import kind_columns
    from offer_tui.service.objects import library_of, name_filter

    status = getattr(args, "status", None)
    if status and status not in kind.statuses:
        have = f"one of {', '.join(kind.statuses)}" if kind.statuses else "none: they have no status"
        print(f"error: --status {status}: {kind.word} statuses are {have}", file=err)
        return EXIT_INVALID
    properties = name_filter(args.name) + ([f"status=={status}"] if status else [])
    table = _Table(kind_columns.headers(kind), out)
    facts: dict[str, Any] = {}

    async def go(client):
        facts["sandbox"] = sandbox_of(client)
        library = library_of(client)
        cache: dict[str, Any] = {}  # what the columns need, read once for every page
        given = 0
        pages = library.iter_pages(kind, properties=properties, page_size=min(limit, 100) if limit else 100)
        try:
            async for page in pages:
                facts.setdefault("total", page.total)
                items = page.results[: (limit - given) if limit is not None else None]
                given += len(items)
                if args.json:  # JSON Lines as they arrive
                    for item in items:
                        out.write(json_text(item, indent=None) + "\n")
                    out.flush()
                else:
                    context = await kind_columns.context_for(client, kind, items, cache=cache)
                    for item in items:
                        table.add(kind_columns.row(kind, item, context))
                if limit is not None and given >= limit:
                    break
        finally:
            await pages.aclose()
        facts["given"] = given

    code, _ = run_api(args, err, go)
    if code != EXIT_OK:
        return code
    if args.json:
        return EXIT_OK
    table.flush()
    shown, total = facts.get("given", 0), facts.get("total")
    sandbox = facts.get("sandbox", "?")
    if not shown:
        filtered = " match" + (f" name {args.name!r}" if args.name else "") + (f" status {status}" if status else "")
        print(f"No {kind.word}{filtered if properties else ''} in sandbox {sandbox}." if properties
              else f"No {kind.word} in sandbox {sandbox}.", file=err)
    elif total is not None and total > shown:
        print(f"{shown:,} of {total:,} {kind.word}; --limit N shows more.", file=err)
    else:
        print(f"{shown:,} {kind.singular if shown == 1 else kind.word}.", file=err)
    return EXIT_OK


# -- get ----------------------------------------------------------------------------------------


def get_kind(args: argparse.Namespace, kind: Kind, out: TextIO, err: TextIO) -> int:
    """``get ID`` of any kind: its summary with every reference by name, or the JSON as returned."""
    from offer_tui.service import objects
    from offer_tui.service.kind_summary import object_summary

    async def go(client):
        obj = await read_current(client, args, kind, err)  # an offer's 404 hints at the other type
        if args.json:
            return obj, {}
        try:  # names make the summary readable; ids do if a listing fails
            names = await objects.names_of(client, kind, obj)
        except Exception:  # noqa: BLE001 - the ids are still shown
            from offer_tui.log import swallowed

            swallowed("listing the names of a summary's references")
            names = {}
        return obj, names

    code, result = run_api(args, err, go)
    if code != EXIT_OK:
        return code
    obj, names = result
    if args.json:
        print(json_text(obj), file=out)
    else:
        print("\n".join(object_summary(kind, obj, names).text_lines(10 if kind.offer_type else 12)), file=out)
    return EXIT_OK


# -- refs ---------------------------------------------------------------------------------------


def cmd_refs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.model.kinds import kind_of_id

    kind = None
    if args.kind or kind_of_id(args.object_id):
        kind = kind_or_error(args.object_id, args.kind, err)
        if kind is None:
            return EXIT_INVALID

    async def go(client):
        from offer_tui.service import objects

        return await objects.used_by(client, args.object_id, kind)

    code, users = run_api(args, err, go)
    if code != EXIT_OK:
        return code
    if args.json:
        for user in users:
            print(json_text({"kind": user.kind, "id": user.id, "name": user.name, "paths": list(user.paths)},
                            indent=None), file=out)
        return EXIT_OK
    from offer_tui.commands.common import print_table

    if not users:
        what = f"{kind.singular} " if kind else ""
        print(f"Nothing references {what}{args.object_id}.", file=err)
        return EXIT_OK
    print_table([(u.kind, u.name, u.id, ", ".join(u.paths)) for u in users], ("kind", "name", "id", "at"), out)
    print(f"{len(users):,} object{'s' if len(users) != 1 else ''} reference{'' if len(users) != 1 else 's'} "
          f"{args.object_id}.", file=err)
    return EXIT_OK


# -- create -------------------------------------------------------------------------------------


def cmd_create(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.model import OfferFileError, load_offer_file, strip_server_fields
    from offer_tui.model.kind_shape import validate_object

    kind = kind_or_error(None, args.kind, err)
    if kind is None:
        return EXIT_INVALID
    try:
        doc = load_offer_file(args.file)
    except OfferFileError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_INVALID
    body = strip_server_fields(doc)[0]
    report = validate_object(kind, body)
    print_report(report, err)
    if not report.ok:
        print(f"{args.file}: not sent: fix the {len(report.errors)} error(s) above first", file=err)
        return EXIT_INVALID

    async def go(session):
        from offer_tui.service import objects
        from offer_tui.service.outcomes import exit_code

        # The sandbox's limits (the body's own were warned by validate_object above).
        for warning in await objects.guardrails(session, kind, body):
            if not warning.path:
                print(f"warning: {warning}", file=err)
        # Who has this name already: after an unknown outcome, a new one proves the create.
        known = None if args.dry_run else await objects.ids_named(session, kind, body.get("name"))
        if known:
            print(f"note: {len(known)} {kind.word if len(known) != 1 else kind.singular} named "
                  f"{body.get('name')!r} already exist{'s' if len(known) == 1 else ''}: names are not unique", file=err)
        outcome = await objects.create(session, kind, body, dry_run=args.dry_run, known_ids=known)
        return outcome, exit_code(outcome)

    code, result = run_api(args, err, go, with_session=True)
    if code != EXIT_OK:
        return code
    outcome, code = result
    return print_create(outcome, kind, args, out, err, code)


def print_create(outcome: Any, kind: Kind, args: argparse.Namespace, out: TextIO, err: TextIO, code: int) -> int:
    from offer_tui.commands.common import print_outcome
    from offer_tui.service.outcomes import Done

    if isinstance(outcome, Done) and outcome.receipt:
        if args.json:
            print(json_text(outcome.receipt), file=out)
            return code
        receipt = outcome.receipt
        print(f"{outcome.message} id {receipt.get('id')}, etag {receipt.get('etag')}", file=out)
        return code
    return print_outcome(outcome, out, err)


COMMANDS = {"create": cmd_create, "refs": cmd_refs}

__all__ = ["COMMANDS", "add_parsers", "get_kind", "kind_or_error", "list_kind", "read_current"]
