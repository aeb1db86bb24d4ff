"""One time budget per user action: a token plus the call, retries included.

Before this, each try had its own 30 s read timeout and a token mint could take 4 x 30 s = 124 s
against a server that accepts connections and never answers. Now every public client operation
(and every token mint) runs under ``asyncio.timeout(budget)``; when it runs out the error names the
two ways to change it, ``--timeout SECONDS`` and ``OFFER_TUI_TIMEOUT``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any

DEFAULT_BUDGET = 30.0  # seconds for one user action: a token (if one is needed) plus the call
ENV_TIMEOUT = "OFFER_TUI_TIMEOUT"
MAX_BUDGET = 3600.0
CONNECT_TIMEOUT = 10.0


class BudgetSettingError(ValueError):
    """``--timeout`` or ``OFFER_TUI_TIMEOUT`` is not a usable number of seconds."""


def parse_budget(text: str | float | None, source: str) -> float | None:
    """Seconds from a flag or the environment; None when not given; BudgetSettingError otherwise."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        seconds = float(text)
    except (TypeError, ValueError):
        raise BudgetSettingError(f"{source} must be a number of seconds, not {str(text)[:40]!r}") from None
    if not (0 < seconds <= MAX_BUDGET):  # also rejects NaN
        raise BudgetSettingError(f"{source} must be more than 0 and at most {MAX_BUDGET:g} seconds, not {seconds:g}")
    return seconds


def resolve_budget(flag: str | float | None = None, environ: Mapping[str, str] | None = None) -> float:
    """The flag, else OFFER_TUI_TIMEOUT, else the default (30 s)."""
    env = os.environ if environ is None else environ
    return (parse_budget(flag, "--timeout") or parse_budget(env.get(ENV_TIMEOUT), ENV_TIMEOUT)
            or DEFAULT_BUDGET)


def http_timeout(budget: float) -> Any:
    """Per-request limits inside the budget (the budget itself is the outer bound): an httpx.Timeout.
    httpx is imported here, not at module level: the CLI reads the budget before it knows whether
    the command needs HTTP at all."""
    import httpx

    return httpx.Timeout(budget, connect=min(CONNECT_TIMEOUT, budget))


def budget_hint(budget: float) -> str:
    return (f"Nothing answered within the {budget:g} s allowed for one action: check the network and "
            f"the endpoint, try again later, or allow more time with --timeout SECONDS or {ENV_TIMEOUT}.")


def budgeted(what: str):
    """Decorate a client read: it runs under the client's ``budget`` (token, pages and retries
    included); when the budget runs out, an ApiError says so and names --timeout."""

    def wrap(method):
        @functools.wraps(method)
        async def inner(self: Any, *args: Any, **kwargs: Any) -> Any:
            import asyncio  # here, not at the top: `validate` reads the budget and never needs a loop

            from offer_tui.api.errors import ApiError

            try:
                async with asyncio.timeout(self.budget):
                    return await method(self, *args, **kwargs)
            except TimeoutError:
                raise ApiError(f"{what}: no answer within {self.budget:g} s", code="timeout",
                               hint=budget_hint(self.budget)) from None

        return inner

    return wrap
