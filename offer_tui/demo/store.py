"""In-memory state of the demo server: offers, the other kinds, tokens, request log, misbehaviour.

Offers live in ``offers`` (as they always have: tests read it); decisions, collections,
placements, rules and tags live in ``objects``, keyed by their collection path
(``"offer-decisions"``), with the same receipts, etags and shallow listing views.

Every handler thread goes through one lock, so tests may read and arm the
state from their own thread while requests are in flight.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .data import DEMO_CLIENT_ID, DEMO_SANDBOX_ID, DEMO_USER, RULE_IDENTITIES, SCHEMAS, salted_catalogue

# The collections served besides /offers, with the prefix of the ids a create gives and the schema a GET shows.
LIBRARY: dict[str, tuple[str, str]] = {
    "offer-decisions": ("dps:offer-activity:", "https://ns.adobe.com/experience/offer-management/offer-activity;version=0.5"),
    "offer-collections": ("dps:offer-collection:", "https://ns.adobe.com/experience/offer-management/offer-filter;version=0.4"),
    "placements": ("dps:offer-placement:", "https://ns.adobe.com/experience/offer-management/offer-placement;version=0.4"),
    "offer-rules": ("dps:eligibility-rule:", "https://ns.adobe.com/experience/offer-management/eligibility-rule;version=0.3"),
    "tags": ("dps:offer-tag:", "https://ns.adobe.com/experience/offer-management/tag;version=0.1"),
}
CATALOGUE_KEYS = ("placements", "offer-rules", "tags")  # what existed before decisions and collections
SERVER_FIELDS = ("id", "etag", "created", "modified", "schemas", "createdBy", "lastModifiedBy")

REDACTED_BEARER = "Bearer ***"


def utc_now_iso() -> str:
    """``2023-05-31T15:09:11.771Z``, the timestamp style of Adobe's receipts."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _matches(prefix: str | None, paths: tuple[str, ...]) -> bool:
    return prefix is None or any(p.startswith(prefix) for p in paths)


@dataclass
class Failure:
    """One armed misbehaviour: a canned error, a 429 or a dropped connection."""

    kind: str  # "fail" | "rate_limit" | "drop"
    remaining: int
    status: int = 0
    body: Any = None
    path_prefix: str | None = None
    retry_after: int | float = 1
    process_first: bool = True
    method: str | tuple[str, ...] | None = None  # only these methods (e.g. the PATCH, not the GET before it)


def _methods(wanted: str | tuple[str, ...]) -> tuple[str, ...]:
    return (wanted,) if isinstance(wanted, str) else wanted


class _CatalogueView(dict):
    """``state.catalogue``: a snapshot whose item assignment writes through (tests rename or
    double a placement this way)."""

    def __init__(self, state: DemoState, data: dict[str, Any]) -> None:
        super().__init__(data)
        self._state = state

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._state.load(key, value[0])


