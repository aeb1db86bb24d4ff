"""The opt-in diagnostic log (``--log FILE`` / ``OFFER_TUI_LOG``).

Every place that catches a broad exception to show a calm message instead of a traceback
calls :func:`swallowed`, so the traceback is kept where a developer can find it. Without
``--log`` nothing is written anywhere: the package logger has a NullHandler, so Python's
last-resort handler never prints into the terminal the app owns.

Secrets never reach the log: records pass through a filter that redacts every secret the
process has registered (client secret, tokens) and anything shaped like a bearer token.
"""

from __future__ import annotations

import logging
import os
import re
import threading

LOGGER_NAME = "offer_tui"
logger = logging.getLogger(LOGGER_NAME)
logger.addHandler(logging.NullHandler())
logger.propagate = False


def swallowed(context: str) -> None:
    """Record the exception being handled (call from inside an ``except`` block)."""
    logger.error("swallowed: %s", context, exc_info=True)


# -- secrets never reach the log ----------------------------------------------------------------
ENV_LOG = "OFFER_TUI_LOG"
REDACTED = "[REDACTED]"
MIN_SECRET = 4  # shorter values would redact ordinary words
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
# What a token looks like even when nobody registered it: an Authorization value, a JWT (IMS
# tokens are), and secret-named fields in JSON, a query string or a form body.
_TOKEN_SHAPES = re.compile(
    r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"
    r"|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"
    r"|((?:access_token|refresh_token|client_secret|secret|password|token)\"?\s*[:=]\s*\"?)[^\"'&\s,}]+"
)


def register_secret(value: str | None) -> None:
    """Never write ``value`` to the log (client secrets, tokens): call it where a secret is read."""
    if isinstance(value, str) and len(value) >= MIN_SECRET:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with every registered secret and anything shaped like a token replaced."""
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)  # longest first: a secret inside another
    for secret in known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return _TOKEN_SHAPES.sub(lambda m: (m.group(1) or m.group(2) or "") + REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Formats the record, its traceback included, then redacts the whole text: a secret inside an
    exception's message or a local's repr is caught too, not only in the message."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class LogSettingError(ValueError):
    """``--log`` or ``OFFER_TUI_LOG`` names a file that cannot be opened for appending."""


_file_handler: logging.Handler | None = None


def configure(path: str | os.PathLike[str] | None) -> str | None:
    """Append the log to ``path`` (created 0600), or do nothing for None/empty. Returns the path.
    Raises LogSettingError when the file cannot be opened."""
    global _file_handler
    if path is None or not str(path).strip():
        return None
    target = os.path.expanduser(str(path))
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise LogSettingError(f"cannot open the log file {target!r}: {exc.strerror or exc}") from None
    try:
        if os.fstat(fd).st_uid == os.getuid():
            os.fchmod(fd, 0o600)  # an older file we own may have been readable by others
    except (OSError, AttributeError):
        pass
    stream = os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    if _file_handler is not None:
        close()
    _file_handler = handler
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return target


def close() -> None:
    """Detach and close the file handler (tests; the end of a run)."""
    global _file_handler
    if _file_handler is not None:
        logger.removeHandler(_file_handler)
        _file_handler.close()
        try:
            _file_handler.stream.close()
        except (OSError, AttributeError, ValueError):
            pass
        _file_handler = None
