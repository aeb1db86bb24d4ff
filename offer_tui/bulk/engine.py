"""The bulk engine: create many offers with bounded concurrency, journaled, never twice.

No Textual and no printing: the caller passes ``on_result`` and draws progress its own way.

Per row: a row the journal says was created is skipped; a row that was being sent when an earlier
run stopped, or ended ``unknown``, is first looked up by name (``resolve.py``) and sent only when
the lookup proves it missing; every send is journaled (fsync'd) before it goes out. A 429 on a
create proves nothing was created: the whole run waits (``RateGate``, honouring Retry-After) and
the row is sent again, unless the server asks for a wait longer than the time budget of one
request (``--timeout``): then the run stops at once and says when the server asked to come back.
Any other failure of a create is final for this run: ``refused`` when nothing was created,
``unknown`` when it may have been (the next run resolves it by name).

A row with no journal record whose name the target already has (``existing``) is skipped as
"already exists" unless duplicates are allowed: the journal alone cannot prevent duplicates once
it is lost, emptied, cut or replaced. When the journal cannot be written (a full disk) nothing
more is sent and the run stops; the caller still gets the tally.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from offer_tui.exit_codes import EXIT_API, EXIT_INVALID, EXIT_OK, EXIT_STOPPED, EXIT_UNKNOWN, worst

from .journal import CREATED, REFUSED, SENDING, SKIPPED, UNKNOWN, Journal, JournalError
from .resolve import FOUND, MISSING, resolve_by_name
from .rows import Row

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 16
MAX_RATE_LIMITED_TRIES = 10  # 429s for one row before it is given up as refused (nothing created)
MAX_PROBLEMS_KEPT = 200  # problem rows remembered for the summary; the journal has them all
# Refusals that every following row would meet too: the run stops instead of sending them.
_FATAL_STATUSES = frozenset({401, 403})
# How results that are not journal states are journaled: both mean "not created, send it next time
# if the target still lacks the name".
_JOURNAL_STATE = {"existing": SKIPPED, "not_sent": REFUSED}


@dataclass
class RowResult:
    row: int
    name: str | None
    state: str  # created, refused, unknown, skipped, existing (name already in the target), not_sent
    offer_id: str | None = None
    reason: str | None = None
    earlier: bool = False  # created by an earlier run (the journal says so)
    resolved: bool = False  # settled by a lookup by name, not by a receipt


@dataclass
class Tally:
    total: int = 0  # rows in the input (set by the caller when known)
    done: int = 0
    created: int = 0
    refused: int = 0
    unknown: int = 0
    skipped: int = 0
    earlier: int = 0  # of created: by an earlier run
    resolved: int = 0  # of created: found by name
    sent: int = 0  # create requests sent (a 429-resent row counts more than once)
    rate_limited: int = 0
    not_sent: int = 0  # left unsent because the run stopped
    existing: int = 0  # skipped: the target already has the name
    stopped: str | None = None
    stop_code: int = EXIT_API  # EXIT_STOPPED when the run stopped partway (disk full, a wait past the budget)
    problems: list[RowResult] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def add(self, result: RowResult) -> None:
        self.done += 1
        setattr(self, result.state, getattr(self, result.state) + 1)
        self.earlier += result.earlier
        self.resolved += result.resolved
        if result.state not in (CREATED, "existing") and len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(result)

    def stop(self, reason: str, code: int = EXIT_API) -> None:
        """Send nothing more; the first reason wins, the most severe code wins."""
        if self.stopped is None:
            self.stopped, self.stop_code = reason, code
        else:
            self.stop_code = worst(self.stop_code, code)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def exit_code(self) -> int:
        codes = [EXIT_OK]
        if self.refused or self.not_sent:
            codes.append(EXIT_API)
        if self.stopped:
            codes.append(self.stop_code)
        if self.unknown:
            codes.append(EXIT_UNKNOWN)
        if self.skipped:
            codes.append(EXIT_INVALID)
        return worst(*codes)

    def describe(self, what: str = "rows") -> str:
        """One line (two when the run stopped) saying what happened, for people."""
        extra = []
        if self.earlier:
            extra.append(f"{self.earlier} by an earlier run")
        if self.resolved:
            extra.append(f"{self.resolved} found by name")
        created = f"created {self.created}" + (f" ({', '.join(extra)})" if extra else "")
        line = (f"{self.done} {what}: {created}, refused {self.refused}, unknown {self.unknown}, "
                f"skipped {self.skipped} in {self.elapsed:.1f} s")
        if self.existing:
            line += f"; {self.existing} already in the target (skipped, none sent twice)"
        if self.rate_limited:
            line += f"; {self.rate_limited} rate-limited answer(s) slowed the run"
        if self.stopped:
            from offer_tui.safe_text import terminal_safe

            line += f"\nstopped early: {terminal_safe(self.stopped, limit=300, one_line=True)}; {self.not_sent} row(s) not sent"
        return line

    def summary(self) -> dict[str, Any]:
        return {
            "total": self.total, "done": self.done, "created": self.created, "refused": self.refused,
            "unknown": self.unknown, "skipped": self.skipped, "created_earlier": self.earlier,
            "resolved_by_name": self.resolved, "requests_sent": self.sent, "rate_limited": self.rate_limited,
            "not_sent": self.not_sent, "already_in_target": self.existing, "stopped": self.stopped, "elapsed": round(self.elapsed, 3),
            "exit_code": self.exit_code,
            "problems": [{"row": p.row, "name": p.name, "state": p.state, "reason": p.reason} for p in self.problems],
        }


class RateGate:
    """One gate for the whole run: after a 429 nobody sends until Retry-After has passed."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, sleep=asyncio.sleep) -> None:
        self._clock, self._sleep = clock, sleep
        self._open_at = 0.0
        self._streak = 0
        self.pauses = 0
        self.waited = 0.0

    async def wait(self) -> None:
        while (delay := self._open_at - self._clock()) > 0:
            self.waited += delay
            await self._sleep(delay)

    def slow_down(self, retry_after: float | None) -> None:
        self._streak += 1
        self.pauses += 1
        delay = retry_after if retry_after is not None else min(30.0, 0.5 * 2 ** min(self._streak, 6))
        self._open_at = max(self._open_at, self._clock() + max(delay, 0.0))

    def passed(self) -> None:
        self._streak = 0


