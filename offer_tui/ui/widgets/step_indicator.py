"""The row of steps at the top of the wizard: where you are, and which steps hold errors."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


# Names that keep the whole row inside 80 columns; the current step always shows its full title.
SHORT = {"representations": "Reps", "constraints": "Constraints", "capping": "Capping"}


class StepIndicator(Static):
    DEFAULT_CSS = """
    StepIndicator { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, steps: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._steps = steps
        self._state: tuple | None = None

    def show(self, current: str, errors: dict[str, int], skipped: set[str], compact: bool) -> None:
        state = (current, tuple(sorted(errors.items())), tuple(sorted(skipped)), compact)
        if state == self._state:
            return  # repainting an unchanged row would cost bytes on every keystroke
        self._state = state
        text = Text(no_wrap=True, overflow="ellipsis")
        number = 0
        for step_id, title in self._steps:
            if step_id in skipped:
                continue
            number += 1
            if number > 1:
                text.append(" › ", style="dim")
            label = f"{number} {SHORT.get(step_id, title) if compact and step_id != current else title}"
            count = errors.get(step_id, 0)
            style = "bold reverse" if step_id == current else ""
            text.append(f" {label} ", style=style)
            if count:
                text.append(f"✗{count}", style="bold red")
        self.update(text)
