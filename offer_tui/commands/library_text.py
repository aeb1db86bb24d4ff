"""How the library commands show offers: table rows and the readable summary of one offer.

Every server value goes through ``terminal_safe`` (one line, bounded): names and
descriptions are untrusted text. No Textual, no I/O.
"""

from __future__ import annotations

from typing import Any

# One copy of the cell helpers, shared with the summary (re-exported: library.py imports cell from here).
from offer_tui.service.summary import cell, priority, window  # noqa: F401

LIST_HEADERS = ("id", "name", "status", "type", "priority", "start-end", "modified")
NAME_WIDTH = 40


def modified(offer: dict[str, Any]) -> str:
    value = offer.get("modified") or offer.get("created")
    if not isinstance(value, str) or len(value) < 16:
        return "-"
    return cell(value[:10] + " " + value[11:16], 16)


def list_row(offer: dict[str, Any], offer_type: str, name_width: int = NAME_WIDTH) -> tuple[str, ...]:
    return (cell(offer.get("id"), 60), cell(offer.get("name"), name_width), cell(offer.get("status"), 10),
            offer_type, priority(offer), window(offer), modified(offer))


# On a narrow terminal these columns go first, in this order, so id, name and status stay readable.
DROP_ORDER = ("start-end", "priority", "type", "modified")
MIN_NAME = 20


def fit_rows(items: list[tuple[dict[str, Any], str]], columns: int | None) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Headers and rows; on a terminal ``columns`` wide, columns are dropped (``DROP_ORDER``)
    until the name has room, and the name takes what the others leave (up to ``NAME_WIDTH``)."""
    rows = [list_row(offer, offer_type) for offer, offer_type in items]
    if columns is None or not rows:
        return LIST_HEADERS, rows
    keep = list(range(len(LIST_HEADERS)))

    def others() -> int:
        widths = [max(len(LIST_HEADERS[i]), *(len(r[i]) for r in rows)) for i in keep if i != 1]
        return sum(widths) + 2 * (len(keep) - 1)

    for name in DROP_ORDER:
        if columns - others() - 1 >= MIN_NAME:
            break
        keep.remove(LIST_HEADERS.index(name))
    width = max(12, min(NAME_WIDTH, columns - others() - 1))
    fitted = [list_row(offer, offer_type, width) for offer, offer_type in items]
    return tuple(LIST_HEADERS[i] for i in keep), [tuple(r[i] for i in keep) for r in fitted]


def summary_lines(offer: dict[str, Any], placement_names: dict[str, str] | None = None) -> list[str]:
    """A readable summary of one offer, one fact per line (the same summary the app's open pane shows)."""
    from offer_tui.service.summary import offer_summary

    return offer_summary(offer, None, placement_names).text_lines()
