"""How `bulk` and `copy` show a journaled run: progress (a Rich live bar on a terminal, plain
lines otherwise), what the journal said on opening, the summary, the exit code.

Everything goes to stderr, so `--json` keeps stdout for the summary object. Problem rows
(refused, unknown, skipped) are always printed as lines, bar or not: they are what the user must
act on. The run itself is ``offer_tui.service.bulk``; this module only prints it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from offer_tui.exit_codes import EXIT_INTERRUPTED, EXIT_INVALID
from offer_tui.safe_text import terminal_safe

PLAIN_EVERY = 2.0  # seconds between plain progress lines


def concurrency(text: str) -> int:
    """argparse type of --concurrency (bulk and copy)."""
    from offer_tui.bulk import MAX_CONCURRENCY

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_CONCURRENCY}")
    return value


def problem_line(result, verb: str = "sends") -> str:
    name = terminal_safe(result.name or "", limit=80, one_line=True)
    reason = terminal_safe(result.reason or "", limit=300, one_line=True)
    if result.state == "existing":
        return f"row {result.row}: skipped {name!r}: {reason}; --allow-duplicates {verb} it anyway"
    return f"row {result.row}: {result.state}: {name!r}: {reason}"


class Progress:
    """``with Progress(total, err) as p: ... p.update(result, tally)``."""

    def __init__(self, total: int, err: TextIO, *, label: str = "creating", verb: str = "sends") -> None:
        self.total = total
        self.err = err
        self.label = label
        self.verb = verb
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
            self._print(problem_line(result, self.verb))
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


def run_journaled(args, out: TextIO, err: TextIO, *, journal_path: Path, fingerprint: str, meta: dict[str, Any],
                  total: int, run: Callable[[Any, Progress], tuple[int, Any]], label: str = "creating",
                  verb: str = "sends", extra: dict[str, Any] | None = None) -> int:
    """Open the journal, ``run(journal, progress)`` -> (exit code, Tally or None when the failure
    was already printed), print the summary; the exit code is the run's.
    """
    from offer_tui.bulk import InputError, JournalError
    from offer_tui.service.bulk import open_journal

    try:
        journal = open_journal(journal_path, fingerprint, meta)
    except (JournalError, OSError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_INVALID
    try:
        for problem in journal.problems:
            print(f"journal: {terminal_safe(problem, limit=400, one_line=True)}", file=err)
        if journal.resumed:
            counts = journal.counts()
            print(f"journal {journal_path}: resuming; {counts['created']} created earlier (skipped), "
                  f"{counts['sending'] + counts['unknown']} to look up by name first", file=err)
        progress = Progress(total, err, label=label, verb=verb)
        try:
            with progress:
                code, tally = run(journal, progress)
        except (InputError, JournalError) as exc:
            print(f"error: {exc}", file=err)
            return EXIT_INVALID
        except KeyboardInterrupt:
            print(f"\ninterrupted: every send is in the journal {journal_path}; run the same command again to "
                  "finish (rows whose outcome is unknown are looked up by name first)", file=err)
            return EXIT_INTERRUPTED
        if tally is None:
            return code
    finally:
        journal.close()
    print(summary_line(tally), file=err)
    print(f"journal: {journal_path}", file=err)
    if args.json:
        from offer_tui.commands.common import json_text

        print(json_text({**tally.summary(), "journal": str(journal_path), **(extra or {})}), file=out)
    return tally.exit_code
