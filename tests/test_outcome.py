"""The one function that decides what a write's answer proves: a table of cases."""

from __future__ import annotations

import pytest

from offer_tui.api.outcome import Outcome, WriteKind, classify_write

RECEIPT = b'{"id": "dps:personalized-offer:1", "etag": 1}'
C, U, D = WriteKind.CREATE, WriteKind.UPDATE, WriteKind.DELETE
DONE, REFUSED, UNKNOWN = Outcome.DONE, Outcome.REFUSED, Outcome.UNKNOWN

CASES = [
    # (kind, status, body, request_written, expected)
    (C, 201, RECEIPT, True, DONE),
    (C, 200, RECEIPT, True, DONE),
    (C, 201, b"<html><body>Created</body></html>", True, UNKNOWN),
    (C, 201, b"[1,2,3]", True, UNKNOWN),
    (C, 201, b'{"etag": 1}', True, UNKNOWN),  # a receipt without an id proves nothing
    (C, 201, b'{"id": ""}', True, UNKNOWN),
    (C, 201, b'{"id": 7}', True, UNKNOWN),
    (C, 201, b"", True, UNKNOWN),
    (C, 201, b'{"id": "x", ', True, UNKNOWN),  # cut short
    (C, 302, b"", True, UNKNOWN),
    (C, 301, b"<a href=x>moved</a>", True, UNKNOWN),
    (C, 400, b'{"error_code": "400000", "message": "bad"}', True, REFUSED),
    (C, 401, b'{"error_code": "401013", "message": "Oauth token is not valid"}', True, REFUSED),
    (C, 403, b'{"error_code": "403025", "message": "Profile is not valid"}', True, REFUSED),
    (C, 409, b'{"title": "Conflict"}', True, REFUSED),
    (C, 429, b'{"error_code": "429001", "message": "Too many requests"}', True, REFUSED),
    (C, 500, b'{"type": "x", "title": "InternalServerError", "status": 500, "detail": "boom"}', True, UNKNOWN),
    (C, 500, b"<html>Internal Server Error</html>", True, UNKNOWN),
    (C, 502, b"<html>Bad gateway</html>", True, UNKNOWN),
    (C, 503, b"", True, UNKNOWN),
    (C, 504, b"Gateway Timeout", True, UNKNOWN),
    (C, None, None, False, REFUSED),  # connection refused: nothing was sent
    (C, None, None, True, UNKNOWN),  # reset after the request was written
    (U, 200, b'{"id": "dps:personalized-offer:1", "etag": 2}', True, DONE),
    (U, 200, b"", True, UNKNOWN),
    (U, 500, b"", True, UNKNOWN),
    (U, 404, b'{"title": "NotFoundError"}', True, REFUSED),
    (U, None, None, True, UNKNOWN),
    (D, 200, b"", True, DONE),
    # Only the documented answer (200, empty body) counts: a 204, a login page or an array under a
    # 200 is not it (issue 13, 2.1: these used to say "Deleted" while the offer stayed).
    (D, 204, b"", True, UNKNOWN),
    (D, 200, b"<html><body>Sign in</body></html>", True, UNKNOWN),
    (D, 200, b"[1,2]", True, UNKNOWN),
    (D, 200, b"{}", True, UNKNOWN),
    (D, 404, b'{"title": "NotFoundError"}', True, REFUSED),
    (D, 302, b"", True, UNKNOWN),
    (D, 503, b"", True, UNKNOWN),
    (D, None, None, True, UNKNOWN),
    (D, None, None, False, REFUSED),
]


@pytest.mark.parametrize(("kind", "status", "body", "written", "expected"), CASES)
def test_classify_write(kind, status, body, written, expected):
    verdict = classify_write(kind, status=status, body=body, request_written=written, failure="ReadTimeout")
    assert verdict.outcome is expected, verdict.reason
    if expected is UNKNOWN:
        assert "unknown" in verdict.reason.lower() and "may or may not" in verdict.reason
    if expected is REFUSED:
        assert "nothing" in verdict.reason.lower()


def test_a_created_verdict_carries_the_receipt():
    verdict = classify_write(C, status=201, body=RECEIPT)
    assert verdict.receipt == {"id": "dps:personalized-offer:1", "etag": 1}


def test_the_excerpt_is_short_and_has_no_control_characters():
    body = b"<html>\x1b]52;c;aGk=\x07\x1b[2J" + b"x" * 5000 + b"</html>"
    verdict = classify_write(C, status=201, body=body)
    assert verdict.outcome is UNKNOWN
    assert "\x1b" not in verdict.described and "\x07" not in verdict.described
    assert len(verdict.excerpt) < 400


@pytest.mark.parametrize("kind", [C, U, D])
def test_a_2xx_whose_body_could_not_be_decoded_is_unknown(kind):
    verdict = classify_write(kind, status=201, body=None, undecodable=True)
    assert verdict.outcome is UNKNOWN
    assert "could not be decoded" in verdict.reason


def test_an_undecodable_4xx_is_still_a_refusal():
    assert classify_write(C, status=400, body=None, undecodable=True).outcome is REFUSED
