"""Retry policy shared by the Offer Library client and the IMS token request.

Only requests that are safe to repeat use it (GETs and the token request). The
offer create POST never goes through here: repeating it could create a duplicate.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

import httpx

RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_RETRY_AFTER = 30.0

# Errors raised before the request could have reached the server.
NOT_SENT_ERRORS: tuple[type[BaseException], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Transient network trouble worth another try on an idempotent request.
RETRIABLE_ERRORS: tuple[type[BaseException], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


def backoff_delay(attempt: int, base: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random.

    ``attempt`` counts from 0 for the first retry.
    """
    ceiling = base * (2**attempt)
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def retry_after_seconds(value: str | None, *, now: float | None = None, cap: float = MAX_RETRY_AFTER) -> float | None:
    """Parse a Retry-After header (delta seconds or an HTTP date), capped at ``cap``."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, min(seconds, cap))


def is_retriable_exception(exc: BaseException) -> bool:
    return isinstance(exc, RETRIABLE_ERRORS)
