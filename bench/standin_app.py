"""A stand-in for `offer-tui --demo` while the real wizard is being written.

It mimics the wizard's layout: a form on the left (name focused), the live JsonPreview on the
right, a Header and a Footer. Every keystroke re-serializes the document and hands the text
to the preview, as the wizard does.
"""

from __future__ import annotations

import json

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Select

from offer_tui.ui.widgets.json_preview import JsonPreview

CHANNELS = ("web", "email", "mobile", "messaging", "social", "offline", "direct-mail", "inapp", "code")


class StandInApp(App):
    TITLE = "offer-tui (bench stand-in)"
    CSS = """
    #form { width: 1fr; padding: 0 1; }
    JsonPreview { width: 1fr; border-left: vkey $foreground 20%; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="form"):
                yield Input(placeholder="Offer name", id="name")
                yield Input(placeholder="Description", id="description")
                yield Select([(s, s) for s in ("draft", "approved")], value="draft", id="status")
                yield Select([(c, c) for c in CHANNELS], value="web", id="channel")
            yield JsonPreview()
        yield Footer()

    def on_mount(self) -> None:
        self._refresh_preview()
        self.query_one("#name", Input).focus()

    def document(self) -> dict:
        return {
            "name": self.query_one("#name", Input).value,
            "description": self.query_one("#description", Input).value,
            "status": self.query_one("#status", Select).value,
            "representations": [
                {
                    "channel": "https://ns.adobe.com/xdm/channel-types/"
                    + str(self.query_one("#channel", Select).value),
                    "placement": "xcore:offer-placement:1",
                    "components": [
                        {
                            "type": "https://ns.adobe.com/experience/offer-management/content-component-html",
                            "format": "text/html",
                            "language": ["en-us"],
                            "content": "<p>Hello</p>",
                        }
                    ],
                }
            ],
            "selectionConstraint": {"startDate": "", "endDate": "", "profileConstraint": {}},
            "rank": {"priority": 0},
        }

    def _refresh_preview(self) -> None:
        self.query_one(JsonPreview).update_json(json.dumps(self.document(), indent=2, ensure_ascii=False))

    def on_input_changed(self) -> None:
        self._refresh_preview()

    def on_select_changed(self) -> None:
        self._refresh_preview()


if __name__ == "__main__":
    StandInApp().run()
