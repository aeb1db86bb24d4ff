"""Offers the demo server can start with: 30 realistic ones, then synthetic ones for scale.

``seed_documents(n)`` gives the first ``n`` of: the realistic catalogue below (both
types, every status, several channels and languages, names like "Winter sale 20%
(web)"), then synthetic offers built cheaply from a seeded random generator, so
``demo-server --offers 10000`` starts in a fraction of a second and gives the same
sandbox every time. ``modified`` dates are spread over two years, so newest-first
means something. Every document passes the same validation as a POST.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .data import CHANNEL_PREFIX, PLACEMENTS, RULES, TAGS, salt_id

# The realistic catalogue's size: what `--demo` and `demo-server` start with.
DEMO_OFFERS = 30
# Every 17th synthetic personalized offer carries this tag: with 10,000 offers about 500 use it,
# the figure issue 14 asks `refs` to be measured at. No random draw, so the offers are unchanged.
SCALE_TAG, SCALE_TAG_EVERY = "Summer sale", 17


@dataclass(frozen=True)
class _Catalogue:
    """The sandbox's placements, rules and tags, keyed by the fixed catalogue's short keys."""

    placements: tuple[dict[str, Any], ...]
    placement: dict[str, dict[str, Any]]  # "81" -> Homepage hero banner, ...
    rule: dict[str, str]  # "d3" -> the id of Gold loyalty members, ...
    rules: tuple[dict[str, Any], ...]
    tag: dict[str, str]  # tag name -> id

    @classmethod
    def of(cls, catalogue: dict[str, Any] | None) -> _Catalogue:
        # A salted catalogue (another sandbox) keeps the fixed one's order: keys map by position.
        placements = catalogue["placements"][0] if catalogue else PLACEMENTS
        rules = catalogue["offer-rules"][0] if catalogue else RULES
        tags = catalogue["tags"][0] if catalogue else TAGS
        return cls(tuple(placements), {o["id"][-2:]: p for o, p in zip(PLACEMENTS, placements)},
                   {o["id"][-2:]: r["id"] for o, r in zip(RULES, rules)}, tuple(rules),
                   {t["name"]: t["id"] for t in tags})

_EPOCH = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # "now" of the catalogue


@dataclass(frozen=True)
class SeedOffer:
    offer_type: str
    offer_id: str
    body: dict[str, Any]
    created: str
    modified: str
    etag: int


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _component(kind: str, language: str, headline: str, slug: str) -> dict[str, Any]:
    if kind == "html":
        return {"type": "html", "format": "text/html", "language": [language],
                "content": f'<div class="offer"><h2>{headline}</h2><a href="https://shop.example.com/{slug}">Shop now</a></div>'}
    if kind == "text":
        return {"type": "text", "format": "text/plain", "language": [language], "content": headline}
    if kind == "json":
        return {"type": "json", "format": "application/json", "language": [language],
                "content": json.dumps({"title": headline, "cta": "Shop now", "url": f"https://shop.example.com/{slug}"})}
    return {"type": "imagelink", "format": "image/png", "language": [language],
            "deliveryURL": f"https://cdn.example.com/offers/{slug}-{language.lower()}.png",
            "linkURL": f"https://shop.example.com/{slug}"}


def _representations(cat: _Catalogue, placements: str, languages: str, headline: str, slug: str) -> list[dict[str, Any]]:
    reps = []
    for key in placements.split():
        placement = cat.placement[key]
        reps.append({"channel": placement["channel"], "placement": placement["id"],
                     "components": [_component(placement["componentType"], lang, headline, slug)
                                    for lang in languages.split()]})
    return reps


# type, name, status, priority, placements (last two hex digits), languages, start, end,
# rule (last two hex digits or ""), tag names (comma-separated), days since last modified, headline.
_CATALOGUE: tuple[tuple[str, str, str, int, str, str, str, str, str, str, float, str], ...] = (
    ("personalized", "Winter sale 20% (web)", "approved", 50, "81 84", "en-us", "2026-12-01T00:00:00.000+00:00",
     "2027-01-15T23:59:59.000+00:00", "", "Clearance", 0.2, "Winter sale: 20% off coats and boots"),
    ("personalized", "Winter sale 20% (email)", "approved", 50, "87 88", "en-us", "2026-12-01T00:00:00.000+00:00",
     "2027-01-15T23:59:59.000+00:00", "d8", "Clearance,Newsletter", 0.3, "Winter sale: 20% off for subscribers"),
    ("personalized", "Winter sale 20% (app)", "draft", 50, "89 8c", "en-us", "2026-12-01T00:00:00.000+00:00",
     "2027-01-15T23:59:59.000+00:00", "d9", "Mobile only", 0.1, "Winter sale in the app: 20% off"),
    ("personalized", "Black Friday 30% off everything", "archived", 90, "81 87", "en-us",
     "2025-11-28T00:00:00.000+00:00", "2025-12-01T23:59:59.000+00:00", "", "", 355, "Black Friday: 30% off everything"),
    ("personalized", "Cyber Monday free shipping", "archived", 80, "84", "en-us", "2025-12-01T00:00:00Z",
     "2025-12-02T23:59:59Z", "", "", 354, "Free shipping today only"),
    ("personalized", "Gold members: double points", "approved", 70, "83", "en-us", "2026-09-01T00:00:00.000+00:00",
     "2027-03-01T00:00:00.000+00:00", "d3", "Loyalty", 12, "Double points on every order"),
    ("personalized", "Platinum lounge invitation", "approved", 95, "87", "en-us", "2026-10-01T00:00:00.000+00:00",
     "2026-12-31T23:59:59.000+00:00", "d4", "Loyalty", 40, "You're invited to the Platinum lounge"),
    ("personalized", "Offre d'été -15% (France)", "draft", 40, "81 87", "fr-FR", "2027-06-01T00:00:00.000+02:00",
     "2027-08-31T23:59:59.000+02:00", "d5", "Summer sale", 3, "Soldes d'été : -15 % sur tout"),
    ("personalized", "Welcome 10% for new customers", "approved", 60, "84 87", "en-us es-ES",
     "2026-01-01T00:00:00.000+00:00", "", "", "New customers", 88, "Welcome! 10% off your first order"),
    ("personalized", "Cart reminder: complete your order", "approved", 65, "87 88", "en-us",
     "2026-02-01T00:00:00.000+00:00", "2027-02-01T00:00:00.000+00:00", "d7", "", 25, "Your cart is waiting"),
    ("personalized", "App-only flash deal", "draft", 55, "89 8c", "en-us", "2026-12-05T08:00:00.000+00:00",
     "2026-12-05T20:00:00.000+00:00", "d9", "Mobile only", 1.5, "Flash deal: 12 hours only"),
    ("personalized", "Push: weekend bundle", "draft", 30, "8c", "en-us", "2026-12-06T00:00:00.000+00:00",
     "2026-12-07T23:59:59.000+00:00", "d9", "Mobile only", 2, "Weekend bundle: buy 2, get 1 free"),
    ("personalized", "Spring collection preview", "draft", 20, "82 86", "en-us", "2027-03-01T00:00:00.000+00:00",
     "2027-04-30T23:59:59.000+00:00", "", "", 6, "Spring collection preview"),
    ("personalized", "Back to school 25% (web)", "archived", 45, "81 83", "en-us", "2026-08-01T00:00:00.000+00:00",
     "2026-09-15T23:59:59.000+00:00", "", "Clearance", 70, "Back to school: 25% off"),
    ("personalized", "VIP early access", "approved", 85, "85", "en-us", "2026-11-01T00:00:00.000+00:00",
     "2027-01-31T23:59:59.000+00:00", "da", "Loyalty", 18, "Early access to new arrivals"),
    ("personalized", "Newsletter signup bonus", "approved", 35, "84", "en-us", "2026-01-01T00:00:00.000+00:00",
     "", "", "Newsletter", 120, "Sign up and get 5% off"),
    ("personalized", "Summer sale 40% – último día", "draft", 60, "81", "es-ES", "2027-07-31T00:00:00.000+02:00",
     "2027-07-31T23:59:59.000+02:00", "", "Summer sale", 4, "Rebajas de verano: 40% último día"),
    ("personalized", "Loyalty anniversary gift", "approved", 75, "87", "en-us", "2026-01-01T00:00:00.000+00:00",
     "2027-12-31T23:59:59.000+00:00", "d3", "Loyalty", 150, "Happy anniversary: a gift for you"),
    ("personalized", "Adults only: wine tasting", "draft", 25, "83", "en-us", "2026-12-10T18:00:00.000+00:00",
     "2026-12-10T22:00:00.000+00:00", "d6", "", 9, "Wine tasting evening"),
    ("personalized", "Holiday gift guide (email)", "approved", 50, "86 87", "en-us de-DE",
     "2026-11-25T00:00:00.000+00:00", "2026-12-24T23:59:59.000+00:00", "", "Newsletter", 0.6, "The holiday gift guide"),
    ("personalized", "In-app survey reward", "archived", 10, "8b", "en-us", "2025-05-01T00:00:00.000+00:00",
     "2025-06-01T00:00:00.000+00:00", "d9", "Mobile only", 500, "Tell us what you think: 100 points"),
    ("fallback", "Default hero banner", "approved", 0, "81 82", "en-us", "", "", "", "", 200, "Discover this season's picks"),
    ("fallback", "Default email block", "approved", 0, "87", "en-us", "", "", "", "", 210, "New arrivals every week"),
    ("fallback", "Default checkout message", "approved", 0, "84", "en-us", "", "", "", "", 230, "Free returns within 30 days"),
    ("fallback", "Default app card", "approved", 0, "89", "en-us", "", "", "", "", 180, "Explore the app"),
    ("fallback", "Default push text", "draft", 0, "8c", "en-us", "", "", "", "", 5, "Something new is waiting for you"),
    ("fallback", "Default side rail (fr)", "approved", 0, "83", "fr-FR", "", "", "", "", 60, "Nos coups de cœur"),
    ("fallback", "Generic newsletter header", "archived", 0, "86", "en-us", "", "", "", "", 400, "Our newsletter"),
    ("fallback", "Fallback: free returns", "approved", 1, "84 88", "en-us", "", "", "", "", 95, "Free returns, always"),
    ("fallback", "Fallback JSON payload", "draft", 0, "85", "en-us", "", "", "", "", 7, "Recommended for you"),
)
assert len(_CATALOGUE) >= DEMO_OFFERS


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())[:40]


def _realistic(index: int, cat: _Catalogue) -> SeedOffer:
    (offer_type, name, status, priority, placements, languages, start, end, rule, tags, days, headline) = _CATALOGUE[index]
    slug = _slug(name)
    body: dict[str, Any] = {
        "name": name,
        "description": f"{headline}. Seeded by the offer-tui demo server.",
        "status": status,
        "representations": _representations(cat, placements, languages, headline, slug),
    }
    constraint: dict[str, Any] = {}
    if start:
        constraint["startDate"] = start
    if end:
        constraint["endDate"] = end
    constraint["profileConstraintType"] = "eligibilityRule" if rule else "none"
    if rule:
        constraint["eligibilityRule"] = cat.rule[rule]
    body["selectionConstraint"] = constraint
    body["rank"] = {"priority": priority}
    mobile = any(cat.placement[k]["channel"].endswith("/mobile") for k in placements.split())
    # Capping is not supported on mobile (a validation warning): those offers stay uncapped.
    if offer_type == "personalized" and index % 4 == 1 and not mobile:
        body["frequencyCappingConstraints"] = [{
            "enabled": True, "limit": 3, "scope": "profile", "entity": "offer",
            **({"startDate": start, "endDate": end} if start and end else {}),
            "repeat": {"enabled": True, "unit": "week", "unitCount": 1},
        }]
    if offer_type == "personalized" and status == "approved" and priority >= 90:
        body["cappingConstraint"] = {"globalCap": 5000, "profileCap": 1}
    if tags:
        body["tags"] = [cat.tag[t] for t in tags.split(",")]
    body["characteristics"] = {"campaign": slug[:20], "channel-mix": str(len(placements.split()))}
    modified = _EPOCH - timedelta(days=days)
    created = modified - timedelta(days=3 + index % 11, hours=index % 7)
    etag = 1 + (index * 7) % 5
    return SeedOffer(offer_type, f"dps:{offer_type}-offer:{0x1e9d5c0000000000 + index:016x}", body,
                     stamp(created), stamp(modified), etag)


_SEASONS = ("Winter", "Spring", "Summer", "Autumn", "Holiday", "Weekend", "Flash", "Clearance", "Member", "Launch")
_PRODUCTS = ("sale", "coats", "shoes", "bundle", "gift card", "free shipping", "points boost", "accessories")
_STATUSES = ("draft", "draft", "approved", "approved", "approved", "archived")
_LANGUAGES = ("en-us", "en-us", "en-us", "fr-FR", "de-DE", "es-ES", "pt-BR")


_EPOCH_MS = int(_EPOCH.timestamp() * 1000)
_DAYS: dict[int, str] = {}


def _iso(ms: int, suffix: str = "Z", *, with_ms: bool = True) -> str:
    """Milliseconds since 1970 as an RFC 3339 string; ~10x cheaper than strftime for 10,000 offers."""
    days, rem = divmod(ms, 86_400_000)
    day = _DAYS.get(days)
    if day is None:
        day = _DAYS[days] = (datetime(1970, 1, 1) + timedelta(days=days)).date().isoformat()
    hours, rem = divmod(rem, 3_600_000)
    minutes, rem = divmod(rem, 60_000)
    seconds, millis = divmod(rem, 1000)
    return f"{day}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}{suffix}"


def _synthetic(index: int, rng: random.Random, cat: _Catalogue) -> SeedOffer:
    pick = rng.random  # one float per choice: cheaper than randrange/choice at this scale
    offer_type = "fallback" if pick() < 0.15 else "personalized"
    placement = cat.placements[int(pick() * len(cat.placements))]
    channel = placement["channel"][len(CHANNEL_PREFIX):]
    percent = (5, 10, 15, 20, 25, 30, 40, 50)[int(pick() * 8)]
    name = f"{_SEASONS[int(pick() * len(_SEASONS))]} {_PRODUCTS[int(pick() * len(_PRODUCTS))]} {percent}% ({channel}) #{index + 1}"
    language = _LANGUAGES[int(pick() * len(_LANGUAGES))]
    start = 1_735_689_600_000 + int(pick() * 900) * 86_400_000  # 2025-01-01 + up to 900 days
    end = start + (1 + int(pick() * 120)) * 86_400_000
    constraint: dict[str, Any] = {"startDate": _iso(start, "+00:00"), "endDate": _iso(end, "+00:00"),
                                  "profileConstraintType": "none"}
    if offer_type == "personalized" and pick() < 0.4:
        constraint["profileConstraintType"] = "eligibilityRule"
        constraint["eligibilityRule"] = cat.rules[int(pick() * len(cat.rules))]["id"]
    body: dict[str, Any] = {
        "name": name,
        "status": _STATUSES[int(pick() * len(_STATUSES))],
        "representations": [{"channel": placement["channel"], "placement": placement["id"],
                             "components": [_component(placement["componentType"], language, f"{percent}% off: {name}",
                                                       f"s{index + 1}")]}],
        "selectionConstraint": constraint,
        "rank": {"priority": int(pick() * 100) if offer_type == "personalized" else 0},
    }
    if offer_type == "personalized" and index % SCALE_TAG_EVERY == 0:
        body["tags"] = [cat.tag[SCALE_TAG]]
    # Newest first is meaningful: spread over two years at millisecond resolution.
    modified = _EPOCH_MS - int(pick() * 2 * 365 * 86_400_000)
    created = modified - (1 + int(pick() * 720)) * 3_600_000
    return SeedOffer(offer_type, f"dps:{offer_type}-offer:{rng.getrandbits(64):016x}", body,
                     _iso(created), _iso(modified), 1 + int(pick() * 4))


def seed_documents(count: int, seed: int = 9, catalogue: dict[str, Any] | None = None,
                   salt: str | None = None) -> list[SeedOffer]:
    """The first ``count`` seed offers: the realistic catalogue, then synthetic ones.

    ``catalogue`` is the sandbox's (``DemoState.catalogue``), so offers name placements
    and rules that exist there; None is the fixed catalogue. ``salt`` gives the offers
    the ids of another sandbox (the same names), as it does the catalogue's.
    """
    if count < 0:
        raise ValueError("the number of offers cannot be negative")
    cat = _Catalogue.of(catalogue)
    offers = [_realistic(i, cat) for i in range(min(count, DEMO_OFFERS))]
    rng = random.Random(seed)
    offers += [_synthetic(i, rng, cat) for i in range(DEMO_OFFERS, count)]
    if salt:
        offers = [SeedOffer(o.offer_type, salt_id(o.offer_id, salt), o.body, o.created, o.modified, o.etag)
                  for o in offers]
    return offers
