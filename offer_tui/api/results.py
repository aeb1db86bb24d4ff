"""What the client hands back, and the small pure helpers around it (no httpx here).

Results of writes the server proved done, a page of a list, the ``property``
filters that match a name, and the hints that tell the user how to check an
unknown outcome.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any

from offer_tui.api.errors import ApiError
from offer_tui.api.outcome import Verdict


@dataclass(frozen=True)
class WriteResult:
    """A write the server proved done: a create or PATCH receipt, or a DELETE's answer."""

    status: int
    receipt: dict[str, Any]
    raw: str
    elapsed: float  # seconds
    verdict: Verdict | None = None

    @property
    def offer_id(self) -> str | None:
        value = self.receipt.get("id")
        return value if isinstance(value, str) else None

    @property
    def etag(self) -> Any:
        return self.receipt.get("etag")


# The create's result keeps its historical name.
CreateResult = WriteResult


@dataclass(frozen=True)
class OfferPage:
    """One page of a list: its offers, the server's total, and the next page's link as given."""

    results: list[dict[str, Any]]
    total: int | None
    next_href: str | None
    url: str = field(default="", repr=False)


def regex_escape(text: str) -> str:
    """``text`` as a literal inside a ``~`` (regex) property filter.

    Every character that is not a letter, digit or space is backslash-escaped, which
    is literal in every common regex dialect (Java, PCRE, RE2, Python).
    """
    return "".join(c if c.isalnum() or c == " " else "\\" + c for c in text)


def name_contains(text: str) -> str:
    """A ``property`` filter: the name contains ``text``, case-insensitively.

    Letters become ``[xX]`` classes instead of an inline ``(?i)`` flag, which not
    every regex engine accepts; the rest is escaped by :func:`regex_escape`.
    """
    parts = []
    for c in text:
        if c.isalpha() and c.lower() != c.upper() and len(c.lower()) == 1 and len(c.upper()) == 1:
            parts.append(f"[{c.lower()}{c.upper()}]")
        else:
            parts.append(regex_escape(c))
    return "name~" + "".join(parts)


def find_command_hint(name: str | None) -> str:
    if name:
        return (
            "Check whether it exists before retrying: offer-tui find --name "
            f"{shlex.quote(name)} (or search the Offer Library for that name)."
        )
    return "Check whether it exists before retrying: search the Offer Library by the offer's name."


def next_href_of(page: dict[str, Any]) -> str | None:
    links = page.get("_links")
    nxt = links.get("next") if isinstance(links, dict) else None
    href = nxt.get("href") if isinstance(nxt, dict) else None
    return href if isinstance(href, str) and href else None


def repeated_page_error(href: str) -> ApiError:
    return ApiError(
        "The service's next-page link repeats a page already read: stopped, so nothing is listed twice",
        code="repeated_page",
        hint="Report it to the service's owners; a narrower filter may avoid the loop.",
        raw=href,
    )


def reread_hint(offer_id: str) -> str:
    return (
        "Read the offer again before retrying, to see what the server now holds: "
        f"offer-tui get {shlex.quote(offer_id)}"
    )
