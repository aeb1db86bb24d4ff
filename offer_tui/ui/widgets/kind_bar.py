"""The library's row of kind names (where you are, as k9s shows it) and the ``:`` prompt.

The prompt completes a kind word as you type (``:dec`` -> ``decisions``, Right or Tab takes the
suggestion); Enter switches, Esc goes back to the table.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from offer_tui.model.kinds import KINDS, kind_named

KIND_WORDS = tuple(k.word for k in KINDS)


class KindBar(Static):
    DEFAULT_CSS = """
    KindBar { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, current: str, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.current = current

    def on_mount(self) -> None:
        self.show(self.current)

    def show(self, word: str) -> None:
        self.current = word
        text = Text()
        for i, other in enumerate(KIND_WORDS):
            if i:
                text.append(" ")
            if other == word:
                text.append(f"[{other}]", style="bold reverse")
            else:
                text.append(f" {other} ")
        self.update(text)


class KindPrompt(Input):
    """``:`` then a kind word; completes from the kinds' words and their singulars."""

    BINDINGS = [Binding("tab", "take_suggestion", "Complete", id="kind-complete", show=False,
                        tooltip="Take the suggested kind")]

    def __init__(self, **kwargs) -> None:
        words = list(KIND_WORDS) + [k.singular for k in KINDS]
        super().__init__(placeholder=":kind  (" + " ".join(KIND_WORDS) + ")", suggester=SuggestFromList(
            words, case_sensitive=False), **kwargs)

    def action_take_suggestion(self) -> None:
        self.action_cursor_right()  # at the end, Right takes the suggestion

    @staticmethod
    def word_of(typed: str) -> str | None:
        found = kind_named(typed.strip().lstrip(":"))
        if found is not None:
            return found.word
        # A unique start is enough: ":dec" is decisions.
        starts = [w for w in KIND_WORDS if w.startswith(typed.strip().lstrip(":").lower())] if typed.strip() else []
        return starts[0] if len(starts) == 1 else None
