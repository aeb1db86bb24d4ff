"""The decision preview: one request to the Decisioning API, and its answer as typed results.

``POST .../data/core/ods/decisions`` (the dps base's sibling) asks which offers a decision gives a
profile on a placement. The body, headers and answer are those of Adobe's page
(``offer-delivery-api/decisioning-api.md``, in ``/work/shared/offer-api.md``). The preview changes
nothing in the Offer Library, so it is a READ for retries: 429, 502-504 and dropped connections
are retried within the action's budget (the transport's one rule for reads), and a failure is an
ordinary refusal, never "outcome unknown". It may still count toward capping and reporting like a
real visit; ``dry_run`` sends ``xdm:dryRun: true``, which Adobe documents only on other pages.

Server text in the answer is untrusted: the parsed values are kept as sent, and whoever renders
them makes them terminal-safe (:func:`excerpt` does it for one-line content).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from offer_tui.api.budget import budget_hint
from offer_tui.api.config import url_problem
from offer_tui.api.errors import ApiError
from offer_tui.safe_text import terminal_safe

if TYPE_CHECKING:
    from offer_tui.api.client import OfferClient

REQUEST_SCHEMA = "https://ns.adobe.com/experience/offer-management/decision-request;version=1.0"
RESPONSE_SCHEMA = "https://ns.adobe.com/experience/offer-management/decision-response;version=1.0"
CONTENT_TYPE = f'application/vnd.adobe.xdm+json; schema="{REQUEST_SCHEMA}"'
ACCEPT = f'application/vnd.adobe.xdm+json; schema="{RESPONSE_SCHEMA}"'
DECISIONS_PATH = "/data/core/ods/decisions"
ENV_DECISIONS_ENDPOINT = "OFFER_TUI_DECISIONS_ENDPOINT"
MAX_ITEMS = 30  # xdm:itemCount, per Adobe's page


def decisions_url(endpoint: str, override: str | None = None) -> str:
    """The Decisioning API's URL: ``override`` when given, else the dps endpoint's sibling
    (``https://platform.adobe.io/data/core/dps`` -> ``.../data/core/ods/decisions``). An endpoint
    that does not end in ``/dps`` gets ``/ods/decisions`` beside its last segment."""
    if override:
        problem = url_problem(override)
        if problem:
            raise ApiError(f"The decisions endpoint {override[:200]!r} is not a valid URL: {problem}",
                           code="bad_url", hint=f"Fix {ENV_DECISIONS_ENDPOINT} or the profile's decisions_endpoint.")
        return override.rstrip("/")
    parts = urlsplit(endpoint.rstrip("/"))
    parent = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{parent}/ods/decisions", "", ""))


def decisions_override(profile: Any = None, environ: Mapping[str, str] | None = None) -> str | None:
    """``$OFFER_TUI_DECISIONS_ENDPOINT``, else the profile's ``decisions_endpoint``, else None."""
    env = os.environ if environ is None else environ
    value = (env.get(ENV_DECISIONS_ENDPOINT) or "").strip()
    if value:
        return value
    stored = getattr(profile, "decisions_endpoint", None)
    return (stored.strip() or None) if isinstance(stored, str) else None


# -- the request ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    namespace: str
    value: str

    @classmethod
    def parse(cls, text: str) -> Identity:
        """``Email:jane@example.com`` (split at the first colon; the value may hold more)."""
        namespace, sep, value = text.partition(":")
        namespace, value = namespace.strip(), value.strip()
        if not sep or not namespace or not value:
            raise ValueError(f"An identity is NAMESPACE:VALUE, such as Email:jane@example.com, not {text[:80]!r}")
        return cls(namespace, value)

    def __str__(self) -> str:
        return f"{self.namespace}:{self.value}"


def identity_map(identities: Sequence[Identity]) -> dict[str, list[dict[str, Any]]]:
    """``{"Email": [{"xdm:id": "jane@example.com", "primary": true}]}``: the first is primary."""
    mapping: dict[str, list[dict[str, Any]]] = {}
    for index, identity in enumerate(identities):
        mapping.setdefault(identity.namespace, []).append({"xdm:id": identity.value, "primary": index == 0})
    return mapping


def request_body(activity_id: str, placement_id: str, item_count: int, identities: Sequence[Identity], *,
                 dry_run: bool = False) -> dict[str, Any]:
    """The documented example, field by field; ``xdm:dryRun`` only when asked."""
    if not identities:
        raise ValueError("A preview needs at least one identity (NAMESPACE:VALUE)")
    if not 1 <= item_count <= MAX_ITEMS:
        raise ValueError(f"The count must be from 1 to {MAX_ITEMS}, not {item_count}")
    body: dict[str, Any] = {
        "xdm:propositionRequests": [{"xdm:activityId": activity_id, "xdm:placementId": placement_id,
                                     "xdm:itemCount": item_count}],
        "xdm:profiles": [{"xdm:identityMap": identity_map(identities)}],
        "xdm:allowDuplicatePropositions": {"xdm:acrossActivities": True, "xdm:acrossPlacements": True},
        "xdm:responseFormat": {"xdm:includeContent": True,
                               "xdm:includeMetadata": {"xdm:activity": ["name"], "xdm:option": ["name"],
                                                       "xdm:placement": ["name"]}},
    }
    if dry_run:
        body["xdm:dryRun"] = True
    return body


# -- the answer -------------------------------------------------------------------------------------


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


@dataclass(frozen=True)
class Option:
    """One offer of a proposition (or its fallback), as the server sent it."""

    id: str
    score: float | None = None
    content: str | None = None
    type: str | None = None  # the @type URI
    name: str | None = None  # when metadata was asked for and given
    delivery_url: str | None = None
    etag: Any = None

    @classmethod
    def parse(cls, raw: Any) -> Option | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("xdm:id"), str):
            return None
        content = raw.get("xdm:content")
        if content is not None and not isinstance(content, str):
            content = json.dumps(content, ensure_ascii=False)  # a JSON component may arrive parsed
        return cls(raw["xdm:id"], _number(raw.get("xdm:score")), content, _str(raw.get("@type")),
                   _str(raw.get("xdm:name")), _str(raw.get("xdm:deliveryURL")), raw.get("repo:etag"))


