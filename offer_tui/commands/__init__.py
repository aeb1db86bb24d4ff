"""The scriptable subcommands, one module per topic, loaded only for the command that runs.

Each topic module has ``add_parsers(sub)`` and a ``COMMANDS`` dict (command name -> handler).
``COMMAND_TABLE`` below names, for every command, its topic module and its one-line help, in the
order ``--help`` shows them. Building the parser for one command imports that command's topic
only; the others get a stub parser that carries their help line. So ``validate`` no longer loads
``copy`` (asyncio, ssl) or the library commands: measured in bench/startup_validate.py.
tests/test_command_table.py keeps this table equal to what the topic modules register.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import TextIO

# Module names under offer_tui.commands, in help order.
TOPICS: tuple[str, ...] = ("offers", "library", "kinds", "bulk", "copy", "sync", "token", "preview")

# command -> (topic module, help line); the help lines are the topic parsers' own.
COMMAND_TABLE: dict[str, tuple[str, str]] = {
    "validate": ("offers", "check offer files against every rule the API enforces"),
    "submit": ("offers", "validate an offer file, then create the offer"),
    "find": ("offers", "list offers with a given name (use it before retrying an unknown outcome)"),
    "placements": ("offers", "list placements: id, name, channel and componentType"),
    "rules": ("offers", "list decision (eligibility) rules: id and name"),
    "list": ("library", "list offers (newest first) or any kind: list KIND (a table, or JSON Lines with --json)"),
    "get": ("library", "show one object of any kind, its references by name (as the server returned it with --json)"),
    "update": ("library", "send the changes from the server's object to FILE as one JSON Patch"),
    "set-status": ("library", "change an offer's status (one PATCH of /status)"),
    "delete": ("library", "delete an object of any kind (type its name to confirm, or --yes); refused while in use"),
    "create": ("kinds", "create an object of any kind from a JSON file (validated, references checked)"),
    "refs": ("kinds", "every object that references ID (by kind, name and id)"),
    "bulk": ("bulk", "create many offers from a JSON Lines or CSV file (journaled, resumable)"),
    "copy": ("copy", "copy offers to another profile's sandbox, mapping placements and rules by name"),
    "export": ("sync", "write a sandbox's objects to DIR/<kind>/<name>.json, ids as @kind/name"),
    "plan": ("sync", "what apply would do to a sandbox: create, update (the patch), unchanged"),
    "apply": ("sync", "make a sandbox hold what DIR holds (creates and updates; deletes with --prune)"),
    "sandboxes": ("sync", "two profiles side by side, every object of every kind; mark and apply (a TUI)"),
    "token": ("token", "print a valid access token (cached or new) on stdout, "
                       "e.g. export OFFER_TUI_ACCESS_TOKEN=$(offer-tui token)"),
    "preview": ("preview", "which offers a decision gives a profile on a placement, ranked, and why "
                           "not the others (the Decisioning API)"),
}

ALL = "*"  # add_parsers(sub, ALL): every topic's real parsers (tests, and commands not in the table)


def _topic(name: str):
    return importlib.import_module(f"offer_tui.commands.{name}")


class _OnlyOne:
    """A stand-in for the subparsers action handed to a topic's ``add_parsers``: the wanted
    command's parser is real, every other one the topic adds goes to a throwaway parser."""

    def __init__(self, sub, wanted: str) -> None:
        self._sub = sub
        self._wanted = wanted

    def add_parser(self, name: str, **kwargs):
        if name == self._wanted:
            return self._sub.add_parser(name, **kwargs)
        return argparse.ArgumentParser(prog=name, add_help=False)


def add_parsers(sub, command: str | None = ALL) -> None:
    """Parsers for the API commands: the real one for ``command`` (all of them for ``ALL``), and for
    the rest a stub that only carries the help line (it accepts anything; it is never dispatched)."""
    if command == ALL:
        for name in TOPICS:
            _topic(name).add_parsers(sub)
        return
    for name, (topic, help_line) in COMMAND_TABLE.items():
        if name == command:
            _topic(topic).add_parsers(_OnlyOne(sub, name))
        else:
            sub.add_parser(name, help=help_line, add_help=False)


def handler_for(command: str):
    topic = COMMAND_TABLE.get(command, (None, ""))[0]
    if topic is not None:
        handler = _topic(topic).COMMANDS.get(command)
        if handler is not None:
            return handler
    for name in TOPICS:
        handler = _topic(name).COMMANDS.get(command)
        if handler is not None:
            return handler
    return None


def dispatch(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    handler = handler_for(args.command)
    if handler is None:  # pragma: no cover - argparse only accepts registered commands
        raise KeyError(args.command)
    return handler(args, out or sys.stdout, err or sys.stderr)
