"""The scriptable subcommands, one module per topic.

Each topic module has ``add_parsers(sub)`` and a ``COMMANDS`` dict (command name -> handler).
``TOPICS`` lists them in the order ``--help`` shows them; ``cli`` imports nothing else from here.
Modules are imported lazily, so building the parser loads neither httpx nor keyring.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import TextIO

# Module names under offer_tui.commands, in help order.
TOPICS: tuple[str, ...] = ("offers", "library", "bulk", "sync", "token", "preview")


def _topic(name: str):
    return importlib.import_module(f"offer_tui.commands.{name}")


def add_parsers(sub) -> None:
    for name in TOPICS:
        _topic(name).add_parsers(sub)


def handler_for(command: str):
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
