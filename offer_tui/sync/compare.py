"""Two sandboxes side by side, by kind and name: only in the source, only in the target, differing
(with the patch) or the same; and the plan for the objects someone marked. No printing, no Textual.

It is ``export`` into memory and ``plan`` against the target, so what the Sandboxes view shows and
applies is exactly what ``export`` + ``plan`` + ``apply`` would do with those objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from offer_tui.api.library import Library

from .fileform import KIND_ORDER
from .memory import Listings, as_folder, read_listings
from .plan import CREATE, UNCHANGED, UPDATE, Action, Plan, compute_plan, pending_refs

ONLY_SOURCE, ONLY_TARGET, DIFFERS, SAME = "only in source", "only in target", "differs", "same"
STATE_OF = {CREATE: ONLY_SOURCE, UPDATE: DIFFERS, UNCHANGED: SAME}


@dataclass
class Row:
    kind: str
    name: str
    state: str
    lines: list[str] = field(default_factory=list)  # the patch, for "differs"
    problems: list[str] = field(default_factory=list)  # why it cannot be applied as it is
    action: Action | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.name

    @property
    def applicable(self) -> bool:
        return self.action is not None and self.state in (ONLY_SOURCE, DIFFERS) and not self.problems


@dataclass
class Comparison:
    rows: list[Row]
    plan: Plan
    source_problems: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        result = dict.fromkeys((ONLY_SOURCE, ONLY_TARGET, DIFFERS, SAME), 0)
        for row in self.rows:
            result[row.state] += 1
        return result


def compare_listings(source: Listings, target: Listings) -> Comparison:
    folder = as_folder(source)
    plan = compute_plan(folder, target)
    by_file: dict[str, list[str]] = {}
    for problem in plan.problems:
        by_file.setdefault(problem.split(": ", 1)[0], []).append(problem)
    rows = [Row(a.kind, a.name, STATE_OF[a.action], a.lines, by_file.get(a.file, []), a) for a in plan.actions]
    planned = {r.key for r in rows}
    for obj in folder.objects:  # objects the plan refused (a name the target holds twice...)
        if (obj.kind, obj.name) not in planned:
            rows.append(Row(obj.kind, obj.name, DIFFERS, problems=by_file.get(obj.file, ["cannot be planned"])))
    source_names = {(o.kind, o.name) for o in folder.objects}
    for word in KIND_ORDER:
        for item in target.get(word, []):
            name = item.get("name")
            if isinstance(name, str) and (word, name) not in source_names:
                rows.append(Row(word, name, ONLY_TARGET))
    order = {w: i for i, w in enumerate(KIND_ORDER)}
    rows.sort(key=lambda r: (order[r.kind], r.name))
    return Comparison(rows, plan, folder.problems)


async def compare(source: Library, target: Library) -> Comparison:
    """Read both sandboxes (one listing per kind each) and compare them."""
    return compare_listings(await read_listings(source), await read_listings(target))


def plan_for(comparison: Comparison, marked: set[tuple[str, str]]) -> Plan:
    """The plan that applies the marked objects (only in source: create; differs: update). An
    object a marked one uses that the target lacks must be marked too: said, never guessed."""
    plan = Plan(listings=comparison.plan.listings)
    rows = {r.key: r for r in comparison.rows}
    for key in sorted(marked, key=lambda k: (KIND_ORDER.index(k[0]), k[1])):
        row = rows.get(key)
        if row is None or row.state in (SAME, ONLY_TARGET):
            continue
        if row.problems or row.action is None:
            plan.problems += row.problems or [f"{key[0]}/{key[1]}: cannot be planned"]
            continue
        for needed in pending_refs(row.action):
            if needed not in marked:
                plan.problems.append(f"{key[0]}/{key[1]}: uses {needed[0]}/{needed[1]}, which is only in the "
                                     "source: mark it too")
        plan.actions.append(row.action)
    return plan
