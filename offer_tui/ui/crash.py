"""What the app prints when it crashes: a short plain traceback, never the data it was holding.

Textual's default fatal-error handler renders a rich Traceback with ``show_locals=True``: every
local variable of every frame is pretty-printed. With a large or deeply nested offer in a local
that rendering took minutes and hundreds of MB (issue 7, item 7), and it would print the user's
data (maybe confidential copy) to the terminal. Here: frames and the exception only, each line
cut short, control characters removed, a bounded number of lines.
"""

from __future__ import annotations

import re
import traceback
from typing import Any
from offer_tui.log import swallowed

MAX_LINES = 40
MAX_LINE = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def crash_text(error: BaseException) -> str:
    """A bounded, plain-text report of ``error`` (no locals, no long values)."""
    try:
        lines = traceback.format_exception(type(error), error, error.__traceback__, limit=12)
    except Exception:  # noqa: BLE001 - a broken __str__ must not stop the report
        swallowed("formatting a crash report")
        lines = [f"{type(error).__name__} (its message could not be shown)\n"]
    out: list[str] = []
    for chunk in lines:
        for line in chunk.rstrip("\n").splitlines():
            line = _CONTROL.sub("?", line)
            out.append(line if len(line) <= MAX_LINE else line[:MAX_LINE] + "...")
    if len(out) > MAX_LINES:
        out = out[: MAX_LINES // 2] + [f"... {len(out) - MAX_LINES} lines left out ..."] + out[-MAX_LINES // 2 :]
    out.append("offer-tui crashed; this is a bug. Your draft is kept (it is saved as you type).")
    return "\n".join(out)


class SafeCrashReport:
    """Mixin for the App: replaces Textual's locals-rendering fatal-error report with ``crash_text``."""

    _crash_error: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        self._crash_error = error
        super()._handle_exception(error)  # type: ignore[misc]

    def _fatal_error(self) -> None:
        from rich.text import Text

        app: Any = self
        app.bell()
        error = self._crash_error
        text = crash_text(error) if error is not None else "offer-tui crashed (no details)."
        app._exit_renderables.append(Text(text))
        app._close_messages_no_wait()
