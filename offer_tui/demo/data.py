"""Fixed catalogue the demo server serves: placements, decision rules and tags, and the
decisions and collections built on them and on the seeded offers (:mod:`.library`).

The ids follow the shapes seen in Adobe's docs (``dps:offer-placement:...``,
``dps:eligibility-rule:...``) so that percent-encoding of ``:`` in paths is
exercised exactly as it would be against the real service.
"""

from __future__ import annotations

from typing import Any

CHANNEL_PREFIX = "https://ns.adobe.com/xdm/channel-types/"

# Demo credentials. They only open this local stand-in, never a real org.
DEMO_CLIENT_ID = "demo-client-id-0000"
DEMO_CLIENT_SECRET = "demo-client-secret-not-a-real-secret"
DEMO_IMS_ORG = "DEMO0000000000000000000@AdobeOrg"
DEMO_SANDBOX = "demo-sandbox"
DEMO_SANDBOX_ID = "9a1e5c1d-0000-4d6b-8e2f-demo0sandbox"
DEMO_USER = "demo-technical-account@techacct.adobe.com"

# Scopes IMS would grant to an OAuth Server-to-Server credential with the
# Journey Optimizer / Experience Platform APIs added.
KNOWN_SCOPES = frozenset(
    {
        "openid",
        "session",
        "AdobeID",
        "read_organizations",
        "additional_info.projectedProductContext",
        "additional_info.job_function",
        "additional_info.roles",
        "profile",
        "email",
    }
)

PERSONALIZED_SCHEMA = "https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"
FALLBACK_SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
SCHEMAS = {"personalized": PERSONALIZED_SCHEMA, "fallback": FALLBACK_SCHEMA}

_AUDIT = {
    "created": "2024-03-04T10:15:30.120Z",
    "modified": "2024-06-11T08:02:45.871Z",
    "createdBy": DEMO_USER,
    "lastModifiedBy": DEMO_USER,
    "etag": 2,
}


def _placement(
    hex_id: str,
    name: str,
    channel: str,
    component_type: str,
    description: str,
    item_count: int = 1,
) -> dict[str, Any]:
    return {
        "id": f"dps:offer-placement:{hex_id}",
        "name": name,
        "description": description,
        "channel": CHANNEL_PREFIX + channel,
        "componentType": component_type,
        "itemCount": item_count,
        "allowDuplicatePlacements": False,
        "returnContent": True,
        "returnMetaData": {
            "returnName": True,
            "returnDescription": False,
            "returnCharacteristics": True,
        },
        "schemas": ["https://ns.adobe.com/experience/offer-management/offer-placement;version=0.4"],
        **_AUDIT,
    }


PLACEMENTS: tuple[dict[str, Any], ...] = (
    _placement("1a2b3c4d5e6f7081", "Homepage hero banner", "web", "html",
               "Full-width banner at the top of the home page."),
    _placement("1a2b3c4d5e6f7082", "Homepage hero image", "web", "imagelink",
               "Background image behind the home page headline."),
    _placement("1a2b3c4d5e6f7083", "Product page side rail", "web", "html",
               "Right-hand rail next to the product gallery.", item_count=3),
    _placement("1a2b3c4d5e6f7084", "Checkout upsell text", "web", "text",
               "One-line message above the checkout button."),
    _placement("1a2b3c4d5e6f7085", "Web personalization payload", "web", "json",
               "JSON consumed by the single-page app's offer component."),
    _placement("1a2b3c4d5e6f7086", "Email header image", "email", "imagelink",
               "Image at the top of newsletters."),
    _placement("1a2b3c4d5e6f7087", "Email body offer block", "email", "html",
               "HTML block in the middle of campaign emails."),
    _placement("1a2b3c4d5e6f7088", "Email subject line suffix", "email", "text",
               "Short text appended to the subject line."),
    _placement("1a2b3c4d5e6f7089", "App home card", "mobile", "json",
               "Card on the mobile app home screen, rendered natively."),
    _placement("1a2b3c4d5e6f708a", "App splash image", "mobile", "imagelink",
               "Full-screen image shown while the app loads."),
    _placement("1a2b3c4d5e6f708b", "App inbox message", "mobile", "html",
               "Rich message in the in-app inbox."),
    _placement("1a2b3c4d5e6f708c", "Push notification text", "mobile", "text",
               "Body text of promotional push notifications."),
)


def _rule(hex_id: str, name: str, description: str, pql: str) -> dict[str, Any]:
    return {
        "id": f"dps:eligibility-rule:{hex_id}",
        "name": name,
        "description": description,
        "condition": {"type": "PQL", "format": "pql/text", "value": pql},
        "definedOn": {},
        "schemas": ["https://ns.adobe.com/experience/offer-management/eligibility-rule;version=0.3"],
        **_AUDIT,
    }


