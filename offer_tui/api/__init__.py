"""The Offer Library API client (httpx, async) and IMS tokens. No Textual here."""

from offer_tui.api.client import CreateResult, OfferClient, find_command_hint
from offer_tui.api.config import Settings
from offer_tui.api.errors import ApiError, error_from_body, scrub
from offer_tui.api.ims import (
    ClientCredentialsProvider,
    StaticTokenProvider,
    Token,
    TokenProvider,
    fetch_token,
)

__all__ = [
    "ApiError",
    "ClientCredentialsProvider",
    "CreateResult",
    "OfferClient",
    "Settings",
    "StaticTokenProvider",
    "Token",
    "TokenProvider",
    "error_from_body",
    "fetch_token",
    "find_command_hint",
    "scrub",
]
