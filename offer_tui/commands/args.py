"""Small argparse helpers shared by every command module (no imports beyond argparse)."""

from __future__ import annotations

import argparse


def offer_type_flag(parser: argparse.ArgumentParser, *, name: str = "--offer-type", allow_all: bool = False) -> None:
    choices = ("personalized", "fallback", "all") if allow_all else ("personalized", "fallback")
    parser.add_argument(
        name,
        dest="offer_type",
        choices=choices,
        default=None,
        help="personalized (default) or fallback; a file fetched with GET, or an id, says which on its own",
    )


def json_flag(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", action="store_true", help=f"print {what} as JSON for scripts")


def profile_flag(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """--profile, and --timeout with it: every command that talks to the API takes both."""
    # On subcommands the default is SUPPRESS, so `offer-tui --profile dev submit x` keeps `dev`.
    parser.add_argument(
        "--profile",
        metavar="NAME",
        default=None if top_level else argparse.SUPPRESS,
        help="credentials profile (default: OFFER_TUI_PROFILE, then the default profile)",
    )
    timeout_flag(parser, top_level)


def timeout_flag(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        default=None if top_level else argparse.SUPPRESS,
        help="time allowed for one action, token and retries included (default: OFFER_TUI_TIMEOUT, then 30)",
    )


def log_flag(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """--log FILE: the opt-in diagnostic log (offer_tui/log.py); OFFER_TUI_LOG says the same."""
    if any("--log" in action.option_strings for action in parser._actions):
        return
    parser.add_argument(
        "--log",
        metavar="FILE",
        default=None if top_level else argparse.SUPPRESS,
        help="append a diagnostic log (tracebacks of handled failures; secrets redacted) to FILE "
        "(default: OFFER_TUI_LOG, else none)",
    )
