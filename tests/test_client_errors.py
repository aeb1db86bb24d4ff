"""Error-body parsing, hints, secret scrubbing and settings: pure, no network."""

from __future__ import annotations

import json
import pickle

import pytest

from offer_tui.api import ApiError, Settings, error_from_body, scrub
from offer_tui.api.errors import REDACTED, normalize_path
from offer_tui.api.retry import backoff_delay, retry_after_seconds

CANARY = "CANARY-s3cr3t-9f8e7d"


@pytest.mark.parametrize(
    ("status", "code", "message", "hint_words"),
    [
        (403, "403010", "Oauth token is missing.", ["OFFER_TUI_ACCESS_TOKEN"]),
        (401, "401013", "Oauth token is not valid", ["expired"]),
        (403, "403000", "Api Key is required", ["OFFER_TUI_CLIENT_ID", "x-api-key"]),
        (403, "403003", "Api Key is invalid", ["OFFER_TUI_CLIENT_ID", "x-api-key"]),
        (400, "400003", "Missing header", ["OFFER_TUI_IMS_ORG"]),
        (403, "403025", "Profile is not valid", ["OFFER_TUI_SANDBOX", "product profile"]),
    ],
)
def test_error_code_bodies_get_code_message_and_hint(status, code, message, hint_words):
    error = error_from_body(status, json.dumps({"error_code": code, "message": message}))
    assert error.status == status
    assert error.code == code
    assert error.message == message
    for word in hint_words:
        assert word in error.hint
    assert str(error) == f"{message} ({code}) - {error.hint}"
    assert "\n" not in str(error)


def test_problem_details_body():
    body = {
        "type": "https://ns.adobe.com/aep/errors/dps-400",
        "status": 400,
        "title": "BadRequestError",
        "detail": "A valid content-type must be specified",
    }
    error = error_from_body(400, json.dumps(body))
    assert error.message == "A valid content-type must be specified"
    assert error.code == "BadRequestError"
    assert error.field_errors == []


def test_problem_details_with_field_errors_keeps_paths_in_model_style():
    body = {
        "type": "about:blank",
        "status": 400,
        "title": "Validation failed",
        "detail": "The offer is not valid",
        "errors": [
            {"path": "/representations/0/components/0/format", "message": "must be a media type"},
            {"path": "selectionConstraint.endDate", "message": "must be after startDate"},
        ],
    }
    error = error_from_body(400, json.dumps(body))
    assert error.field_errors == [
        ("representations[0].components[0].format", "must be a media type"),
        ("selectionConstraint.endDate", "must be after startDate"),
    ]
    assert "representations[0].components[0].format: must be a media type" in error.message
    assert "(+1 more)" in error.message


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("invalid_client", ["client id", "client secret"]),
        ("invalid_scope", ["OFFER_TUI_SCOPES", "Scopes tab"]),
    ],
)
def test_ims_oauth_bodies(code, words):
    error = error_from_body(400, json.dumps({"error": code, "error_description": "nope"}))
    assert error.code == code
    assert error.message == "nope"
    for word in words:
        assert word in error.hint


def test_html_body_is_shown_as_readable_text():
    page = "<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
    error = error_from_body(502, page, reason="Bad Gateway")
    assert error.code is None
    assert "502 Bad Gateway nginx" in error.message
    assert "<h1>" not in error.message
    assert error.raw == page
    assert "trouble" in error.hint


def test_empty_body():
    error = error_from_body(503, "", reason="Service Unavailable")
    assert error.message == "HTTP 503 Service Unavailable with an empty body"
    assert error.raw is None


def test_unknown_json_and_non_object_json_are_shown_raw():
    assert "HTTP 418" in error_from_body(418, '{"weird": true}').message
    assert '[1, 2]' in error_from_body(400, "[1, 2]").message


def test_429_hint_mentions_rate_limit():
    assert "Rate limited" in error_from_body(429, "").hint


def test_long_raw_body_is_cut_in_the_message_and_bounded_in_raw():
    body = "x" * 5000
    error = error_from_body(500, body)
    assert len(error.message) < 300
    # raw keeps the first few KB (what a screen can show) and says how much was cut.
    assert error.raw.startswith("x" * 4000) and "1,000 more characters not shown" in error.raw


def test_scrub_removes_secrets_in_plain_url_and_json_forms():
    secret = "ab+c/d=ef" + CANARY
    text = f"plain {secret} form client_secret=ab%2Bc%2Fd%3Def{CANARY} json {json.dumps(secret)}"
    cleaned = scrub(text, [secret])
    assert CANARY not in cleaned
    assert REDACTED in cleaned


