"""The "Copy as curl" text: the exact body submit sends, the token as a shell variable, never its value."""

from __future__ import annotations

import shlex
from typing import Any

from offer_tui.api.config import DEFAULT_ENDPOINT
from offer_tui.model import to_json

TOKEN_VARIABLE = "$OFFER_TUI_ACCESS_TOKEN"


def curl_command(doc: dict[str, Any], offer_type: str, settings: Any | None) -> str:
    endpoint = (getattr(settings, "endpoint", None) or DEFAULT_ENDPOINT).rstrip("/")
    api_key = getattr(settings, "client_id", None) or "{API_KEY}"
    ims_org = getattr(settings, "ims_org", None) or "{IMS_ORG}"
    sandbox = getattr(settings, "sandbox", None) or "{SANDBOX_NAME}"
    url = f"{endpoint}/offers?offer-type={offer_type}"
    lines = [
        f"curl -X POST {shlex.quote(url)}",
        "-H 'Content-Type: application/json'",
        # Double quotes so the shell expands the variable; the token itself never leaves the app.
        f'-H "Authorization: Bearer {TOKEN_VARIABLE}"',
        f"-H {shlex.quote('x-api-key: ' + api_key)}",
        f"-H {shlex.quote('x-gw-ims-org-id: ' + ims_org)}",
        f"-H {shlex.quote('x-sandbox-name: ' + sandbox)}",
        f"--data-binary {shlex.quote(to_json(doc))}",
    ]
    return " \\\n  ".join(lines) + "\n"
