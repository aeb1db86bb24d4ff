"""Carry out a plan: creates and updates in dependency order, then --prune's deletes, dependents
first; every write journaled and classified by the outcome rules of ``bulk``. No printing.

Why a re-run never creates twice: apply always plans again first (one listing per kind), so what
an earlier run created is found by name and is ``unchanged``. The journal covers what a listing
alone cannot: a create that was being sent (or ended unknown) is looked up by name once more,
right before it would be sent again; a write whose outcome is unknown is never resent in the
same run (its dependents wait for the next run). An update is sent only after a re-read shows the
etag the plan saw, as the patch of that re-read to the file.

Journal rows are keyed by kind and name (a 48-bit hash), not by position, so a folder edited
between two runs still finds its objects' lines. A run that settles everything removes its journal.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offer_tui.api.errors import ApiError
from offer_tui.api.library import Library
from offer_tui.bulk.journal import CREATED, REFUSED, SENDING, SKIPPED, UNKNOWN, Journal, JournalError
from offer_tui.exit_codes import EXIT_API, EXIT_OK, EXIT_STOPPED, worst
from offer_tui.model.patch import diff_documents, same
from offer_tui.service import objects

from .fileform import KIND_ORDER, ORDER, strip_server
from .plan import CREATE, DELETE, UPDATE, Action, Plan, fill_ids

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 16
MAX_RATE_LIMITED = 10
DONE = "done"


@dataclass
class Step:
    """What became of one action."""

    action: Action
    state: str  # done, refused, unknown, skipped
    object_id: str | None = None
    reason: str = ""
    resolved: bool = False  # settled by a lookup by name or a re-read, not by a receipt
    result: Any = None  # the service layer's outcome of the write, when one was sent

    @property
    def outcome(self):
        """The service layer's typed outcome (Done / Refused / Unknown), as every other write gives."""
        from offer_tui.service.outcomes import APPLIED, CANNOT_TELL, NOT_APPLIED, Done, Refused, Unknown

        if self.result is not None:
            return self.result
        text = f"{self.action.action} {self.action.kind}/{self.action.name}" + (f": {self.reason}" if self.reason else "")
        if self.state == DONE:
            return Unknown(text, APPLIED, self.reason) if self.resolved else Done(text)
        if self.state == UNKNOWN:
            return Unknown(text, CANNOT_TELL, self.reason)
        if self.state == REFUSED and self.resolved:
            return Unknown(text, NOT_APPLIED, self.reason)
        return Refused(text)


@dataclass
class ApplyResult:
    steps: list[Step] = field(default_factory=list)
    requests: int = 0  # writes and the reads apply made itself (etag checks, lookups)
    writes: int = 0
    stopped: str | None = None
    elapsed: float = 0.0  # seconds of the write phase (after the plan and the confirmation)

    def count(self, state: str) -> int:
        return sum(1 for s in self.steps if s.state == state)

    @property
    def exit_code(self) -> int:
        """The worst step's code by the service layer's mapping of outcomes; 8 when it stopped."""
        from offer_tui.service.outcomes import exit_code

        codes = [EXIT_OK] + [exit_code(s.outcome) for s in self.steps]
        if self.count(SKIPPED):
            codes.append(EXIT_API)
        if self.stopped:
            codes.append(EXIT_STOPPED)
        return worst(*codes)


def row_key(word: str, name: str) -> int:
    """The journal row of an object: its identity (kind and name), stable across runs and edits."""
    return int.from_bytes(hashlib.blake2b(f"{word}\0{name}".encode("utf-8", "surrogatepass"),
                                          digest_size=6).digest(), "big")


def journal_path(state: Path, target: str, folder: Path) -> Path:
    key = hashlib.sha256(json.dumps([target, str(folder.resolve())]).encode()).hexdigest()[:16]
    return state / "apply" / f"apply-{key}.journal.jsonl"


def open_journal(path: Path, target: str, folder: Path) -> Journal:
    """One journal per target and folder (locked: two applies of one folder cannot interleave),
    opened by the bulk engine's own code; its ``problems`` say what was damaged."""
    from offer_tui.service.bulk import open_journal as open_bulk_journal

    fingerprint = hashlib.sha256(f"offer-tui apply v1\0{target}\0{folder.resolve()}".encode()).hexdigest()
    try:
        return open_bulk_journal(path, fingerprint, {"apply": {"target": target, "folder": str(folder.resolve())}})
    except OSError as exc:
        raise JournalError(f"{path.parent}: cannot make the journal's folder ({exc.strerror or exc})") from None


def _reason(exc: ApiError) -> str:
    status = f"HTTP {exc.status}: " if exc.status and f"HTTP {exc.status}" not in exc.message else ""
    text = status + exc.message
    if exc.field_errors:
        text += " (" + "; ".join(f"{p}: {m}" for p, m in exc.field_errors[:3]) + ")"
    return " ".join(text.split())


