"""A one-line choice among a few options, all shown at once: ← / → (or space) picks.

Used for status and offer type on the Basics step instead of `Select`. A Select is five
widgets (with an overlay `OptionList`) and its styles; these two were about a sixth of the
wizard's start-up time. With two options, showing both is also one keypress less than a
drop-down.
"""

from __future__ import annotations

from typing import Any, Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

__all__ = ["Choice"]

GAP = "   "


class Choice(Widget, can_focus=True):
    """Options as ``(label, value)`` pairs, like `Select`; ``value`` is the chosen one's value."""

    BINDINGS = [
        Binding("left", "move(-1)", "Previous", show=False, id="choice-previous"),
        Binding("right", "move(1)", "Next", show=False, id="choice-next"),
        Binding("space", "move(1)", "Next", show=False, id="choice-cycle"),
    ]

    COMPONENT_CLASSES = {"choice--selected", "choice--option"}

    DEFAULT_CSS = """
    Choice {
        width: 1fr; height: 3; padding: 0 2;
        background: $surface; border: tall $border-blurred;
    }
    Choice:focus { border: tall $border; background-tint: $foreground 5%; }
    Choice.error, Choice.error:focus { border: tall $error; }
    Choice > .choice--option { color: $text-muted; }
    Choice > .choice--selected { color: $text; text-style: bold; }
    Choice:focus > .choice--selected { background: $block-cursor-background; color: $block-cursor-foreground; }
    """

    value: reactive[Any] = reactive(None, init=False)

    class Changed(Message):
        """The value changed (by the user or by code), like `Select.Changed`."""

        def __init__(self, choice: "Choice", value: Any) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> "Choice":
            return self.choice

    def __init__(self, options: Sequence[tuple[str, Any]], *, value: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._options = list(options)
        self.set_reactive(Choice.value, value if self._has(value) else self._first())
        self._spans: list[tuple[int, int]] = []

    def _has(self, value: Any) -> bool:
        return any(v == value for _, v in self._options)

    def _first(self) -> Any:
        return self._options[0][1] if self._options else None

    @property
    def options(self) -> list[tuple[str, Any]]:
        return list(self._options)

    def set_options(self, options: Sequence[tuple[str, Any]]) -> None:
        self._options = list(options)
        if not self._has(self.value):
            self.value = self._first()
        self.refresh(layout=True)

    def validate_value(self, value: Any) -> Any:
        return value if self._has(value) else self.value

    def watch_value(self, value: Any) -> None:
        self.post_message(self.Changed(self, value))

    def action_move(self, step: int) -> None:
        values = [v for _, v in self._options]
        if not values:
            return
        index = values.index(self.value) if self.value in values else 0
        self.value = values[(index + step) % len(values)]

    def render(self) -> Text:
        selected = self.get_component_rich_style("choice--selected", partial=True)
        other = self.get_component_rich_style("choice--option", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        for label, value in self._options:
            if text:
                text.append(GAP)
            start = len(text)
            chosen = value == self.value
            text.append(f"{'●' if chosen else '○'} {label}", style=selected if chosen else other)
            self._spans.append((start, len(text)))
        return text

    def get_content_width(self, container: Any, viewport: Any) -> int:
        return sum(len(label) + 2 for label, _ in self._options) + len(GAP) * max(0, len(self._options) - 1)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return 1

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for (start, end), (_, value) in zip(self._spans, self._options):
            if start <= offset.x < end:
                self.value = value
                return
