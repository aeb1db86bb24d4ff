"""References against a sandbox: are the ids a body names there, and who uses an object.

The pure part is :mod:`offer_tui.model.references`; this adds the reads, with a fixed cost:
ONE listing (all its pages) per kind involved, never one GET per id. Checking a decision that
names 30 placements reads the placements once; "used by" of a tag on 500 offers reads the
offers and the collections once each. No printing, no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from offer_tui.api.library import Library, as_kind
from offer_tui.model.kinds import Kind, kind_of_id
from offer_tui.model.references import Problem, Reference, User, extract, missing, referenced_kinds, referrers

if TYPE_CHECKING:
    from offer_tui.api.client import OfferClient


def _library(client: OfferClient | Library) -> Library:
    return client if isinstance(client, Library) else Library(client)


async def existing_ids(client: OfferClient | Library, words: Iterable[str]) -> dict[str, set[str]]:
    """Kind word -> the ids of that kind in the sandbox, one listing per kind."""
    library = _library(client)
    found: dict[str, set[str]] = {}
    for word in dict.fromkeys(words):
        found[word] = {item["id"] for item in await library.list_all(word) if isinstance(item.get("id"), str)}
    return found


async def check_references(client: OfferClient | Library, kind: Kind | str, body: Any) -> list[Problem]:
    """Every reference of ``body`` (a ``kind``) to an id the sandbox does not hold, with its JSON
    path, in path order; [] when all exist. ApiError when a listing fails (nothing is known then)."""
    refs: list[Reference] = extract(as_kind(kind), body)
    if not refs:
        return []
    return missing(refs, await existing_ids(client, referenced_kinds(refs)))


async def used_by(client: OfferClient | Library, object_id: str, kind: Kind | str | None = None) -> list[User]:
    """Every object that references ``object_id``: by kind, name and id, with the paths.

    ``kind`` is the object's kind (from the id's prefix when None; when that is unknown too,
    every kind that references anything is read). One listing per kind that can reference it.
    """
    from offer_tui.model.references import used_by as pure_used_by

    target = as_kind(kind) if kind is not None else kind_of_id(object_id)
    library = _library(client)
    listings: dict[str, list[dict[str, Any]]] = {}
    for referrer in referrers(target):
        listings[referrer.word] = await library.list_all(referrer)
    return pure_used_by(object_id, listings, target)
