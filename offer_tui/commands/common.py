"""What every API command shares: output helpers, the client, and mapping failures to exit codes.

No Textual here.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from offer_tui.exit_codes import EXIT_API, EXIT_OK, EXIT_UNKNOWN
from offer_tui.model import Report, guess_offer_type
from offer_tui.safe_text import INVISIBLE_CLASS, terminal_safe

# -- output helpers ----------------------------------------------------------


def print_report(report: Report, out: TextIO, prefix: str = "") -> None:
    for issue in report.errors:
        print(f"{prefix}{issue}", file=out)
    for issue in report.warnings:
        print(f"{prefix}warning: {issue}", file=out)


CELL_LIMIT = 200  # characters of server text per table cell

# json.dumps escapes C0 controls but leaves DEL, C1 (\x9b is a CSI on its own) and every invisible
# character (U+200B, bidi overrides, line separators: safe_text.INVISIBLE_CLASS) raw: they can only
# occur inside strings, so \u escapes keep it valid JSON and the same data.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{INVISIBLE_CLASS}]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells a character past U+FFFF as its UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def safe_cell(value: Any, limit: int = CELL_LIMIT) -> str:
    """Server text for a table cell or a one-line message: no control characters, one line, bounded."""
    return terminal_safe("" if value is None else value, limit=limit, one_line=True)


def safe_row(values: Sequence[Any], limit: int = CELL_LIMIT) -> tuple[str, ...]:
    return tuple(safe_cell(v, limit) for v in values)


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """JSON for a terminal or a pipe: exact data, with every character a terminal would act on escaped."""
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return _JSON_UNSAFE.sub(_json_escape, text)


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str], out: TextIO) -> None:
    """A plain table; every cell is made terminal-safe here, whoever built the rows."""
    rows = [safe_row(r) for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    line = "  ".join(h.upper().ljust(w) for h, w in zip(headers, widths))
    print(line.rstrip(), file=out)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip(), file=out)


def print_api_error(error: Exception, err: TextIO) -> int:
    from offer_tui.api import ApiError

    if not isinstance(error, ApiError):  # pragma: no cover - the client maps everything
        print(f"error: {type(error).__name__}", file=err)
        return EXIT_API
    # ApiError's texts are already terminal-safe and bounded. Say the status and the code
    # once: messages built from a non-JSON body already hold "HTTP 502 ...".
    status = f"HTTP {error.status}: " if error.status and f"HTTP {error.status}" not in error.message else ""
    code = f" ({error.code})" if error.code and error.code not in error.message else ""
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
    from offer_tui.api.budget import DEFAULT_BUDGET
    from offer_tui.credentials import choose_store, detect_keyring, resolve_settings
    from offer_tui.credentials.tokens import KeyringTokenProvider

    store = choose_store(detect_keyring(), insecure_storage=bool(getattr(args, "insecure_storage", False)))
    if store.warning:
        print(store.warning, file=err)  # it says "WARNING:" itself
    # Only ask on a real terminal: a script must fail with a message, not hang on a prompt.
    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    resolution = resolve_settings(profile_flag=getattr(args, "profile", None), store=store, prompt=prompt)
    for note in resolution.notes:
        print(f"warning: {note}", file=err)
    budget = getattr(args, "timeout", None) or DEFAULT_BUDGET  # cli.main resolved flag > env > default
    provider = KeyringTokenProvider.from_resolution(resolution, timeout=budget)
    client = OfferClient.from_settings(resolution.settings, token_provider=provider, budget=budget)
    client.resolution = resolution  # which profile and sandbox: delete asks more of production
    return client


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


def api_listing(
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    call: Callable[[Any], Any],
    *,
    headers: Sequence[str],
    row: Callable[[dict[str, Any]], Sequence[Any]],
    empty: str | None = None,
) -> int:
    """Call the API for a list, then print it as JSON (``--json``) or a table."""
    code, items = run_api(args, err, call)
    if code != EXIT_OK:
        return code
    if args.json:
        print(json_text(items), file=out)
        return EXIT_OK
    if not items and empty:
        print(empty, file=err)
        return EXIT_OK
    print_table([row(item) for item in items], headers, out)
    return EXIT_OK
