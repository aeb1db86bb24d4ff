"""A checkbox that reads without colour: ``[x]`` when on, ``[ ]`` when off.

Textual's Checkbox draws the same ``X`` in both states and tells them apart by colour only, which
an ANSI theme, a monochrome terminal or a screen reader of the scrollback does not show.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox

from offer_tui.ui.widgets.text_input import KeysInOrder

__all__ = ["TickBox"]


class TickBox(KeysInOrder, Checkbox):  # Space then Tab then typing: in that order
    @property
    def _button(self) -> Content:
        # Brackets in the label's colour (Textual draws its half-blocks in the button's background,
        # which vanishes in a compact box), the mark in the button's: "[x]" or "[ ]".
        label_style = self.get_visual_style("toggle--label")
        button_style = self.get_visual_style("toggle--button")
        return Content.assemble(
            ("[", label_style), ("x" if self.value else " ", button_style), ("]", label_style)
        )
