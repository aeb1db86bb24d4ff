"""A cached access token with its expiry, and reading the expiry out of a pasted token."""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass, field
from typing import Any

# Adobe asks clients to reuse a token until fewer than 10 minutes are left.
REFRESH_MARGIN = 600.0


@dataclass(frozen=True)
class CachedToken:
    token: str = field(repr=False)
    expires_at: float | None  # epoch seconds; None when unknown (a pasted opaque token)
    client_id: str | None = None  # who it was minted for: a cache hit must match the credential
    origin: str = "minted"  # "minted" | "pasted"

    def remaining(self, now: float | None = None) -> float | None:
        if self.expires_at is None:
            return None
        return self.expires_at - (time.time() if now is None else now)

    def is_fresh(self, now: float | None = None, margin: float = REFRESH_MARGIN) -> bool:
        """Usable without a new mint: unknown expiry counts as fresh (a 401 will tell us)."""
        left = self.remaining(now)
        return left is None or left >= margin

    def is_expired(self, now: float | None = None) -> bool:
        left = self.remaining(now)
        return left is not None and left <= 0

    def to_json(self) -> str:
        return json.dumps(
            {"token": self.token, "expires_at": self.expires_at, "client_id": self.client_id, "origin": self.origin},
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> CachedToken | None:
        """Parse a stored entry; anything unreadable is treated as "no cache", never an error."""
        try:
            data = json.loads(text)
            token = data["token"]
            expires_at = data.get("expires_at")
            if not isinstance(token, str) or not token:
                return None
            if expires_at is not None:
                expires_at = float(expires_at)
            return cls(token, expires_at, data.get("client_id"), str(data.get("origin") or "minted"))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


def _jwt_payload(token: str) -> dict[str, Any] | None:
    parts = token.strip().split(".")
    if len(parts) != 3:
        return None
    segment = parts[1]
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def token_expiry(token: str) -> float | None:
    """Expiry (epoch seconds) read from a JWT payload, WITHOUT verifying it; None when unknown.

    Standard JWTs carry ``exp`` in seconds. Adobe IMS access tokens carry ``created_at`` and
    ``expires_in`` instead, both in milliseconds (and often as strings).
    """
    payload = _jwt_payload(token)
    if payload is None:
        return None
    try:
        if payload.get("exp") is not None:
            return float(payload["exp"])
        if payload.get("created_at") is not None and payload.get("expires_in") is not None:
            return (float(payload["created_at"]) + float(payload["expires_in"])) / 1000.0
    except (TypeError, ValueError):
        return None
    return None


def describe_remaining(seconds: float | None) -> str:
    """'23h 59m', '9m', 'expired' or 'unknown'."""
    if seconds is None:
        return "unknown"
    if seconds <= 0:
        return "expired"
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{int(seconds)}s"
