"""The baseline for the benchmark: the smallest app with the wizard's ingredients.

A Header, one focused Input, a read-only TextArea and a Footer. Typing echoes in the Input
only; this is the cost of a keystroke with no live preview at all.
"""

from __future__ import annotations

import json

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input, TextArea

SAMPLE = json.dumps(
    {
        "name": "",
        "status": "draft",
        "representations": [
            {
                "channel": "https://ns.adobe.com/xdm/channel-types/web",
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
    },
    indent=2,
)


class BareApp(App):
    TITLE = "bare"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Name", id="name")
        yield TextArea(SAMPLE, read_only=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()


if __name__ == "__main__":
    BareApp().run()
