"""Progress for bulk and copy: a Rich bar on a terminal, plain lines otherwise; problems always shown."""

from __future__ import annotations

import io

from offer_tui.bulk import RowResult, Tally
from offer_tui.commands.progress import Progress, summary_line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def feed(progress: Progress, tally: Tally) -> None:
    results = [RowResult(1, "A", "created", offer_id="dps:1"), RowResult(2, "B\x1b[31m", "refused", reason="HTTP 400: bad"),
               RowResult(3, "C", "unknown", reason="HTTP 500")]
    with progress:
        for result in results:
            tally.add(result)
            progress.update(result, tally)


def test_plain_lines_when_not_a_terminal_with_every_problem_row():
    err, tally = io.StringIO(), Tally(total=3)
    feed(Progress(3, err), tally)
    text = err.getvalue()
    assert "row 2: refused: 'B': HTTP 400: bad" in text and "\x1b" not in text  # server text is made safe
    assert "row 3: unknown: 'C': HTTP 500" in text
    assert "3/3 done: created 1, refused 1, unknown 1" in text


def test_a_live_bar_on_a_terminal():
    err, tally = Terminal(), Tally(total=3)
    progress = Progress(3, err)
    feed(progress, tally)
    text = err.getvalue()
    assert progress.tty and "creating" in text and "3/3" in text and "created 1" in text and "unknown 1" in text
    assert "row 3: unknown" in text


def test_summary_line_names_earlier_and_resolved_rows():
    tally = Tally(total=4)
    for result in (RowResult(1, "A", "created", earlier=True), RowResult(2, "B", "created", resolved=True),
                   RowResult(3, "C", "created"), RowResult(4, "D", "unknown", reason="x")):
        tally.add(result)
    line = summary_line(tally)
    assert line.startswith("4 rows: created 3 (1 by an earlier run, 1 found by name), refused 0, unknown 1")
    assert tally.exit_code == 4
