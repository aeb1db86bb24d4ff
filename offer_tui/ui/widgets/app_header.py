"""The header every screen shows: the title plus the profile · sandbox badge."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Header

from offer_tui.ui.widgets.profile_badge import ProfileBadge


class AppHeader(Header):
    def compose(self) -> ComposeResult:
        yield from super().compose()
        profile, sandbox, production = getattr(self.app, "badge_info", (None, None, False))
        result = getattr(self.app, "credentials_checked", None)
        yield ProfileBadge(profile, sandbox, production, result)
