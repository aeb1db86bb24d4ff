"""The seven kinds of object in an Offer Library, each described once.

Listing, reading, creating, patching, deleting, reference checks, "used by", export and the
library screen all work from these descriptions; nothing is written per kind twice. (k9s does
the same for Kubernetes resources.) Pure data: no I/O, no Textual.

A reference path is a JSON path into the kind's body, with ``*`` for "every element of this
array", naming the kind it points at: ``("criteria.*.placements.*", "placements")``. One target
depends on the body: a collection's ``ids`` are tags for ``filterType`` any-tags / all-tags and
offers for a fixed list (``"tags|offers"``, resolved by :mod:`offer_tui.model.references`).

Not a kind here: ranking formulas (a decision's ``criteria[].rank.order.rankingStrategy``); the
docs list no endpoint for them, so they are shown as ids and never checked.

Unconfirmed by Adobe's docs, and so only guesses used to tell a kind from an id (never to refuse
one): the id prefixes of collections and tags, and ``filterType: "offers"`` for a fixed list.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    word: str  # the plural the commands take: "offers", "decisions"
    singular: str  # "offer", "decision" (accepted on the command line too)
    title: str  # for people: "personalized offer", "decision"
    path: str  # the collection path under the base URL: "/offers", "/offer-decisions"
    id_prefixes: tuple[str, ...] = ()  # what an id of this kind starts with, where it is known
    offer_type: str | None = None  # the ?offer-type= of /offers kinds
    references: tuple[tuple[str, str], ...] = ()  # (JSON path with *, kind word)
    statuses: tuple[str, ...] = ()  # the values of "status", for kinds that have one
    columns: tuple[str, ...] = ("name",)  # the library table's columns, by summary field name
    extra: dict[str, str] = field(default_factory=dict)

    def query(self) -> str:
        """The query every request of this kind carries ("" or "offer-type=...")."""
        return f"offer-type={self.offer_type}" if self.offer_type else ""


OFFER_REFS = (
    ("representations.*.placement", "placements"),
    ("selectionConstraint.eligibilityRule", "rules"),
    ("tags.*", "tags"),
)

KINDS: tuple[Kind, ...] = (
    Kind("offers", "offer", "personalized offer", "/offers", ("dps:personalized-offer:",), "personalized",
         OFFER_REFS, ("draft", "approved", "archived"), ("name", "status", "dates", "priority", "modified", "id")),
    Kind("fallbacks", "fallback", "fallback offer", "/offers", ("dps:fallback-offer:",), "fallback",
         (("representations.*.placement", "placements"),), ("draft", "approved", "archived"),
         ("name", "status", "modified", "id")),
    Kind("decisions", "decision", "decision", "/offer-decisions", ("dps:offer-activity:",), None,
         (("criteria.*.placements.*", "placements"),
          ("criteria.*.optionSelection.filter", "collections"),
          ("criteria.*.profileConstraint.eligibilityRule", "rules"),
          ("fallback", "fallbacks")),
         ("draft", "live", "archived"), ("name", "status", "dates", "placements", "fallback", "id")),
    Kind("collections", "collection", "collection", "/offer-collections",
         ("dps:offer-collection:", "dps:offer-filter:"), None,
         (("ids.*", "tags|offers"),), (), ("name", "filterType", "selects", "id")),
    Kind("placements", "placement", "placement", "/placements", ("dps:offer-placement:",), None,
         (), (), ("name", "channel", "componentType", "id")),
    Kind("rules", "rule", "decision rule", "/offer-rules", ("dps:eligibility-rule:",), None,
         (), (), ("name", "condition", "id")),
    Kind("tags", "tag", "tag", "/tags", ("dps:offer-tag:", "dps:tag:"), None, (), (), ("name", "description", "id")),
)

BY_WORD = {k.word: k for k in KINDS} | {k.singular: k for k in KINDS}

# A collection's filterType -> the kind its ``ids`` name ("offers" for a fixed list is unconfirmed).
COLLECTION_TARGETS = {"any-tags": "tags", "all-tags": "tags", "offers": "offers"}


def kind_named(word: str) -> Kind | None:
    """The kind a command-line word names ("decisions" or "decision", any case)."""
    return BY_WORD.get(word.strip().lower())


def kind_of_id(object_id: str) -> Kind | None:
    """The kind an id's prefix proves, or None when the prefix is not one we know."""
    for kind in KINDS:
        if any(object_id.startswith(p) for p in kind.id_prefixes):
            return kind
    return None


def kind(word: str) -> Kind:
    """The kind of a word this code itself uses (KeyError for a typo: a bug, not user input)."""
    return BY_WORD[word]


def kinds_at(path: str) -> tuple[Kind, ...]:
    """Every kind served at a collection path ("/offers" holds offers and fallbacks)."""
    return tuple(k for k in KINDS if k.path == path)


def kind_words() -> str:
    return ", ".join(k.word for k in KINDS)
