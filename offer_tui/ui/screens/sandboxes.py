"""The Sandboxes view: two profiles side by side, every object of every kind, and apply the marked.

Pick the source, then the target; both are read (one listing per kind each) and each object shows
as only in source, only in target, differs (the patch below the table) or same. Space marks,
`a` applies the marked objects to the target with the plan, confirmation (production: type the
sandbox name), journal and progress of `apply`. The work is :mod:`offer_tui.sync.compare` and
:mod:`offer_tui.sync.apply`; HTTP runs only in workers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label, OptionList, ProgressBar, Static

from offer_tui.safe_text import terminal_safe

MARK = "●"


def _safe(text: object, limit: int = 200) -> str:
    return terminal_safe(str(text), limit=limit, one_line=True)


class SandboxesScreen(Screen[None]):
    BINDINGS = [
        Binding("space", "mark", "Mark", id="sb-mark"),
        Binding("a", "apply", "Apply marked", id="sb-apply"),
        Binding("r", "reread", "Read again", id="sb-reread"),
        Binding("j", "down", "Down", id="sb-down", show=False),
        Binding("k", "up", "Up", id="sb-up", show=False),
        Binding("escape,q", "back", "Back", id="sb-back"),
    ]
    DEFAULT_CSS = """
    SandboxesScreen { layout: vertical; }
    SandboxesScreen #sb-title { text-style: bold; height: 1; }
    SandboxesScreen OptionList { height: auto; max-height: 12; }
    SandboxesScreen DataTable { height: 1fr; display: none; }
    SandboxesScreen DataTable.-shown { display: block; }
    SandboxesScreen #sb-detail { height: auto; max-height: 7; color: $text-muted; }
    SandboxesScreen ProgressBar { display: none; }
    SandboxesScreen ProgressBar.-shown { display: block; }
    SandboxesScreen #sb-status { height: auto; max-height: 5; }
    SandboxesScreen #sb-status.-error { color: $error; }
    SandboxesScreen #sb-keys { color: $text-muted; height: 1; }
    """

    def __init__(self, open_side: Callable[[str], Awaitable[object]] | None = None,
                 profiles: list[str] | None = None) -> None:
        super().__init__()
        self.open_side = open_side or _open_profile
        self.profiles = profiles
        self.phase = "choose"
        self.chosen: list[str] = []
        self.source = self.target = None
        self.comparison = None
        self.marked: set[tuple[str, str]] = set()
        self.rows: dict[str, object] = {}
        self.note = ""  # the last apply's summary, kept above the fresh comparison

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Sandboxes: pick the source profile", id="sb-title", markup=False)
            yield OptionList(id="sb-profiles")
            yield DataTable(id="sb-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="sb-detail", markup=False)
            yield ProgressBar(id="sb-progress", show_eta=False)
            yield Static("Reading the profiles...", id="sb-status", markup=False)
            yield Label("Enter: choose   Esc: back", id="sb-keys", markup=False)

    def on_mount(self) -> None:
        if self.profiles is not None:
            self._show_profiles(self.profiles)
        else:
            self._load_profiles()

    @work(thread=True, exclusive=True, group="sb-profiles")
    def _load_profiles(self) -> None:
        from offer_tui.sync.sides import profile_names

        names = profile_names()
        self.app.call_from_thread(self._show_profiles, names)

    def _show_profiles(self, names: list[str]) -> None:
        self.profiles = names
        options = self.query_one(OptionList)
        options.add_options([_safe(n, 60) for n in names])
        if len(names) < 2:
            self._status("Two profiles are needed: add one with `offer-tui profile add`.", error=True)
            return
        options.highlighted = 0
        options.focus()
        self._status("Choose the source (what to copy from).")

    def _status(self, text: str, *, error: bool = False, keys: str | None = None) -> None:
        status = self.query_one("#sb-status", Static)
        status.update(text)
        status.set_class(error, "-error")
        if keys is not None:
            self.query_one("#sb-keys", Label).update(keys)

    # -- choosing the two profiles --------------------------------------------------------------
    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.phase != "choose" or not self.profiles:
            return
        name = self.profiles[event.option_index]
        if self.chosen and name == self.chosen[0]:
            self._status("The target must be another profile than the source.", error=True)
            return
        self.chosen.append(name)
        if len(self.chosen) == 1:
            self.query_one("#sb-title", Static).update(f"Sandboxes: {_safe(name, 40)} -> pick the target profile")
            self._status("Choose the target (what to apply to).")
            return
        self.phase = "reading"
        self.query_one(OptionList).display = False
        self._compare()

    # -- reading and comparing -----------------------------------------------------------------
    @work(exclusive=True, group="sb")
    async def _compare(self) -> None:
        from offer_tui.api import ApiError
        from offer_tui.credentials import CredentialError
        from offer_tui.sync.compare import compare

        self._status("Reading both sandboxes (one listing per kind)...", keys="Esc: back")
        try:
            if self.source is None:
                self.source = await self.open_side(self.chosen[0])
            if self.target is None:
                self.target = await self.open_side(self.chosen[1])
            self.comparison = await compare(self.source.library, self.target.library)
        except (ApiError, CredentialError) as error:
            self.phase = "failed"
            self._status(f"✗ {_safe(error, 400)}", error=True, keys="r: read again   Esc: back")
            return
        self._show_table()

    def _show_table(self) -> None:
        from offer_tui.sync.compare import ONLY_SOURCE

        self.query_one("#sb-title", Static).update(
            f"Sandboxes: {_safe(self.source.label, 40)} -> {_safe(self.target.label, 40)}")
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(" ", "kind", "name", "state")
        self.rows = {}
        present = set()
        for row in self.comparison.rows:
            key = f"{row.kind}/{row.name}"
            present.add(row.key)
            self.rows[key] = row
            state = row.state + (" ✗" if row.problems else "")
            table.add_row(MARK if row.key in self.marked else "", row.kind, _safe(row.name, 60), state, key=key)
        self.marked &= present
        table.add_class("-shown")
        table.focus()
        self.phase = "compared"
        counts = self.comparison.counts()
        summary = ", ".join(f"{n} {state}" for state, n in counts.items())
        head = f"{self.note}\n" if self.note else ""
        self._status(f"{head}{summary}." + ("" if counts[ONLY_SOURCE] or counts["differs"] else " Nothing to apply."),
                     keys="space: mark   a: apply marked   r: read again   Esc: back")
        self._detail()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _current(self):
        table = self.query_one(DataTable)
        if not self.rows or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key)

    def _detail(self) -> None:
        row = self._current()
        detail = self.query_one("#sb-detail", Static)
        if row is None:
            detail.update("")
            return
        lines = [f"✗ {_safe(p, 300)}" for p in row.problems[:3]] + [_safe(line, 300) for line in row.lines[:6]]
        if len(row.lines) > 6:
            lines.append(f"... and {len(row.lines) - 6} more change(s)")
        detail.update("\n".join(lines) if lines else f"{row.kind}/{_safe(row.name, 80)}: {row.state}")

    # -- marks and moves -----------------------------------------------------------------------
    def action_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_mark(self) -> None:
        if self.phase != "compared":
            return
        row = self._current()
        if row is None:
            return
        table = self.query_one(DataTable)
        key = f"{row.kind}/{row.name}"
        if row.key in self.marked:
            self.marked.discard(row.key)
        elif row.action is not None and row.state in ("only in source", "differs"):
            self.marked.add(row.key)
        else:
            self.notify(f"{row.kind}/{_safe(row.name, 60)} is {row.state}: nothing to apply", title="Sandboxes")
        table.update_cell(key, table.ordered_columns[0].key, MARK if row.key in self.marked else "")
        table.action_cursor_down()
        self._status(f"{len(self.marked)} marked.", keys="space: mark   a: apply marked   r: read again   Esc: back")

    def action_reread(self) -> None:
        if self.phase in ("compared", "failed", "done") and len(self.chosen) == 2:
            self.phase = "reading"
            self._compare()

    # -- applying ------------------------------------------------------------------------------
    def action_apply(self) -> None:
        if self.phase != "compared":
            return
        if not self.marked:
            self._status("Mark objects first (space).", error=True)
            return
        from offer_tui.sync.compare import plan_for

        plan = plan_for(self.comparison, self.marked)
        if plan.problems:
            self._status("\n".join(["Nothing was sent:"] + [f"✗ {_safe(p, 200)}" for p in plan.problems[:4]]),
                         error=True)
            return
        self.phase = "confirming"
        self._apply(plan)

    @work(exclusive=True, group="sb")
    async def _apply(self, plan) -> None:
        from offer_tui.bulk.journal import JournalError
        from offer_tui.files import state_dir
        from offer_tui.sync.apply import apply_plan, journal_path, open_journal

        names = ", ".join(f"{a.kind}/{_safe(a.name, 40)}" for a in plan.actions[:5])
        more = f" and {len(plan.actions) - 5} more" if len(plan.actions) > 5 else ""
        live = sum(a.live for a in plan.actions)
        question = (f"{plan.count('create')} create(s), {plan.count('update')} update(s) in "
                    f"{self.target.label}: {names}{more}." + (f" {live} will be live." if live else ""))
        if self.target.production:
            from offer_tui.ui.screens.production import ProductionConfirmScreen

            ok = await self.app.push_screen_wait(ProductionConfirmScreen(
                self.target.key, self.target.sandbox, action=f"apply {len(plan.actions)} change(s)"))
        else:
            from offer_tui.ui.screens.confirm import ConfirmScreen

            ok = await self.app.push_screen_wait(ConfirmScreen("Apply the marked objects?", question,
                                                               "apply them", "go back"))
        if not ok:
            self.phase = "compared"
            self._status("Not applied. Nothing was sent.")
            return
        self.phase = "sending"
        bar = self.query_one(ProgressBar)
        bar.update(total=len(plan.actions), progress=0)
        bar.add_class("-shown")
        self._status("Applying...", keys="(every write is journaled; wait for the end)")
        folder = Path(f"sandboxes-from-{self.source.identity}")
        try:
            journal = open_journal(journal_path(state_dir(), self.target.identity, folder), self.target.identity, folder)
        except JournalError as error:
            self.phase = "compared"
            self._status(f"✗ {_safe(error, 300)}. Nothing was sent.", error=True)
            return
        problems: list[str] = []

        def on_step(step) -> None:
            bar.advance(1)
            if step.state != "done":
                problems.append(f"{step.state}: {step.action.kind}/{_safe(step.action.name, 60)}: "
                                f"{_safe(step.reason, 200)}")

        try:
            result = await apply_plan(self.target.library, plan, journal, on_step=on_step)
        finally:
            journal.close()
        self.marked.clear()
        self.phase = "done"
        summary = (f"Applied: {result.count('done')} done, {result.count('refused')} refused, "
                   f"{result.count('unknown')} unknown, {result.count('skipped')} not sent.")
        self.note = "\n".join([summary] + problems[:3])
        bar.remove_class("-shown")
        self.phase = "reading"
        self._compare()  # what the target holds now, from a fresh read

    def action_back(self) -> None:
        if self.phase in ("sending", "confirming"):
            self.notify("Applying: every write is journaled; wait for it to finish.", title="Sandboxes")
            return
        stack = self.app.screen_stack
        # On its own (`offer-tui sandboxes`) only Textual's blank default screen is below: leave
        # the app. Opened from the wizard or the library (F8), go back to it.
        if len(stack) < 2 or stack[-2].id == "_default":
            self.app.exit()
        else:
            self.app.pop_screen()

    async def on_unmount(self) -> None:
        for side in (self.source, self.target):
            if side is not None:
                await side.close()


async def _open_profile(name: str):
    import asyncio

    from offer_tui.sync.sides import open_profile

    return await asyncio.to_thread(open_profile, name)
