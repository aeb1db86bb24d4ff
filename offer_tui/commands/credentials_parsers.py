"""argparse definitions for `offer-tui profile ...` and `offer-tui login`.

Kept apart from the handlers so that building the parser (done for every command,
`validate` included) imports nothing but argparse.
"""

from __future__ import annotations

import argparse


def add_profile_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `profile add|list|show|remove|use` to the top-level subparsers."""
    profile = subparsers.add_parser("profile", help="manage credentials profiles (dev, stage, prod, ...)")
    actions = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)

    p = actions.add_parser(
        "add",
        help="add or update a profile; the client secret goes to the OS keyring",
        description="The client secret is read from stdin with --secret-stdin, otherwise from a "
        "masked prompt. It is never taken from the command line.",
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--client-id", required=True, help="the credential's client ID (also the x-api-key)")
    p.add_argument("--ims-org", required=True, help="IMS org, such as ABC123@AdobeOrg")
    p.add_argument("--sandbox", required=True, help="Experience Platform sandbox name")
    p.add_argument("--endpoint", help="API base URL (default: the Adobe platform endpoint)")
    p.add_argument("--ims-url", help="IMS token URL (default: ims-na1 token/v3)")
    p.add_argument("--decisions-endpoint", metavar="URL",
                   help="the decision preview's URL (default: the endpoint's sibling .../data/core/ods/decisions)")
    p.add_argument("--scopes", help="comma-separated scopes from the credential's Scopes tab")
    p.add_argument("--production", action="store_true", help="always ask for the typed-sandbox confirmation")
    p.add_argument("--secret-stdin", action="store_true", help="read the client secret from stdin")
    p.add_argument(
        "--insecure-storage", action="store_true",
        help="when no secure keyring is usable, keep secrets in a plaintext 0600 file (warned at every start)",
    )

    p = actions.add_parser("list", help="list profiles (* marks the default)")
    p.add_argument("--json", action="store_true", help="print the profiles as JSON for scripts")

    p = actions.add_parser("show", help="show a profile's values, secrets masked, with the source of each")
    p.add_argument("name", metavar="NAME", nargs="?", help="default: --profile, OFFER_TUI_PROFILE or the default")

    p = actions.add_parser("remove", help="remove a profile and its secrets")
    p.add_argument("name", metavar="NAME")

    p = actions.add_parser("use", help="make a profile the default")
    p.add_argument("name", metavar="NAME")
    return profile


def add_login_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser("login", help="mint and cache an IMS access token and say how long it is valid")
    p.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS, help="credentials profile")
    p.add_argument("--force", action="store_true", help="mint a new token even if the cached one is still valid")
    p.add_argument("--timeout", metavar="SECONDS", default=argparse.SUPPRESS,
                   help="time allowed for the mint, retries included (default: OFFER_TUI_TIMEOUT, then 30)")
    p.add_argument(
        "--insecure-storage", action="store_true",
        help="when no secure keyring is usable, cache in the plaintext 0600 file",
    )
    return p
