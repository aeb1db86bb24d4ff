"""How the app shows a write's outcome. The write itself, and what an unknown answer means, live in
``offer_tui.service.offers`` (shared with the command line): this module only renders."""

from __future__ import annotations

from typing import Any

from offer_tui.safe_text import terminal_safe


def title_of(outcome: Any) -> str:
    """For a notification's title: refused, outcome unknown, or what the re-read settled."""
    return getattr(outcome, "title", None) or outcome.verdict


def text_of(outcome: Any) -> str:
    """The message: what the re-read found first (after an unknown answer it is the news), then the
    server's answer."""
    message = terminal_safe(outcome.message, limit=600)
    if outcome.verdict == "refused":
        return f"Nothing changed: {message}"
    if outcome.verdict == "unknown":
        return f"{outcome.reread}\nThe server's answer: {message}" if outcome.reread else message
    return message


def severity_of(outcome: Any) -> str:
    if outcome.verdict == "refused":
        return "error"
    return "information" if outcome.happened else "warning"
