"""One source for the keys: F1's key table and the command palette are generated from the bindings.

Each binding's ``description`` is its short footer label and its ``tooltip`` says what it does;
help and palette read both, so a new binding shows up in all three places and none can drift.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode

# Keys that are not bindings of ours but that every user needs, for the help's table.
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / shift+Tab", "next / previous field"),
    ("ctrl+u / ctrl+k", "in a text field: delete to its start / to its end"),
    ("ctrl+w", "in a text field: delete the word before the cursor"),
    ("Home / End", "in a text field: go to its start / its end (a selected text: typing replaces it)"),
    ("Enter / Space", "press a button, tick a box, open a list (type to filter it, Enter picks)"),
    ("Esc", "close a dialog or a drop-down, cancel"),
    ("ctrl+p", "command palette: every action below, plus themes"),
)


def key_label(key: str) -> str:
    """'f9' -> 'F9', 'escape' -> 'Esc', 'ctrl+y' stays; a binding's alternatives -> its first key."""
    first = key.split(",")[0].strip()
    if first == "escape":
        return "Esc"
    if first.startswith("f") and first[1:].isdigit():
        return first.upper()
    return first


def user_bindings(*nodes: DOMNode) -> list[tuple[DOMNode, Binding]]:
    """The bindings a user can run on these nodes (the first node wins a key), in declaration order."""
    found: list[tuple[DOMNode, Binding]] = []
    keys: set[str] = set()
    actions: set[str] = set()
    for node in nodes:
        for binding in node.BINDINGS:
            assert isinstance(binding, Binding), "declare keys as Binding(...) with a tooltip"
            key = key_label(binding.key)
            action = binding.action.removeprefix("app.")
            if key in keys or action in actions:
                continue
            keys.add(key)
            actions.add(action)
            found.append((node, binding))
    return found


def help_table(*nodes: DOMNode) -> str:
    """The F1 help's key table (Markdown) for these nodes' bindings."""
    rows = ["## Keys", "", "| Key | Does |", "| --- | --- |"]
    for _node, binding in user_bindings(*nodes):
        rows.append(f"| {key_label(binding.key)} | {_escape(binding.tooltip or binding.description)} |")
    rows.extend(f"| {key} | {_escape(does)} |" for key, does in OTHER_KEYS)
    return "\n".join(rows) + "\n"


def palette_commands(*nodes: DOMNode) -> Iterator[SystemCommand]:
    """One palette command per binding: its title is what the key does, its help names the key."""
    for node, binding in user_bindings(*nodes):
        title = binding.tooltip or binding.description
        yield SystemCommand(title, f"{key_label(binding.key)} · {binding.description}", _runner(node, binding.action))


def _runner(node: DOMNode, action: str) -> Callable[[], Any]:
    async def run() -> None:
        # Same rule as the key: an action its node disables here is explained, not silently dropped.
        target, name = (node.app, action[4:]) if action.startswith("app.") else (node, action)
        if target.check_action(name, ()) is False:
            node.app.notify(f"Not available here: {_plain(action, node)}.", title="Command palette")
            return
        await target.run_action(name)

    return run


def _plain(action: str, node: DOMNode) -> str:
    for binding in node.BINDINGS:
        if isinstance(binding, Binding) and binding.action == action:
            return binding.tooltip or binding.description
    return action


def _escape(text: str) -> str:
    return text.replace("|", "\\|")
