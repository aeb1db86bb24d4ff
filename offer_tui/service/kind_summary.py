"""The summary of one object of any kind, for ``offer-tui get`` and the library's open pane alike.

Offers use the one offer summary (:func:`offer_tui.service.summary.offer_summary`) with the names
of their rule and tags added; every other kind is described here. Every reference is shown by
name with its id ("Homepage hero banner (dps:offer-placement:...)"), and one that the sandbox
does not hold says so: that is the answer to "why does this decision show nothing". The names
come from :func:`offer_tui.service.objects.names_of` (one listing per referenced kind). Pure: no
I/O, no Textual, no printing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from offer_tui.model.kinds import Kind
from offer_tui.service.summary import Summary, SummaryLine, cell, offer_summary

Names = dict[str, dict[str, str]]  # kind word -> id -> name

FILTER_TYPES = {"any-tags": "any of these tags", "all-tags": "all of these tags", "offers": "a fixed list of offers"}


def ref_text(names: Names, word: str, object_id: Any) -> str:
    """``Name (id)``; ``id (not in this sandbox)`` when the kind was listed and it is not there;
    the bare id when the kind's names are not known."""
    if not isinstance(object_id, str) or not object_id:
        return "-"
    listed = names.get(word)
    if listed is None:
        return cell(object_id, 80)
    if object_id not in listed:
        return f"{cell(object_id, 80)} (not in this sandbox)"
    return f"{cell(listed[object_id] or '(no name)', 60)} ({cell(object_id, 80)})"


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _day(value: Any) -> str:
    return cell(value[:10], 10) if isinstance(value, str) and len(value) >= 10 else "-"


def _audit(obj: dict[str, Any]) -> list[SummaryLine]:
    lines = [SummaryLine("etag", cell(obj.get("etag"), 20)),
             SummaryLine("modified", f"{cell(obj.get('modified'), 40)} by {cell(obj.get('lastModifiedBy'), 80)}"),
             SummaryLine("created", cell(obj.get("created"), 40))]
    if obj.get("description"):
        lines.append(SummaryLine("about", cell(obj.get("description"), 200)))
    return lines


def _eligibility(constraint: Any, names: Names) -> str:
    constraint = constraint if isinstance(constraint, dict) else {}
    kind = constraint.get("profileConstraintType", "none")
    if kind == "eligibilityRule":
        return f"rule {ref_text(names, 'rules', constraint.get('eligibilityRule'))}"
    segments = constraint.get("segmentIdentities") if isinstance(constraint.get("segmentIdentities"), list) else []
    count = f" ({len(segments)})" if segments else ""
    return {"none": "everyone", "anySegments": f"any of the audiences{count}",
            "allSegments": f"all of the audiences{count}"}.get(kind, cell(kind, 40))


def _ranking(rank: Any) -> str:
    order = rank.get("order") if isinstance(rank, dict) else None
    kind = order.get("orderEvaluationType") if isinstance(order, dict) else None
    if kind == "ranking-strategy":
        return f"ranking formula {cell(order.get('rankingStrategy'), 80)}"
    return "offer priority" if kind in (None, "static") else cell(kind, 40)


def _decision(obj: dict[str, Any], names: Names, now: datetime) -> list[SummaryLine]:
    status = cell(obj.get("status"), 20)
    end = _parse(obj.get("endDate"))
    if end is not None and end < now:
        status += f" (ended {_day(obj.get('endDate'))})"
    start, finish = obj.get("startDate"), obj.get("endDate")
    lines = [SummaryLine("status", status),
             SummaryLine("dates", f"{_day(start)}..{_day(finish)}" if start or finish else "-"),
             SummaryLine("fallback", ref_text(names, "fallbacks", obj.get("fallback")))]
    criteria = obj.get("criteria") if isinstance(obj.get("criteria"), list) else []
    lines.append(SummaryLine("criteria", str(len(criteria))))
    for i, criterion in enumerate(criteria):
        if not isinstance(criterion, dict):
            continue
        lines.append(SummaryLine("", f"- criterion {i + 1}", 1))
        places = criterion.get("placements") if isinstance(criterion.get("placements"), list) else []
        lines.append(SummaryLine("placements", ", ".join(ref_text(names, "placements", p) for p in places) or "-", 2))
        selection = criterion.get("optionSelection") if isinstance(criterion.get("optionSelection"), dict) else {}
        lines.append(SummaryLine("collection", ref_text(names, "collections", selection.get("filter")), 2))
        lines.append(SummaryLine("for", _eligibility(criterion.get("profileConstraint"), names), 2))
        lines.append(SummaryLine("ranking", _ranking(criterion.get("rank")), 2))
    return lines


