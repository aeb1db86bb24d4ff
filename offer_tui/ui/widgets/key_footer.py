"""A one-line footer listing the active key bindings, drawn by a single widget.

Textual's Footer builds one widget per key and rebuilds them whenever focus moves, which cost
~60 ms of the wizard's first frame; this one re-renders a single line, and only when its text
changes. It is keyboard-first like the app: the keys are shown, not clicked.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


def _length(entries: list[tuple[str, str, bool]]) -> int:
    return sum(len(key) + len(description) + 3 for key, description, _ in entries)


class KeyFooter(Static):
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description", "key-footer--disabled"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .key-footer--description { color: $footer-description-foreground; background: $footer-description-background; }
        & > .key-footer--disabled { text-style: dim; }
    }
    """

    def __init__(self, *, wrap: bool = False) -> None:
        """``wrap``: use as many lines as the keys need instead of dropping keys past the width."""
        super().__init__("", markup=False)
        self.wrap = wrap
        if wrap:
            self.styles.height = "auto"
        self._shown: tuple = ()
        self._pending = False
        self._styles: tuple | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_resize(self) -> None:
        self._shown = ()
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen) -> None:
        # Start-up and a step change fire this several times in a row (each focus move): work it
        # out once, before the next frame (call_next runs ahead of the queued refresh).
        if not self._pending:
            self._pending = True
            self.call_next(self._update_entries)

    def _update_entries(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        screen = self.screen
        entries: list[tuple[str, str, bool]] = []
        seen_actions: set[str] = set()
        palette: tuple[str, str, bool] | None = None
        for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
            if key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = (self.app.get_key_display(binding), "palette", enabled)
            elif binding.show and binding.action not in seen_actions:
                seen_actions.add(binding.action)
                entries.append((self.app.get_key_display(binding), binding.description, enabled))
        # Too wide: drop keys from the end (they stay in F1 help and the palette), but keep the palette.
        width = self.size.width or self.app.size.width
        while not self.wrap and entries and _length(entries + ([palette] if palette else [])) > width:
            entries.pop()
        if palette is not None:
            entries.append(palette)
        shown = (tuple(entries), self.size.width)
        if shown == self._shown:
            return
        self._shown = shown
        self.update(self._render_entries(entries))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._shown = ()  # re-render in the new colours
        if self.is_attached:
            self._bindings_changed(self.screen)

    def _render_entries(self, entries: list[tuple[str, str, bool]]) -> Text:
        if self._styles is None:  # each lookup resolves the CSS: once per style change, not per update
            self._styles = tuple(self.get_component_rich_style(name) for name in (
                "key-footer--key", "key-footer--description", "key-footer--disabled"))
        key_style, description_style, disabled = self._styles
        text = Text(no_wrap=True, overflow="crop")
        width = self.size.width or self.app.size.width
        used = 0
        for key, description, enabled in entries:
            extra = disabled if not enabled else None
            if self.wrap and used and used + len(key) + len(description) + 3 > width:
                text.append("\n")  # the next key on a new line, never half cut
                used = 0
            used += len(key) + len(description) + 3
            text.append(f" {key} ", key_style + extra if extra else key_style)
            text.append(f"{description} ", description_style + extra if extra else description_style)
        return text
