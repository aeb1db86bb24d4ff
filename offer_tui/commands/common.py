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

from offer_tui.exit_codes import EXIT_API, EXIT_OK
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
    from offer_tui.service.outcomes import error_exit_code

    return error_exit_code(error)


def resolve_offer_type(args: argparse.Namespace, doc: dict) -> str:
    return args.offer_type or guess_offer_type(doc) or "personalized"


# -- the API ----------------------------------------------------------------


def open_session(args: argparse.Namespace, err: TextIO):
    """A Session from flag > environment > profile and keyring > prompt, as issue #4 orders them."""
    import getpass

    from offer_tui.api.budget import DEFAULT_BUDGET
    from offer_tui.credentials import choose_store, detect_keyring, resolve_settings
    from offer_tui.service.session import Session

    store = choose_store(detect_keyring(), insecure_storage=bool(getattr(args, "insecure_storage", False)))
    if store.warning:
        print(store.warning, file=err)  # it says "WARNING:" itself
    # Only ask on a real terminal: a script must fail with a message, not hang on a prompt.
    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    resolution = resolve_settings(profile_flag=getattr(args, "profile", None), store=store, prompt=prompt)
    for note in resolution.notes:
        print(f"warning: {note}", file=err)
    budget = getattr(args, "timeout", None) or DEFAULT_BUDGET  # cli.main resolved flag > env > default
    return Session.open(resolution.settings, resolution, budget=budget)


def make_client(args: argparse.Namespace, err: TextIO):
    """The API client of a fresh Session (older callers; new ones take the Session)."""
    return open_session(args, err).client


def run_api(args: argparse.Namespace, err: TextIO, call: Callable[[Any], Any], *,
            with_session: bool = False) -> tuple[int, Any]:
    """Run ``call(client)`` (``call(session)`` with ``with_session``) in a fresh Session; map every
    API failure to an exit code."""
    import asyncio  # lazy: validate never needs an event loop

    from offer_tui.api import ApiError
    from offer_tui.credentials import CredentialError

    async def go():
        session = open_session(args, err)
        try:
            return await call(session if with_session else session.client)
        finally:
            await session.close()

    try:
        return EXIT_OK, asyncio.run(go())
    except ApiError as error:
        return print_api_error(error, err), None
    except CredentialError as error:
        print(f"error: {error.message}", file=err)
        if error.hint:
            print(f"hint: {error.hint}", file=err)
        return EXIT_API, None


def print_outcome(outcome: Any, out: TextIO, err: TextIO, *, done_text: str | None = None) -> int:
    """Print a service outcome the one way every write command does; return its exit code."""
    import io

    from offer_tui.service.outcomes import CANNOT_TELL, Done, Refused, exit_code

    if isinstance(outcome, Done):
        print(done_text if done_text is not None else outcome.message, file=out)
    elif isinstance(outcome, Refused):
        if outcome.error is not None:
            print_api_error(outcome.error, err)
        else:
            print(outcome.message if outcome.local else f"error: {outcome.message}", file=err)
    else:
        # The write's answer without its "read it again" hint: the service already did.
        if outcome.error is not None:
            buffer = io.StringIO()
            print_api_error(outcome.error, buffer)
            # Its hint ("check by name", "read it again") only while the re-read could not settle it.
            keep_hint = outcome.found == CANNOT_TELL
            lines = [line for line in buffer.getvalue().splitlines() if keep_hint or not line.startswith("hint:")]
            print("\n".join(lines), file=err)
        else:
            print(f"error: {outcome.message}", file=err)
        if outcome.reread:
            print(outcome.reread, file=out if outcome.happened else err)
    return exit_code(outcome)


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
