"""Before a second submit of an offer whose first submit had an unknown outcome: look its name up.

The lookup runs in a worker with a progress indicator. Nothing found: "not found: sending is
safe", and the screen dismisses True (the caller sends). Offers found: each is listed (id, created
at, status) and the user must choose "Create a second offer" in so many words; the highlighted
default, Enter on it, and Esc all send nothing. A failed lookup sends nothing either.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from offer_tui.safe_text import terminal_safe
from offer_tui.log import swallowed

SHOWN = 5  # offers listed by id; more are counted


def _field(offer: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = offer.get(key)
        if value not in (None, ""):
            return terminal_safe(value, limit=80, one_line=True)
    return "?"


def describe_found(name: str, offer_type: str, offers: list[dict[str, Any]]) -> str:
    first = "An offer with this name exists" if len(offers) == 1 else f"{len(offers)} offers with this name exist"
    lines = [f"{first} ({offer_type} “{name}”):"]
    for offer in offers[:SHOWN]:
        lines.append(f"  id {_field(offer, 'id')}, created at {_field(offer, 'created', 'createdDate')}, "
                     f"status {_field(offer, 'status')}")
    if len(offers) > SHOWN:
        lines.append(f"  ... and {len(offers) - SHOWN} more")
    lines.append("The earlier submit probably created it. Sending again creates a second offer with the same name.")
    return "\n".join(lines)


class ResendCheckScreen(ModalScreen[bool]):
    """Dismisses True when sending is safe (nothing found) or a second offer is chosen explicitly."""

    BINDINGS = [Binding("escape", "cancel", "Back, send nothing", id="resend-cancel")]
    DEFAULT_CSS = """
    ResendCheckScreen { align: center middle; }
    ResendCheckScreen > Vertical { width: 90%; max-width: 84; height: auto; max-height: 90%;
                                   border: thick $warning; background: $surface; padding: 0 1; }
    ResendCheckScreen #resend-title { text-style: bold; color: $warning; }
    ResendCheckScreen LoadingIndicator { height: 1; }
    ResendCheckScreen #resend-result { height: auto; margin: 1 0 0 0; }
    ResendCheckScreen #resend-choices { height: auto; max-height: 4; margin: 1 0 0 0; }
    ResendCheckScreen #resend-keys { color: $text-muted; }
    """

    def __init__(self, name: str, offer_type: str, earlier: str = "") -> None:
        super().__init__(id="resend-check")
        self.offer_name = name
        self.offer_type = offer_type
        self.earlier = earlier
        self.found: list[dict[str, Any]] | None = None
        self._done = False

    def compose(self) -> ComposeResult:
        safe_name = terminal_safe(self.offer_name, limit=200, one_line=True)
        with Vertical():
            yield Static("Checking before sending again", id="resend-title", markup=False)
            yield Static(f"The last submit of “{safe_name}” had an unknown outcome: it may have been created. "
                         f"Looking for {self.offer_type} offers with this name first...",
                         id="resend-text", markup=False)
            yield LoadingIndicator(id="resend-progress")
            yield Static("", id="resend-result", markup=False)
            choices = OptionList(id="resend-choices")
            choices.display = False
            yield choices
            yield Label("Esc: back to the form, send nothing", id="resend-keys")

    def on_mount(self) -> None:
        self.lookup()

    @work(exclusive=True, group="resend-check")
    async def lookup(self) -> None:
        from offer_tui.api import ApiError

        self._show_progress(True)
        try:
            client = await self.app.acquire_client()  # type: ignore[attr-defined]
            offers = await client.find_offers_by_name(self.offer_name, self.offer_type)
        except ApiError as error:
            self._failed(str(error))
            return
        except Exception as error:  # shown in place, never a traceback
            swallowed("the check before a resend")
            self._failed(type(error).__name__)
            return
        self.found = offers
        if not offers:
            text = f"Not found: no {self.offer_type} offer is named “{self.offer_name}”. Sending is safe."
            self.query_one("#resend-result", Static).update(text)
            self.app.notify(text + " Sending now.", title="Checked by name", timeout=8)
            self._finish(True)
            return
        self._show_progress(False)
        self.query_one("#resend-text", Static).update(
            f"The last submit of “{terminal_safe(self.offer_name, limit=200, one_line=True)}” had an unknown "
            "outcome, so its name was looked up before sending again.")
        self.query_one("#resend-result", Static).update(describe_found(self.offer_name, self.offer_type, offers))
        self._choices(Option("Do not send: back to the form", id="back"),
                      Option(f"Create a second offer named “{self.offer_name}”", id="create"))

    def _failed(self, why: str) -> None:
        self._show_progress(False)
        self.query_one("#resend-result", Static).update(
            f"Could not check: {terminal_safe(why, limit=600, one_line=True)}\nNothing was sent.")
        self._choices(Option("Check again", id="retry"), Option("Do not send: back to the form", id="back"))

    def _show_progress(self, busy: bool) -> None:
        self.query_one("#resend-progress").display = busy
        if busy:
            self.query_one("#resend-result", Static).update("")
            self.query_one("#resend-choices").display = False

    def _choices(self, *options: Option) -> None:
        choices = self.query_one("#resend-choices", OptionList)
        choices.clear_options()
        choices.add_options(options)
        choices.display = True
        choices.highlighted = 0
        choices.focus()
        self.query_one("#resend-keys", Label).update("↑/↓ choose, Enter: confirm   Esc: back to the form, send nothing")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option.id
        if choice == "create":
            self._finish(True)
        elif choice == "retry":
            self.lookup()
        else:
            self._finish(False)

    def _finish(self, go_ahead: bool) -> None:
        if not self._done:
            self._done = True
            self.dismiss(go_ahead)

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "resend-check")
        self._finish(False)
