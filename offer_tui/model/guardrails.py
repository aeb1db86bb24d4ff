"""Adobe's published limits of the Offer Library, and the warnings before a write would pass one.

Pure: the counts come in (the service layer reads them: one small page per kind, whose ``total``
the server gives), the warnings go out. A warning is not a refusal: Adobe's pages disagree in
places and the server is the judge; the user is told before the server says no, with the count.

Sources: offer-api.md ("Guardrails" and "More guardrails", from the Decision Management
guardrails page): 10,000 offers per sandbox, 500 offers per collection, 20 tags per offer (or
collection), 1,000 placements, 30 placements per decision, 10,000 decisions of which 1,000 live,
1,000 tags, 10,000 collections, 30 collections per decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Sandbox-wide: kind word -> the most objects of that kind a sandbox may hold.
SANDBOX_LIMITS: dict[str, int] = {
    "offers": 10_000,
    "decisions": 10_000,
    "placements": 1_000,
    "tags": 1_000,
    "collections": 10_000,
}
LIVE_DECISIONS = 1_000
OFFERS_PER_COLLECTION = 500
TAGS_PER_OFFER = 20
TAGS_PER_COLLECTION = 20
PLACEMENTS_PER_DECISION = 30
COLLECTIONS_PER_DECISION = 30

_TITLES = {"offers": "offers", "decisions": "decisions", "placements": "placements", "tags": "tags",
           "collections": "collections"}


@dataclass(frozen=True)
class Guardrail:
    """One limit a write would pass: what, the count after the write, the limit."""

    limit_name: str  # "offers per sandbox"
    count: int  # what there would be after the write(s)
    limit: int
    path: str = ""  # the JSON path, for a limit inside one body ("tags")

    @property
    def message(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return (f"{where}{self.count:,} {self.limit_name} would pass Adobe's published limit of "
                f"{self.limit:,}: the service may refuse it")

    def __str__(self) -> str:
        return self.message



def sandbox_counts_needed(word: str, body: Any = None) -> tuple[str, ...]:
    """The sandbox-wide counts a create of a ``word`` needs ("live decisions" for a live one)."""
    needed = [word] if word in SANDBOX_LIMITS else []
    if word == "fallbacks":
        needed = ["offers"]  # fallbacks count among the sandbox's offers
    if word == "decisions" and isinstance(body, dict) and body.get("status") == "live":
        needed.append("live decisions")
    return tuple(needed)


def body_warnings(word: str, body: Any) -> list[Guardrail]:
    """Limits inside one body: tags per offer or collection, placements and collections per
    decision. No counts needed."""
    if not isinstance(body, dict):
        return []
    found: list[Guardrail] = []
    if word in ("offers", "fallbacks"):
        tags = body.get("tags")
        if isinstance(tags, list) and len(tags) > TAGS_PER_OFFER:
            found.append(Guardrail("tags on one offer", len(tags), TAGS_PER_OFFER, "tags"))
    if word == "collections":
        ids = body.get("ids")
        if body.get("filterType") in ("any-tags", "all-tags") and isinstance(ids, list) and len(ids) > TAGS_PER_COLLECTION:
            found.append(Guardrail("tags on one collection", len(ids), TAGS_PER_COLLECTION, "ids"))
        if body.get("filterType") == "offers" and isinstance(ids, list) and len(ids) > OFFERS_PER_COLLECTION:
            found.append(Guardrail("offers in one collection", len(ids), OFFERS_PER_COLLECTION, "ids"))
    if word == "decisions":
        criteria = body.get("criteria") if isinstance(body.get("criteria"), list) else []
        placements = {p for c in criteria if isinstance(c, dict) and isinstance(c.get("placements"), list)
                      for p in c["placements"] if isinstance(p, str)}
        if len(placements) > PLACEMENTS_PER_DECISION:
            found.append(Guardrail("placements in one decision", len(placements), PLACEMENTS_PER_DECISION, "criteria"))
        collections = {c.get("optionSelection", {}).get("filter") for c in criteria
                       if isinstance(c, dict) and isinstance(c.get("optionSelection"), dict)} - {None}
        if len(collections) > COLLECTIONS_PER_DECISION:
            found.append(Guardrail("collections in one decision", len(collections), COLLECTIONS_PER_DECISION, "criteria"))
    return found


def sandbox_warnings(counts: Mapping[str, int | None], adding: Mapping[str, int]) -> list[Guardrail]:
    """Sandbox-wide limits ``adding`` (kind word or "live decisions" -> how many new) would pass,
    given ``counts`` (the same keys -> how many exist now; None or absent: unknown, not judged)."""
    found: list[Guardrail] = []
    for key, new in adding.items():
        now = counts.get(key)
        if now is None or new <= 0:
            continue
        if key == "live decisions":
            limit, name = LIVE_DECISIONS, "live decisions in the sandbox"
        elif key in SANDBOX_LIMITS:
            limit, name = SANDBOX_LIMITS[key], f"{_TITLES[key]} in the sandbox"
        else:
            continue
        if now + new > limit:
            found.append(Guardrail(name, now + new, limit))
    return found


def tagging_warnings(offers: Iterable[Mapping[str, Any]], add_tag: str,
                     collections: Iterable[Mapping[str, Any]] = ()) -> list[Guardrail]:
    """Before adding tag ``add_tag`` to ``offers`` (the library's T key, a bulk tag run): offers
    that would pass 20 tags, and any-tags / all-tags collections of that tag that would select
    more than 500 offers. ``collections`` with their current ``selects`` count under "_selects"
    (the caller computed it with model.references.selects); absent: not judged."""
    offers = list(offers)
    found: list[Guardrail] = []
    over = [o for o in offers if isinstance(o.get("tags"), list) and add_tag not in o["tags"]
            and len(o["tags"]) + 1 > TAGS_PER_OFFER]
    if over:
        found.append(Guardrail(f"tags on {len(over):,} offer(s) (e.g. {str(over[0].get('name', ''))[:60]!r})",
                              TAGS_PER_OFFER + 1, TAGS_PER_OFFER, "tags"))
    newly = sum(1 for o in offers if not (isinstance(o.get("tags"), list) and add_tag in o["tags"]))
    for collection in collections:
        ids = collection.get("ids") if isinstance(collection.get("ids"), list) else []
        selects = collection.get("_selects")
        if collection.get("filterType") == "any-tags" and add_tag in ids and isinstance(selects, int):
            if selects + newly > OFFERS_PER_COLLECTION:
                found.append(Guardrail(f"offers selected by collection {str(collection.get('name', ''))[:60]!r}",
                                      selects + newly, OFFERS_PER_COLLECTION))
    return found