@dataclass
class DemoState:
    offers: dict[str, dict[str, Any]] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    token_mints: int = 0
    latency: float = 0.0
    lock: threading.RLock = field(default_factory=threading.RLock)
    _tokens: dict[str, float] = field(default_factory=dict)
    _failures: list[Failure] = field(default_factory=list)
    # Bumped by every change to the offers: list selections cached under an older one are stale.
    version: int = 0
    _selections: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)
    # Another salt stands for another sandbox: the same names under other ids (every kind).
    salt: str | None = None
    # collection path ("placements") -> id -> {"body", "receipt", "schema"}
    objects: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {c: {} for c in LIBRARY})
    # Issue 16's demo evaluator: rule id -> the identities ("Email:jane@example.com") it qualifies.
    rule_identities: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.catalogue = salted_catalogue(self.salt)

    # -- placements, rules and tags as before: (items, by id) ----------------
    @property
    def catalogue(self) -> dict[str, Any]:
        """Placements, rules and tags as ``(items, {id: item})``: read-only views, but assigning
        a key (``state.catalogue["placements"] = (items, by_id)``) replaces that kind's objects."""
        with self.lock:
            result = {}
            for key in CATALOGUE_KEYS:
                items = tuple(self._full(i, e, deep=False) for i, e in self.objects[key].items())
                result[key] = (items, {item["id"]: item for item in items})
            return _CatalogueView(self, result)

    @catalogue.setter
    def catalogue(self, value: dict[str, Any]) -> None:
        """Replace placements, rules and tags with ``value``'s (full items, server fields included)."""
        for key in CATALOGUE_KEYS:
            self.load(key, value[key][0])

    def load(self, collection: str, items: Any) -> None:
        """Replace a collection's objects with ``items`` (full items as a GET shows them)."""
        with self.lock:
            self.version += 1
            self.objects[collection] = {}
            for item in items:
                body = {k: copy.deepcopy(v) for k, v in item.items() if k not in SERVER_FIELDS}
                self._store(collection, item["id"], body, created=item.get("created", utc_now_iso()),
                            modified=item.get("modified", utc_now_iso()), etag=item.get("etag", 1))
            if collection == "offer-rules":
                self.rule_identities = {
                    rule["id"]: frozenset(RULE_IDENTITIES.get(rule.get("name"), ())) for rule in items}

    def rule_qualifies(self, rule_id: str, identities: Any) -> bool:
        """Issue 16's demo evaluator: does any of ``identities`` ("Email:jane@example.com")
        qualify for the rule? An unknown rule qualifies nobody."""
        with self.lock:
            allowed = self.rule_identities.get(rule_id, frozenset())
        return any(identity in allowed for identity in identities)

    def qualify(self, rule_id: str, *identities: str) -> None:
        """Let ``identities`` qualify for the rule (tests, and rules created through the API)."""
        with self.lock:
            self.rule_identities[rule_id] = self.rule_identities.get(rule_id, frozenset()) | set(identities)

    # -- tokens ---------------------------------------------------------
    def issue_token(self, lifetime: float = 86399, *, minted: bool = False) -> str:
        token = "demo-" + secrets.token_urlsafe(32)
        with self.lock:
            self._tokens[token] = time.time() + lifetime
            if minted:
                self.token_mints += 1
        return token

    def token_valid(self, token: str) -> bool:
        with self.lock:
            expires_at = self._tokens.get(token)
        return expires_at is not None and expires_at > time.time()

    def expire_tokens(self) -> None:
        """Every token issued so far answers 401013 from now on; new ones work."""
        with self.lock:
            for token in self._tokens:
                self._tokens[token] = 0.0

    # -- misbehaviour ---------------------------------------------------
    def arm(self, failure: Failure) -> None:
        if failure.remaining < 1:
            raise ValueError("times must be at least 1")
        with self.lock:
            self._failures.append(failure)

    def take(self, kinds: tuple[str, ...], paths: tuple[str, ...], method: str | None = None) -> Failure | None:
        """Consume one use of the first armed failure of ``kinds`` matching the path (and method)."""
        with self.lock:
            for failure in self._failures:
                if (failure.kind in kinds and _matches(failure.path_prefix, paths)
                        and (failure.method is None or method in _methods(failure.method))):
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._failures.remove(failure)
                    return copy.copy(failure)
        return None

    def clear_failures(self) -> None:
        with self.lock:
            self._failures.clear()

    # -- request log ----------------------------------------------------
    def record(self, entry: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.received.append(entry)
        return entry

    # -- offers ---------------------------------------------------------
    def create_offer(self, offer_type: str, body: dict[str, Any], client_id: str = DEMO_CLIENT_ID) -> dict[str, Any]:
        offer_id = f"dps:{offer_type}-offer:{secrets.token_hex(8)}"
        stamp = utc_now_iso()
        receipt = {
            "etag": 1,
            "createdBy": DEMO_USER,
            "lastModifiedBy": DEMO_USER,
            "id": offer_id,
            "sandboxId": DEMO_SANDBOX_ID,
            "createdDate": stamp,
            "lastModifiedDate": stamp,
            "createdByClientId": client_id,
            "lastModifiedByClientId": client_id,
        }
        with self.lock:
            self.version += 1
            self.offers[offer_id] = {
                "offer_type": offer_type,
                "body": copy.deepcopy(body),
                "receipt": receipt,
            }
        return dict(receipt)

    def add_offer(self, offer_type: str, offer_id: str, body: dict[str, Any], *, created: str, modified: str,
                  etag: int = 1, client_id: str = DEMO_CLIENT_ID) -> None:
        """Store an offer as if it had been created earlier (seeding). ``body`` is kept, not copied."""
        receipt = {"etag": etag, "createdBy": DEMO_USER, "lastModifiedBy": DEMO_USER, "id": offer_id,
                   "sandboxId": DEMO_SANDBOX_ID, "createdDate": created, "lastModifiedDate": modified,
                   "createdByClientId": client_id, "lastModifiedByClientId": client_id}
        with self.lock:
            self.version += 1
            self.offers[offer_id] = {"offer_type": offer_type, "body": body, "receipt": receipt}

    def _full(self, offer_id: str, entry: dict[str, Any], *, deep: bool = True) -> dict[str, Any]:
        # Bodies are never changed in place (a PATCH stores a new one), so a shallow view
        # is safe for listing: 10,000 deep copies per page request would cost ~0.5 s.
        receipt = entry["receipt"]
        schema = entry.get("schema") or SCHEMAS[entry["offer_type"]]
        full = copy.deepcopy(entry["body"]) if deep else dict(entry["body"])
        full.update(
            {
                "id": offer_id,
                "etag": receipt["etag"],
                "created": receipt["createdDate"],
                "modified": receipt["lastModifiedDate"],
                "schemas": [schema],
                "createdBy": receipt["createdBy"],
                "lastModifiedBy": receipt["lastModifiedBy"],
            }
        )
        return full

    def get_offer(self, offer_id: str, offer_type: str) -> dict[str, Any] | None:
        """The stored body plus server fields, or None (also for the wrong type)."""
        with self.lock:
            entry = self.offers.get(offer_id)
            if entry is None or entry["offer_type"] != offer_type:
                return None
            return self._full(offer_id, entry)

    def list_offers(self, offer_type: str) -> list[dict[str, Any]]:
        """Shallow views, only to be filtered, sorted and serialized: never modify them."""
        with self.lock:
            return [self._full(i, e, deep=False) for i, e in self.offers.items() if e["offer_type"] == offer_type]

    def selection(self, offer_type: str, key: Any, compute) -> list[dict[str, Any]]:
        """``compute()``'s filtered, sorted list, reused while no offer changes.

        Paging through 10,000 offers would otherwise filter and sort them again for
        every page (~100 ms each), which would time the demo instead of the client.
        """
        full_key = (self.version, len(self.offers), offer_type, key)
        with self.lock:
            hit = self._selections.get(full_key)
        if hit is not None:
            return hit
        result = compute()
        with self.lock:
            if len(self._selections) >= 16:
                self._selections.clear()
            self._selections[full_key] = result
        return result

    def replace_offer(self, offer_id: str, body: dict[str, Any], client_id: str = DEMO_CLIENT_ID) -> dict[str, Any]:
        with self.lock:
            self.version += 1
            entry = self.offers[offer_id]
            receipt = entry["receipt"]
            receipt["etag"] += 1
            receipt["lastModifiedDate"] = utc_now_iso()
            receipt["lastModifiedByClientId"] = client_id
            entry["body"] = copy.deepcopy(body)
            return dict(receipt)

    def delete_offer(self, offer_id: str, offer_type: str) -> bool:
        with self.lock:
            entry = self.offers.get(offer_id)
            if entry is None or entry["offer_type"] != offer_type:
                return False
            self.version += 1
            del self.offers[offer_id]
            return True

    def raw_offer(self, offer_id: str, offer_type: str) -> dict[str, Any] | None:
        with self.lock:
            entry = self.offers.get(offer_id)
            if entry is None or entry["offer_type"] != offer_type:
                return None
            return copy.deepcopy(entry["body"])

    # -- decisions, collections, placements, rules, tags ---------------------
    def _receipt(self, object_id: str, created: str, modified: str, etag: int, client_id: str) -> dict[str, Any]:
        return {"etag": etag, "createdBy": DEMO_USER, "lastModifiedBy": DEMO_USER, "id": object_id,
                "sandboxId": DEMO_SANDBOX_ID, "createdDate": created, "lastModifiedDate": modified,
                "createdByClientId": client_id, "lastModifiedByClientId": client_id}

    def _store(self, collection: str, object_id: str, body: dict[str, Any], *, created: str, modified: str,
               etag: int = 1, client_id: str = DEMO_CLIENT_ID) -> dict[str, Any]:
        receipt = self._receipt(object_id, created, modified, etag, client_id)
        with self.lock:
            self.version += 1
            self.objects[collection][object_id] = {"body": body, "receipt": receipt,
                                                   "schema": LIBRARY[collection][1]}
        return dict(receipt)

    def add_object(self, collection: str, object_id: str, body: dict[str, Any], *, created: str, modified: str,
                   etag: int = 1) -> None:
        """Store an object as if it had been created earlier (seeding). ``body`` is kept, not copied."""
        self._store(collection, object_id, body, created=created, modified=modified, etag=etag)

    def create_object(self, collection: str, body: dict[str, Any], client_id: str = DEMO_CLIENT_ID) -> dict[str, Any]:
        stamp = utc_now_iso()
        object_id = LIBRARY[collection][0] + secrets.token_hex(8)
        return self._store(collection, object_id, copy.deepcopy(body), created=stamp, modified=stamp,
                           client_id=client_id)

    def get_object(self, collection: str, object_id: str) -> dict[str, Any] | None:
        with self.lock:
            entry = self.objects[collection].get(object_id)
            return None if entry is None else self._full(object_id, entry)

    def raw_object(self, collection: str, object_id: str) -> dict[str, Any] | None:
        with self.lock:
            entry = self.objects[collection].get(object_id)
            return None if entry is None else copy.deepcopy(entry["body"])

    def list_objects(self, collection: str) -> list[dict[str, Any]]:
        """Shallow views, only to be filtered, sorted and serialized: never modify them."""
        with self.lock:
            return [self._full(i, e, deep=False) for i, e in self.objects[collection].items()]

    def ids(self, collection: str, offer_type: str | None = None) -> set[str]:
        """The ids of a collection ("offers" with its ``offer_type``): what a reference may name."""
        with self.lock:
            if collection == "offers":
                return {i for i, e in self.offers.items() if e["offer_type"] == offer_type}
            return set(self.objects[collection])

    def replace_object(self, collection: str, object_id: str, body: dict[str, Any],
                       client_id: str = DEMO_CLIENT_ID) -> dict[str, Any]:
        with self.lock:
            self.version += 1
            receipt = self.objects[collection][object_id]["receipt"]
            receipt["etag"] += 1
            receipt["lastModifiedDate"] = utc_now_iso()
            receipt["lastModifiedByClientId"] = client_id
            self.objects[collection][object_id]["body"] = copy.deepcopy(body)
            return dict(receipt)

    def delete_object(self, collection: str, object_id: str) -> bool:
        with self.lock:
            if self.objects[collection].pop(object_id, None) is None:
                return False
            self.version += 1
            return True
