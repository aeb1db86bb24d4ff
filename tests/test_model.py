"""The model is lossless: what a user loads is what gets sent."""

from __future__ import annotations

import copy
import json

import pytest

from offer_tui.model import (
    SERVER_FIELDS,
    FallbackOffer,
    OfferFileError,
    PersonalizedOffer,
    guess_offer_type,
    load_offer_file,
    parse_rfc3339,
    parse_user_datetime,
    strip_server_fields,
    to_json,
)


def roundtrip(doc: dict, model=PersonalizedOffer) -> dict:
    return model.from_document(doc).to_document()


def test_seed_round_trips_with_same_keys_order_and_dates(seed_doc):
    out = roundtrip(seed_doc)
    assert json.dumps(out) == json.dumps(seed_doc)
    assert out["selectionConstraint"]["startDate"] == "2022-07-27T05:00:00.000+00:00"
    assert out["frequencyCappingConstraints"][0]["startDate"] == "2023-05-15T14:25:49.622+00:00"


def test_unknown_fields_are_kept_everywhere_in_place(seed_doc):
    doc = copy.deepcopy(seed_doc)
    doc = {"x-custom": {"nested": [1, 2.0, None]}, **doc, "futureField": True}
    doc["representations"][0]["components"][0]["altText"] = "Sale"
    doc["representations"][0]["extra"] = 1
    doc["rank"]["weight"] = 1.5
    out = roundtrip(doc)
    assert json.dumps(out) == json.dumps(doc)
    assert list(out)[0] == "x-custom"


def test_key_order_differs_from_model_declaration_and_is_kept():
    doc = {
        "representations": [
            {
                "components": [{"content": "<b>hi</b>", "language": ["en-us"], "format": "text/html", "type": "html"}],
                "placement": "p1",
                "channel": "https://ns.adobe.com/xdm/channel-types/web",
            }
        ],
        "status": "approved",
        "name": "Reordered",
        "rank": {"priority": 3},
    }
    assert json.dumps(roundtrip(doc)) == json.dumps(doc)


@pytest.mark.parametrize(
    "date",
    ["2022-07-27T05:00:00.000+00:00", "2022-07-27T05:00:00Z", "2022-07-27T07:00:00.123456789+02:00"],
)
def test_date_strings_survive_byte_for_byte(date):
    doc = {"name": "d", "representations": [], "selectionConstraint": {"startDate": date}}
    assert roundtrip(doc)["selectionConstraint"]["startDate"] == date


def test_numbers_are_not_coerced():
    doc = {"name": "n", "representations": [], "characteristics": {"a": "1"}, "rank": {"priority": 2}}
    assert to_json(roundtrip(doc)) == to_json(doc)
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as exc:
        PersonalizedOffer.from_document({"name": "n", "representations": [], "rank": {"priority": 2.0}})
    (error,) = exc.value.errors()
    assert error["loc"] == ("rank", "priority") and error["type"] == "int_type"


def test_segment_identity_keeps_its_underscore_id():
    doc = {
        "name": "s",
        "representations": [],
        "selectionConstraint": {
            "profileConstraintType": "anySegments",
            "segmentIdentities": [{"_id": "seg-1", "namespace": {"code": "ups"}}],
        },
    }
    assert roundtrip(doc) == doc


def test_fallback_model_round_trips():
    doc = {
        "name": "Fallback",
        "status": "approved",
        "representations": [
            {
                "channel": "https://ns.adobe.com/xdm/channel-types/email",
                "placement": "p",
                "components": [{"type": "imagelink", "format": "image/png", "language": ["en-us"], "deliveryURL": "https://x/y.png"}],
            }
        ],
    }
    assert roundtrip(doc, FallbackOffer) == doc


def test_get_response_can_be_used_as_template(seed_doc):
    fetched = {
        "id": "dps:personalized-offer:abc",
        "etag": 3,
        "created": "2023-05-31T15:09:11.771Z",
        "modified": "2023-05-31T15:09:11.771Z",
        "schemas": ["https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"],
        "createdBy": "me",
        "lastModifiedBy": "me",
        **seed_doc,
    }
    body, based_on = strip_server_fields(fetched)
    assert based_on == "dps:personalized-offer:abc"
    assert body == seed_doc and list(body) == list(seed_doc)
    assert not SERVER_FIELDS & set(body)
    assert guess_offer_type(fetched) == "personalized"
    assert guess_offer_type({"id": "dps:fallback-offer:1"}) == "fallback"
    assert guess_offer_type(seed_doc) is None


def test_to_json_keeps_non_ascii_readable():
    assert '"Café ☕"' in to_json({"name": "Café ☕"})


