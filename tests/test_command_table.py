"""The command registry builds only the parser of the command that runs (issue 13, 7): `validate`
loads neither the library, bulk or copy commands nor asyncio and ssl, and `--help` still lists
every command, with the help lines the topic modules give."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from offer_tui import commands
from offer_tui.cli import build_parser

DATA = Path(__file__).parent / "data"


def _real_parsers() -> dict[str, str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    commands.add_parsers(sub, commands.ALL)
    return {action.dest: action.help for action in sub._choices_actions}


def test_the_static_table_is_what_the_topic_modules_register():
    real = _real_parsers()
    assert {name: help_line for name, (_, help_line) in commands.COMMAND_TABLE.items()} == real
    for name, (topic, _) in commands.COMMAND_TABLE.items():
        assert name in commands._topic(topic).COMMANDS


def test_help_lists_every_command(capsys):
    import pytest

    with pytest.raises(SystemExit) as stop:
        build_parser(["--help"]).parse_args(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for name in [*commands.COMMAND_TABLE, "profile", "login", "demo-server"]:
        assert f"    {name} " in out


def test_validate_imports_only_what_it_uses():
    code = ("import sys, json; from offer_tui.cli import main; "
            f"rc = main(['validate', {str(DATA / 'seed_offer.json')!r}]); "
            "print(json.dumps([rc, sorted(sys.modules)]), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    rc, loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert rc == 0
    heavy = {"asyncio", "ssl", "httpx", "keyring", "textual", "offer_tui.commands.copy",
             "offer_tui.commands.library", "offer_tui.commands.bulk", "offer_tui.commands.library_list"}
    assert heavy.isdisjoint(loaded), sorted(heavy & set(loaded))


def test_each_command_still_parses_its_own_options():
    args = build_parser(["list", "--json", "--limit", "3"]).parse_args(["list", "--json", "--limit", "3"])
    assert args.command == "list" and args.json and args.limit == 3
    args = build_parser(["--profile", "dev", "get", "X"]).parse_args(["--profile", "dev", "get", "X"])
    assert args.command == "get" and args.profile == "dev"
    argv = ["validate", "--log", "/tmp/x.log", "a.json"]
    assert build_parser(argv).parse_args(argv).log == "/tmp/x.log"
