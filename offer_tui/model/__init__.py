"""The offer model: pydantic bodies, validation rules, the one JSON serializer.

Pure: no I/O beyond reading an offer file, and no Textual.
"""

from .constants import (
    CAP_ENTITIES,
    CAP_SCOPES,
    CHANNEL_PREFIX,
    CHANNELS,
    COMPONENT_PRESETS,
    MAX_FREQUENCY_CAPS,
    OFFER_TYPES,
    PROFILE_CONSTRAINT_TYPES,
    REPEAT_UNITS,
    STATUSES,
    channel_short,
    channel_uri,
)
from .dates import format_rfc3339, is_rfc3339, parse_rfc3339, parse_user_datetime
from .document import (
    SERVER_FIELDS,
    OfferFileError,
    guess_offer_type,
    load_offer_file,
    parse_offer_text,
    strip_server_fields,
    to_json,
)
from .jsonpath import json_path, path_in_words, split_path
from .validation import Issue, Report, validate_offer

_LAZY = {"FallbackOffer", "PersonalizedOffer"}


def __getattr__(name: str):
    # The pydantic models load on first use, so the wizard starts without pydantic.
    if name in _LAZY:
        from . import offer

        return getattr(offer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CAP_ENTITIES", "CAP_SCOPES", "CHANNEL_PREFIX", "CHANNELS", "COMPONENT_PRESETS",
    "MAX_FREQUENCY_CAPS", "OFFER_TYPES", "PROFILE_CONSTRAINT_TYPES", "REPEAT_UNITS", "STATUSES",
    "SERVER_FIELDS", "FallbackOffer", "Issue", "OfferFileError", "PersonalizedOffer", "Report",
    "channel_short", "channel_uri", "format_rfc3339", "guess_offer_type", "is_rfc3339",
    "json_path", "load_offer_file", "path_in_words", "split_path", "parse_offer_text", "parse_rfc3339", "parse_user_datetime",
    "strip_server_fields", "to_json", "validate_offer",
]
