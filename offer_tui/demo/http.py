"""The demo API's HTTP vocabulary: a parsed request, a reply, and the documented error shapes.

Shared by the offers routes (``api``), the other kinds (``library_api``) and the decision
preview (``preview``), so none of them imports another for these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import data

OFFER_TYPES = ("personalized", "fallback")
BAD_REQUEST_TYPE = "https://ns.adobe.com/aep/errors/DPS-4000-400"
NOT_FOUND_TYPE = "https://ns.adobe.com/aep/errors/DPS-4040-404"


@dataclass
class Request:
    method: str
    path: str  # the full URL path, e.g. /data/core/dps/offers
    rel: str  # path relative to the dps base, or the full path outside it
    query_pairs: list[tuple[str, str]]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    def query(self, name: str) -> str | None:
        for key, value in self.query_pairs:
            if key == name:
                return value
        return None


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(payload).encode()
    return Reply(status, body, {"Content-Type": "application/json", **(headers or {})})


def gateway_error(status: int, code: str, message: str) -> Reply:
    return json_reply(status, {"error_code": code, "message": message})


def problem(status: int, title: str, detail: str, type_: str = BAD_REQUEST_TYPE, **extra: Any) -> Reply:
    return json_reply(status, {"type": type_, "title": title, "status": status, "detail": detail, **extra})


def bad_request(detail: str, **extra: Any) -> Reply:
    return problem(400, "BadRequestError", detail, **extra)


def not_found(what: str) -> Reply:
    return problem(404, "NotFoundError", f"{what} not found", type_=NOT_FOUND_TYPE)


def parse_json(body: bytes) -> tuple[Any, Reply | None]:
    try:
        return json.loads(body.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, bad_request("The request body is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return None, bad_request(f"Malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")


def client_id(req: Request) -> str:
    return req.headers.get("x-api-key", data.DEMO_CLIENT_ID)
