"""The offer summary: one function, rendered by both ``offer-tui get`` and the library's open pane.

Structured lines (a label, a value, a depth), every value already terminal-safe and bounded, so
the two front ends show the same facts in the same words ("expired" for an offer whose end date
has passed, "caps: globalCap 5000; profileCap 1"). No Textual, no printing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from offer_tui.model import channel_short, guess_offer_type
from offer_tui.safe_text import terminal_safe


@dataclass(frozen=True)
class SummaryLine:
    label: str  # "" for a line that continues the one above (a representation's component)
    value: str
    depth: int = 0


@dataclass(frozen=True)
class Summary:
    title: str
    lines: tuple[SummaryLine, ...]

    def get(self, label: str) -> str | None:
        """The value of the first line with this label (tests, and front ends that pick fields)."""
        return next((line.value for line in self.lines if line.label == label), None)

    def text_lines(self, label_width: int = 10) -> list[str]:
        """Plain text: the title, then ``  label:    value`` (indented by depth)."""
        out = [self.title]
        for line in self.lines:
            indent = "  " * (line.depth + 1)
            head = f"{line.label + ':':{label_width}} " if line.label else ""
            out.append(f"{indent}{head}{line.value}".rstrip())
        return out


def cell(value: Any, width: int = 80) -> str:
    """One value: terminal-safe, one line, elided past ``width``; "-" for none."""
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


def priority(offer: dict[str, Any]) -> str:
    rank = offer.get("rank")
    return cell(rank.get("priority"), 8) if isinstance(rank, dict) and "priority" in rank else "-"


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def expired(offer: dict[str, Any], now: datetime | None = None) -> bool:
    """The offer's end date has passed: it is never proposed any more, whatever its status."""
    constraint = offer.get("selectionConstraint") if isinstance(offer.get("selectionConstraint"), dict) else {}
    end = _parse(constraint.get("endDate"))
    return end is not None and end < (now or datetime.now(timezone.utc))


def status_text(offer: dict[str, Any], now: datetime | None = None) -> str:
    status = cell(offer.get("status"), 20)
    if expired(offer, now):
        constraint = offer["selectionConstraint"]
        return f"{status} (expired: ended {_day(constraint.get('endDate'))})"
    return status


def eligibility(offer: dict[str, Any]) -> str:
    constraint = offer.get("selectionConstraint") if isinstance(offer.get("selectionConstraint"), dict) else {}
    kind = constraint.get("profileConstraintType", "none")
    segments = constraint.get("segmentIdentities") if isinstance(constraint.get("segmentIdentities"), list) else []
    count = f" ({len(segments)})" if segments else ""
    return {"none": "everyone", "eligibilityRule": f"rule {cell(constraint.get('eligibilityRule'), 80)}",
            "anySegments": f"any of the audiences{count}",
            "allSegments": f"all of the audiences{count}"}.get(kind, cell(kind, 40))


def caps(offer: dict[str, Any]) -> list[str]:
    """Every cap the offer has: the frequency caps, then the legacy globalCap / profileCap."""
    found = []
    listed = offer.get("frequencyCappingConstraints")
    for cap in listed if isinstance(listed, list) else []:
        if isinstance(cap, dict):
            repeat = cap.get("repeat") if isinstance(cap.get("repeat"), dict) else {}
            every = f" every {repeat.get('unitCount')} {repeat.get('unit')}" if repeat.get("enabled") else ""
            state = "" if cap.get("enabled", True) else " (off)"
            found.append(cell(f"{cap.get('limit')} per {cap.get('scope')} {cap.get('entity')}{every}{state}", 60))
    legacy = offer.get("cappingConstraint") if isinstance(offer.get("cappingConstraint"), dict) else {}
    found += [cell(f"{key} {legacy[key]}", 30) for key in ("globalCap", "profileCap") if key in legacy]
    return found


def offer_summary(offer: dict[str, Any], offer_type: str | None = None,
                  placement_names: dict[str, str] | None = None, *, now: datetime | None = None) -> Summary:
    """The summary of one offer, one fact per line."""
    names = placement_names or {}
    offer_type = offer_type or guess_offer_type(offer) or "personalized"
    lines = [
        SummaryLine("id", cell(offer.get("id"), 120)),
        SummaryLine("type", offer_type),
        SummaryLine("status", status_text(offer, now)),
        SummaryLine("priority", priority(offer)),
        SummaryLine("dates", window(offer)),
        SummaryLine("etag", cell(offer.get("etag"), 20)),
        SummaryLine("modified", f"{cell(offer.get('modified'), 40)} by {cell(offer.get('lastModifiedBy'), 80)}"),
        SummaryLine("created", cell(offer.get("created"), 40)),
    ]
    if offer.get("description"):
        lines.append(SummaryLine("about", cell(offer.get("description"), 200)))
    if offer_type == "personalized":
        lines.append(SummaryLine("for", eligibility(offer)))
        found = caps(offer)
        lines.append(SummaryLine("caps", "; ".join(found) if found else "none"))
    tags = offer.get("tags")
    if isinstance(tags, list) and tags:
        lines.append(SummaryLine("tags", str(len(tags))))
    reps = offer.get("representations") if isinstance(offer.get("representations"), list) else []
    lines.append(SummaryLine("representations", str(len(reps))))
    for rep in reps:
        if not isinstance(rep, dict):
            continue
        placement = rep.get("placement")
        label = names.get(placement) if isinstance(placement, str) else None
        where = f"{cell(label, 60)} ({cell(placement, 60)})" if label else cell(placement, 80)
        lines.append(SummaryLine("", f"- {cell(channel_short(str(rep.get('channel', ''))), 20)}: {where}", 1))
        for comp in rep.get("components") if isinstance(rep.get("components"), list) else []:
            if not isinstance(comp, dict):
                continue
            languages = ", ".join(cell(x, 20) for x in comp.get("language", []) if isinstance(x, str)) \
                if isinstance(comp.get("language"), list) else "-"
            body = comp.get("content", comp.get("deliveryURL", ""))
            lines.append(SummaryLine("", f"{cell(comp.get('type'), 20)} {cell(comp.get('format'), 40)} "
                                         f"[{languages}] {cell(body, 60)}", 3))
    return Summary(cell(offer.get("name"), 200) if offer.get("name") is not None else "(no name)", tuple(lines))
