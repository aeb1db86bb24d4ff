"""The Textual app: owns settings, the API client, the catalog fetch, drafts, themes and submit routing.

``run()`` is the entry point the CLI calls for ``offer-tui`` (no subcommand), ``--demo`` and ``--from``.

Start-up is kept to what the first frame needs: the Basics step, the preview and the chrome.
httpx (and its SSL context), the demo server and the other steps load after the
first frame, or when first needed (see ``_after_first_frame`` and ``want_catalog``).
"""

from __future__ import annotations

import asyncio
import copy
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from offer_tui.drafts import Draft, DraftSaver, DraftStore, state_dir
from offer_tui.exit_codes import EXIT_USAGE
from offer_tui.model import OfferFileError, guess_offer_type, load_offer_file, strip_server_fields
from offer_tui.ui.connection import Connection
from offer_tui.ui import startup_gc
from offer_tui.ui.crash import SafeCrashReport
from offer_tui.ui.credentials_flow import CredentialsFlow
from offer_tui.ui.draft_flow import DraftFlow
from offer_tui.ui.flows.edit import EditFlow
from offer_tui.ui.flows.library import LibraryFlow
from offer_tui.ui.flows.submit import SubmitFlow
from offer_tui.ui.hangup import install_hangup_guard, use_hangup_safe_driver
from offer_tui.ui.keymap import palette_commands
from offer_tui.ui.prefs import PrefsSaver, config_dir, load_prefs
from offer_tui.ui.screens.wizard import STEP_CLASSES, WizardScreen
from offer_tui.ui.screens.offer_actions import OfferAction
from offer_tui.ui.screens.wizard_messages import (
    CatalogWanted, DraftChanged, NameCheckWanted, SubmitRequested, UserEdited,
)

if TYPE_CHECKING:
    from offer_tui.api import Settings

DEFAULT_THEME = "textual-dark"
# Once the user has paused this long, mount the other steps and fetch placements and rules (a step
# is also mounted when first shown, and the lists fetched when a step that shows them opens).
IDLE_PREFETCH = 1.5