def _collection(obj: dict[str, Any], names: Names) -> list[SummaryLine]:
    filter_type = obj.get("filterType")
    target = "offers" if filter_type == "offers" else "tags"
    ids = [i for i in obj.get("ids", []) if isinstance(i, str)] if isinstance(obj.get("ids"), list) else []
    lines = [SummaryLine("selects", FILTER_TYPES.get(filter_type, cell(filter_type, 40))),
             SummaryLine(target, str(len(ids)))]
    lines += [SummaryLine("", f"- {ref_text(names, target, i)}", 1) for i in ids]
    labels = obj.get("labels")
    if isinstance(labels, list) and labels:
        lines.append(SummaryLine("labels", ", ".join(cell(x, 40) for x in labels)))
    return lines


def _placement(obj: dict[str, Any]) -> list[SummaryLine]:
    channel = obj.get("channel")
    short = channel.rsplit("/", 1)[-1] if isinstance(channel, str) and "/" in channel else cell(channel, 60)
    lines = [SummaryLine("channel", short), SummaryLine("component", cell(obj.get("componentType"), 40)),
             SummaryLine("items", cell(obj.get("itemCount"), 10))]
    if "allowDuplicatePlacements" in obj:
        lines.append(SummaryLine("duplicates", "allowed" if obj.get("allowDuplicatePlacements") else "not allowed"))
    if "returnContent" in obj:
        lines.append(SummaryLine("content", "returned" if obj.get("returnContent") else "not returned"))
    return lines


def _rule(obj: dict[str, Any]) -> list[SummaryLine]:
    condition = obj.get("condition") if isinstance(obj.get("condition"), dict) else {}
    lines = [SummaryLine("condition", cell(condition.get("value"), 300))]
    defined = obj.get("definedOn") if isinstance(obj.get("definedOn"), dict) else {}
    profile = defined.get("profile") if isinstance(defined.get("profile"), dict) else {}
    paths = profile.get("referencePaths")
    if isinstance(paths, list) and paths:
        lines.append(SummaryLine("fields", ", ".join(cell(p, 60) for p in paths)))
    return lines


def _offer(kind: Kind, obj: dict[str, Any], names: Names, now: datetime | None) -> Summary:
    """The one offer summary, with its rule and tags named too."""
    summary = offer_summary(obj, kind.offer_type, names.get("placements"), now=now)
    constraint = obj.get("selectionConstraint") if isinstance(obj.get("selectionConstraint"), dict) else {}
    tags = [t for t in obj.get("tags", []) if isinstance(t, str)] if isinstance(obj.get("tags"), list) else []
    lines = []
    for line in summary.lines:
        if line.label == "for" and line.depth == 0 and constraint.get("profileConstraintType") == "eligibilityRule":
            line = replace(line, value=_eligibility(constraint, names))
        elif line.label == "tags" and line.depth == 0 and tags:
            line = replace(line, value=f"{len(tags)}: " + ", ".join(ref_text(names, "tags", t) for t in tags))
        lines.append(line)
    return Summary(summary.title, tuple(lines))


def object_summary(kind: Kind, obj: dict[str, Any], names: Names | None = None, *,
                   now: datetime | None = None) -> Summary:
    """The summary of ``obj`` (a ``kind``), references by name where ``names`` has them."""
    names = names or {}
    if kind.offer_type is not None:
        return _offer(kind, obj, names, now)
    now = now or datetime.now(timezone.utc)
    lines = [SummaryLine("id", cell(obj.get("id"), 120)), SummaryLine("kind", kind.title)]
    if kind.word == "decisions":
        lines += _decision(obj, names, now)
    elif kind.word == "collections":
        lines += _collection(obj, names)
    elif kind.word == "placements":
        lines += _placement(obj)
    elif kind.word == "rules":
        lines += _rule(obj)
    lines += _audit(obj)
    title = cell(obj.get("name"), 200) if obj.get("name") is not None else "(no name)"
    return Summary(title, tuple(lines))


def used_by_lines(users: Any) -> list[SummaryLine]:
    """"Used by" for the open pane (the same as ``refs``): one line per object, by kind and name."""
    from offer_tui.model.kinds import kind as kind_word

    users = list(users)
    lines = [SummaryLine("used by", str(len(users)) if users else "nothing")]
    lines += [SummaryLine("", f"- {kind_word(u.kind).singular} {cell(u.name, 60)!s} ({cell(u.id, 80)})", 1)
              for u in users]
    return lines
