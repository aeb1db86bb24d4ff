"""Copy marked offers to another profile: pick the target, see the mapping, then copy.

One modal, four phases: choose (a list of profiles), plan (both catalogues read, the mapping
shown; nothing can be sent while an id has no match or several), send (a progress bar) and done
(what happened). Production targets ask for the sandbox name first. The work is
``offer_tui.service.copy`` (the same plan and run as `offer-tui copy`); HTTP runs only in
workers. The target (its client, and the second demo API in --demo) lives as long as this screen:
closing the screen closes it.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, OptionList, ProgressBar, Static

from offer_tui.safe_text import terminal_safe


class CopyScreen(ModalScreen[dict | None]):
    """Dismisses with the run's summary (or None when nothing was sent)."""

    BINDINGS = [
        Binding("enter", "go", "Copy", id="copy-go", show=False),
        Binding("escape", "close", "Close", id="copy-close", show=False),
    ]
    DEFAULT_CSS = """
    CopyScreen { align: center middle; }
    CopyScreen > Vertical { width: 100%; max-width: 110; height: auto; max-height: 90%; border: thick $accent;
                            background: $surface; padding: 0 1; }
    CopyScreen #copy-title { text-style: bold; }
    CopyScreen OptionList { height: auto; max-height: 8; }
    CopyScreen DataTable { height: auto; max-height: 10; display: none; overflow-x: hidden; }
    CopyScreen DataTable.-shown { display: block; }
    CopyScreen ProgressBar { display: none; }
    CopyScreen ProgressBar.-shown { display: block; }
    CopyScreen #copy-status { height: auto; }
    CopyScreen #copy-status.-error { color: $error; }
    CopyScreen #copy-keys { color: $text-muted; }
    """

    def __init__(self, offer_ids: list[str], offer_type: str, acquire_client: Callable[[], Awaitable[Any]],
                 *, source_label: str, demo: bool = False, budget: float | None = None,
                 secret_store: Any = None) -> None:
        from offer_tui.api.budget import DEFAULT_BUDGET

        super().__init__()
        self.offer_ids = list(offer_ids)
        self.offer_type = offer_type
        self.acquire_client = acquire_client
        self.source_label = source_label
        self.demo = demo
        self.budget = budget or DEFAULT_BUDGET  # --timeout: every request of the copy, both sandboxes
        self.secret_store = secret_store
        self.phase = "choose"
        self.target = None  # a service.copy.CopyTarget, closed with this screen
        self.planned = None  # a service.copy.CopyPlan
        self.summary: dict | None = None

    def compose(self) -> ComposeResult:
        count = len(self.offer_ids)
        with Vertical():
            yield Static(f"Copy {count} {self.offer_type} offer{'s' * (count != 1)} to another sandbox",
                         id="copy-title", markup=False)
            yield OptionList(id="copy-targets")
            yield DataTable(id="copy-mapping", cursor_type="row", zebra_stripes=True)
            yield ProgressBar(total=count, id="copy-progress", show_eta=False)
            yield Static("Reading the profiles...", id="copy-status", markup=False)
            yield Label("Enter: choose the target   Esc: cancel", id="copy-keys", markup=False)

    def on_mount(self) -> None:
        self._load_targets()

    @work(thread=True, exclusive=True, group="copy-targets")
    def _load_targets(self) -> None:
        from offer_tui.service.copy import target_choices

        choices = target_choices(self.demo)
        self.app.call_from_thread(self._show_targets, choices)

    def _show_targets(self, choices: list[str]) -> None:
        targets = self.query_one(OptionList)
        targets.add_options([terminal_safe(c, limit=60, one_line=True) for c in choices])
        self._choices = choices
        if choices:
            targets.highlighted = 0
            targets.focus()
            self._status("Choose the profile to copy to.")
        else:
            self._status("No profile to copy to: add one with F6 (credentials) or `offer-tui profile add`.", error=True)

    # -- phases -------------------------------------------------------------------------------
    def _status(self, text: str, *, error: bool = False, keys: str | None = None) -> None:
        status = self.query_one("#copy-status", Static)
        status.update(text)
        status.set_class(error, "-error")
        if keys is not None:
            self.query_one("#copy-keys", Label).update(keys)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.phase == "choose":
            self.phase = "planning"
            self._status(f"Reading both catalogues and the target's offers for {self._choices[event.option_index]}...",
                         keys="Esc: cancel")
            self._plan(self._choices[event.option_index])

    async def _open_target(self, key: str):
        import asyncio

        from offer_tui.service.copy import DEMO_TARGET, open_demo_target, open_profile_target

        await self._close_target()  # a target chosen before (its plan failed) is closed first
        if key == DEMO_TARGET:
            self.target = await asyncio.to_thread(open_demo_target, budget=self.budget)
        else:
            self.target = await asyncio.to_thread(open_profile_target, key, budget=self.budget,
                                                  store=self.secret_store)
        return self.target

    async def _close_target(self) -> None:
        target, self.target = self.target, None
        if target is not None:
            await target.close()

    @work(exclusive=True, group="copy")
    async def _plan(self, key: str) -> None:
        from offer_tui.api import ApiError
        from offer_tui.credentials import CredentialError
        from offer_tui.service.copy import make_plan

        try:
            target = await self._open_target(key)
            source = await self.acquire_client()
            self.planned = await make_plan(source, target.client, self.offer_ids, self.offer_type)
        except (ApiError, CredentialError) as error:
            self.phase = "choose"
            self._status(f"✗ {terminal_safe(str(error), limit=400)}", error=True,
                         keys="Enter: choose the target   Esc: cancel")
            return
        self._show_plan()

    @property
    def plan(self):
        return self.planned.plan if self.planned is not None else None

    @property
    def rows(self) -> list:
        return self.planned.rows if self.planned is not None else []

    def _show_plan(self) -> None:
        from offer_tui.model import channel_short

        self.query_one(OptionList).display = False
        table = self.query_one(DataTable)
        # Ids shortened to their last part (the kind column says what they are), so that both fit
        # beside the name at 80 columns; the CLI's `copy --dry-run` prints them whole.
        table.add_columns("kind", "name", "source id", "target id")
        for entry in self.plan.entries:
            name = entry.name or "?"
            if entry.channel:
                name += f" ({channel_short(entry.channel)})"
            if entry.target_id:
                target = _short(entry.target_id)
            else:
                target = "✗ no match" if (entry.problem or "").startswith("no ") else "✗ several"
            table.add_row(entry.kind, _fit(name, 26), _short(entry.source_id), target)
        table.add_class("-shown")
        table.focus()
        problems = self.planned.blocked
        head = f"To {self.target.label}."
        if problems:
            self.phase = "blocked"
            text = "\n".join(["Nothing can be sent:"] + [f"✗ {terminal_safe(p, limit=200, one_line=True)}" for p in problems[:6]])
            self._status(f"{head}\n{text}", error=True, keys="Esc: close")
            return
        skipped = [r.name for r in self.planned.existing()]
        sending = len(self.rows) - len(skipped)
        lines = [head]
        if skipped:
            names = ", ".join(repr(terminal_safe(n or "", limit=40, one_line=True)) for n in skipped[:3])
            lines.append(f"Already in the target, skipped: {names}{' ...' if len(skipped) > 3 else ''}")
        if not sending:
            self.phase = "blocked"
            self._status("\n".join(lines + ["Nothing to copy."]), keys="Esc: close")
            return
        self.phase = "planned"
        self._status("\n".join(lines), keys=f"Enter: copy {sending} offer{'s' * (sending != 1)}   Esc: cancel")

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_go()

    def action_go(self) -> None:
        if self.phase == "choose":
            self.query_one(OptionList).action_select()
        elif self.phase == "planned":
            self.phase = "sending"
            self._send()

    @work(exclusive=True, group="copy")
    async def _send(self) -> None:
        import asyncio

        from offer_tui.api import ApiError
        from offer_tui.bulk import JournalError
        from offer_tui.files import state_dir
        from offer_tui.service.bulk import open_journal
        from offer_tui.service.copy import copy_fingerprint, journal_for, journal_meta, run_copy

        if self.target.production:
            from offer_tui.ui.screens.production import ProductionConfirmScreen

            profile = self.target.key
            action = f"copy {len(self.rows)} offer(s)"
            if not await self.app.push_screen_wait(ProductionConfirmScreen(profile, self.target.sandbox, action=action)):
                self.phase = "planned"
                self._status("Not copied.", keys="Enter: copy   Esc: cancel")
                return
        bar = self.query_one(ProgressBar)
        bar.add_class("-shown")
        self._status("Copying...", keys="Esc: close when done")

        def on_result(result, tally) -> None:
            bar.update(progress=tally.done)
            if result.state not in ("created", "existing"):
                self._status(f"row {result.row}: {result.state}: {terminal_safe(result.reason or '', limit=200)}")

        ids = [str(offer.get("id")) for offer in self.plan.offers]
        path = journal_for(state_dir(), self.source_label, self.target.key, self.offer_type, ids, None, self.target)
        try:
            journal = await asyncio.to_thread(open_journal, path, copy_fingerprint(self.rows, self.offer_type),
                                              {"offer_type": self.offer_type,
                                               **journal_meta(self.source_label, self.target.key, self.plan)})
        except (JournalError, OSError) as error:
            self.phase = "done"
            self._status(f"✗ {terminal_safe(str(error), limit=400)}", error=True, keys="Esc: close")
            return
        for problem in journal.problems:  # a damaged journal is said so, never silently accepted
            self.notify(terminal_safe(problem, limit=300), title="Copy journal", severity="warning", timeout=15)
        try:
            tally = await run_copy(self.target.client, self.planned, self.offer_type, journal, on_result=on_result)
        except ApiError as error:  # listing the target failed before anything was sent
            self.phase = "done"
            self._status(f"✗ {terminal_safe(str(error), limit=400)}", error=True, keys="Esc: close")
            return
        finally:
            await asyncio.to_thread(journal.close)
        bar.update(progress=tally.total)
        self.summary = tally.summary()
        self.phase = "done"
        self._status(terminal_safe(tally.describe("offers"), limit=800), error=bool(tally.exit_code), keys="Esc: close")

    def action_close(self) -> None:
        if self.phase in ("sending",):
            self.notify("Copying: every send is journaled; wait for it to finish.", title="Copy")
            return
        self.dismiss(self.summary)

    async def on_unmount(self) -> None:
        # The target's client and, in --demo, the second demo API it started: never left running.
        await self._close_target()


def _short(offer_id: str) -> str:
    """``dps:offer-placement:1a2b3c4d5e6f7081`` -> ``1a2b3c4d5e6f7081``."""
    return terminal_safe(offer_id.rsplit(":", 1)[-1], limit=20, one_line=True)


def _fit(text: str, width: int) -> str:
    safe = terminal_safe(text, limit=400, one_line=True)
    return safe if len(safe) <= width else safe[: width - 1] + "…"
