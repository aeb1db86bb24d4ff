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

LOGGER_NAME = "offer_tui"
logger = logging.getLogger(LOGGER_NAME)
logger.addHandler(logging.NullHandler())
logger.propagate = False


def swallowed(context: str) -> None:
    """Record the exception being handled (call from inside an ``except`` block)."""
    logger.error("swallowed: %s", context, exc_info=True)
