"""The `offer-tui` command: the wizard by default, plus scriptable subcommands.

Imports are lazy: `validate` and `submit` never load Textual, so they start fast
and work on hosts where the terminal UI is not wanted.
"""

from __future__ import annotations

import argparse
import os
import sys

from offer_tui.commands.args import log_flag, profile_flag
from offer_tui.exit_codes import EXIT_API, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_UNKNOWN, EXIT_USAGE

__all__ = ["EXIT_API", "EXIT_INVALID", "EXIT_OK", "EXIT_UNKNOWN", "EXIT_USAGE", "build_parser", "main"]


def build_parser(argv: list[str] | None = None, *, command: str | None = "*") -> argparse.ArgumentParser:
    """The parser. With ``argv``, only the command it names gets its real parser (and imports its
    module): the rest are stubs carrying their help line, so `validate` loads neither the library
    commands nor copy (asyncio, ssl). Without, every command's real parser (``command="*"``)."""
    if argv is not None:
        command = _command_of(argv)
    parser = _top_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    from offer_tui import commands

    commands.add_parsers(sub, command)
    _add_local_parsers(sub)
    for name, sub_parser in sub.choices.items():
        if sub_parser.add_help or name == command:  # a real parser: --log after the command works too
            log_flag(sub_parser)
    return parser


def _command_of(argv: list[str]) -> str | None:
    """The command ``argv`` names, found by a first parse over stub parsers (cheap: no command
    module is imported). "*" when it cannot tell (a command missing from the static table): then
    every real parser is built, as before, and argparse says what is wrong."""
    from offer_tui import commands

    probe = _top_parser(add_help=False, exit_on_error=False)
    sub = probe.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parsers(sub, None)
    _add_local_parsers(sub, stub=True)
    try:
        known, _ = probe.parse_known_args(argv)
    except (argparse.ArgumentError, SystemExit):
        return commands.ALL
    return known.command


def _top_parser(*, add_help: bool = True, exit_on_error: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="offer-tui",
        description="Create personalized offers in Adobe Journey Optimizer's Offer Library. "
        "With no command, opens the wizard.",
        epilog="Exit codes: 0 ok, 1 invalid offer or file, 2 bad command line, "
        "3 API or network error, 4 outcome unknown (check by name before retrying), "
        "5 not confirmed, 6 local state missing or unreadable (unknown profile), "
        "7 in use (referenced elsewhere), 8 stopped partway (see the summary), 130 interrupted. "
        "--log FILE (or OFFER_TUI_LOG) keeps a diagnostic log.",
        add_help=add_help,
        exit_on_error=exit_on_error,
    )
    parser.add_argument("--demo", action="store_true", help="start the built-in local demo API and use it (no Adobe account needed)")
    parser.add_argument("--from", dest="from_file", metavar="FILE", help="preload the wizard from an offer file (a body, or an offer fetched with GET)")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--library", action="store_true", help="start on the offer library (find, open, edit, clone, delete)")
    start.add_argument("--edit", metavar="ID", help="open the wizard on offer ID in edit mode (F9 sends a JSON Patch)")
    start.add_argument("--clone", metavar="ID", help="open the wizard on a copy of offer ID (F9 creates a new offer)")
    parser.add_argument("--insecure-storage", action="store_true", help="allow secrets in a 0600 plaintext file when no secure keyring exists")
    profile_flag(parser, top_level=True)
    log_flag(parser, top_level=True)
    return parser


def _add_local_parsers(sub, *, stub: bool = False) -> None:
    """profile, login and demo-server: light parsers (argparse only), defined here and in
    commands/credentials_parsers.py. As stubs for the first parse, so their own checks wait."""
    if stub:
        for name, help_line in (("profile", ""), ("login", ""), ("demo-server", "")):
            sub.add_parser(name, help=help_line, add_help=False)
        return
    from offer_tui.commands.credentials_parsers import add_login_parser, add_profile_parser

    add_profile_parser(sub)
    add_login_parser(sub)

    p = sub.add_parser("demo-server", help="run the local demo API on 127.0.0.1 and print its credentials")
    p.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    p.add_argument("--latency", type=float, default=0.0, help="seconds of simulated latency per request")
    p.add_argument("--fail", metavar="STATUS[xN]", help="answer the next N writes to /offers (create, PATCH, DELETE) with STATUS (e.g. 503x2)")
    p.add_argument("--rate-limit", metavar="N", type=int, default=0, help="answer the next N placement lists with 429")
    p.add_argument("--offers", metavar="N", type=int, default=None, help="start with N offers (default 30; e.g. 10000 for scale)")
    p.add_argument("--decisions", metavar="N", type=int, default=None, help="start with N decisions (default 3; e.g. 1000 for scale)")
    p.add_argument("--id-salt", metavar="WORD", help="serve the catalogue under other ids: a second sandbox to try copy")