RULES: tuple[dict[str, Any], ...] = (
    _rule("19af09a9ae45a8d3", "Gold loyalty members", "Profiles in the gold loyalty tier.",
          'loyalty.tier = "gold"'),
    _rule("19af09a9ae45a8d4", "Platinum loyalty members", "Profiles in the platinum tier.",
          'loyalty.tier = "platinum"'),
    _rule("19af09a9ae45a8d5", "Lives in France", "Home address country is France.",
          'homeAddress.countryCode = "FR"'),
    _rule("19af09a9ae45a8d6", "Adults", "Profiles aged 18 or over.",
          "person.birthDate occurs <= 18 years before now"),
    _rule("19af09a9ae45a8d7", "Cart abandoners", "Added to cart in the last 7 days without buying.",
          'select A from xEvent where A.eventType.equals("commerce.productListAdds", false) '
          "and A.timestamp occurs <= 7 days before now"),
    _rule("19af09a9ae45a8d8", "Email subscribers", "Consented to marketing email.",
          'consents.marketing.email.val = "y"'),
    _rule("19af09a9ae45a8d9", "App users", "Has the mobile app installed.",
          "pushNotificationDetails.exists()"),
    _rule("19af09a9ae45a8da", "High lifetime value", "Lifetime spend above 1000.",
          "commerce.lifetimeValue > 1000"),
)


def _tag(hex_id: str, name: str) -> dict[str, Any]:
    return {
        "id": f"dps:offer-tag:{hex_id}",
        "name": name,
        "schemas": ["https://ns.adobe.com/experience/offer-management/tag;version=0.1"],
        **_AUDIT,
    }


TAGS: tuple[dict[str, Any], ...] = (
    _tag("2b3c4d5e6f708191", "Summer sale"),
    _tag("2b3c4d5e6f708192", "Loyalty"),
    _tag("2b3c4d5e6f708193", "New customers"),
    _tag("2b3c4d5e6f708194", "Clearance"),
    _tag("2b3c4d5e6f708195", "Mobile only"),
    _tag("2b3c4d5e6f708196", "Newsletter"),
)

# Issue 16's demo evaluator: the identities ("NAMESPACE:value", as `preview --identity` takes them)
# each rule qualifies. Demo data only: never in a rule's API body, so the client sees what Adobe sends.
RULE_IDENTITIES: dict[str, tuple[str, ...]] = {
    "Gold loyalty members": ("Email:jane@example.com", "ECID:71234567890123456789012345678901234567"),
    "Platinum loyalty members": ("Email:max@example.com",),
    "Lives in France": ("Email:camille@example.fr",),
    "Adults": ("Email:jane@example.com", "Email:max@example.com", "Email:camille@example.fr"),
    "Cart abandoners": ("Email:sam@example.com",),
    "Email subscribers": ("Email:jane@example.com", "Email:sam@example.com"),
    "App users": ("Email:max@example.com", "ECID:71234567890123456789012345678901234567"),
    "High lifetime value": ("Email:max@example.com",),
}
assert set(RULE_IDENTITIES) == {r["name"] for r in RULES}

PLACEMENTS_BY_ID = {p["id"]: p for p in PLACEMENTS}
RULES_BY_ID = {r["id"]: r for r in RULES}
TAGS_BY_ID = {t["id"]: t for t in TAGS}


def salt_id(object_id: str, salt: str | None) -> str:
    """``object_id`` in another sandbox: the same prefix, another (stable) hex tail; no salt: unchanged."""
    if not salt:
        return object_id
    import hashlib

    prefix, _, hex_id = object_id.rpartition(":")
    return f"{prefix}:{hashlib.sha256(f'{salt}:{hex_id}'.encode()).hexdigest()[:16]}"


def salted_catalogue(salt: str | None) -> dict[str, tuple[tuple[dict[str, Any], ...], dict[str, dict[str, Any]]]]:
    """The catalogue with ids of another sandbox: same names and channels, other ids.

    Two demo servers with different salts stand for two sandboxes (``copy`` maps ids by name).
    No salt gives the fixed catalogue above.
    """
    def resalt(item: dict[str, Any]) -> dict[str, Any]:
        return {**item, "id": salt_id(item["id"], salt)}

    result = {}
    for key, items in (("placements", PLACEMENTS), ("offer-rules", RULES), ("tags", TAGS)):
        salted = items if not salt else tuple(resalt(item) for item in items)
        result[key] = (salted, {item["id"]: item for item in salted})
    return result