def test_scrub_removes_bearer_tokens_and_token_fields_even_when_unknown():
    text = 'Authorization: Bearer eyJhbGciOi.abc-def_ghi {"access_token": "eyJzzz", "x": 1}'
    cleaned = scrub(text)
    assert "eyJ" not in cleaned
    assert '"x": 1' in cleaned


def test_api_error_scrubs_every_text_it_holds():
    error = ApiError(
        f"failed with {CANARY}",
        hint=f"try {CANARY}",
        raw=f"echo: {CANARY}",
        field_errors=[(f"p{CANARY}", f"m{CANARY}")],
        redact=[CANARY],
    )
    for text in (str(error), repr(error), error.message, error.hint, error.raw, repr(error.field_errors)):
        assert CANARY not in text


def test_api_error_pickles_and_replace_keeps_fields():
    error = ApiError("m", status=503, code="c", hint="h", raw="r", outcome_unknown=True, field_errors=[("a", "b")])
    again = pickle.loads(pickle.dumps(error))
    assert (again.status, again.code, again.hint, again.raw, again.outcome_unknown) == (503, "c", "h", "r", True)
    changed = error.replace(hint="other")
    assert changed.hint == "other" and changed.field_errors == [("a", "b")] and changed.outcome_unknown


def test_str_without_code_or_hint():
    assert str(ApiError("just this")) == "just this"
    assert str(ApiError("m", hint="h")) == "m - h"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/representations/0/components/1/content", "representations[0].components[1].content"),
        ("representations.0.placement", "representations[0].placement"),
        ("representations[0].placement", "representations[0].placement"),
        ("$.rank.priority", "rank.priority"),
        (["frequencyCappingConstraints", 2, "limit"], "frequencyCappingConstraints[2].limit"),
        ("name", "name"),
    ],
)
def test_normalize_path(raw, expected):
    assert normalize_path(raw) == expected


def test_retry_after_parsing():
    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds("120") == 30.0  # capped
    assert retry_after_seconds("-5") == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
    now = 1_700_000_000.0
    assert retry_after_seconds("Tue, 14 Nov 2023 22:13:25 GMT", now=now) == pytest.approx(5.0)
    assert retry_after_seconds("Tue, 14 Nov 2023 22:13:00 GMT", now=now) == 0.0


def test_backoff_grows_and_stays_in_bounds():
    for attempt in range(4):
        ceiling = 0.5 * 2**attempt
        for _ in range(50):
            assert ceiling / 2 <= backoff_delay(attempt, 0.5) <= ceiling


def test_settings_from_env_defaults_and_names():
    s = Settings.from_env({})
    assert s.endpoint == "https://platform.adobe.io/data/core/dps"
    assert s.ims_url == "https://ims-na1.adobelogin.com/ims/token/v3"
    assert s.scopes == "openid,session,AdobeID,read_organizations,additional_info.projectedProductContext"
    assert s.client_id is None and s.client_secret is None and s.access_token is None
    env = {
        "OFFER_TUI_ENDPOINT": "http://127.0.0.1:1/data/core/dps",
        "OFFER_TUI_IMS_URL": "http://127.0.0.1:1/ims/token/v3",
        "OFFER_TUI_CLIENT_ID": "cid",
        "OFFER_TUI_CLIENT_SECRET": CANARY,
        "OFFER_TUI_ACCESS_TOKEN": CANARY + "tok",
        "OFFER_TUI_IMS_ORG": "ABC@AdobeOrg",
        "OFFER_TUI_SANDBOX": "prod",
        "OFFER_TUI_SCOPES": "openid,AdobeID",
        "OFFER_TUI_UNRELATED": "x",
    }
    s = Settings.from_env(env)
    assert (s.endpoint, s.ims_url, s.client_id, s.ims_org, s.sandbox, s.scopes) == (
        env["OFFER_TUI_ENDPOINT"],
        env["OFFER_TUI_IMS_URL"],
        "cid",
        "ABC@AdobeOrg",
        "prod",
        "openid,AdobeID",
    )
    assert s.client_secret == CANARY and s.access_token == CANARY + "tok"
    assert CANARY not in repr(s)
    assert CANARY not in repr(s.describe())
    assert s.describe()["client_secret"] == "(set, hidden)"
    assert Settings.from_env({"OFFER_TUI_SANDBOX": "  "}).sandbox is None


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().endpoint = "x"  # type: ignore[misc]
