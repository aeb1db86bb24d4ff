"""The offer commands: validate, submit, find, placements, rules.

No Textual here. Every failure is one clear line on stderr and an exit code;
a traceback is a bug.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from offer_tui.commands.args import json_flag, offer_type_flag, profile_flag
from offer_tui.commands.common import (
    api_listing,
    json_text,
    print_outcome,
    print_report,
    resolve_offer_type,
    run_api,
    safe_cell,
)
from offer_tui.exit_codes import EXIT_INVALID, EXIT_OK
from offer_tui.model import OfferFileError, channel_short, load_offer_file, to_json, validate_offer


def add_parsers(sub) -> None:
    p = sub.add_parser("validate", help="check offer files against every rule the API enforces")
    p.add_argument("files", nargs="+", metavar="FILE")
    offer_type_flag(p)

    p = sub.add_parser("submit", help="validate an offer file, then create the offer")
    p.add_argument("file", metavar="FILE")
    offer_type_flag(p)
    p.add_argument("--dry-run", action="store_true", help="validate and print the body that would be sent; send nothing")
    json_flag(p, "the receipt")
    profile_flag(p)

    p = sub.add_parser("find", help="list offers with a given name (use it before retrying an unknown outcome)")
    p.add_argument("--name", required=True)
    offer_type_flag(p)
    json_flag(p, "the offers")
    profile_flag(p)

    p = sub.add_parser("placements", help="list placements: id, name, channel and componentType")
    p.add_argument("--channel", help="only this channel: web, email, mobile, ... or a channel URI")
    json_flag(p, "the placements")
    profile_flag(p)

    p = sub.add_parser("rules", help="list decision (eligibility) rules: id and name")
    json_flag(p, "the rules")
    profile_flag(p)


# -- commands ---------------------------------------------------------------


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    worst = EXIT_OK
    many = len(args.files) > 1
    for path in args.files:
        prefix = f"{path}: " if many else ""
        try:
            doc = load_offer_file(path)
        except OfferFileError as exc:
            print(f"error: {exc}", file=err)
            worst = EXIT_INVALID
            continue
        offer_type = resolve_offer_type(args, doc)
        report = validate_offer(doc, offer_type)
        print_report(report, out, prefix)
        if report.ok:
            extra = f" ({len(report.warnings)} warning{'s' * (len(report.warnings) != 1)})" if report.warnings else ""
            print(f"{path}: valid {offer_type} offer{extra}", file=err)
        else:
            print(f"{path}: {len(report.errors)} error{'s' * (len(report.errors) != 1)}; the API would reject it", file=err)
            worst = EXIT_INVALID
    return worst


def cmd_submit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        doc = load_offer_file(args.file)
    except OfferFileError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_INVALID
    offer_type = resolve_offer_type(args, doc)
    report = validate_offer(doc, offer_type)
    if not report.ok:
        print_report(report, err)
        print(f"{args.file}: not sent: fix the {len(report.errors)} error(s) above first", file=err)
        return EXIT_INVALID
    print_report(report, err)
    if args.dry_run:
        print(to_json(doc), file=out)
        print(f"dry run: valid {offer_type} offer; nothing was sent", file=err)
        return EXIT_OK

    from offer_tui.service import offers
    from offer_tui.service.outcomes import Done

    code, outcome = run_api(args, err, lambda client: offers.create(client, doc, offer_type))
    if code != EXIT_OK:
        return code
    if not isinstance(outcome, Done):
        return print_outcome(outcome, out, err)
    result = outcome.result
    receipt = outcome.receipt
    if args.json:
        print(json_text({"status": result.status, "elapsed": round(result.elapsed, 3), "receipt": receipt}), file=out)
        return EXIT_OK
    print(f"Created {offer_type} offer {doc.get('name')!r} (HTTP {result.status}, {result.elapsed:.2f} s)", file=out)
    for key, label in (("id", "id"), ("etag", "etag"), ("createdDate", "created"), ("sandboxId", "sandbox")):
        if key in receipt:
            print(f"  {label + ':':9} {safe_cell(receipt[key])}", file=out)
    return EXIT_OK


def cmd_find(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    offer_type = args.offer_type or "personalized"
    return api_listing(
        args, out, err,
        lambda client: client.find_offers_by_name(args.name, offer_type),
        headers=("id", "name", "status", "modified"),
        row=lambda o: (o.get("id", ""), o.get("name", ""), o.get("status", ""), o.get("modified", o.get("created", ""))),
        empty=f"No {offer_type} offer is named {args.name!r}.",
    )


def cmd_placements(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return api_listing(
        args, out, err,
        lambda client: client.list_placements(args.channel),
        headers=("id", "name", "channel", "componentType"),
        row=lambda p: (p.get("id", ""), p.get("name", ""), channel_short(str(p.get("channel", ""))), p.get("componentType", "")),
    )


def cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return api_listing(
        args, out, err,
        lambda client: client.list_rules(),
        headers=("id", "name"),
        row=lambda r: (r.get("id", ""), r.get("name", "")),
    )


COMMANDS = {
    "validate": cmd_validate,
    "submit": cmd_submit,
    "find": cmd_find,
    "placements": cmd_placements,
    "rules": cmd_rules,
}