@dataclass(frozen=True)
class Proposition:
    activity_id: str | None
    placement_id: str | None
    options: tuple[Option, ...] = ()
    fallback: Option | None = None

    @classmethod
    def parse(cls, raw: Any) -> Proposition | None:
        if not isinstance(raw, dict):
            return None
        activity = raw.get("xdm:activity") if isinstance(raw.get("xdm:activity"), dict) else {}
        placement = raw.get("xdm:placement") if isinstance(raw.get("xdm:placement"), dict) else {}
        options = raw.get("xdm:options") if isinstance(raw.get("xdm:options"), list) else []
        parsed = tuple(o for o in (Option.parse(x) for x in options) if o is not None)
        return cls(_str(activity.get("xdm:id")), _str(placement.get("xdm:id")), parsed,
                   Option.parse(raw.get("xdm:fallback")))


@dataclass(frozen=True)
class DecisionAnswer:
    """The server's answer: its propositions, and the raw JSON (what ``--json`` prints)."""

    proposition_id: str | None
    propositions: tuple[Proposition, ...]
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> DecisionAnswer:
        items = raw.get("xdm:propositions") if isinstance(raw.get("xdm:propositions"), list) else []
        return cls(_str(raw.get("xdm:propositionId")),
                   tuple(p for p in (Proposition.parse(x) for x in items) if p is not None), raw)

    def for_request(self, activity_id: str, placement_id: str) -> Proposition | None:
        """The proposition answering (activity, placement); the only one when the server names neither."""
        for proposition in self.propositions:
            if proposition.activity_id == activity_id and proposition.placement_id == placement_id:
                return proposition
        unnamed = [p for p in self.propositions if p.activity_id is None and p.placement_id is None]
        return unnamed[0] if len(self.propositions) == 1 and unnamed else None


def excerpt(option: Option, limit: int = 60) -> str:
    """A short, one-line, terminal-safe view of an option's content (tags dropped for HTML)."""
    text = option.content
    if text is None:
        return terminal_safe(option.delivery_url or "", limit=limit, one_line=True)
    if "<" in text:
        text = re.sub(r"<[^>]*>", " ", text)
    text = terminal_safe(text, limit=None, one_line=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- sending ---------------------------------------------------------------------------------------


async def request_decision(client: OfferClient, body: dict[str, Any], url: str) -> DecisionAnswer:
    """POST the preview; retried like a read within the client's budget. ApiError on any refusal."""
    payload = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")

    async def send() -> dict[str, Any]:
        response = await client._send("POST", url, body=payload,
                                      headers={"Content-Type": CONTENT_TYPE, "Accept": ACCEPT})
        return client._json_object(response)

    try:
        async with asyncio.timeout(client.budget):
            raw = await send()
    except TimeoutError:
        raise ApiError(f"Previewing the decision: no answer within {client.budget:g} s", code="timeout",
                       hint=budget_hint(client.budget)) from None
    return DecisionAnswer.parse(raw)
