"""The scriptable subcommands: validate, submit, find, placements, rules.

No Textual here. Every failure is one clear line on stderr and an exit code;
a traceback is a bug.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from offer_tui.cli import EXIT_API, EXIT_INVALID, EXIT_OK, EXIT_UNKNOWN
from offer_tui.model import (
    OfferFileError,
    Report,
    channel_short,
    guess_offer_type,
    load_offer_file,
    to_json,
    validate_offer,
)


def dispatch(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    handler: Callable[..., int] = {
        "validate": cmd_validate,
        "submit": cmd_submit,
        "find": cmd_find,
        "placements": cmd_placements,
        "rules": cmd_rules,
    }[args.command]
    return handler(args, out, err)


# -- output helpers ----------------------------------------------------------


def print_report(report: Report, out: TextIO, prefix: str = "") -> None:
    for issue in report.errors:
        print(f"{prefix}{issue}", file=out)
    for issue in report.warnings:
        print(f"{prefix}warning: {issue}", file=out)


def print_table(rows: Sequence[Sequence[str]], headers: Sequence[str], out: TextIO) -> None:
    widths = [max([len(h)] + [len(str(r[i])) for r in rows]) for i, h in enumerate(headers)]
    line = "  ".join(h.upper().ljust(w) for h, w in zip(headers, widths))
    print(line.rstrip(), file=out)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip(), file=out)


def print_api_error(error: Exception, err: TextIO) -> int:
    from offer_tui.api import ApiError

    if not isinstance(error, ApiError):  # pragma: no cover - the client maps everything
        print(f"error: {type(error).__name__}", file=err)
        return EXIT_API
    # Messages built from a non-JSON body already start with "HTTP 502 ...".
    status = f"HTTP {error.status}: " if error.status and not error.message.startswith("HTTP ") else ""
    code = f" ({error.code})" if error.code else ""
    print(f"error: {status}{error.message}{code}", file=err)
    for path, message in error.field_errors:
        print(f"  {path}: {message}", file=err)
    if error.hint:
        print(f"hint: {error.hint}", file=err)
    return EXIT_UNKNOWN if error.outcome_unknown else EXIT_API


def resolve_offer_type(args: argparse.Namespace, doc: dict) -> str:
    return args.offer_type or guess_offer_type(doc) or "personalized"


# -- the API ----------------------------------------------------------------


def make_client(args: argparse.Namespace, err: TextIO):
    """A client from flag > environment > profile and keyring > prompt, as issue #4 orders them."""
    import getpass

    from offer_tui.api import OfferClient
    from offer_tui.credentials import choose_store, detect_keyring, resolve_settings
    from offer_tui.credentials.tokens import KeyringTokenProvider

    store = choose_store(detect_keyring(), insecure_storage=bool(getattr(args, "insecure_storage", False)))
    if store.warning:
        print(f"warning: {store.warning}", file=err)
    # Only ask on a real terminal: a script must fail with a message, not hang on a prompt.
    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    resolution = resolve_settings(profile_flag=getattr(args, "profile", None), store=store, prompt=prompt)
    provider = KeyringTokenProvider.from_resolution(resolution)
    return OfferClient.from_settings(resolution.settings, token_provider=provider)


def run_api(args: argparse.Namespace, err: TextIO, call: Callable[[Any], Any]) -> tuple[int, Any]:
    """Run `call(client)` with a fresh client; map every API failure to an exit code."""
    import asyncio  # lazy: validate never needs an event loop

    from offer_tui.api import ApiError
    from offer_tui.credentials import CredentialError

    async def go():
        client = make_client(args, err)
        try:
            return await call(client)
        finally:
            await client.aclose()

    try:
        return EXIT_OK, asyncio.run(go())
    except ApiError as error:
        return print_api_error(error, err), None
    except CredentialError as error:
        print(f"error: {error.message}", file=err)
        if error.hint:
            print(f"hint: {error.hint}", file=err)
        return EXIT_API, None


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

    code, result = run_api(args, err, lambda client: client.create_offer(doc, offer_type))
    if code != EXIT_OK:
        return code
    receipt = result.receipt
    if args.json:
        print(json.dumps({"status": result.status, "elapsed": round(result.elapsed, 3), "receipt": receipt}, indent=2), file=out)
        return EXIT_OK
    print(f"Created {offer_type} offer {doc.get('name')!r} (HTTP {result.status}, {result.elapsed:.2f} s)", file=out)
    for key, label in (("id", "id"), ("etag", "etag"), ("createdDate", "created"), ("sandboxId", "sandbox")):
        if key in receipt:
            print(f"  {label + ':':9} {receipt[key]}", file=out)
    return EXIT_OK


def cmd_find(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    offer_type = args.offer_type or "personalized"
    code, offers = run_api(args, err, lambda client: client.find_offers_by_name(args.name, offer_type))
    if code != EXIT_OK:
        return code
    if args.json:
        print(json.dumps(offers, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    if not offers:
        print(f"No {offer_type} offer is named {args.name!r}.", file=err)
        return EXIT_OK
    rows = [(o.get("id", ""), o.get("name", ""), o.get("status", ""), o.get("modified", o.get("created", ""))) for o in offers]
    print_table(rows, ("id", "name", "status", "modified"), out)
    return EXIT_OK


def cmd_placements(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    code, placements = run_api(args, err, lambda client: client.list_placements(args.channel))
    if code != EXIT_OK:
        return code
    if args.json:
        print(json.dumps(placements, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    rows = [
        (p.get("id", ""), p.get("name", ""), channel_short(str(p.get("channel", ""))), p.get("componentType", ""))
        for p in placements
    ]
    print_table(rows, ("id", "name", "channel", "componentType"), out)
    return EXIT_OK


def cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    code, rules = run_api(args, err, lambda client: client.list_rules())
    if code != EXIT_OK:
        return code
    if args.json:
        print(json.dumps(rules, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    print_table([(r.get("id", ""), r.get("name", "")) for r in rules], ("id", "name"), out)
    return EXIT_OK
