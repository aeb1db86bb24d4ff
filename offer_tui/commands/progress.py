"""How `bulk` and `copy` show progress: a Rich live bar on a terminal, plain lines otherwise.

Both write to stderr, so `--json` keeps stdout for the summary object. Problem rows (refused,
unknown, skipped) are always printed as lines, bar or not: they are what the user must act on.
"""

from __future__ import annotations

import time
from typing import TextIO

from offer_tui.safe_text import terminal_safe

PLAIN_EVERY = 2.0  # seconds between plain progress lines


def problem_line(result) -> str:
    name = terminal_safe(result.name or "", limit=80, one_line=True)
    reason = terminal_safe(result.reason or "", limit=300, one_line=True)
    return f"row {result.row}: {result.state}: {name!r}: {reason}"


class Progress:
    """``with Progress(total, err) as p: ... p.update(result, tally)``."""

    def __init__(self, total: int, err: TextIO, *, label: str = "creating") -> None:
        self.total = total
        self.err = err
        self.label = label
        self._live = None
        self._task = None
        self._last_plain = 0.0
        self.tty = bool(getattr(err, "isatty", lambda: False)())

    def __enter__(self) -> Progress:
        if self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeRemainingColumn

            self._live = RichProgress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("created {task.fields[created]}  refused {task.fields[refused]}  "
                           "unknown {task.fields[unknown]}  {task.fields[rate]}/s"),
                TimeRemainingColumn(), console=Console(file=self.err), transient=False,
            )
            self._live.start()
            self._task = self._live.add_task(self.label, total=self.total, created=0, refused=0, unknown=0, rate="0.0")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.stop()

    def update(self, result, tally) -> None:
        if result.state != "created":
            self._print(problem_line(result))
        rate = tally.done / tally.elapsed if tally.elapsed > 0 else 0.0
        if self._live is not None:
            self._live.update(self._task, completed=tally.done, created=tally.created, refused=tally.refused,
                              unknown=tally.unknown, rate=f"{rate:.1f}")
            return
        now = time.monotonic()
        if now - self._last_plain >= PLAIN_EVERY or tally.done == self.total:
            self._last_plain = now
            left = (self.total - tally.done) / rate if rate > 0 else 0.0
            print(f"{tally.done}/{self.total} done: created {tally.created}, refused {tally.refused}, "
                  f"unknown {tally.unknown}, skipped {tally.skipped}; {rate:.1f}/s, about {left:.0f} s left",
                  file=self.err, flush=True)

    def _print(self, line: str) -> None:
        if self._live is not None:
            self._live.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.err, flush=True)


def summary_line(tally, what: str = "rows") -> str:
    return tally.describe(what)
