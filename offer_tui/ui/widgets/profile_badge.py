"""A compact "profile · sandbox" label, so every screen says where a submit would go.

Production profiles get a loud style ($error background) and a "⚠" marker, so the difference
survives a monochrome terminal too. After the start-up token check, "✓" or "✗" says whether the
credentials work (a "✗" badge is underlined too, for monochrome terminals). Mounted into a ``Header`` it docks to the right, beside the
(empty) clock space.
"""

from __future__ import annotations

from textual.widgets import Static


def badge_text(profile: str | None, sandbox: str | None, production: bool = False, checked: bool | None = None) -> str:
    """'dev · dev-sandbox'; 'env · sandbox' without a profile; 'no credentials' when both are unknown.
    ``checked``: the token check's result ('✓' / '✗' after), None before or without one."""
    if not profile and not sandbox:
        text = "no credentials"
    else:
        text = f"{profile or 'env'} · {sandbox or 'no sandbox'}"
    if checked is not None:
        text = f"{text} {'✓' if checked else '✗'}"
    return f"⚠ {text}" if production else text


class ProfileBadge(Static):
    SCOPED_CSS = False  # so the "Header ProfileBadge" rule can match (scoped rules start at the badge)
    DEFAULT_CSS = """
    ProfileBadge {
        width: auto;
        height: 1;
        padding: 0 1;
        background: $primary-muted;
        color: $text;
    }
    ProfileBadge.-production { background: $error; color: $text; text-style: bold; }
    ProfileBadge.-none { background: $warning-muted; }
    ProfileBadge.-failed { background: $error-muted; text-style: underline; }
    Header ProfileBadge { dock: right; margin-right: 10; }
    """

    def __init__(
        self,
        profile: str | None = None,
        sandbox: str | None = None,
        production: bool = False,
        checked: bool | None = None,
        *,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self.update_badge(profile, sandbox, production, checked)

    def update_badge(self, profile: str | None, sandbox: str | None, production: bool = False,
                     checked: bool | None = None) -> None:
        self.profile = profile
        self.sandbox = sandbox
        self.production = production
        self.checked = checked
        self.set_class(production, "-production")
        self.set_class(not profile and not sandbox, "-none")
        self.set_class(checked is False, "-failed")
        self.tooltip = "Production: submits ask you to type the sandbox name" if production else None
        self.update(badge_text(profile, sandbox, production, checked))
