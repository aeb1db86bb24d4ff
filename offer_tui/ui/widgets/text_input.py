"""An Input whose editing keys (ctrl+u, ctrl+w, ctrl+k, Backspace, Home/End, arrows) take effect in
the order they were typed.

Textual runs a focused widget's own (non-priority) bindings only once the key has bubbled back up to
the App (``App._on_key``), while the next printable key is forwarded straight to the Input. When the
App is busy (the start-up lookups, the steps mounting in the background) or keys arrive in a burst,
`ctrl+u` then `Seed copy 2` became: "S" typed at the end, then everything left of the cursor deleted
("eed copy 2", " copy 2", "" ...; issue 13, item 2.9). Here the Input runs its own binding as the key
arrives, in its own queue, so it stays in order with the characters around it.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

__all__ = ["TextInput"]


class TextInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # Input._on_key inserts it (the dispatcher calls it next)
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()  # handled: Input._on_key and App._on_key must not run it again
                return
