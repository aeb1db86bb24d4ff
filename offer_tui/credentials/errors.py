"""The one exception type the credentials layer raises."""

from __future__ import annotations


class CredentialError(Exception):
    """A credential could not be stored, read or resolved.

    The message is one line meant for the user. It never contains a secret:
    backend exceptions are summarised by their type and a secret-free reason,
    and the original is chained only as ``__cause__`` for debugging.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if not hint else f"{message} - {hint}")

