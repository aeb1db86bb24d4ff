"""The offer was not created (or the outcome is unknown): message, hint, way back to the field at fault."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from offer_tui.api import ApiError
from offer_tui.safe_text import terminal_safe
from offer_tui.ui.widgets.app_header import AppHeader
from offer_tui.ui.widgets.key_footer import KeyFooter
from offer_tui.log import swallowed


class FailureScreen(Screen[str | None]):
    """Dismisses with an issue path to jump to, or None to go back to the form as it was."""

    BINDINGS = [
        Binding("escape", "back", "Back to the form", id="failure-back"),
        Binding("ctrl+f", "check_by_name", "Check by name", id="check-by-name"),
    ]
    DEFAULT_CSS = """
    FailureScreen #failure-body { padding: 0 1; }
    FailureScreen #failure-title { color: $error; text-style: bold; }
    FailureScreen #failure-title.-unknown { color: $warning; }
    FailureScreen #failure-details { height: auto; margin: 1 0; }
    FailureScreen #failure-fields { height: auto; max-height: 8; }
    FailureScreen #failure-actions { height: 1; margin: 1 0; }
    FailureScreen #failure-actions Button { margin-right: 2; }
    FailureScreen #failure-check { height: auto; }
    FailureScreen #failure-raw { height: auto; color: $text-muted; }
    """

    def __init__(self, error: ApiError, offer_type: str, name: str, outcome: Any = None) -> None:
        super().__init__(id="failure")
        self.error = error
        self.outcome = outcome  # the service's outcome: after an unknown one, what the lookup by name found
        self.offer_type = offer_type
        self.offer_name = name
        self.paths = [path for path, _ in getattr(error, "field_errors", []) or []]

    @property
    def unknown(self) -> bool:
        if self.outcome is not None:  # the service's verdict, when the create ran
            return self.outcome.verdict == "unknown"
        return bool(getattr(self.error, "outcome_unknown", False))  # a cancel in flight

    def compose(self) -> ComposeResult:
        error = self.error
        title = ("? Outcome unknown: the offer may or may not have been created." if self.unknown
                 else "✗ The offer was not created.")
        details = [f"{'message':<8} {error.message}"]
        if error.hint:
            details.append(f"{'hint':<8} {error.hint}")
        if error.status is not None:
            details.append(f"{'HTTP':<8} {error.status}")
        if error.code:
            details.append(f"{'code':<8} {error.code}")
        if error.code in ("no_credentials", "invalid_client", "invalid_scope", "token_expired"):
            details.append("F6 opens the credentials: pick or fix a profile, or type the secret.")
        reread = getattr(self.outcome, "reread", "")
        if reread:
            details.append(f"{'lookup':<8} {reread}")
        if self.unknown:
            details.append("Do not submit again blindly: check by name first (ctrl+f).")
        else:
            details.append("Your form is intact: Esc goes back to it.")
        yield AppHeader()
        with VerticalScroll(id="failure-body"):
            yield Static(title, id="failure-title", classes="-unknown" if self.unknown else "", markup=False)
            yield Static("\n".join(details), id="failure-details", markup=False)
            fields = OptionList(
                *[Option(f"✗ {path or 'offer'}: {message}") for path, message in error.field_errors],
                id="failure-fields",
            )
            fields.display = bool(self.paths)
            yield fields
            with Horizontal(id="failure-actions"):
                yield Button("Back to the form (Esc)", id="failure-back", variant="primary", compact=True)
                if self.unknown:
                    yield Button("Check by name (ctrl+f)", id="failure-check-button", compact=True)
            yield Static("", id="failure-check", markup=False)
            if error.raw:
                yield Static(f"Response body:\n{error.raw}", id="failure-raw", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        target = self.query_one("#failure-fields") if self.paths else self.query_one("#failure-back")
        target.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check_by_name":
            return self.unknown
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.paths):
            self.dismiss(self.paths[event.option_index])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "failure-back":
            self.action_back()
        elif event.button.id == "failure-check-button":
            self.action_check_by_name()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_check_by_name(self) -> None:
        if self.unknown:
            self.query_one("#failure-check", Static).update(f"Looking for offers named “{self.offer_name}”...")
            self.check_by_name()

    @work(exclusive=True, group="check-by-name")
    async def check_by_name(self) -> None:
        from offer_tui.service.offers import recheck_create

        out = self.query_one("#failure-check", Static)
        try:
            client = await self.app.acquire_client()  # type: ignore[attr-defined]
            # The service says what the lookup proves (an offer found may be an older one; none found
            # may still be in flight after a gateway's 502/504): nothing is concluded here.
            found = await recheck_create(client, self.offer_name, self.offer_type, error=self.error)
        except Exception as error:  # shown in place, never a traceback
            swallowed("checking by name after a failed write")
            out.update(f"Could not check: {type(error).__name__}: {terminal_safe(error, limit=600, one_line=True)}")
            return
        lines = [found.reread]
        for offer in found.matches[:5]:
            # Server text: no control characters reach the terminal.
            lines.append(f"  {terminal_safe(offer.get('id'), limit=120, one_line=True)}  "
                         f"created {terminal_safe(offer.get('created', '?'), limit=60, one_line=True)}")
        out.update("\n".join(lines))
