"""`offer-tui token`: print a valid access token on stdout and nothing else.

For `export OFFER_TUI_ACCESS_TOKEN=$(offer-tui token)`, the variable the copied curl command
uses (like `gh auth token`). The cached token when it is still fresh, else a new one (which is
cached). Warnings and errors go to stderr, with the exit codes of the other commands; the
secret prompt (a terminal only) is getpass's, which writes to the terminal, not stdout.
No Textual here.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from offer_tui.commands.args import profile_flag
from offer_tui.exit_codes import EXIT_API, EXIT_OK


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "token",
        help="print a valid access token (cached or new) on stdout, e.g. "
        "export OFFER_TUI_ACCESS_TOKEN=$(offer-tui token)",
    )
    profile_flag(p)


def token(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import asyncio
    import getpass
    import sys

    from offer_tui.api import ApiError
    from offer_tui.commands.common import print_api_error
    from offer_tui.credentials import CredentialError, choose_store, detect_keyring, resolve_settings
    from offer_tui.credentials.tokens import KeyringTokenProvider

    async def fetch(provider: KeyringTokenProvider) -> str:
        try:
            return await provider()
        finally:
            await provider.aclose()

    try:
        store = choose_store(detect_keyring(), insecure_storage=bool(getattr(args, "insecure_storage", False)))
        if store.warning:
            print(store.warning, file=err)  # it says "WARNING:" itself
        prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
        resolution = resolve_settings(profile_flag=getattr(args, "profile", None), store=store, prompt=prompt)
        for note in resolution.notes:
            print(f"warning: {note}", file=err)
        # --timeout / OFFER_TUI_TIMEOUT (cli.main resolved it): the whole mint's budget.
        provider = KeyringTokenProvider.from_resolution(resolution, timeout=getattr(args, "timeout", None) or 30.0)
        value = asyncio.run(fetch(provider))
    except ApiError as error:
        return print_api_error(error, err)
    except CredentialError as error:
        print(f"error: {error.message}", file=err)
        if error.hint:
            print(f"hint: {error.hint}", file=err)
        return EXIT_API
    for note in provider.notes:
        print(f"warning: {note}", file=err)
    out.write(value + "\n")
    out.flush()
    return EXIT_OK


COMMANDS = {"token": token}
