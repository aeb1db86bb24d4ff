"""Connection settings for the Offer Library API, read from the environment.

Secrets (client secret, access token) are excluded from ``repr`` so that a
settings object can be logged or shown in a traceback without leaking them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_ENDPOINT = "https://platform.adobe.io/data/core/dps"
DEFAULT_IMS_URL = "https://ims-na1.adobelogin.com/ims/token/v3"
DEFAULT_SCOPES = "openid,session,AdobeID,read_organizations,additional_info.projectedProductContext"

ENV_ENDPOINT = "OFFER_TUI_ENDPOINT"
ENV_IMS_URL = "OFFER_TUI_IMS_URL"
ENV_CLIENT_ID = "OFFER_TUI_CLIENT_ID"
ENV_CLIENT_SECRET = "OFFER_TUI_CLIENT_SECRET"
ENV_ACCESS_TOKEN = "OFFER_TUI_ACCESS_TOKEN"
ENV_IMS_ORG = "OFFER_TUI_IMS_ORG"
ENV_SANDBOX = "OFFER_TUI_SANDBOX"
ENV_SCOPES = "OFFER_TUI_SCOPES"


URL_FIELDS = {"endpoint": ENV_ENDPOINT, "ims_url": ENV_IMS_URL}
URL_LABELS = {"endpoint": "The API endpoint", "ims_url": "The IMS token URL"}
URL_EXAMPLES = {"endpoint": DEFAULT_ENDPOINT, "ims_url": DEFAULT_IMS_URL}


def url_problem(url: str | None) -> str | None:
    """Why ``url`` cannot be an endpoint (http or https, a host, a valid port), or None when it can.

    httpx would raise deep inside a request (``http://[::1`` even escapes as a ValueError), so
    every URL is checked where it is read, and the reason names what is wrong in plain words.
    """
    if not url:
        return "it is empty"
    if any(c.isspace() or ord(c) < 32 for c in url):
        return "it contains spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number from 0 to 65535
        host = parts.hostname
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535", ...
        return f"it cannot be parsed ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return "it must start with https:// (or http:// for a local test server)"
    if not host:
        return "it has no host name"
    if port == 0:
        return "port 0 is not a port to connect to"
    return None


def url_error_text(field_name: str, url: str | None, problem: str, source: str) -> tuple[str, str]:
    """(message, hint) for a bad URL, naming where the value came from (an env var, a profile)."""
    shown = repr(url)[:200]
    message = f"{URL_LABELS[field_name]} {shown} (from {source}) is not a valid URL: {problem}"
    hint = f"Fix or unset {URL_FIELDS[field_name]} (or the profile's value); it looks like {URL_EXAMPLES[field_name]}."
    return message, hint


def _env(environ: Mapping[str, str], name: str) -> str | None:
    # An exported-but-empty variable means "not set", not "the empty string".
    value = environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


@dataclass(frozen=True)
class Settings:
    endpoint: str = DEFAULT_ENDPOINT
    ims_url: str = DEFAULT_IMS_URL
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    ims_org: str | None = None
    sandbox: str | None = None
    scopes: str = DEFAULT_SCOPES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            endpoint=_env(environ, ENV_ENDPOINT) or DEFAULT_ENDPOINT,
            ims_url=_env(environ, ENV_IMS_URL) or DEFAULT_IMS_URL,
            client_id=_env(environ, ENV_CLIENT_ID),
            client_secret=_env(environ, ENV_CLIENT_SECRET),
            access_token=_env(environ, ENV_ACCESS_TOKEN),
            ims_org=_env(environ, ENV_IMS_ORG),
            sandbox=_env(environ, ENV_SANDBOX),
            scopes=_env(environ, ENV_SCOPES) or DEFAULT_SCOPES,
        )

    def url_problems(self) -> list[tuple[str, str]]:
        """(field, problem) for every URL that cannot be used; empty when both are fine."""
        found = [(name, url_problem(getattr(self, name))) for name in URL_FIELDS]
        return [(name, problem) for name, problem in found if problem]

    def secret_values(self) -> tuple[str, ...]:
        """The values that must never appear in messages, logs or exceptions."""
        return tuple(v for v in (self.client_secret, self.access_token) if v)

    def describe(self) -> dict[str, str]:
        """A display-safe view: secrets are reported only as set / not set."""

        def plain(value: str | None) -> str:
            return value if value else "(not set)"

        def hidden(value: str | None) -> str:
            return "(set, hidden)" if value else "(not set)"

        return {
            "endpoint": self.endpoint,
            "ims_url": self.ims_url,
            "client_id": plain(self.client_id),
            "client_secret": hidden(self.client_secret),
            "access_token": hidden(self.access_token),
            "ims_org": plain(self.ims_org),
            "sandbox": plain(self.sandbox),
            "scopes": self.scopes,
        }