@pytest.mark.parametrize(
    "typed, sent",
    [
        ("2025-01-31", "2025-01-31T00:00:00.000+00:00"),
        ("2025-01-31 09:00", "2025-01-31T09:00:00.000+00:00"),
        ("2025-01-31T09:00:30", "2025-01-31T09:00:30.000+00:00"),
        ("  2025-01-31 09:00  ", "2025-01-31T09:00:00.000+00:00"),
        ("2025-01-31T09:00:00.5-05:00", "2025-01-31T09:00:00.5-05:00"),
        ("2022-07-27T05:00:00.000+00:00", "2022-07-27T05:00:00.000+00:00"),
    ],
)
def test_user_dates_become_the_exact_value_sent(typed, sent):
    assert parse_user_datetime(typed) == sent


def test_user_dates_use_the_given_offset():
    from datetime import timedelta, timezone

    assert parse_user_datetime("2025-01-31 09:00", timezone(timedelta(hours=-5, minutes=-30))) == (
        "2025-01-31T09:00:00.000-05:30"
    )


USE = "use 2025-01-31, 2025-01-31 09:00 or 2025-01-31T09:00:00.000+00:00"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "is empty: type a date like 2025-01-31 or 2025-01-31 09:00"),
        ("tomorrow", f"'tomorrow' is not a date: {USE}"),
        ("31/01/2025", f"'31/01/2025' is not a date: {USE}"),
        ("2025-01-31T09:00:00+0000", f"'2025-01-31T09:00:00+0000' is not a date: {USE}"),
        ("2025-02-30", "'2025-02-30' is not a date: day 30 does not exist: February 2025 has 28 days"),
        ("2025-13-01", "'2025-13-01' is not a date: month 13 does not exist (months are 01-12)"),
        ("2025-01-31 25:00", "'2025-01-31 25:00' is not a date: hour 25 does not exist (hours are 00-23)"),
        ("2025-01-31 09:60", "'2025-01-31 09:60' is not a date: minute 60 does not exist (minutes are 00-59)"),
        ("\uff12\uff10\uff12\uff15-01-31", "is not a date: contains the digit '\uff12' (U+FF12), which is not an "
         "ASCII digit (full-width or another script); type the digits 0-9"),
        ("2025-01-31T09:00:00+99:99", "is not a date: the UTC offset +99:99 is impossible: offset hours are 00-23 "
         "and minutes 00-59, like +02:00 or -05:30"),
    ],
)
def test_bad_user_dates_say_what_is_wrong(typed, message):
    with pytest.raises(ValueError) as exc:
        parse_user_datetime(typed)
    assert str(exc.value).endswith(message)


@pytest.mark.parametrize(
    "value, message",
    [
        ("2025-01-31T09:00:00+99:99", "is not a real date-time: the UTC offset +99:99 is impossible: offset hours "
         "are 00-23 and minutes 00-59, like +02:00 or -05:30"),
        ("2025-01-31T09:00:00+24:00", "is not a real date-time: the UTC offset +24:00 is impossible"),
        ("\uff12025-01-31T09:00:00Z", "contains the digit '\uff12' (U+FF12), which is not an ASCII digit"),
        ("2025-01-31T09:00:00.000+00:00\u0661", "contains the digit '\u0661' (U+0661)"),
        ("2025-02-29T00:00:00Z", "is not a real date-time: day 29 does not exist: February 2025 has 28 days"),
        ("0000-01-01T00:00:00Z", "is not a real date-time: year 0000 does not exist"),
        ("2025-01-31T09:00:00", "lacks the UTC offset (add Z or +00:00)"),
        ("2025-01-31", "lacks the time and the offset"),
        (20250131, "must be an RFC 3339 date-time string"),
    ],
)
def test_bad_api_dates_are_explained_in_plain_words(value, message):
    with pytest.raises(ValueError) as exc:
        parse_rfc3339(value)
    assert message in str(exc.value)
    assert "timedelta" not in str(exc.value)  # no Python internals in a user's message


@pytest.mark.parametrize(
    "content, needle",
    [
        (b'{"name": "x",\n  "status": }', ":2:"),
        (b"[1, 2]", "found a list"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"\xff\xfe{ }", "is UTF-16 text, not UTF-8; save it as UTF-8"),
        (b"   ", "empty"),
    ],
)
def test_bad_files_give_one_clear_line(tmp_path, content, needle):
    path = tmp_path / "offer.json"
    path.write_bytes(content)
    with pytest.raises(OfferFileError) as exc:
        load_offer_file(path)
    message = str(exc.value)
    assert needle in message and str(path) in message and "\n" not in message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(OfferFileError, match="no such file"):
        load_offer_file(tmp_path / "nope.json")
    with pytest.raises(OfferFileError, match="directory"):
        load_offer_file(tmp_path)


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"name": "bom"}')
    assert load_offer_file(path) == {"name": "bom"}
