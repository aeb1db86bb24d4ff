"""One exception type for everything the API or IMS can answer, plus secret scrubbing.

The service has two documented error bodies (``{error_code, message}`` and the
problem-details ``{type, title, status, detail}``), IMS has the OAuth form
``{error, error_description}``, and gateways answer with HTML or nothing. All of
them become an :class:`ApiError` carrying a one-line message and a hint that says
what to check.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

from offer_tui.model.jsonpath import normalize_path  # one path notation, written in model/jsonpath.py
from offer_tui.safe_text import terminal_safe

REDACTED = "[redacted]"

# Anything shorter is too likely to be an ordinary substring of the text.
_MIN_SECRET_LEN = 4

_GENERIC_SECRET_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r'(?i)("(?:access_token|client_secret|refresh_token|id_token)"\s*:\s*")[^"]*(")'),
    re.compile(r"(?i)((?:access_token|client_secret)=)[^&\s]+"),
)


def _variants(secret: str) -> set[str]:
    # A server may echo the value URL-encoded (form body) or JSON-escaped.
    return {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}


def scrub(text: str | None, secrets: Iterable[str | None] = ()) -> str | None:
    """Remove known secrets and anything that looks like a token from ``text``."""
    if text is None:
        return None
    values: set[str] = set()
    for secret in secrets:
        if secret and len(secret) >= _MIN_SECRET_LEN:
            values |= _variants(secret)
    # Longest first, so a secret that contains another is removed whole.
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    for pattern in _GENERIC_SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED + (m.group(2) if m.lastindex == 2 else ""), text)
    return text


# Server text is untrusted and may be huge: every text an ApiError carries is cut to these
# lengths and stripped of control characters here, once, so no caller can print it raw.
MESSAGE_LIMIT = 2000
HINT_LIMIT = 1000
CODE_LIMIT = 100
RAW_LIMIT = 4000
FIELD_LIMIT = 500
MAX_FIELD_ERRORS = 50


def _safe(text: str | None, redact: tuple[str | None, ...], limit: int, one_line: bool = True) -> str | None:
    if text is None:
        return None
    return terminal_safe(scrub(text, redact), limit=limit, one_line=one_line)


class ApiError(Exception):
    """A failed call to the Offer Library API or IMS.

    ``str(error)`` is one line: ``message (code) - hint``. ``raw`` is the response
    body as text with our secrets removed. ``field_errors`` lists ``(path, message)``
    pairs when the server named the offending fields; paths use the model's style
    (``representations[0].components[0].format``). Every text is terminal-safe
    (no control characters) and bounded in length, whatever the server sent.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        hint: str | None = None,
        raw: str | None = None,
        outcome_unknown: bool = False,
        field_errors: Iterable[tuple[str, str]] = (),
        redact: Iterable[str | None] = (),
    ) -> None:
        redact = tuple(redact)
        self.status = status
        self.code = _safe(code, redact, CODE_LIMIT)
        self.message = _safe(message, redact, MESSAGE_LIMIT) or ""
        self.hint = _safe(hint, redact, HINT_LIMIT)
        self.raw = _safe(raw, redact, RAW_LIMIT, one_line=False)
        self.outcome_unknown = outcome_unknown
        fields = list(field_errors)
        self.field_errors: list[tuple[str, str]] = [
            (_safe(path, redact, FIELD_LIMIT) or "", _safe(msg, redact, FIELD_LIMIT) or "")
            for path, msg in fields[:MAX_FIELD_ERRORS]
        ]
        if len(fields) > MAX_FIELD_ERRORS:
            self.field_errors.append(("", f"... and {len(fields) - MAX_FIELD_ERRORS} more"))
        super().__init__(str(self))

    def __str__(self) -> str:
        text = self.message
        if self.code and self.code not in text:  # "timed out (ReadTimeout)" needs no second "(ReadTimeout)"
            text += f" ({self.code})"
        if self.hint:
            text += f" - {self.hint}"
        return " ".join(text.split())  # one line, whatever the server sent

    def __repr__(self) -> str:
        return (
            f"ApiError(status={self.status!r}, code={self.code!r}, message={self.message!r}, "
            f"outcome_unknown={self.outcome_unknown!r})"
        )

    def replace(self, **changes: Any) -> ApiError:
        """A copy with some attributes changed (the new texts are scrubbed too)."""
        fields = {
            "status": self.status,
            "code": self.code,
            "hint": self.hint,
            "raw": self.raw,
            "outcome_unknown": self.outcome_unknown,
            "field_errors": self.field_errors,
        }
        message = changes.pop("message", self.message)
        fields.update(changes)
        return ApiError(message, **fields)

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions with keyword-only arguments do not pickle by default.
        return (_rebuild, (self.__dict__.copy(),))


def _rebuild(state: dict[str, Any]) -> ApiError:
    error = ApiError.__new__(ApiError)
    error.__dict__.update(state)
    Exception.__init__(error, str(error))
    return error


