"""The library table's columns and rows for each kind: offers through the offer row, the other
kinds through their own columns (service/library_view), ids shortened to their distinguishing end.
"""

from __future__ import annotations

from typing import Any

from offer_tui.safe_text import terminal_safe
from offer_tui.ui.widgets.offer_table import COLUMNS as OFFER_COLUMNS
from offer_tui.ui.widgets.offer_table import OfferRow, fit, row_cells, short_id

OFFER_KINDS = {"offers": "personalized", "fallbacks": "fallback"}


def columns_of(word: str) -> tuple[tuple[str, str], ...]:
    from offer_tui.service.library_view import COLUMNS

    return OFFER_COLUMNS if word in OFFER_KINDS else (("mark", " "),) + COLUMNS[word]


def kind_rows(word: str, objects: list[dict[str, Any]], names: Any) -> list[tuple[OfferRow, tuple[str, ...]]]:
    """Rows of a kind that is not an offer, in its own columns."""
    from offer_tui.service.library_view import COLUMNS, cells

    rows = []
    for obj in objects:
        values = cells(word, obj, names)
        row = OfferRow(values["id"], terminal_safe(obj.get("name", ""), limit=200, one_line=True),
                       values["status"], None, obj.get("etag"), word)
        shown = {**values, "id": short_id(values["id"]), "name": fit(values["name"])}
        rows.append((row, ("",) + tuple(shown[key] for key, _ in COLUMNS[word])))
    return rows



def row_cells_of(word: str, objects: list[dict[str, Any]], names: Any) -> list[tuple[OfferRow, tuple[str, ...]]]:
    if word in OFFER_KINDS:
        return [row_cells(obj, OFFER_KINDS[word]) for obj in objects]
    return kind_rows(word, objects, names)
