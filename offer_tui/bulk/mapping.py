"""Copying offers to another sandbox: map placement, rule and tag ids by name. Pure, no I/O.

Ids differ between sandboxes; names (and a placement's channel) are what a person recognises.
Each id an offer uses is looked up in the source catalogue, and its name (and channel) in the
target's: exactly one match maps it; none or several is a problem, and nothing may be sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from offer_tui.model import channel_short, strip_server_fields

PLACEMENT, RULE, TAG = "placement", "rule", "tag"


@dataclass(frozen=True)
class MapEntry:
    kind: str
    source_id: str
    name: str | None  # None when the id is not in the source catalogue
    channel: str | None
    target_id: str | None
    problem: str | None = None


@dataclass
class Catalogues:
    placements: Sequence[dict[str, Any]]
    rules: Sequence[dict[str, Any]]
    tags: Sequence[dict[str, Any]] = ()


def used_ids(offer: dict[str, Any]) -> dict[str, list[str]]:
    """The placement, rule and tag ids an offer refers to, in order of appearance."""
    found: dict[str, list[str]] = {PLACEMENT: [], RULE: [], TAG: []}
    reps = offer.get("representations")
    for rep in reps if isinstance(reps, list) else []:
        if isinstance(rep, dict) and isinstance(rep.get("placement"), str):
            found[PLACEMENT].append(rep["placement"])
    constraint = offer.get("selectionConstraint")
    if isinstance(constraint, dict) and isinstance(constraint.get("eligibilityRule"), str):
        found[RULE].append(constraint["eligibilityRule"])
    tags = offer.get("tags")
    found[TAG].extend(t for t in (tags if isinstance(tags, list) else []) if isinstance(t, str))
    return found


def _key(kind: str, item: dict[str, Any]) -> tuple[Any, ...]:
    return (item.get("name"), item.get("channel")) if kind == PLACEMENT else (item.get("name"),)


def build_mapping(offers: Iterable[dict[str, Any]], source: Catalogues, target: Catalogues) -> list[MapEntry]:
    """One entry per distinct id the offers use, in first-use order."""
    lists = {PLACEMENT: (source.placements, target.placements), RULE: (source.rules, target.rules),
             TAG: (source.tags, target.tags)}
    label = {PLACEMENT: "placement", RULE: "decision rule", TAG: "tag (collection qualifier)"}
    entries: list[MapEntry] = []
    seen: set[tuple[str, str]] = set()
    for offer in offers:
        for kind, ids in used_ids(offer).items():
            src_items, dst_items = lists[kind]
            for source_id in ids:
                if (kind, source_id) in seen:
                    continue
                seen.add((kind, source_id))
                item = next((i for i in src_items if i.get("id") == source_id), None)
                if item is None:
                    entries.append(MapEntry(kind, source_id, None, None, None,
                                            f"{label[kind]} {source_id} is not in the source sandbox"))
                    continue
                name, channel = item.get("name"), item.get("channel") if kind == PLACEMENT else None
                matches = [i for i in dst_items if _key(kind, i) == _key(kind, item)]
                where = f" on channel {channel_short(str(channel))}" if kind == PLACEMENT else ""
                problem = None
                if not matches:
                    problem = f"no {label[kind]} named {name!r}{where} in the target sandbox"
                elif len(matches) > 1:
                    problem = f"{len(matches)} {label[kind]}s are named {name!r}{where} in the target sandbox"
                target_id = matches[0].get("id") if len(matches) == 1 else None
                entries.append(MapEntry(kind, source_id, name, channel, target_id, problem))
    return entries


def translate(offer: dict[str, Any], entries: Iterable[MapEntry]) -> dict[str, Any]:
    """The offer as a body for the target sandbox: server fields dropped, ids mapped."""
    ids = {(e.kind, e.source_id): e.target_id for e in entries if e.target_id}
    doc = strip_server_fields(offer)[0]
    reps = doc.get("representations")
    if isinstance(reps, list):
        doc["representations"] = [
            dict(rep, placement=ids.get((PLACEMENT, rep["placement"]), rep["placement"]))
            if isinstance(rep, dict) and isinstance(rep.get("placement"), str) else rep
            for rep in reps
        ]
    constraint = doc.get("selectionConstraint")
    if isinstance(constraint, dict) and isinstance(constraint.get("eligibilityRule"), str):
        doc["selectionConstraint"] = dict(constraint, eligibilityRule=ids.get((RULE, constraint["eligibilityRule"]),
                                                                               constraint["eligibilityRule"]))
    if isinstance(doc.get("tags"), list):
        doc["tags"] = [ids.get((TAG, t), t) if isinstance(t, str) else t for t in doc["tags"]]
    return doc


def mapping_rows(entries: Iterable[MapEntry]) -> list[tuple[str, str, str, str, str]]:
    """(kind, name, channel, source id, target id or the problem) for a table."""
    return [(e.kind, e.name or "?", channel_short(e.channel) if e.channel else "", e.source_id,
             e.target_id or f"!! {e.problem}") for e in entries]