# --- hints -------------------------------------------------------------------

CODE_HINTS: dict[str, str] = {
    "401013": "The access token has expired or is not valid: get a new one "
    "(OFFER_TUI_ACCESS_TOKEN, or let offer-tui mint one from the client credentials).",
    "403000": "Check the API key: OFFER_TUI_CLIENT_ID is sent as x-api-key and must be the "
    "credential's client ID.",
    "403003": "Check the API key: OFFER_TUI_CLIENT_ID is sent as x-api-key and must be the "
    "credential's client ID.",
    "403010": "No access token was sent: set OFFER_TUI_ACCESS_TOKEN or the client credentials "
    "(OFFER_TUI_CLIENT_ID / OFFER_TUI_CLIENT_SECRET).",
    "400003": "A required header is missing: check the org id (OFFER_TUI_IMS_ORG, like "
    "ABC123@AdobeOrg) and the sandbox (OFFER_TUI_SANDBOX).",
    "403025": "The token is not entitled for this org or sandbox: check OFFER_TUI_SANDBOX and "
    "OFFER_TUI_IMS_ORG, and that the credential's product profile grants Journey Optimizer "
    "access to that sandbox.",
    "invalid_client": "IMS rejected the client id or client secret: check OFFER_TUI_CLIENT_ID "
    "and OFFER_TUI_CLIENT_SECRET.",
    "unauthorized_client": "IMS rejected the client id or client secret: check "
    "OFFER_TUI_CLIENT_ID and OFFER_TUI_CLIENT_SECRET.",
    "invalid_scope": "IMS rejected the scopes: set OFFER_TUI_SCOPES to the list on the "
    "credential's Scopes tab in the Adobe Developer Console.",
    "invalid_grant": "IMS rejected the grant: the credential must be OAuth Server-to-Server "
    "(client credentials).",
}

STATUS_HINTS: dict[int, str] = {
    400: "The service rejected the request: check the fields it names.",
    401: "The access token has expired or is not valid: get a new one.",
    403: "Access denied: check the API key (OFFER_TUI_CLIENT_ID), org (OFFER_TUI_IMS_ORG) and "
    "sandbox (OFFER_TUI_SANDBOX).",
    404: "Not found: check the id, the offer type and the sandbox (OFFER_TUI_SANDBOX).",
    409: "Conflict with an existing object.",
    413: "The request is too large: an offer should stay under 300 KB.",
    429: "Rate limited: wait a little and try again.",
}

SERVER_TROUBLE_HINT = "The service is having trouble: try again in a few minutes."


def hint_for(status: int | None, code: str | None) -> str | None:
    if code and code in CODE_HINTS:
        return CODE_HINTS[code]
    if status is None:
        return None
    if status in STATUS_HINTS:
        return STATUS_HINTS[status]
    if status >= 500:
        return SERVER_TROUBLE_HINT
    return None


# --- body parsing ------------------------------------------------------------

_RAW_SNIPPET = 200
_TAG = re.compile(r"<[^>]+>")
_SCRIPT_STYLE = re.compile(r"(?is)<(script|style)\b.*?</\1>")


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text or None


def _snippet(body: str) -> str:
    """A short, readable excerpt of a non-JSON body (HTML is reduced to its text)."""
    text = body
    if "<" in text and ">" in text:
        text = html.unescape(_TAG.sub(" ", _SCRIPT_STYLE.sub(" ", text)))
    text = " ".join(text.split())
    if len(text) > _RAW_SNIPPET:
        text = text[: _RAW_SNIPPET - 3] + "..."
    return text


_PATH_KEYS = ("path", "field", "pointer", "loc", "property", "location")
_MESSAGE_KEYS = ("message", "detail", "title", "reason", "msg")


def _error_items(body: dict[str, Any]) -> list[Any]:
    """The per-field entries, wherever this server put them (``errors``, ``report.errors``...)."""
    items: list[Any] = []
    for key in ("errors", "report", "violations", "details"):
        found = body.get(key)
        if isinstance(found, dict):
            found = found.get("errors") or found.get("details")
        if isinstance(found, list):
            items.extend(found)
    return items


def _field_error(item: Any) -> tuple[str, str] | None:
    if not isinstance(item, dict):
        return None
    path = next((item[k] for k in _PATH_KEYS if k in item), None)
    message = next((item[k] for k in _MESSAGE_KEYS if k in item), None)
    if path is None and message is None:
        return None
    return (normalize_path(path) if path is not None else "", _as_text(message) or "")


