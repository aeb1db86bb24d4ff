"""What a flow needs from the app, as a protocol: flows never import the app module."""

from __future__ import annotations

from typing import Any, Protocol

from textual.screen import Screen
from textual.worker import Worker


class FlowHost(Protocol):
    connection: Any
    saver: Any
    demo: bool
    placements: list[dict[str, Any]] | None
    screen: Screen[Any]
    screen_stack: list[Screen[Any]]

    def want_catalog(self) -> None: ...

    def is_screen_installed(self, screen: Screen[Any] | str) -> bool: ...

    def install_screen(self, screen: Screen[Any], name: str) -> None: ...

    def get_screen(self, screen: Screen[Any] | str) -> Screen[Any]: ...

    def pop_screen(self) -> Any: ...

    async def acquire_client(self) -> Any: ...

    def update_badge(self) -> None: ...

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...

    def push_screen(self, screen: Screen[Any] | str, callback: Any = None) -> Any: ...

    async def push_screen_wait(self, screen: Screen[Any] | str) -> Any: ...

    def run_worker(self, work: Any, name: str | None = "", group: str = "default", description: str = "",
                   exit_on_error: bool = True, start: bool = True, exclusive: bool = False,
                   thread: bool = False) -> Worker[Any]: ...

    def refresh_bindings(self) -> None: ...


async def confirm_production(host: FlowHost, action: str) -> bool:
    """On a production profile, the typed sandbox-name confirmation; True elsewhere."""
    from offer_tui.ui.screens.production import ProductionConfirmScreen

    if host.connection.settings is None and not host.demo:
        await host.connection.ensure()
        host.update_badge()
    if not host.connection.is_production():
        return True
    profile, sandbox, _ = host.connection.badge()
    return bool(await host.push_screen_wait(ProductionConfirmScreen(profile or "environment", sandbox or "",
                                                                    action=action)))
