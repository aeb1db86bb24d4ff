"""The Offer Library API client (httpx, async) and IMS tokens. No Textual here.

Names load on first use (PEP 562): `offer_tui.api.config` and `offer_tui.api.errors` stay
importable without pulling in httpx, which keeps the wizard's first frame and the CLI's
`validate` light.
"""

from __future__ import annotations

from offer_tui._lazy import lazy_exports

_WHERE = {
    "ApiError": "errors",
    "ClientCredentialsProvider": "ims",
    "CreateResult": "results",
    "OfferPage": "results",
    "Outcome": "outcome",
    "WriteKind": "outcome",
    "WriteResult": "results",
    "classify_write": "outcome",
    "name_contains": "results",
    "OfferClient": "client",
    "Settings": "config",
    "StaticTokenProvider": "ims",
    "Token": "ims",
    "TokenProvider": "ims",
    "error_from_body": "errors",
    "fetch_token": "ims",
    "find_command_hint": "results",
    "reread_hint": "results",
    "scrub": "errors",
}

__getattr__, __all__ = lazy_exports(__name__, _WHERE)
