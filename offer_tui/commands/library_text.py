"""How the library commands show offers: table rows and the readable summary of one offer.

Every server value goes through ``terminal_safe`` (one line, bounded): names and
descriptions are untrusted text. No Textual, no I/O.
"""

from __future__ import annotations

from typing import Any

from offer_tui.model import channel_short, guess_offer_type
from offer_tui.safe_text import terminal_safe

LIST_HEADERS = ("id", "name", "status", "type", "priority", "start-end", "modified")
NAME_WIDTH = 40


def cell(value: Any, width: int = 80) -> str:
    """One table cell: terminal-safe, one line, elided past ``width``."""
    if value is None:
        return "-"
    text = terminal_safe(value, limit=None, one_line=True)
    return text if len(text) <= width else text[: width - 3] + "..."


def _day(value: Any) -> str:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else "-"


def window(offer: dict[str, Any]) -> str:
    constraint = offer.get("selectionConstraint")
    if not isinstance(constraint, dict) or not (constraint.get("startDate") or constraint.get("endDate")):
        return "-"
    return cell(f"{_day(constraint.get('startDate'))}..{_day(constraint.get('endDate'))}", 24)


def modified(offer: dict[str, Any]) -> str:
    value = offer.get("modified") or offer.get("created")
    if not isinstance(value, str) or len(value) < 16:
        return "-"
    return cell(value[:10] + " " + value[11:16], 16)


def priority(offer: dict[str, Any]) -> str:
    rank = offer.get("rank")
    return cell(rank.get("priority"), 8) if isinstance(rank, dict) and "priority" in rank else "-"


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
    """A readable summary of one offer, one fact per line."""
    names = placement_names or {}
    offer_type = guess_offer_type(offer) or "personalized"
    lines = [
        f"{cell(offer.get('name'), 200)}",
        f"  id:        {cell(offer.get('id'), 120)}",
        f"  type:      {offer_type}",
        f"  status:    {cell(offer.get('status'), 20)}",
        f"  priority:  {priority(offer)}",
        f"  dates:     {window(offer)}",
        f"  etag:      {cell(offer.get('etag'), 20)}",
        f"  modified:  {cell(offer.get('modified'), 40)} by {cell(offer.get('lastModifiedBy'), 80)}",
        f"  created:   {cell(offer.get('created'), 40)}",
    ]
    if offer.get("description"):
        lines.append(f"  about:     {cell(offer.get('description'), 200)}")
    constraint = offer.get("selectionConstraint") if isinstance(offer.get("selectionConstraint"), dict) else {}
    kind = constraint.get("profileConstraintType", "none")
    eligibility = {"none": "everyone", "eligibilityRule": f"rule {cell(constraint.get('eligibilityRule'), 80)}",
                   "anySegments": "any of the audiences", "allSegments": "all of the audiences"}.get(kind, cell(kind, 40))
    lines.append(f"  for:       {eligibility}")
    caps = offer.get("frequencyCappingConstraints")
    legacy = offer.get("cappingConstraint") if isinstance(offer.get("cappingConstraint"), dict) else {}
    cap_text = []
    for cap in caps if isinstance(caps, list) else []:
        if isinstance(cap, dict):
            repeat = cap.get("repeat") if isinstance(cap.get("repeat"), dict) else {}
            every = f" every {repeat.get('unitCount')} {repeat.get('unit')}" if repeat.get("enabled") else ""
            state = "" if cap.get("enabled", True) else " (off)"
            cap_text.append(cell(f"{cap.get('limit')} per {cap.get('scope')} {cap.get('entity')}{every}{state}", 60))
    cap_text += [cell(f"{key} {legacy[key]}", 30) for key in ("globalCap", "profileCap") if key in legacy]
    lines.append(f"  caps:      {'; '.join(cap_text) if cap_text else 'none'}")
    tags = offer.get("tags")
    if isinstance(tags, list) and tags:
        lines.append(f"  tags:      {len(tags)}")
    reps = offer.get("representations") if isinstance(offer.get("representations"), list) else []
    lines.append(f"  representations: {len(reps)}")
    for rep in reps:
        if not isinstance(rep, dict):
            continue
        placement = rep.get("placement")
        label = names.get(placement) if isinstance(placement, str) else None
        where = f"{cell(label, 60)} ({cell(placement, 60)})" if label else cell(placement, 80)
        lines.append(f"    - {cell(channel_short(str(rep.get('channel', ''))), 20)}: {where}")
        for comp in rep.get("components") if isinstance(rep.get("components"), list) else []:
            if not isinstance(comp, dict):
                continue
            languages = ", ".join(cell(x, 20) for x in comp.get("language", []) if isinstance(x, str)) \
                if isinstance(comp.get("language"), list) else "-"
            body = comp.get("content", comp.get("deliveryURL", ""))
            lines.append(f"        {cell(comp.get('type'), 20)} {cell(comp.get('format'), 40)} [{languages}] {cell(body, 60)}")
    return lines
