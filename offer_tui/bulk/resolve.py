"""Settling a create whose outcome is unknown, by looking the offer up by name.

Nothing is sent again for such a row until this says ``missing``. An offer of that name is taken
as the row's only when everything the row sent is in it (the server may add fields, never
change ours); an offer of the same name with other content, or several candidates, keep the row
``unknown`` for a person to check: guessing either way could duplicate or lose an offer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

FOUND, MISSING, AMBIGUOUS = "found", "missing", "ambiguous"


@dataclass(frozen=True)
class Resolution:
    verdict: str  # FOUND, MISSING or AMBIGUOUS (lookup failed, or no single match)
    offer_id: str | None = None
    reason: str | None = None


def contains(stored: Any, sent: Any) -> bool:
    """True when every field of ``sent`` is in ``stored`` with the same value."""
    if isinstance(sent, dict):
        return isinstance(stored, dict) and all(k in stored and contains(stored[k], v) for k, v in sent.items())
    if isinstance(sent, list):
        return isinstance(stored, list) and len(stored) == len(sent) and all(map(contains, stored, sent))
    if isinstance(sent, bool) or isinstance(stored, bool):
        return sent is stored
    return stored == sent


async def resolve_by_name(client, doc: dict[str, Any], offer_type: str,
                          exclude_ids: Collection[str] = ()) -> Resolution:
    """Look ``doc``'s name up in the target; ``exclude_ids`` were there before this run."""
    from offer_tui.api import ApiError

    name = doc.get("name")
    if not isinstance(name, str) or not name:
        return Resolution(AMBIGUOUS, reason="the row has no name to look up")
    try:
        offers = await client.find_offers_by_name(name, offer_type)
    except ApiError as exc:
        return Resolution(AMBIGUOUS, reason=f"the lookup by name failed: {exc.message}")
    candidates = [o for o in offers if o.get("name") == name and o.get("id") not in exclude_ids]
    if not candidates:
        return Resolution(MISSING)
    same = [o for o in candidates if contains(o, doc)]
    if len(same) == 1 and isinstance(same[0].get("id"), str):
        return Resolution(FOUND, offer_id=same[0]["id"])
    if len(candidates) == 1:
        other = candidates[0].get("id")
        return Resolution(AMBIGUOUS, reason=f"an offer named {name!r} exists ({other}) but differs from this row; "
                                            "check it by hand")
    return Resolution(AMBIGUOUS, reason=f"{len(candidates)} offers are named {name!r}; check them by hand")