# Commands that never talk to the API (a bad OFFER_TUI_TIMEOUT is not their problem).
_OFFLINE = frozenset({"validate", "demo-server", "profile"})


def main(argv: list[str] | None = None) -> int:

    # offer-tui uses no pydantic plugin, and looking for them scans every installed package's
    # entry points (importlib.metadata, email parsing) when the first model is built: ~25 ms of
    # `validate`. A user who sets the variable keeps their choice.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    from offer_tui.api.budget import BudgetSettingError, resolve_budget  # no httpx import at parse time

    try:
        args.timeout = resolve_budget(getattr(args, "timeout", None))
    except BudgetSettingError as error:
        if args.command in _OFFLINE and getattr(args, "timeout", None) is None:
            args.timeout = None  # a bad OFFER_TUI_TIMEOUT cannot matter to a command that sends nothing
        else:
            parser.print_usage(sys.stderr)
            print(f"offer-tui: error: {error}", file=sys.stderr)
            return EXIT_USAGE
    from offer_tui import log

    try:
        log.configure(getattr(args, "log", None) or os.environ.get(log.ENV_LOG))
    except log.LogSettingError as error:
        parser.print_usage(sys.stderr)
        print(f"offer-tui: error: {error} (from {'--log' if getattr(args, 'log', None) else log.ENV_LOG})", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command is None:
            return _run_wizard(args)
        if args.command == "demo-server":
            from offer_tui.demo import main as demo_main

            extra = ["--fail", args.fail] if args.fail else []
            extra += ["--offers", str(args.offers)] if args.offers is not None else []
            extra += ["--id-salt", args.id_salt] if args.id_salt else []
            extra += ["--decisions", str(args.decisions)] if args.decisions is not None else []
            return demo_main(["--port", str(args.port), "--latency", str(args.latency),
                              "--rate-limit", str(args.rate_limit), *extra])
        if args.command in ("profile", "login"):
            from offer_tui.commands.credentials import run as run_credentials

            return run_credentials(args)
        refused = _unknown_profile(args)
        if refused is not None:
            return refused
        from offer_tui import commands

        return commands.dispatch(args)
    except KeyboardInterrupt:
        print("offer-tui: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `offer-tui list --json | head`: the reader left; end quietly, for every command.
        _silence_stdout()
        return EXIT_OK
    finally:
        log.close()


def _unknown_profile(args: argparse.Namespace) -> int | None:
    """EXIT_LOCAL when the profile named by --profile or OFFER_TUI_PROFILE is not known (or
    profiles.json cannot be read): local state, said before any command starts, not the API's 3."""
    import os

    if not (getattr(args, "profile", None) or os.environ.get("OFFER_TUI_PROFILE", "").strip()):
        return None
    from offer_tui.credentials.profiles import LocalStateError, ProfileStore
    from offer_tui.exit_codes import EXIT_LOCAL

    try:
        ProfileStore().select(getattr(args, "profile", None))
    except LocalStateError as error:
        print(f"error: {error.message}", file=sys.stderr)
        if error.hint:
            print(f"hint: {error.hint}", file=sys.stderr)
        return EXIT_LOCAL
    except Exception:  # anything else is the command's to report, as before
        from offer_tui.log import swallowed

        swallowed("checking the profile before a command")
    return None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's flush at exit cannot fail again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _run_wizard(args: argparse.Namespace) -> int:
    from offer_tui.ui import startup_gc

    startup_gc.pause()  # until the first frame: the imports and the start-up only allocate
    try:
        from offer_tui.ui.app import run

        # Credentials are resolved by the app after its first frame, off the UI thread.
        start = "library" if args.library else "edit" if args.edit else "clone" if args.clone else "wizard"
        return run(demo=args.demo, from_file=args.from_file, profile=args.profile,
                   insecure_storage=args.insecure_storage, timeout=args.timeout, start=start,
                   offer_id=args.edit or args.clone)
    finally:
        startup_gc.resume()  # run() did, unless it returned early (no terminal)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