class OfferTuiApp(SafeCrashReport, DraftFlow, CredentialsFlow, App[int]):
    TITLE = "offer-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Quit (the draft is kept)"),
        Binding("f7", "library", "Library", id="library",
                tooltip="The offer library: find, open, edit, clone, approve, archive or delete offers"),
        Binding("f6", "credentials", "Credentials", id="credentials",
                tooltip="Credentials: profiles, keyring and a connection test"),
        Binding("f8", "sandboxes", "Sandboxes", id="sandboxes",
                tooltip="Sandboxes: two profiles side by side, every object of every kind; mark and apply"),
    ]

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        client: Any | None = None,
        from_file: str | None = None,
        draft_store: DraftStore | None = None,
        config_directory: Path | None = None,
        install_signal_handlers: bool = False,
        sub_title: str | None = None,
        draft_delay: float = 0.5,
        demo: bool = False,
        profile: str | None = None,
        insecure_storage: bool = False,
        keyring_timeout: float = 3.0,
        timeout: float | None = None,
        start: str = "wizard",
        offer_id: str | None = None,
        offer_type: str | None = None,
    ) -> None:
        """``start``: "wizard" (focus in the name field), "library", or "edit" / "clone" with ``offer_id``."""
        super().__init__()
        self.connection = Connection(settings=settings, client=client, demo=demo, profile=profile,
                                     insecure_storage=insecure_storage, keyring_timeout=keyring_timeout,
                                     budget=timeout)
        self.demo = demo
        self.badge_info: tuple[str | None, str | None, bool] = self.connection.badge()
        self.from_file = from_file
        self.saver = DraftSaver(draft_store or DraftStore(state_dir()), delay=draft_delay)
        self.config_directory = config_directory or config_dir()
        self.prefs_saver = PrefsSaver(self.config_directory)
        self._install_signals = install_signal_handlers
        self._restore_signals: Any = None
        self._draft_timer: Timer | None = None
        self.submit_flow: SubmitFlow | None = None
        self.library_flow: LibraryFlow | None = None
        self.edit_flow: EditFlow | None = None
        self.start = start
        self.start_offer = (offer_id, offer_type)
        self.placements: list[dict[str, Any]] | None = None
        self.placements_error: str | None = None
        self.rules: list[dict[str, Any]] | None = None
        self.rules_error: str | None = None
        self._catalog_requested = False
        self._idle_timer: Timer | None = None
        self._idle_done = False
        if sub_title:
            self.sub_title = sub_title

    # -- start-up ---------------------------------------------------------------------------------
    @property
    def wizard(self) -> WizardScreen:
        return self.get_screen("wizard")  # type: ignore[return-value]

    def get_default_screen(self) -> Screen:
        """The wizard is the first screen, not pushed over Textual's empty default one: pushed from
        ``on_mount`` (which Textual runs inside a batch update), it was laid out and rendered once
        for nothing (the batch drops that frame) and again for the first frame: ~50 ms."""
        theme = load_prefs(self.config_directory).get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme  # before the wizard exists: its styles are computed once
        wizard = WizardScreen(settings=lambda: self.connection.settings, on_ready=self._wizard_ready)
        self.install_screen(wizard, "wizard")
        # Here, not in on_mount: the wizard's own on_mount (``_wizard_ready``) may come first.
        self.submit_flow = SubmitFlow(self, wizard)
        self.library_flow = LibraryFlow(self, wizard)
        self.edit_flow = EditFlow(self, wizard, self.library_flow)
        return wizard

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self._install_signals:  # SIGHUP / SIGTERM: save the draft, exit within a second (ui/hangup.py)
            self._restore_signals = install_hangup_guard(self, flush=self.saver.flush)
        # Nothing awaited here: Textual runs on_mount inside a batch update, and a frame laid out
        # and rendered within it is dropped. The wizard loads the start document from its own
        # on_mount (``_wizard_ready``), before its first layout.

    async def _wizard_ready(self) -> None:
        """Called by the wizard once composed, before its first layout: load what it starts with."""
        await self._load_initial()
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """Work the first frame does not need: the draft's lock (filelock loads ~20 modules; no draft
        is written before the user has typed), the credentials check and the idle timer (see
        ``_idle``). The demo API starts on first need (see ``Connection.ensure``). The garbage
        collector, paused for the start-up (ui/startup_gc.py), runs again from here."""
        startup_gc.resume()
        self.saver.store.claim()
        if not self.demo and self.connection.settings is None:
            self.prepare_credentials()
        self.restart_idle_timer()

    @property
    def settings(self) -> Settings | None:
        return self.connection.settings

    async def _load_initial(self) -> None:
        wizard = self.wizard
        if self.start != "wizard" and self.library_flow is not None:
            self.saver.store.claim()
            await wizard.load_document(None)
            if self.start == "library":
                self.library_flow.open()
            else:
                offer_id, offer_type = self.start_offer
                self.run_worker(self.library_flow.open_in_wizard(str(offer_id), offer_type or "", self.start),
                                group="library-open")
            return
        if self.from_file:
            try:
                raw = load_offer_file(self.from_file)
            except OfferFileError as error:
                self.notify(f"{error}\nStarting with an empty offer.", title="Cannot load the offer file",
                            severity="error", timeout=15)
                await wizard.load_document(None)
                return
            offer_type = guess_offer_type(raw) or "personalized"
            doc, based_on = strip_server_fields(raw)
            await wizard.load_document(doc, offer_type, based_on=based_on)
            return
        await self.offer_drafts()

    # -- API client and catalog ---------------------------------------------------------------------
    async def acquire_client(self) -> Any:
        """The API client (built on first use; with ``demo``, this starts the in-process demo API).
        Raises ApiError when no credential is usable."""
        client = await self.connection.client()
        self.update_badge()
        return client

    def want_catalog(self) -> None:
        """Placements and rules are needed (a step showing them opened, or the user paused): fetch once."""
        if not self._catalog_requested:
            self.load_catalog()

    def restart_idle_timer(self) -> None:
        """Called on start and on every edit: ``_idle`` runs once the user pauses."""
        if self._idle_done:
            return
        if self._idle_timer is not None:
            self._idle_timer.reset()
        else:
            self._idle_timer = self.set_timer(IDLE_PREFETCH, self._idle)

    def _idle(self) -> None:
        """The user paused: get ready for the next steps (mount them, fetch placements and rules),
        so httpx and ~200 widgets are not loaded while they type the first fields."""
        self._idle_done = True
        self._idle_timer = None
        if self.is_screen_installed("wizard"):
            self.wizard.mount_remaining_steps()
        self.want_catalog()

    @work(exclusive=True, group="catalog")
    async def load_catalog(self) -> None:
        """Fetch placements and rules off the UI thread; failures are shown where the lists would be."""
        from offer_tui.api import ApiError

        self._catalog_requested = True
        try:
            client = await self.acquire_client()
        except ApiError as error:
            self.placements, self.placements_error = None, str(error)
            self.rules, self.rules_error = None, str(error)
            self.apply_catalog()
            return
        placements, rules = await asyncio.gather(client.list_placements(), client.list_rules(),
                                                 return_exceptions=True)
        self.placements, self.placements_error = _split(placements)
        self.rules, self.rules_error = _split(rules)
        self.apply_catalog()

    def apply_catalog(self) -> None:
        """Hand the lists (or why they are missing) to the wizard, which gives them to its steps."""
        if not self.is_screen_installed("wizard"):
            return
        self.wizard.set_catalog("placements", self.placements, self.placements_error)
        self.wizard.set_catalog("rules", self.rules, self.rules_error)

    @on(CatalogWanted)
    def _catalog_wanted(self, message: CatalogWanted) -> None:
        if message.reload:
            self.load_catalog()
        else:
            self.want_catalog()

    @on(UserEdited)
    def _user_edited(self) -> None:
        self.restart_idle_timer()

    # -- drafts -------------------------------------------------------------------------------------
    @on(DraftChanged)
    def _draft_changed(self, message: DraftChanged) -> None:
        self.schedule_draft(message.doc, message.offer_type, message.step, message.based_on, message.edit)

    def schedule_draft(self, doc: dict[str, Any], offer_type: str, step: str, based_on: str | None,
                       edit: dict[str, Any] | None = None) -> None:
        self.saver.schedule(Draft(copy.deepcopy(doc), offer_type, step, based_on, edit))
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(self.saver.delay, self._write_draft_off_loop)

    def _write_draft_off_loop(self) -> None:
        """The autosave: written in a thread, so a slow fsync (NFS home) never stalls typing. The
        saver serialises writers and always writes the latest draft (drafts.DraftSaver)."""
        self.run_worker(self._write_draft_in_thread, thread=True, group="draft-write", exit_on_error=False)

    def _write_draft_in_thread(self) -> None:
        self.saver.flush()
        if self.saver.last_error is not None:
            self.call_from_thread(self._report_draft_error)

    def _report_draft_error(self) -> None:
        if self.saver.last_error is not None:
            self.notify(f"Could not save the draft: {self.saver.last_error}", severity="warning", title="Draft")
            self.saver.last_error = None

    def flush_draft(self) -> bool:
        """Write the pending draft now (on SIGHUP / SIGTERM, ui/hangup.py flushes ``saver`` itself)."""
        written = self.saver.flush()
        if self.saver.last_error is not None:
            self.notify(f"Could not save the draft: {self.saver.last_error}", severity="warning",
                        title="Draft")
            self.saver.last_error = None
        return written

    # -- submit -------------------------------------------------------------------------------------
    @property
    def submitting(self) -> bool:
        return any(flow is not None and flow.busy for flow in (self.submit_flow, self.edit_flow))

    @on(NameCheckWanted)
    def _name_check_wanted(self, message: NameCheckWanted) -> None:
        from offer_tui.ui.flows.name_check import look_up_name

        self.run_worker(look_up_name(self, message.name, message.offer_type), group="name-check")

    @on(SubmitRequested)
    def _submit_requested(self, message: SubmitRequested) -> None:
        if message.edit is not None and self.edit_flow is not None:
            self.edit_flow.start(message.doc, message.edit)
        elif self.submit_flow is not None:
            self.submit_flow.start(message.doc, message.offer_type)

    # -- the library ------------------------------------------------------------------------------------
    def action_library(self) -> None:
        if self.library_flow is not None:
            self.library_flow.open()

    def action_sandboxes(self) -> None:
        from offer_tui.ui.screens.sandboxes import SandboxesScreen

        if not any(isinstance(screen, SandboxesScreen) for screen in self.screen_stack):
            self.push_screen(SandboxesScreen())

    @on(OfferAction)
    def _offer_action(self, message: OfferAction) -> None:
        if self.library_flow is not None:
            self.library_flow.handle(message)

    # -- command palette, themes, quit -----------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Quit" or not isinstance(screen, WizardScreen):
                yield command  # the wizard's own quit (from its binding) keeps the draft
        if not isinstance(screen, WizardScreen):
            return
        wizard = screen
        yield from palette_commands(wizard, self)
        for cls in STEP_CLASSES:
            if cls.STEP_ID in wizard.visible_steps():
                yield SystemCommand(f"Go to {cls.TITLE}", f"Show the {cls.TITLE} step",
                                    lambda step_id=cls.STEP_ID: wizard.go_to(step_id))
        yield SystemCommand("New empty offer", "Discard the form and its draft, and start over (asks first)",
                            self._new_offer)

    def _new_offer(self) -> None:
        """Start over, after a confirmation that names what is lost."""
        from offer_tui.ui.screens.confirm import ConfirmScreen

        wizard = self.wizard
        wizard.rebuild(schedule=False)
        name = str(wizard.doc.get("name") or "").strip()
        what = f"the offer {name!r}" if name else "the offer in the form"
        question = f"Discard {what} and its saved draft, and start with an empty offer?"
        self.push_screen(ConfirmScreen("New empty offer", question, "discard it", "keep it"), self._new_offer_answered)

    async def _new_offer_answered(self, discard: bool | None) -> None:
        if not discard:
            self.notify("Kept the offer.", title="New empty offer")
            return
        self.saver.discard()
        await self.wizard.load_document(None)

    def _remember_theme(self, theme: Any) -> None:
        # Off the loop, like the draft: one writer at a time, the last theme chosen wins (ui/prefs.py).
        self.prefs_saver.set("theme", getattr(theme, "name", str(theme)))
        self.run_worker(self.prefs_saver.flush, thread=True, group="prefs-write", exit_on_error=False)

    async def action_quit(self) -> None:
        self.quit_or_warn()  # warns first when the draft cannot be saved (ui/draft_flow.py)

    async def on_unmount(self) -> None:
        self.saver.flush()  # the last word, at exit: waits for a write in progress (one writer at a time)
        self.prefs_saver.flush()
        self.saver.store.release()
        if self._restore_signals is not None:
            self._restore_signals()
        await self.connection.close_client()
        self.connection.stop_demo()


