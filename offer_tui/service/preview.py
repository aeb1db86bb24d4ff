"""Preview a decision: which offers does this profile get on this placement, and why not the others.

One operation for the command line and the app (no Textual, no printing):

1. resolve the decision and the placement by id or exact name (an ambiguous name is an error that
   lists the matches; nothing is sent);
2. send the preview (:mod:`offer_tui.api.preview`), a read for retries;
3. explain every offer the decision's collection(s) for this placement select and the server did
   not return, with the one reason the library shows: ``status draft``, ``ended <date>``,
   ``starts <date>``, ``no representation for this placement``, ``ranked below (...)`` or
   ``not eligible (decided by the server: rule <name>)``.

The reads have a fixed cost: one listing per kind (placements, collections, offers, rules),
never a GET per offer; the decision is one GET (or one name lookup) and a served fallback with no
name in the answer one more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from offer_tui.api.errors import ApiError
from offer_tui.api.library import Library
from offer_tui.api.preview import (
    MAX_ITEMS,
    DecisionAnswer,
    Identity,
    Option,
    decisions_override,
    decisions_url,
    excerpt,
    request_body,
    request_decision,
)
from offer_tui.model.kinds import kind_of_id
from offer_tui.model.references import selects

if TYPE_CHECKING:
    from offer_tui.api.client import OfferClient


class PreviewInputError(ValueError):
    """The preview cannot be asked as given (unknown or ambiguous name, bad count): nothing was sent.
    ``matches`` lists (id, name) of the candidates of an ambiguous name."""

    def __init__(self, message: str, *, matches: Sequence[tuple[str, str]] = (), hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.matches = tuple(matches)
        self.hint = hint


@dataclass(frozen=True)
class ReturnedOffer:
    rank: int  # 1 for the first; 0 for a fallback
    id: str
    name: str
    score: float | None
    excerpt: str  # one line, terminal-safe
    content: str | None  # as sent (untrusted: render through terminal_safe)
    type: str | None


@dataclass(frozen=True)
class WhyNot:
    id: str
    name: str
    reason: str


@dataclass
class PreviewResult:
    decision_id: str
    decision_name: str
    placement_id: str
    placement_name: str
    count: int
    identities: tuple[Identity, ...]
    dry_run: bool
    url: str
    request: dict[str, Any]
    answer: DecisionAnswer
    offers: list[ReturnedOffer] = field(default_factory=list)
    fallback: ReturnedOffer | None = None
    why_not: list[WhyNot] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC)


def _name(item: dict[str, Any]) -> str:
    name = item.get("name")
    return name if isinstance(name, str) else ""


def _parse_date(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _pick(kind_word: str, wanted: str, candidates: list[dict[str, Any]], *, prefer: set[str] = frozenset()) -> dict:
    """The one object ``wanted`` names (its id, else its exact name) among ``candidates``."""
    for item in candidates:
        if item.get("id") == wanted:
            return item
    named = [item for item in candidates if _name(item) == wanted]
    if len(named) > 1 and prefer:
        named = [item for item in named if item.get("id") in prefer] or named
    if len(named) == 1:
        return named[0]
    if not named:
        raise PreviewInputError(f"No {kind_word} has the id or the exact name {wanted!r}",
                                hint="names must match exactly (case too); or give the id")
    raise PreviewInputError(f"{len(named)} {kind_word}s are named {wanted!r}: give the id",
                            matches=[(str(i.get("id")), _name(i)) for i in named])


async def resolve_decision(library: Library, wanted: str) -> dict[str, Any]:
    """The decision with this id or exact name: a GET for an id, else one lookup by name (then a GET
    for an id in a shape the docs' examples use, ``offerActivity1234``)."""
    k = kind_of_id(wanted)
    if k is None or k.word != "decisions":
        named = await library.find_by_name("decisions", wanted)
        if named:
            return _pick("decision", wanted, named)
    try:
        return await library.get("decisions", wanted)
    except ApiError as error:
        if error.status == 404:
            raise PreviewInputError(f"No decision has the id or the exact name {wanted!r}",
                                    hint="names must match exactly (case too); or give the id") from None
        raise


def decision_placements(decision: dict[str, Any]) -> list[str]:
    """The placement ids the decision's criteria name, in order, once each."""
    found: list[str] = []
    for criterion in _criteria(decision):
        for placement in criterion.get("placements") or []:
            if isinstance(placement, str) and placement not in found:
                found.append(placement)
    return found


def _criteria(decision: dict[str, Any]) -> list[dict[str, Any]]:
    criteria = decision.get("criteria")
    return [c for c in criteria if isinstance(c, dict)] if isinstance(criteria, list) else []


def criteria_for(decision: dict[str, Any], placement_id: str) -> list[dict[str, Any]]:
    return [c for c in _criteria(decision)
            if isinstance(c.get("placements"), list) and placement_id in c["placements"]]


def _rule_of(constraint: Any) -> str | None:
    if isinstance(constraint, dict) and constraint.get("profileConstraintType") == "eligibilityRule":
        rule = constraint.get("eligibilityRule")
        return rule if isinstance(rule, str) and rule else None
    return None


def _priority(offer: dict[str, Any]) -> float:
    rank = offer.get("rank") if isinstance(offer.get("rank"), dict) else {}
    value = rank.get("priority")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _show_priority(value: float) -> str:
    return f"{value:g}"


def reason_not_returned(offer: dict[str, Any], placement_id: str, now: datetime, *, count: int,
                        returned_priorities: Sequence[float], criterion_rules: Sequence[str],
                        rule_names: dict[str, str]) -> str:
    """Why the server did not return ``offer`` (one the decision's collection selects), as far as
    the library can tell; checked in the order the server would rule it out."""
    status = offer.get("status")
    if status != "approved":
        return f"status {status}" if isinstance(status, str) and status else "status not approved"
    sc = offer.get("selectionConstraint") if isinstance(offer.get("selectionConstraint"), dict) else {}
    end, start = _parse_date(sc.get("endDate")), _parse_date(sc.get("startDate"))
    if end is not None and end <= now:
        return f"ended {sc['endDate']}"
    if start is not None and start > now:
        return f"starts {sc['startDate']}"
    reps = offer.get("representations") if isinstance(offer.get("representations"), list) else []
    if not any(isinstance(r, dict) and r.get("placement") == placement_id for r in reps):
        return "no representation for this placement"
    priority = _priority(offer)
    if len(returned_priorities) >= count and priority <= min(returned_priorities):
        return (f"ranked below (priority {_show_priority(priority)}; count {count}, lowest returned "
                f"{_show_priority(min(returned_priorities))})")
    rules = [r for r in [_rule_of(sc), *criterion_rules] if r]
    if rules:
        names = ", ".join(f"rule {rule_names.get(r, r)}" for r in dict.fromkeys(rules))
        return f"not eligible (decided by the server: {names})"
    return "not returned (decided by the server: capping, or a rule or segment the library does not show)"


def _returned(rank: int, option: Option, offers_by_id: dict[str, dict[str, Any]]) -> ReturnedOffer:
    offer = offers_by_id.get(option.id, {})
    name = option.name or _name(offer)
    return ReturnedOffer(rank, option.id, name, option.score, excerpt(option), option.content, option.type)


def check_count(count: int | None, placement: dict[str, Any]) -> int:
    """``count``, else the placement's ``itemCount``, else 1; 1 to 30."""
    if count is None:
        item_count = placement.get("itemCount")
        count = item_count if isinstance(item_count, int) and not isinstance(item_count, bool) else 1
        count = min(max(count, 1), MAX_ITEMS)
    if not 1 <= count <= MAX_ITEMS:
        raise PreviewInputError(f"The count must be from 1 to {MAX_ITEMS}, not {count}")
    return count


def check_inputs(count: int | None, identities: Sequence[str]) -> tuple[Identity, ...]:
    """What can be checked before anything is read or sent: the count's range, the identities."""
    if count is not None and not 1 <= count <= MAX_ITEMS:
        raise PreviewInputError(f"The count must be from 1 to {MAX_ITEMS}, not {count}")
    return parse_identities(identities)


def parse_identities(texts: Sequence[str]) -> tuple[Identity, ...]:
    if not texts:
        raise PreviewInputError("A preview needs at least one identity: --identity NAMESPACE:VALUE",
                                hint="for example --identity Email:jane@example.com")
    try:
        return tuple(Identity.parse(t) for t in texts)
    except ValueError as error:
        raise PreviewInputError(str(error)) from None


async def preview_decision(client: OfferClient | Library, decision: str, placement: str,
                           identities: Sequence[str | Identity], *, count: int | None = None,
                           dry_run: bool = False, url: str | None = None, profile: Any = None,
                           now: datetime | None = None) -> PreviewResult:
    """Resolve, send, explain. ``url`` overrides the Decisioning API's URL (else
    ``$OFFER_TUI_DECISIONS_ENDPOINT``, the ``profile``'s ``decisions_endpoint``, or the sibling of
    the client's endpoint). PreviewInputError when nothing could be asked; ApiError when a read or
    the preview itself failed (nothing changes in the library either way)."""
    library = client if isinstance(client, Library) else Library(client)
    api = library.client
    people = parse_identities([str(i) for i in identities])  # an Identity prints as NAMESPACE:VALUE
    now = now or _now()

    found = await resolve_decision(library, decision)
    decision_id = str(found.get("id"))
    placements = await library.list_all("placements")
    used = decision_placements(found)
    place = _pick("placement", placement, placements, prefer=set(used))
    placement_id = str(place.get("id"))
    if placement_id not in used:
        names = {str(p.get("id")): _name(p) for p in placements}
        listed = ", ".join(f"{names.get(p) or '?'} ({p})" for p in used) or "none"
        raise PreviewInputError(f"The decision {_name(found)!r} does not use the placement {_name(place)!r}",
                                hint=f"its placements: {listed}")
    count = check_count(count, place)

    body = request_body(decision_id, placement_id, count, people, dry_run=dry_run)
    target = url or decisions_url(api.base_url, decisions_override(profile or _profile_of(api)))
    answer = await request_decision(api, body, target)

    # What the library knows, one listing per kind.
    criteria = criteria_for(found, placement_id)
    collections = {c.get("id"): c for c in await library.list_all("collections")}
    offers = await library.list_all("offers")
    rules = {str(r.get("id")): _name(r) for r in await library.list_all("rules")}
    offers_by_id = {str(o.get("id")): o for o in offers}

    proposition = answer.for_request(decision_id, placement_id)
    result = PreviewResult(decision_id, _name(found), placement_id, _name(place), count, people, dry_run, target,
                           body, answer)
    if proposition is not None:
        result.offers = [_returned(i + 1, o, offers_by_id) for i, o in enumerate(proposition.options)]
        if proposition.fallback is not None:
            fallback = _returned(0, proposition.fallback, offers_by_id)
            if not fallback.name:
                fallback = await _named_fallback(library, fallback)
            result.fallback = fallback

    returned = {o.id for o in result.offers}
    priorities = [_priority(offers_by_id[o.id]) if o.id in offers_by_id else (o.score or 0.0) for o in result.offers]
    explained: set[str] = set()
    for criterion in criteria:
        selection = criterion.get("optionSelection") if isinstance(criterion.get("optionSelection"), dict) else {}
        collection = collections.get(selection.get("filter"))
        criterion_rules = [r for r in [_rule_of(criterion.get("profileConstraint"))] if r]
        for offer in selects(collection, offers):
            offer_id = str(offer.get("id"))
            if offer_id in returned or offer_id in explained:
                continue
            explained.add(offer_id)
            reason = reason_not_returned(offer, placement_id, now, count=count, returned_priorities=priorities,
                                         criterion_rules=criterion_rules, rule_names=rules)
            result.why_not.append(WhyNot(offer_id, _name(offer), reason))
    return result


async def _named_fallback(library: Library, fallback: ReturnedOffer) -> ReturnedOffer:
    """The served fallback's name, when the answer did not carry it: one GET."""
    try:
        name = _name(await library.get("fallbacks", fallback.id))
    except ApiError:
        return fallback  # the id is shown; the preview itself succeeded
    return ReturnedOffer(fallback.rank, fallback.id, name, fallback.score, fallback.excerpt, fallback.content,
                         fallback.type)


def _profile_of(client: Any) -> Any:
    resolution = getattr(client, "resolution", None)
    return getattr(resolution, "profile", None)
