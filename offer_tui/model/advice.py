"""Warnings, not errors: things that are valid to send but probably not what the user meant.

The catalog may be stale and the clock may be off, so none of these blocks a submit. Dates are
checked by `validate_offer` (so `offer-tui validate` says them too); placements and same-named
offers need the API, so the wizard adds those on Review.
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from typing import Any

from .constants import channel_short
from .dates import format_rfc3339, parse_rfc3339
from .issues import Issue


def is_midnight(moment: datetime) -> bool:
    return moment.timetz().replace(tzinfo=None) == time(0, 0)


def end_of_day(text: str) -> str | None:
    """``2025-08-31T00:00:00.000+02:00`` -> ``2025-08-31T23:59:59.000+02:00``; None unless at 00:00."""
    try:
        moment = parse_rfc3339(text)
    except ValueError:
        return None
    if not is_midnight(moment):
        return None
    return format_rfc3339(moment.replace(hour=23, minute=59, second=59, microsecond=0))


def end_date_warnings(path: str, text: Any, now: datetime,
                      consequence: str = "the offer will never be shown") -> list[Issue]:
    """An end in the past (nothing will show) or at exactly 00:00 (that day is left out)."""
    if not isinstance(text, str):
        return []
    try:
        end = parse_rfc3339(text)
    except ValueError:
        return []  # the error says it
    issues = []
    if end <= now:
        issues.append(Issue(path, f"is in the past: {consequence}", "warning"))
    if is_midnight(end):
        day = f"{end:%Y-%m-%d}"
        issues.append(Issue(
            path,
            f"ends at 00:00, which leaves out {day} itself; to include that day end at "
            f"{end_of_day(text)} (the end date's \"until 23:59:59\" button)",
            "warning",
        ))
    return issues


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _component_kind(component_type: Any) -> str:
    """A placement's componentType, short (the API may give a URI ending in content-component-html)."""
    text = str(component_type or "")
    return text.rsplit("content-component-", 1)[-1] if "content-component-" in text else text


def placement_warnings(doc: Any, placements: list[dict[str, Any]] | None) -> list[Issue]:
    """A placement on another channel than its representation; a component type the placement
    does not take. Only for placements the catalog knows (an unknown id says nothing)."""
    reps = doc.get("representations") if isinstance(doc, dict) else None
    if not placements or not isinstance(reps, list):
        return []
    by_id = {p.get("id"): p for p in placements if isinstance(p, dict)}
    issues: list[Issue] = []
    for i, rep in enumerate(reps):
        if not isinstance(rep, dict):
            continue
        placement = by_id.get(rep.get("placement"))
        if placement is None:
            continue
        name = placement.get("name") or placement.get("id")
        channel, wanted = rep.get("channel"), placement.get("channel")
        if isinstance(channel, str) and isinstance(wanted, str) and channel != wanted:
            issues.append(Issue(
                f"representations[{i}].placement",
                f"placement '{name}' is on the {channel_short(wanted)} channel, but this representation "
                f"is on {channel_short(channel)}: pick a {channel_short(channel)} placement or change the channel",
                "warning",
            ))
        kind = _component_kind(placement.get("componentType"))
        components = rep.get("components")
        if not kind or not isinstance(components, list):
            continue
        for j, comp in enumerate(components):
            ctype = comp.get("type") if isinstance(comp, dict) else None
            if isinstance(ctype, str) and ctype and ctype != kind:
                issues.append(Issue(
                    f"representations[{i}].components[{j}].type",
                    f"a {ctype} component on placement '{name}', which takes {kind} components",
                    "warning",
                ))
    return issues


def same_name_warnings(name: str, offer_type: str, matches: list[dict[str, Any]]) -> list[Issue]:
    """Existing offers with this name (from the API): submit would add another."""
    if not matches:
        return []
    ids = [str(m.get("id")) for m in matches if isinstance(m, dict) and m.get("id")]
    shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    count = "an existing" if len(matches) == 1 else f"{len(matches)} existing"
    noun = "offer has" if len(matches) == 1 else "offers have"
    return [Issue(
        "name",
        f"{count} {offer_type} {noun} this name ({shown}): submit creates another one",
        "warning",
    )]