def _field_errors(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [found for found in map(_field_error, _error_items(body)) if found is not None]


# One small parser per documented error shape, tried in order; each returns (code, message) when
# the body has its shape, else None.
Parsed = tuple[str | None, str | None]


def _adobe_shape(body: dict[str, Any]) -> Parsed | None:
    """The Offer Library's ``{"error_code": "403025", "message": "..."}`` (or a bare message)."""
    if "error_code" in body or ("message" in body and "title" not in body and "error" not in body):
        return _as_text(body.get("error_code")), _as_text(body.get("message"))
    return None


def _problem_details(body: dict[str, Any]) -> Parsed | None:
    """Problem details ``{type, title, status, detail}``; an ``error_code`` or ``code`` is the code."""
    if "title" not in body and "detail" not in body:
        return None
    detail, title = _as_text(body.get("detail")), _as_text(body.get("title"))
    nested = body.get("error_code") or body.get("code")
    code = _as_text(nested) if nested is not None else (title if detail else None)
    return code, detail or title


def _nested_error(body: dict[str, Any]) -> Parsed | None:
    """A gateway's ``{"error": {"code": ..., "message": ...}}``."""
    error = body.get("error")
    if not isinstance(error, dict):
        return None
    return _as_text(error.get("code")), _as_text(error.get("message"))


def _oauth_error(body: dict[str, Any]) -> Parsed | None:
    """IMS's OAuth form ``{"error": "invalid_client", "error_description": "..."}``."""
    if "error" not in body:
        return None
    code = _as_text(body.get("error"))
    return code, _as_text(body.get("error_description")) or code


ERROR_SHAPES = (_adobe_shape, _problem_details, _nested_error, _oauth_error)


def _parse_error_json(text: str) -> tuple[str | None, str | None, list[tuple[str, str]]]:
    """(code, message, field errors) from a JSON error body; Nones when it is not one."""
    try:
        parsed = json.loads(text) if text.strip() else None
    except (ValueError, RecursionError):
        parsed = None
    if not isinstance(parsed, dict):
        return None, None, []
    code, message = next((found for found in (shape(parsed) for shape in ERROR_SHAPES) if found), (None, None))
    return code, message, _field_errors(parsed)


def _status_message(status: int | None, reason: str | None, text: str) -> str:
    """The message when the body did not give one: the status line and a readable excerpt."""
    status_text = f"HTTP {status}" if status is not None else "No HTTP status"
    if reason:
        status_text += f" {reason}"
    return f"{status_text}: {_snippet(text)}" if text.strip() else f"{status_text} with an empty body"


def _with_first_field(message: str, fields: list[tuple[str, str]]) -> str:
    """Name the first offending field in the one-line message, unless the message already does."""
    if not fields or any(msg and msg in message for _, msg in fields):
        return message
    first_path, first_msg = fields[0]
    more = f" (+{len(fields) - 1} more)" if len(fields) > 1 else ""
    return f"{message}: {first_path}: {first_msg}{more}" if first_path else f"{message}: {first_msg}{more}"


def error_from_body(
    status: int | None,
    body: str | bytes | None,
    *,
    reason: str | None = None,
    redact: Iterable[str | None] = (),
    outcome_unknown: bool = False,
    hint: str | None = None,
) -> ApiError:
    """Turn an error response into an :class:`ApiError`, whatever the body looks like."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else (body or "")
    code, message, fields = _parse_error_json(text)
    message = _with_first_field(message or _status_message(status, reason, text), fields)
    return ApiError(
        message,
        status=status,
        code=code,
        hint=hint if hint is not None else hint_for(status, code),
        raw=text or None,
        outcome_unknown=outcome_unknown,
        field_errors=fields,
        redact=redact,
    )


def connection_hint(url: str) -> str:
    return (
        f"Could not reach {url}: is the endpoint right (OFFER_TUI_ENDPOINT / OFFER_TUI_IMS_URL), "
        "and with --demo, is the demo server running?"
    )


def error_from_exception(
    exc: BaseException,
    url: str,
    *,
    what: str = "The request",
    redact: Iterable[str | None] = (),
    outcome_unknown: bool = False,
    hint: str | None = None,
) -> ApiError:
    """Describe a transport failure (refused, timed out, dropped) as an :class:`ApiError`."""
    import httpx  # local: keeps this module importable for pure parsing

    kind = type(exc).__name__
    detail = str(exc).strip() or kind
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
        message = f"{what} could not connect: {detail}"
        default_hint = connection_hint(url)
    elif isinstance(exc, httpx.TimeoutException):
        message = f"{what} timed out ({kind})"
        default_hint = ("The service did not answer in time: try again later, or allow more time with "
                        "--timeout SECONDS or OFFER_TUI_TIMEOUT.")
    elif isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        message = f"{what} has a bad URL: {detail}"
        default_hint = "Check OFFER_TUI_ENDPOINT and OFFER_TUI_IMS_URL (they must start with https:// or http://)."
    else:
        message = f"{what} failed: connection dropped ({kind}: {detail})"
        default_hint = "The connection broke: check the network and try again."
    return ApiError(
        message,
        status=None,
        code=kind,
        hint=hint if hint is not None else default_hint,
        outcome_unknown=outcome_unknown,
        redact=redact,
    )
