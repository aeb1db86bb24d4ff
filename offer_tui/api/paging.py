"""How far a listing may go: every listing ends, whatever the server's next links say.

A server that hands out a fresh ``_links.next`` on every page (new ``start`` each time, ``total``
10^12) kept ``list --json`` running past ``--timeout 10`` for 90 s and 349 MB. A listing now stops
at the first of three bounds, each said in plain words:

- the time budget (``--timeout``) for the whole listing, not per page;
- the pages that the first page's ``total`` and size imply, plus a margin (offers created while
  we read add pages; a server claiming a total it never sends does not);
- a hard cap on pages, for a server that gives no total or an absurd one.

Pure: no httpx, no Textual. The library screen and the client share it.
"""

from __future__ import annotations

import math

from offer_tui.api.errors import ApiError

HARD_PAGE_CAP = 1000  # 100,000 offers at 100 a page: far past any real sandbox
PAGE_MARGIN = 3  # pages beyond what total / page size implies (offers created meanwhile)


def implied_pages(total: int | None, page_size: int) -> int | None:
    """Pages a listing of ``total`` offers should take at ``page_size`` a page, plus the margin."""
    if total is None or total < 0 or page_size < 1:
        return None
    return math.ceil(total / page_size) + PAGE_MARGIN


class PageGuard:
    """Counts pages of one listing and refuses the one past its bounds.

    ``total`` and ``page_size`` come from the first page; ``hard_cap`` bounds everything.
    """

    def __init__(self, what: str = "Listing offers", hard_cap: int | None = None) -> None:
        self.what = what
        self.hard_cap = HARD_PAGE_CAP if hard_cap is None else hard_cap
        self.pages = 0
        self.allowed = self.hard_cap

    def first(self, total: int | None, page_size: int) -> None:
        """Record the first page (its ``total`` and how many offers it held)."""
        self.pages = 1
        implied = implied_pages(total, page_size)
        self.allowed = self.hard_cap if implied is None else min(self.hard_cap, implied)

    def another(self) -> None:
        """Count one more page, or raise when it would pass a bound."""
        if self.pages >= self.allowed:
            reason = ("the service's total and page size imply fewer pages"
                      if self.allowed < self.hard_cap else f"at most {self.hard_cap:,} pages are read")
            raise ApiError(
                f"{self.what}: stopped after {self.pages:,} pages, the list did not end ({reason})",
                code="too_many_pages",
                hint="Narrow the request (a filter, --limit), or report it: the service kept sending next-page links.",
            )
        self.pages += 1


def deadline_error(what: str, budget: float, pages: int) -> ApiError:
    from offer_tui.api.budget import budget_hint

    return ApiError(f"{what}: stopped after {pages:,} pages, the list did not end within {budget:g} s",
                    code="timeout", hint=budget_hint(budget))
