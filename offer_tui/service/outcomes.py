"""The one typed outcome every write returns, and the exit code each one means.

``Done``: the server proved the write (a receipt; for a delete, the documented answer and a
re-read that found the object gone). ``Refused``: certainly nothing happened, with the reason;
``local`` tells a refusal of ours (not confirmed, invalid input, nothing to change) from the
API's. ``Unknown``: the answer proves nothing; ``found`` is what a re-read (or a lookup by name
after a create) settled: applied, not applied, or cannot tell.

Both front ends render these; the CLI's exit code comes from :func:`exit_code` so the app and the
command line cannot disagree about what a verdict means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from offer_tui.exit_codes import EXIT_API, EXIT_IN_USE, EXIT_INVALID, EXIT_NOT_CONFIRMED, EXIT_OK, EXIT_UNKNOWN

APPLIED = "applied"
NOT_APPLIED = "not applied"
CANNOT_TELL = "cannot tell"

# Why we refused locally, each with its exit code.
NOT_CONFIRMED = "not confirmed"
INVALID = "invalid"
NOTHING_TO_DO = "nothing to do"
CONFLICT = "changed on the server"
IN_USE = "in use"  # a delete refused because other objects reference the target (exit 7)


@dataclass(frozen=True)
class Done:
    message: str
    receipt: dict[str, Any] = field(default_factory=dict)
    status: int | None = None
    offer: dict[str, Any] | None = None  # the object as the server holds it now, when read
    result: Any = None  # the client's WriteResult (elapsed time, raw receipt)
    verdict: str = field(default="done", init=False)

    @property
    def happened(self) -> bool:
        return True

    @property
    def found(self) -> str:
        return APPLIED


@dataclass(frozen=True)
class Refused:
    message: str
    status: int | None = None
    local: str | None = None  # NOT_CONFIRMED, INVALID, NOTHING_TO_DO, CONFLICT, IN_USE; None: the API refused
    error: Any = None  # the ApiError, for front ends that show its fields (field_errors, hint)
    verdict: str = field(default="refused", init=False)

    @property
    def happened(self) -> bool:
        return False

    @property
    def found(self) -> str:
        return NOT_APPLIED


@dataclass(frozen=True)
class Unknown:
    message: str  # what the write's answer was (why it proves nothing)
    found: str = CANNOT_TELL  # APPLIED, NOT_APPLIED or CANNOT_TELL: what the re-read settled
    reread: str = ""  # what the re-read said, one or two sentences ("" when none was made)
    status: int | None = None
    offer: dict[str, Any] | None = None  # what the server holds now, when the re-read returned it
    matches: tuple[dict[str, Any], ...] = ()  # after a create: the objects found by name
    error: Any = None
    verdict: str = field(default="unknown", init=False)

    @property
    def happened(self) -> bool:
        """The re-read proved the write's effect is on the server."""
        return self.found == APPLIED

    @property
    def title(self) -> str:
        """For a title: what the user can rely on now."""
        return "outcome unknown" if self.found == CANNOT_TELL else self.found


Outcome = Union[Done, Refused, Unknown]


def verdict_of(outcome: Outcome) -> tuple[str, str]:
    """(done / refused / unknown, what the re-read found): what both front ends must agree on."""
    return outcome.verdict, outcome.found


def exit_code(outcome: Outcome) -> int:
    """The CLI's exit code for an outcome (README's table): one mapping for every write."""
    if isinstance(outcome, Done):
        return EXIT_OK
    if isinstance(outcome, Refused):
        if outcome.local == NOT_CONFIRMED:
            return EXIT_NOT_CONFIRMED
        if outcome.local == IN_USE:
            return EXIT_IN_USE
        if outcome.local == INVALID:
            return EXIT_INVALID
        if outcome.local == NOTHING_TO_DO:
            return EXIT_OK
        return EXIT_API
    if outcome.found == APPLIED:
        return EXIT_OK  # the re-read proved it: the user's intent holds
    if outcome.found == NOT_APPLIED:
        return EXIT_API  # certain: nothing changed
    return EXIT_UNKNOWN


def error_exit_code(error: Any) -> int:
    """The exit code of an API error that ended a command before any outcome (a failed read, a
    token that could not be had): 4 when it says a write's outcome is unknown, else 3."""
    return EXIT_UNKNOWN if getattr(error, "outcome_unknown", False) else EXIT_API