def _split(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, BaseException):
        return None, str(value) or type(value).__name__
    return value, None


def run(
    settings: Settings | None = None,
    *,
    demo: bool = False,
    from_file: str | None = None,
    profile: str | None = None,
    insecure_storage: bool = False,
    timeout: float | None = None,
    start: str = "wizard",
    offer_id: str | None = None,
) -> int:
    """Run the wizard. Without ``settings``, values are resolved after the first frame (flag >
    environment > profile and keyring). With ``demo``, the built-in demo API runs in-process from
    the first request on, and stops when the app ends."""
    if not (_is_terminal(sys.stdin) and _is_terminal(sys.__stderr__)):
        # Textual reads stdin and draws on stderr: without a terminal (cron, CI, `</dev/null`) it drew
        # escape codes into a pipe and waited for keys forever.
        print("offer-tui: the wizard needs a terminal (stdin and stderr are not one). In scripts use a "
              "command: validate, submit, bulk, list, get, update ... (offer-tui --help).", file=sys.stderr)
        return EXIT_USAGE
    app = OfferTuiApp(settings=None if demo else settings, from_file=from_file, install_signal_handlers=True,
                      sub_title="demo API" if demo else None, demo=demo, profile=profile,
                      insecure_storage=insecure_storage, timeout=timeout, start=start, offer_id=offer_id)
    use_hangup_safe_driver(app)
    startup_gc.pause()  # cli.py paused it before the imports already
    gc.freeze()  # what is loaded now lives as long as the process: later full passes skip it
    try:
        app.run()
        return app.return_code or 0
    finally:
        startup_gc.resume()
        app.connection.stop_demo()


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (ValueError, OSError):  # a closed stream
        return False
