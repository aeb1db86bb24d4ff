"""Answers the demo server can be told to give a write, by name: the hostile table of issue 13.

``arm(server, case, applied=..., method=...)`` arms the next ``method`` request to be answered as
``case`` says, after carrying the write out (``applied=True``) or not. Besides the demo's own
``fail_next`` and ``drop_connection_next`` it adds :class:`Canned` answers: any status, body and
headers (a 201 whose gzip body is garbage), optionally after a delay (a timeout).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RECEIPT = "receipt"  # no fault: the server's own answer
CASES = (
    RECEIPT, "204", "200 empty", "200 html", "200 array", "2xx undecodable", "302", "400", "401 then fine", "403",
    "404", "409", "412", "429", "500", "502 html", "503", "504", "reset", "timeout",
)
# A server cannot have carried out a write it answered with these: only the "not applied" row exists.
NEVER_APPLIED = frozenset({RECEIPT, "401 then fine"})
TIMEOUT_DELAY = 3.0  # seconds the "timeout" answer waits: longer than the test's --timeout


@dataclass(frozen=True)
class Canned:
    """One raw answer: status, body bytes and headers, sent after ``delay`` seconds."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def corrupt_gzip(status: int) -> Canned:
    """A JSON answer whose Content-Encoding says gzip and whose body is not gzip."""
    return Canned(status, b"\x1f\x8b\x08\x00garbage-not-gzip", {"Content-Type": "application/json",
                                                               "Content-Encoding": "gzip"})


def arm(server: Any, case: str, *, applied: bool, method: str, path_prefix: str = "/offers") -> None:
    """Arm the next ``method`` request under ``path_prefix`` to be answered as ``case``."""
    if case == RECEIPT:
        return
    fail = dict(path_prefix=path_prefix, process_first=applied, method=method)
    ok = 201 if method == "POST" else 200
    if case == "reset":
        server.drop_connection_next(path_prefix=path_prefix, process_first=applied, method=method)
    elif case == "timeout":
        server.fail_next(504, body=Canned(504, b"", {"Content-Type": "text/plain"}, TIMEOUT_DELAY), **fail)
    elif case == "2xx undecodable":
        server.fail_next(ok, body=corrupt_gzip(ok), **fail)
    elif case == "401 then fine":
        server.fail_next(401, body={"error_code": "401013", "message": "Oauth token is not valid"}, **fail)
    else:
        status, _, shape = case.partition(" ")
        body = {"empty": b"", "html": "<html><body>Sign in / Bad gateway</body></html>", "array": [1, 2]}.get(shape)
        server.fail_next(int(status), body=body, **fail)
