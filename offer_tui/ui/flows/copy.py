"""The library's copy action: the marked offers (or the highlighted one) into the copy screen.

The library posts ``OfferAction("copy", ...)`` like approve, archive and delete; the library flow
hands it here. The work itself is ``offer_tui.service.copy`` (plan and run, as for `offer-tui
copy`), called by the screen in workers. This module imports the screen; the screen never imports
this module (no circle).
"""

from __future__ import annotations

from typing import Any


def open_copy(host: Any, message: Any) -> None:
    """Show the copy screen for the offers ``message`` names, under the app's --timeout."""
    from offer_tui.api.budget import DEFAULT_BUDGET
    from offer_tui.ui.screens.copy import CopyScreen

    ids = list(getattr(message, "offer_ids", None) or [message.row.offer_id])
    connection = getattr(host, "connection", None)
    profile = connection.badge()[0] if connection is not None else None
    host.push_screen(CopyScreen(
        ids, message.row.offer_type or "personalized", host.acquire_client,
        source_label=profile or "environment", demo=bool(getattr(connection, "demo", False)),
        budget=getattr(connection, "budget", None) or DEFAULT_BUDGET,
        secret_store=getattr(connection, "secret_store", None),
    ))
