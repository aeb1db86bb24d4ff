"""`offer-tui bulk FILE`: many offers at once. Parses, calls ``offer_tui.service.bulk``, prints.

No Textual here. Rows are validated in a first streaming pass and sent in a second; the journal
beside FILE makes a re-run of the same command finish the job, and the target's names (listed once
at the start) keep a row from being created twice even when the journal is lost.
"""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from offer_tui.commands.args import json_flag, offer_type_flag, profile_flag
from offer_tui.commands.progress import concurrency
from offer_tui.exit_codes import EXIT_INVALID, EXIT_OK

CSV_HELP = """\
FILE is JSON Lines (one offer body per line, laid over --template when given) or CSV.
A CSV's header names dotted paths (name, description, status,
representations[0].components[0].content, selectionConstraint.startDate, ...) and each row
fills them in over a copy of --template. How a cell becomes a value:
  - an empty cell keeps the template's value;
  - json:VALUE sets any JSON value (json:5, json:["en-us"], json:null);
  - where the template has a number, the cell must be a number; true/false likewise;
  - where the template has a list, the cell is a JSON array or items separated by |
    (en-us|fr-fr);
  - where the template has an object, the cell must be a JSON object;
  - anything else is a string, exactly as written.
Row N is line N in JSON Lines; in CSV, row 1 is the first row after the header.
Names must be unique within a file: an unknown outcome is settled by looking the name up.
The journal (default: FILE.journal.jsonl) records every send before it happens; run the same
command again after a crash or Ctrl-C and it skips created rows, looks up the rows whose outcome
is unknown by name, and sends only the rest.
Names are the key: before sending, the target's offer names are listed once, and a row whose name
is already there is skipped as "already exists" (even with a lost or new journal) unless
--allow-duplicates.
Exit codes: 0 all created (or already there), 1 invalid input (nothing sent), 3 some refused,
4 some unknown, 8 stopped partway (the journal could not be written, or the server asked to wait
longer than --timeout): the summary says what was sent."""


def add_parsers(sub) -> None:
    p = sub.add_parser("bulk", help="create many offers from a JSON Lines or CSV file (journaled, resumable)",
                       description="Create many offers from a file.", epilog=CSV_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--template", metavar="OFFER.json", help="an offer body the rows fill in (a GET result works too)")
    offer_type_flag(p, name="--type")
    p.add_argument("--concurrency", type=concurrency, default=4, metavar="N", help="creates in flight at once (1-16, default 4)")
    p.add_argument("--journal", metavar="PATH", help="the journal file (default: FILE.journal.jsonl beside FILE)")
    p.add_argument("--dry-run", action="store_true", help="validate and print the bodies that would be sent; send nothing")
    p.add_argument("--skip-invalid", action="store_true", help="send the valid rows even when some are invalid (those are journaled as skipped)")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="send a row even when the target already has an offer of that name")
    json_flag(p, "a summary object at the end")
    profile_flag(p)


def cmd_bulk(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from offer_tui.bulk import InputError, RowSource, scan

    offer_type = args.offer_type or "personalized"
    try:
        source = RowSource(args.file, template=args.template, offer_type=offer_type)
        fingerprint = source.fingerprint()  # of the bytes the first pass validates
        shown = {"warnings": 0}

        def on_error(row: int, path: str, reason: str) -> None:
            print(f"row {row}: {path}: {reason}", file=err)

        def on_warning(row: int, path: str, reason: str) -> None:
            shown["warnings"] += 1
            if shown["warnings"] <= 20:
                print(f"row {row}: warning: {path}: {reason}", file=err)

        checked = scan(source, on_error, on_warning)
    except InputError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_INVALID
    if checked.warnings > 20:
        print(f"... and {checked.warnings - 20} more warnings", file=err)
    if checked.total == 0:
        print(f"error: {args.file}: no rows to send", file=err)
        return EXIT_INVALID
    if checked.invalid and not args.skip_invalid:
        print(f"{len(checked.invalid)} of {checked.total} rows are invalid: nothing was sent. "
              "Fix them, or pass --skip-invalid to send the others.", file=err)
        if args.json:
            print(json.dumps({"total": checked.total, "invalid_rows": sorted(checked.invalid), "sent": 0,
                              "exit_code": EXIT_INVALID}, indent=2), file=out)
        return EXIT_INVALID
    if args.dry_run:
        return _dry_run(source, checked, offer_type, out, err)
    try:
        changed = source.fingerprint() != fingerprint
    except InputError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_INVALID
    if changed:
        print(f"error: {args.file} changed while it was being checked: nothing was sent; run the command again",
              file=err)
        return EXIT_INVALID
    return _send(args, out, err, source, checked, offer_type, fingerprint)


def _dry_run(source, checked, offer_type: str, out: TextIO, err: TextIO) -> int:
    from offer_tui.bulk import InputError

    try:
        for row in source.rows():
            if row.ok and row.number not in checked.invalid:
                print(json.dumps(row.doc, ensure_ascii=False), file=out)
    except InputError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_INVALID
    skipped = f" ({len(checked.invalid)} invalid rows would be skipped)" if checked.invalid else ""
    print(f"dry run: {checked.valid} valid {offer_type} offer(s) would be sent{skipped}; nothing was sent", file=err)
    return EXIT_INVALID if checked.invalid else EXIT_OK


def _send(args, out, err, source, checked, offer_type: str, fingerprint: str) -> int:
    from offer_tui.bulk import default_journal_path
    from offer_tui.commands.common import run_api
    from offer_tui.commands.progress import run_journaled
    from offer_tui.service.bulk import run_rows

    def run(journal, progress):
        return run_api(args, err, lambda client: run_rows(
            client, journal, offer_type, lambda: source.rows(validate=False), total=checked.total,
            invalid=checked.invalid,
            concurrency=args.concurrency, on_result=progress.update, allow_duplicates=args.allow_duplicates,
            on_warning=lambda text: print(f"warning: {text}", file=err)))

    return run_journaled(args, out, err, journal_path=args.journal or default_journal_path(source.path),
                         fingerprint=fingerprint, total=checked.total, run=run,
                         meta={"offer_type": offer_type, "file": str(source.path)})


COMMANDS = {"bulk": cmd_bulk}
