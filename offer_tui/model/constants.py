"""Names and enums the Offer Library API defines (see shared/offer-api.md)."""

CHANNEL_PREFIX = "https://ns.adobe.com/xdm/channel-types/"
CHANNELS = (
    "web",
    "email",
    "mobile",
    "messaging",
    "social",
    "offline",
    "direct-mail",
    "inapp",
    "code",
)
OFFER_TYPES = ("personalized", "fallback")
STATUSES = ("draft", "approved", "archived")
PROFILE_CONSTRAINT_TYPES = ("none", "eligibilityRule", "anySegments", "allSegments")
CAP_SCOPES = ("global", "profile")
CAP_ENTITIES = ("offer", "placement")
REPEAT_UNITS = ("day", "week", "month")

MAX_FREQUENCY_CAPS = 10
MAX_TAGS = 20
MAX_OFFER_BYTES = 300 * 1024

# Component type -> the media type (or media type family, ending in "/") it must use.
FORMAT_FOR_TYPE = {
    "html": "text/html",
    "imagelink": "image/",
    "json": "application/json",
}

# Placement componentType -> the component type and default format the wizard presets.
COMPONENT_PRESETS = {
    "html": ("html", "text/html"),
    "text": ("text", "text/plain"),
    "imagelink": ("imagelink", "image/png"),
    "json": ("json", "application/json"),
}


def channel_uri(short: str) -> str:
    """`web` -> the full channel-type URI; a full URI is returned unchanged."""
    return short if short.startswith(CHANNEL_PREFIX) else CHANNEL_PREFIX + short


def channel_short(uri: str) -> str:
    """The full channel-type URI -> `web`; anything else is returned unchanged."""
    return uri[len(CHANNEL_PREFIX):] if uri.startswith(CHANNEL_PREFIX) else uri