class Applier:
    def __init__(self, library: Library, plan: Plan, journal: Journal, *, concurrency: int = DEFAULT_CONCURRENCY,
                 on_step: Callable[[Step], None] | None = None, sleep=asyncio.sleep) -> None:
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be 1 to {MAX_CONCURRENCY}")
        self.library = library
        self.plan = plan
        self.journal = journal
        self.limit = asyncio.Semaphore(concurrency)
        self.on_step = on_step
        self.sleep = sleep
        self.result = ApplyResult()
        # (kind, name) -> id in the target: what exists already, then what this run creates.
        self.ids: dict[tuple[str, str], str] = {(a.kind, a.name): a.target_id for a in plan.actions
                                                if a.target_id and a.action != DELETE}
        self.failed: set[tuple[str, str]] = set()

    async def run(self) -> ApplyResult:
        started = time.monotonic()
        try:
            return await self._run()
        finally:
            self.result.elapsed = time.monotonic() - started

    async def _run(self) -> ApplyResult:
        for level in ORDER:
            todo = [a for a in self.plan.actions if a.kind in level and a.action in (CREATE, UPDATE)]
            await asyncio.gather(*(self._one(a) for a in todo))
            if self.result.stopped:
                break
        deletes = [a for a in self.plan.actions if a.action == DELETE]
        for word in reversed(KIND_ORDER):  # dependents first
            if self.result.stopped:
                break
            await asyncio.gather(*(self._one(a) for a in deletes if a.kind == word))
        try:
            await self.journal.drain()
        except JournalError as exc:
            self.result.stopped = self.result.stopped or str(exc)
        return self.result

    # -- one action -----------------------------------------------------------------------------
    async def _one(self, action: Action) -> None:
        if self.result.stopped:
            return self._settle(Step(action, SKIPPED, reason=f"not sent: {self.result.stopped}"), journal=False)
        async with self.limit:
            try:
                step = await (self._create(action) if action.action == CREATE else
                              self._update(action) if action.action == UPDATE else self._delete(action))
            except ApiError as exc:  # a read of ours failed (etag check, lookup): nothing was sent
                step = Step(action, REFUSED, reason=f"not sent: {_reason(exc)}")
                if exc.status in (401, 403) or exc.code == "timeout":
                    self.result.stopped = self.result.stopped or _reason(exc)
            except JournalError as exc:  # disk full, folder gone: nothing more may be sent
                self.result.stopped = self.result.stopped or str(exc)
                return self._settle(Step(action, SKIPPED, reason="not sent: the journal cannot be written"),
                                    journal=False)
        try:
            self._settle(step)
        except JournalError as exc:
            self.result.stopped = self.result.stopped or str(exc)

    def _settle(self, step: Step, *, journal: bool = True) -> None:
        action = step.action
        if step.state == DONE and step.object_id and action.action == CREATE:
            self.ids[(action.kind, action.name)] = step.object_id
        if step.state != DONE:
            self.failed.add((action.kind, action.name))
        self.result.steps.append(step)
        if self.on_step is not None:
            self.on_step(step)
        if journal:
            # Not awaited: a crash before it lands leaves the row "sending", which a re-run looks up.
            state = CREATED if step.state == DONE else step.state
            future = self.journal.record_soon(row_key(action.kind, action.name), f"{action.kind}/{action.name}",
                                              state, action=action.action, id=step.object_id,
                                              reason=step.reason or None, resolved=step.resolved or None)
            future.add_done_callback(lambda f: f.cancelled() or f.exception())  # drain() reports failures

    async def _sending(self, action: Action) -> None:
        await self.journal.record(row_key(action.kind, action.name), f"{action.kind}/{action.name}", SENDING,
                                  action=action.action)

    async def _write(self, send):
        """``send()`` (a service write, returning its outcome) with the bulk rule for 429: it proves
        nothing was written, so wait (its Retry-After) and send again."""
        from offer_tui.service.outcomes import Refused

        for attempt in range(MAX_RATE_LIMITED + 1):
            self.result.requests += 1
            self.result.writes += 1
            outcome = await send()
            if isinstance(outcome, Refused) and outcome.status == 429 and attempt < MAX_RATE_LIMITED:
                wait = getattr(outcome.error, "retry_after", None)
                await self.sleep(min(30.0, wait if isinstance(wait, (int, float)) else 0.5 * 2 ** attempt))
                continue
            return outcome
        raise AssertionError("unreachable")

    def _step(self, action: Action, outcome, object_id: str | None = None) -> Step:
        """A Step from the service's outcome: done (proved, or found by the re-read / lookup),
        refused (certainly not applied), unknown (cannot tell)."""
        from offer_tui.service.outcomes import APPLIED, NOT_APPLIED, Done, Refused

        reason = " ".join(f"{outcome.message} {getattr(outcome, 'reread', '')}".split())
        if isinstance(outcome, Done):
            object_id = object_id or (outcome.receipt or {}).get("id")
            return Step(action, DONE, object_id, "", result=outcome)
        if isinstance(outcome, Refused):
            return Step(action, REFUSED, object_id, reason, result=outcome)
        if outcome.found == APPLIED:
            reason = f"the answer proved nothing; {outcome.reread}"
            if object_id is None:
                found = outcome.offer or (outcome.matches[0] if outcome.matches else {})
                object_id = found.get("id") if isinstance(found, dict) else None
            return Step(action, DONE, object_id, reason, True, result=outcome)
        if outcome.found == NOT_APPLIED:
            return Step(action, REFUSED, object_id, reason, True, result=outcome)
        return Step(action, UNKNOWN, object_id, reason, result=outcome)

    async def _find(self, action: Action) -> list[dict[str, Any]]:
        self.result.requests += 1
        return [o for o in await self.library.find_by_name(action.kind, action.name) if o.get("name") == action.name]

    def _blocked(self, action: Action) -> str | None:
        from .plan import pending_refs

        waiting = [f"{k}/{n}" for k, n in pending_refs(action) if (k, n) in self.failed]
        return f"not sent: it uses {', '.join(waiting)}, which this run did not settle" if waiting else None

    async def _create(self, action: Action) -> Step:
        blocked = self._blocked(action)
        if blocked:
            return Step(action, SKIPPED, reason=blocked)
        body = fill_ids(action, self.ids)
        if body is None:
            return Step(action, SKIPPED, reason="not sent: an object it uses has no id in the target yet")
        earlier = self.journal.state(row_key(action.kind, action.name))
        if earlier in (SENDING, UNKNOWN):
            # An earlier run may have created it after all: look before sending again.
            found = await self._find(action)
            if len(found) == 1:
                return Step(action, DONE, found[0].get("id"), "found by name (an earlier run created it)", True)
            if len(found) > 1:
                return Step(action, UNKNOWN, reason=f"{len(found)} {action.kind} of this name in the target now")
        await self._sending(action)
        # The plan found no object of this name in the target: any found after an unclear answer is this one.
        outcome = await self._write(lambda: objects.create(self.library, action.kind, body, check=False,
                                                           known_ids=frozenset()))
        return self._step(action, outcome)

    async def _update(self, action: Action) -> Step:
        blocked = self._blocked(action)
        if blocked:
            return Step(action, SKIPPED, reason=blocked)
        body = fill_ids(action, self.ids)
        if body is None:
            return Step(action, SKIPPED, reason="not sent: an object it uses has no id in the target yet")
        assert action.target_id is not None
        self.result.requests += 1
        current = await self.library.get(action.kind, action.target_id)
        if not same(current.get("etag"), action.etag):
            return Step(action, REFUSED, action.target_id,
                        f"changed in the target since the plan (etag {action.etag} -> {current.get('etag')}): "
                        "nothing sent; run apply again to see the new plan")
        ops = diff_documents(strip_server(current), body)
        if not ops:
            return Step(action, DONE, action.target_id, "already as the file says")
        await self._sending(action)
        outcome = await self._write(lambda: objects.patch(self.library, action.kind, action.target_id,
                                                          before=current, ops=ops))
        return self._step(action, outcome, action.target_id)

    async def _delete(self, action: Action) -> Step:
        assert action.target_id is not None
        await self._sending(action)
        # force: the plan already refused deletes that a remaining object would still use.
        outcome = await self._write(lambda: objects.delete(self.library, action.kind, action.target_id, force=True))
        if getattr(outcome, "status", None) == 404:
            return Step(action, DONE, action.target_id, "already gone", True)
        return self._step(action, outcome, action.target_id)


async def apply_plan(library: Library, plan: Plan, journal: Journal, *, concurrency: int = DEFAULT_CONCURRENCY,
                     on_step: Callable[[Step], None] | None = None) -> ApplyResult:
    """Carry out ``plan`` (its problems must be empty). The journal is removed when every
    action is done; kept (for the next run's lookups) otherwise."""
    if plan.problems:
        raise ValueError("a plan with problems cannot be applied")
    result = await Applier(library, plan, journal, concurrency=concurrency, on_step=on_step).run()
    if result.exit_code == EXIT_OK:
        try:
            os.unlink(journal.path)
        except OSError:
            from offer_tui.log import swallowed

            swallowed("removing a settled apply journal")
    return result
