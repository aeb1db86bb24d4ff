"""An Input whose keys take effect in the order they were typed: its editing keys (ctrl+u, ctrl+w,
ctrl+k, Backspace, Home/End, arrows) and the screen's (Tab to the next field).

Textual runs non-priority bindings (the Input's own and its ancestors') only once the key has
bubbled back up to the App (``App._on_key``), while the next printable key is forwarded straight to
the Input. When the App is busy (the start-up lookups, the steps mounting in the background) or keys
arrive in a burst, `ctrl+u` then `Seed copy 2` became: "S" typed at the end, then everything left of
the cursor deleted ("eed copy 2", " copy 2", "" ...; issue 13, item 2.9), and Tab then `+1y2d` typed
`+1y2d` into the field Tab was leaving. Here the Input runs the bindings as the key arrives, in its
own queue, so they stay in order with the characters around them.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

__all__ = ["KeysInOrder", "TextInput"]


class KeysInOrder:
    """For a focusable widget: a key runs its bindings as it arrives, and a key that arrives once
    the focus has moved on goes where the focus is."""

    # Printable keys the widget itself handles (an Input inserts them): not bindings.
    TYPES_PRINTABLE = False

    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused if self.is_attached else None  # type: ignore[attr-defined]
        if focused is not None and focused is not self:
            # Sent here while this field had the focus, and a key before it (Tab) moved the focus:
            # the key belongs where the focus is now, as it would had the App not been behind.
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))
            return
        if event.is_printable and self.TYPES_PRINTABLE:
            return  # Input._on_key inserts it (the dispatcher calls it next)
        # What App._on_key would do once the key bubbled up: the bindings from the focused widget up
        # (priority ones already ran before the key was forwarded here). Private in Textual 8.2.
        if await self.app._check_bindings(event.key):  # type: ignore[attr-defined]
            event.stop()
            event.prevent_default()  # handled: the widget's and the App's handlers must not run it again


class TextInput(KeysInOrder, Input):
    TYPES_PRINTABLE = True
