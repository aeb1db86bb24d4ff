"""The offer as a JSON document: the one serializer, file loading, server fields.

The wizard, the preview, "Save JSON", the curl export and submit all go through
`to_json`, so what the user sees is byte for byte what is sent.
"""

from __future__ import annotations

import json
import os
from typing import Any

from .safejson import JsonFileError, load_json_file, loads_strict

# Fields the server adds to an offer it returns (GET) or to a receipt (POST).
# They must not be sent again when a fetched offer is used as a template.
SERVER_FIELDS = frozenset(
    {
        "id",
        "etag",
        "created",
        "modified",
        "schemas",
        "createdBy",
        "lastModifiedBy",
        "createdByClientId",
        "lastModifiedByClientId",
        "createdDate",
        "lastModifiedDate",
        "sandboxId",
        "_links",
    }
)


class OfferFileError(JsonFileError):
    """A file that cannot be used as an offer. str() is one line naming file and problem."""


def to_json(doc: Any) -> str:
    """THE serializer: what the preview shows is exactly what submit sends."""
    return json.dumps(doc, indent=2, ensure_ascii=False)


def strip_server_fields(doc: dict) -> tuple[dict, str | None]:
    """A copy of `doc` without server fields (order kept), and the id it had."""
    based_on = doc.get("id") if isinstance(doc.get("id"), str) else None
    return {k: v for k, v in doc.items() if k not in SERVER_FIELDS}, based_on


def guess_offer_type(doc: dict) -> str | None:
    """personalized / fallback from a GET response's schemas or id, else None."""
    hints = [doc.get("id")]
    if isinstance(doc.get("schemas"), list):
        hints.extend(doc["schemas"])
    for hint in hints:
        if isinstance(hint, str):
            if "fallback-offer" in hint:
                return "fallback"
            if "personalized-offer" in hint:
                return "personalized"
    return None


def _as_offer(data: Any, source: str) -> dict:
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(data), "a number"
        )
        raise OfferFileError(f"{source}: expected a JSON object (an offer), found {kind}")
    return data


def parse_offer_text(text: str, source: str = "input") -> dict:
    """Parse JSON text that must hold one offer object (strict: see ``safejson.loads_strict``)."""
    try:
        return _as_offer(loads_strict(text, source), source)
    except OfferFileError:
        raise
    except JsonFileError as error:
        raise OfferFileError(str(error)) from None


def load_offer_file(path: str | os.PathLike) -> dict:
    """Read an offer file; every failure is an OfferFileError with one clear line.

    Bounded (5 MB), regular files only (a FIFO or device never blocks), UTF-8 only, nesting at
    most 64 levels, numbers that JSON can carry: see ``safejson``.
    """
    name = os.fspath(path)
    try:
        return _as_offer(load_json_file(name), name)
    except OfferFileError:
        raise
    except JsonFileError as error:
        raise OfferFileError(str(error)) from None
