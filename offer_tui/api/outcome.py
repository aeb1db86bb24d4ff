"""What a write's answer proves: created (or changed), refused, or unknown.

One pure function, ``classify_write``, decides it from what came back: the HTTP
status, the content type, the body, and whether the request was written to the
connection at all. Create, PATCH and DELETE all go through it, so "Created" is
said only when the server's receipt proves it and "nothing created" only when it
is certain. No httpx, no I/O: it is tested with a table of cases.

The rules:

* No answer: if the request was never written (connection refused, DNS, connect
  timeout) nothing happened: refused. Once it was written, a reset or a timeout
  proves nothing: unknown.
* 2xx: a create or an update must return a JSON object receipt with an ``id``
  (a PATCH receipt carries the new ``etag`` too). HTML, an array or an empty body
  under a 2xx is not a receipt: unknown. A DELETE's only documented answer is
  200 with an empty body; a 204, HTML or any other body under a 2xx proves nothing
  (a login page or a proxy answers 200 too): unknown. Even the documented answer is
  confirmed by a re-read in the service layer (offer_tui/service/offers.py).
* A 2xx whose body could not be decoded (a corrupt gzip, a cut stream) is no
  receipt: unknown.
* 3xx: redirects are never followed for writes; whether the write happened
  before the redirect cannot be known: unknown.
* 4xx: the service refused the request as a whole (bad body, auth, not found,
  rate limited): refused. A 401 is retried once with a fresh token by the client
  before it gets here.
* 5xx and anything else: the server (or a gateway) failed after the request
  reached it: unknown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from offer_tui.safe_text import terminal_safe

EXCERPT_LIMIT = 200


class WriteKind(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Outcome(str, Enum):
    DONE = "done"  # created / updated / deleted, proven by the answer
    REFUSED = "refused"  # certainly nothing changed
    UNKNOWN = "unknown"  # may or may not have changed: look before resending


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reason: str  # one sentence for the user, already terminal-safe
    status: int | None = None
    receipt: dict[str, Any] = field(default_factory=dict)
    excerpt: str = ""  # a short, sanitized excerpt of the body ("" when empty)

    @property
    def done(self) -> bool:
        return self.outcome is Outcome.DONE

    @property
    def unknown(self) -> bool:
        return self.outcome is Outcome.UNKNOWN

    @property
    def described(self) -> str:
        """The reason, then the body's excerpt when there is one."""
        return f"{self.reason} Body: {self.excerpt}" if self.excerpt else self.reason


def body_excerpt(body: bytes | str | None, limit: int = EXCERPT_LIMIT) -> str:
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return terminal_safe(text, limit=limit, one_line=True)


def _receipt(body: bytes | str | None) -> dict[str, Any] | None:
    if not body:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


# What each write does, in the words every message uses ("may or may not have been created").
VERB = {WriteKind.CREATE: "created", WriteKind.UPDATE: "changed", WriteKind.DELETE: "deleted"}


def classify_write(
    kind: WriteKind,
    *,
    status: int | None,
    body: bytes | str | None = None,
    request_written: bool = True,
    failure: str | None = None,
    undecodable: bool = False,
) -> Verdict:
    """Classify the answer to a create, update or delete (see the module docstring).

    ``status`` is None when no HTTP answer arrived; ``failure`` then names what
    happened (``ReadTimeout``, ``connection reset``...). ``request_written`` says
    whether any byte of the request may have reached the server. ``undecodable``: an
    answer came but its body could not be decoded (``body`` is then None).
    """
    verb = VERB[kind]
    excerpt = body_excerpt(body)
    if status is None:
        what = terminal_safe(failure or "no answer", limit=200, one_line=True)
        if not request_written:
            return Verdict(Outcome.REFUSED, f"Nothing was sent ({what}), so nothing was {verb}.")
        return Verdict(
            Outcome.UNKNOWN,
            f"The outcome is unknown: the request was sent but no answer came back ({what}); the offer may or may not have been {verb}.",
        )
    if 200 <= status < 300:
        if undecodable:
            return Verdict(
                Outcome.UNKNOWN,
                f"The outcome is unknown: HTTP {status} came with a body that could not be decoded; "
                f"the offer may or may not have been {verb}.",
                status,
            )
        if kind is WriteKind.DELETE:
            if status == 200 and not body:
                return Verdict(Outcome.DONE, f"HTTP {status}: deleted.", status, {}, excerpt)
            what = "no body" if not body else "a body (Adobe documents an empty one)"
            return Verdict(
                Outcome.UNKNOWN,
                f"The outcome is unknown: HTTP {status} with {what} is not the documented answer to a delete; "
                f"the offer may or may not have been {verb}.",
                status,
                excerpt=excerpt,
            )
        receipt = _receipt(body)
        offer_id = receipt.get("id") if receipt else None
        if receipt is not None and isinstance(offer_id, str) and offer_id:
            return Verdict(Outcome.DONE, f"HTTP {status}: {verb}.", status, receipt, excerpt)
        what = "no JSON receipt with an id" if receipt is None else "a receipt without an id"
        return Verdict(
            Outcome.UNKNOWN,
            f"The outcome is unknown: HTTP {status} came with {what}; the offer may or may not have been {verb}.",
            status,
            receipt or {},
            excerpt,
        )
    if 300 <= status < 400:
        return Verdict(
            Outcome.UNKNOWN,
            f"The outcome is unknown: HTTP {status} is a redirect, not followed for a write; the offer may or may not have been {verb}.",
            status,
            excerpt=excerpt,
        )
    if 400 <= status < 500:
        return Verdict(Outcome.REFUSED, f"HTTP {status}: refused; nothing was {verb}.", status, excerpt=excerpt)
    return Verdict(
        Outcome.UNKNOWN,
        f"The outcome is unknown: HTTP {status}, the server failed after receiving the request; the offer may or may not have been {verb}.",
        status,
        excerpt=excerpt,
    )
