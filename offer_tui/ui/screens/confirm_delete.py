"""Asks before a profile, its stored secret and its cached token are deleted."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class ConfirmDeleteScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("enter,y", "confirm", "Delete", id="delete-confirm"),
        Binding("escape,n", "cancel", "Keep", id="delete-cancel"),
    ]
    DEFAULT_CSS = """
    ConfirmDeleteScreen { align: center middle; }
    ConfirmDeleteScreen > Vertical { width: 90%; max-width: 64; height: auto; border: thick $error;
                                     background: $surface; padding: 0 1; }
    ConfirmDeleteScreen #delete-keys { color: $text-muted; }
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.profile_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Delete the profile {self.profile_name!r}, its stored client secret and its cached token?",
                markup=False,
            )
            yield Label("Enter / y: delete   Esc / n: keep it", id="delete-keys")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ConfirmOfferDeleteScreen(ModalScreen[bool]):
    """Type the offer's name to delete it: a stray key cannot. Dismisses True only on the exact name."""

    BINDINGS = [Binding("escape", "cancel", "Keep it", id="offer-delete-cancel")]
    DEFAULT_CSS = """
    ConfirmOfferDeleteScreen { align: center middle; }
    ConfirmOfferDeleteScreen > Vertical { width: 90%; max-width: 76; height: auto; border: thick $error;
                                          background: $surface; padding: 0 1; }
    ConfirmOfferDeleteScreen #offer-delete-title { text-style: bold; color: $error; }
    ConfirmOfferDeleteScreen #offer-delete-error { color: $error; height: auto; }
    ConfirmOfferDeleteScreen #offer-delete-keys { color: $text-muted; }
    """

    def __init__(self, name: str, offer_id: str, offer_type: str, status: str = "") -> None:
        super().__init__()
        self.offer_name = name
        self.offer_id = offer_id
        self.offer_type = offer_type
        self.status = status
        self.expected = name.strip() or offer_id  # an offer without a name: type its id

    def compose(self) -> ComposeResult:
        from textual.widgets import Input

        with Vertical():
            yield Static(f"Delete the {self.offer_type} offer “{self.offer_name}”?", id="offer-delete-title",
                         markup=False)
            state = f", status {self.status}" if self.status else ""
            yield Static(f"{self.offer_id}{state}\nThis cannot be undone. "
                         + ("Type the offer's name to delete it:" if self.offer_name.strip() else "Type its id to delete it:"),
                         id="offer-delete-text", markup=False)
            yield Input(placeholder=self.offer_name, id="offer-delete-input")
            yield Static("", id="offer-delete-error", markup=False)
            yield Label("Enter: delete   Esc: keep it", id="offer-delete-keys")

    def on_input_submitted(self, event: Any) -> None:
        event.stop()
        typed = event.value.strip()
        if typed == self.expected:
            self.dismiss(True)
            return
        reason = "Nothing typed." if not typed else "That is not the offer's name."
        self.query_one("#offer-delete-error", Static).update(f"{reason} Type it exactly, or press Esc.")

    def action_cancel(self) -> None:
        self.dismiss(False)


class TypedConfirmScreen(ModalScreen[str | None]):
    """Type ``expected`` (a name, or the count of marked offers) to go ahead. When ``users`` (what
    uses the object) is not empty, the typed text alone is refused: ctrl+f forces it. Dismisses
    "yes", "force" or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Keep it", id="typed-cancel"),
        Binding("ctrl+f", "force", "Force", id="typed-force", show=False, tooltip="Delete although it is in use"),
    ]
    DEFAULT_CSS = """
    TypedConfirmScreen { align: center middle; }
    TypedConfirmScreen > Vertical { width: 95%; max-width: 90; height: auto; max-height: 100%; border: thick $error;
                                    background: $surface; padding: 0 1; }
    TypedConfirmScreen #typed-title { text-style: bold; color: $error; }
    TypedConfirmScreen #typed-scroll { height: auto; max-height: 12; }
    TypedConfirmScreen #typed-error { color: $error; height: auto; }
    TypedConfirmScreen #typed-keys { color: $text-muted; dock: bottom; }
    """

    def __init__(self, title: str, lines: list[str], expected: str, prompt: str, *,
                 users: list[str] | None = None) -> None:
        super().__init__()
        self._title = title
        self._lines = lines
        self.expected = expected
        self._prompt = prompt
        self.users = users or []

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll
        from textual.widgets import Input

        with Vertical():
            yield Static(self._title, id="typed-title", markup=False)
            body = list(self._lines)
            if self.users:
                body += ["", f"In use by {len(self.users)}: deleting it leaves them pointing at nothing."]
                body += [f"  {line}" for line in self.users]
            with VerticalScroll(id="typed-scroll"):
                yield Static("\n".join(body), id="typed-text", markup=False)
            yield Static(self._prompt, markup=False)
            yield Input(placeholder=self.expected, id="typed-input")
            yield Static("", id="typed-error", markup=False)
            keys = "Enter: delete   Esc: keep it" if not self.users else "ctrl+f: delete anyway (force)   Esc: keep it"
            yield Label(keys, id="typed-keys", markup=False)

    def on_mount(self) -> None:
        from textual.widgets import Input

        self.query_one("#typed-input", Input).focus()

    def _typed_ok(self) -> bool:
        from textual.widgets import Input

        typed = self.query_one("#typed-input", Input).value.strip()
        if typed == self.expected:
            return True
        reason = "Nothing typed." if not typed else "That is not it."
        self.query_one("#typed-error", Static).update(f"{reason} Type {self.expected!r} exactly, or press Esc.")
        return False

    def on_input_submitted(self, event: Any) -> None:
        event.stop()
        if not self._typed_ok():
            return
        if self.users:
            self.query_one("#typed-error", Static).update(
                f"Refused: {len(self.users)} object(s) use it. ctrl+f deletes it anyway; Esc keeps it.")
            return
        self.dismiss("yes")

    def action_force(self) -> None:
        if self.users and self._typed_ok():
            self.dismiss("force")

    def action_cancel(self) -> None:
        self.dismiss(None)