class BulkEngine:
    """``existing(name)`` answers the ids the target already has for a name (None or empty: none);
    ``budget`` is the seconds one request may take (a longer Retry-After stops the run)."""

    def __init__(self, client, journal: Journal, offer_type: str, *, concurrency: int = DEFAULT_CONCURRENCY,
                 on_result: Callable[[RowResult, Tally], None] | None = None,
                 exclude_ids: Collection[str] = (), gate: RateGate | None = None,
                 max_rate_limited: int = MAX_RATE_LIMITED_TRIES,
                 existing: Callable[[str], Sequence[str] | None] | None = None,
                 allow_duplicates: bool = False, budget: float | None = None) -> None:
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be 1 to {MAX_CONCURRENCY}")
        self.client = client
        self.journal = journal
        self.offer_type = offer_type
        self.concurrency = concurrency
        self.on_result = on_result
        self.exclude_ids = exclude_ids
        self.gate = gate or RateGate()
        self.max_rate_limited = max_rate_limited
        self.existing = existing
        self.allow_duplicates = allow_duplicates
        self.budget = budget if budget is not None else getattr(client, "budget", None)
        self.tally = Tally()

    def _journal_failed(self, error: JournalError) -> None:
        self.tally.stop(f"{error}; nothing more was sent", EXIT_STOPPED)

    async def run(self, rows: Iterable[Row], invalid: Collection[int] = ()) -> Tally:
        """Settle every row; ``invalid`` (from the first pass) are journaled as skipped."""
        queue: asyncio.Queue[tuple[Row, str | None, asyncio.Future | None] | None] = \
            asyncio.Queue(maxsize=self.concurrency * 2)

        async def feed() -> None:
            for row in rows:
                if self.tally.stopped:
                    self.tally.not_sent += 1
                    continue
                before = self.journal.state(row.number)
                announced = None
                if row.ok and row.number not in invalid and before not in (CREATED, SENDING, UNKNOWN) \
                        and not self._exists(row):
                    # Journaled ahead, so a worker never waits for the disk before sending. A line
                    # for a row that a crash then keeps from being sent only costs a lookup.
                    try:
                        announced = self.journal.record_soon(row.number, row.name, SENDING)
                    except JournalError as error:
                        self._journal_failed(error)
                        self.tally.not_sent += 1
                        continue
                await queue.put((row, before, announced))
            for _ in range(self.concurrency):
                await queue.put(None)

        async def work() -> None:
            while (item := await queue.get()) is not None:
                row, before, announced = item
                if self.tally.stopped:
                    self.tally.not_sent += 1
                    continue
                result = await self._settle(row, before, announced, invalid)
                self.tally.add(result)
                if self.on_result is not None:
                    self.on_result(result, self.tally)

        tasks = [asyncio.create_task(feed())] + [asyncio.create_task(work()) for _ in range(self.concurrency)]
        try:
            await asyncio.gather(*tasks)
            try:
                await self.journal.drain()  # finishing lines were not waited for one by one
            except JournalError as error:
                self._journal_failed(error)
        finally:
            # One failure (the file) ends every task; none is left waiting on the queue.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return self.tally

    def _exists(self, row: Row) -> Sequence[str] | None:
        if self.allow_duplicates or self.existing is None or not row.name:
            return None
        return self.existing(row.name) or None

    def _finish(self, result: RowResult, **extra: Any) -> RowResult:
        # Not awaited: a crash before it lands leaves the row "sending", which a re-run resolves.
        # A journal that cannot be written stops the run; the row's result stays true.
        try:
            self.journal.record_soon(result.row, result.name, _JOURNAL_STATE.get(result.state, result.state), **extra)
        except JournalError as error:
            self._journal_failed(error)
        return result

    async def _settle(self, row: Row, before: str | None, announced: asyncio.Future | None,
                      invalid: Collection[int]) -> RowResult:
        name = row.name
        if not row.ok or row.number in invalid:
            reason = "; ".join(f"{p}: {r}" for p, r in row.errors[:3]) or "invalid (see the first pass)"
            return self._finish(RowResult(row.number, name, SKIPPED, reason=reason), reason=reason)
        assert row.doc is not None
        if before == CREATED:
            return RowResult(row.number, name, CREATED, earlier=True)
        if before in (SENDING, UNKNOWN):
            found = await resolve_by_name(self.client, row.doc, self.offer_type, self.exclude_ids)
            if found.verdict == FOUND:
                return self._finish(RowResult(row.number, name, CREATED, offer_id=found.offer_id, resolved=True),
                                    id=found.offer_id, resolved=True)
            if found.verdict != MISSING:
                return self._finish(RowResult(row.number, name, UNKNOWN, reason=found.reason), reason=found.reason)
        elif (ids := self._exists(row)) is not None:
            shown = ", ".join(list(ids)[:3]) + (" ..." if len(ids) > 3 else "")
            reason = f"already in the target ({shown})"
            return self._finish(RowResult(row.number, name, "existing", reason=reason), reason=reason)
        return await self._create(row, announced)

    async def _create(self, row: Row, announced: asyncio.Future | None) -> RowResult:
        from offer_tui.api import ApiError

        name, limited = row.name, 0
        try:
            if announced is None:
                announced = self.journal.record_soon(row.number, name, SENDING)
            await announced  # the "sending" line is on disk before the request goes out
        except JournalError as error:
            self._journal_failed(error)
            return RowResult(row.number, name, "not_sent", reason=f"not sent: {self.tally.stopped}")
        while True:
            await self.gate.wait()
            if self.tally.stopped:
                return self._finish(RowResult(row.number, name, "not_sent", reason=f"not sent: {self.tally.stopped}"),
                                    reason="not sent: the run stopped")
            self.tally.sent += 1
            try:
                result = await self.client.create_offer(row.doc, self.offer_type)
            except ApiError as exc:
                if exc.status == 429 and not exc.outcome_unknown:
                    wait = getattr(exc, "retry_after", None)
                    if wait is not None and self.budget is not None and wait > self.budget:
                        # A 429 proves nothing was created; waiting longer than one request may take
                        # would stall the run silently: stop, say when to come back.
                        self.tally.stop(_come_back(wait, self.budget), EXIT_STOPPED)
                        return self._finish(RowResult(row.number, name, "not_sent", reason=f"rate limited, not created: {self.tally.stopped}"),
                                            reason="rate limited (HTTP 429): not created")
                    if limited < self.max_rate_limited:
                        limited += 1
                        self.tally.rate_limited += 1
                        self.gate.slow_down(wait)
                        continue  # a 429 proves nothing was created: sending again is safe
                reason = _reason(exc)
                if exc.outcome_unknown:
                    return self._finish(RowResult(row.number, name, UNKNOWN, reason=reason), reason=reason)
                if exc.status in _FATAL_STATUSES or exc.status is None:
                    self.tally.stop(reason)
                return self._finish(RowResult(row.number, name, REFUSED, reason=reason), reason=reason)
            self.gate.passed()
            return self._finish(RowResult(row.number, name, CREATED, offer_id=result.offer_id), id=result.offer_id)


def _come_back(wait: float, budget: float) -> str:
    from datetime import datetime, timedelta, timezone

    when = datetime.now(timezone.utc) + timedelta(seconds=wait)
    return (f"rate limited: the server asked to wait {wait:.0f} s (to come back at "
            f"{when.strftime('%Y-%m-%d %H:%M:%S')} UTC), longer than the {budget:g} s allowed for one "
            "request (--timeout)")


def _reason(exc) -> str:
    status = f"HTTP {exc.status}: " if exc.status and f"HTTP {exc.status}" not in exc.message else ""
    text = status + exc.message
    if exc.field_errors:
        text += " (" + "; ".join(f"{p}: {m}" for p, m in exc.field_errors[:3]) + ")"
    return " ".join(text.split())
