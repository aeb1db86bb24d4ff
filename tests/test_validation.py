"""Every rule the API would reject is caught first, at the right JSON path."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from offer_tui.model import validate_offer

WEB = "https://ns.adobe.com/xdm/channel-types/web"
MOBILE = "https://ns.adobe.com/xdm/channel-types/mobile"


NOW = datetime(2024, 12, 1, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    """The good offer's window is in the future of this clock: no date warnings by default."""
    monkeypatch.setattr("offer_tui.model.validation.utc_now", lambda: NOW)


def good_offer() -> dict:
    return {
        "name": "Summer sale",
        "status": "draft",
        "representations": [
            {
                "channel": WEB,
                "placement": "dps:offer-placement:1",
                "components": [{"type": "html", "format": "text/html", "language": ["en-us"], "content": "<p>Hi</p>"}],
            }
        ],
        "selectionConstraint": {
            "startDate": "2025-01-01T00:00:00.000+00:00",
            "endDate": "2025-02-01T23:59:59.000+00:00",
            "profileConstraintType": "none",
        },
        "rank": {"priority": 0},
        "cappingConstraint": {},
        "frequencyCappingConstraints": [
            {
                "enabled": True,
                "limit": 1,
                "startDate": "2025-01-01T00:00:00.000+00:00",
                "endDate": "2025-03-01T23:59:59.000+00:00",
                "scope": "global",
                "entity": "offer",
                "repeat": {"enabled": True, "unit": "week", "unitCount": 1},
            }
        ],
    }


def errors(doc, offer_type="personalized") -> dict[str, str]:
    return {e.path: e.message for e in validate_offer(doc, offer_type).errors}


def warnings(doc, offer_type="personalized") -> dict[str, str]:
    return {w.path: w.message for w in validate_offer(doc, offer_type).warnings}


def test_good_offer_and_seed_pass(seed_doc):
    assert validate_offer(good_offer()).ok
    report = validate_offer(seed_doc)
    assert report.ok, report.errors


def apply(doc: dict, path: str, value) -> dict:
    """Set a dotted path like 'representations.0.components.0.format' (value DELETE removes)."""
    doc = copy.deepcopy(doc)
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = doc
    for part in parts[:-1]:
        target = target[part]
    if value is DELETE:
        del target[parts[-1]]
    else:
        target[parts[-1]] = value
    return doc


class _Delete:
    # A stable repr keeps test ids identical across processes (pytest-xdist compares them).
    def __repr__(self) -> str:
        return "DELETE"


DELETE = _Delete()
C0 = "representations.0.components.0"

# (what to change, value, path of the expected error, a word the message must contain)
FAILING = [
    ("name", DELETE, "name", "required"),
    ("name", "   ", "name", "required"),
    ("name", 42, "name", "string"),
    ("status", "live", "status", "draft"),
    ("representations", [], "representations", "at least one"),
    ("representations", DELETE, "representations", "required"),
    ("representations.0.channel", "web", "representations[0].channel", "ns.adobe.com"),
    ("representations.0.placement", "", "representations[0].placement", "placement"),
    ("representations.0.components", [], "representations[0].components", "at least one"),
    (f"{C0}.format", "html", "representations[0].components[0].format", "media type"),
    (f"{C0}.format", "text/plain", "representations[0].components[0].format", "text/html"),
    (f"{C0}.content", "", "representations[0].components[0].content", "required"),
    (f"{C0}.content", DELETE, "representations[0].components[0].content", "required"),
    (f"{C0}.language", ["en_US"], "representations[0].components[0].language[0]", "BCP 47"),
    (f"{C0}.language", "en-us", "representations[0].components[0].language", "list"),
    ("selectionConstraint.startDate", "2025-01-01", "selectionConstraint.startDate", "offset"),
    ("selectionConstraint.endDate", "2025-01-01T00:00:00", "selectionConstraint.endDate", "offset"),
    ("selectionConstraint.endDate", "2024-12-31T00:00:00.000+00:00", "selectionConstraint.endDate", "after"),
    ("selectionConstraint.profileConstraintType", "some", "selectionConstraint.profileConstraintType", "eligibilityRule"),
    ("selectionConstraint.profileConstraintType", "eligibilityRule", "selectionConstraint.eligibilityRule", "rule"),
    ("selectionConstraint.profileConstraintType", "anySegments", "selectionConstraint.segmentIdentities", "segment"),
    ("rank.priority", -1, "rank.priority", "at least 0"),
    ("rank.priority", 1.5, "rank.priority", "whole number"),
    ("rank.priority", "1", "rank.priority", "whole number"),
    ("cappingConstraint", {"globalCap": 0}, "cappingConstraint.globalCap", "at least 1"),
    ("frequencyCappingConstraints.0.limit", 0, "frequencyCappingConstraints[0].limit", "at least 1"),
    ("frequencyCappingConstraints.0.scope", "everyone", "frequencyCappingConstraints[0].scope", "global"),
    ("frequencyCappingConstraints.0.entity", "page", "frequencyCappingConstraints[0].entity", "placement"),
    ("frequencyCappingConstraints.0.enabled", "yes", "frequencyCappingConstraints[0].enabled", "true or false"),
    ("frequencyCappingConstraints.0.repeat.unit", "year", "frequencyCappingConstraints[0].repeat.unit", "month"),
    ("frequencyCappingConstraints.0.repeat.unitCount", 0, "frequencyCappingConstraints[0].repeat.unitCount", "at least 1"),
    ("frequencyCappingConstraints.0.endDate", "2027-01-02T00:00:00.000+00:00", "frequencyCappingConstraints[0].endDate", "2 years"),
    ("frequencyCappingConstraints.0.endDate", "2024-01-02T00:00:00.000+00:00", "frequencyCappingConstraints[0].endDate", "after"),
    ("frequencyCappingConstraints", [good_offer()["frequencyCappingConstraints"][0]] * 11, "frequencyCappingConstraints", "at most 10"),
    ("tags", ["t"] * 21, "tags", "at most 20"),
    ("characteristics", {"a": 1}, "characteristics.a", "string"),
]


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "live"])
@pytest.mark.parametrize("change, value, path, word", FAILING, ids=[f"{c}={v!r}"[:60] for c, v, *_ in FAILING])
def test_each_rule_rejects_at_its_path(change, value, path, word, strict):
    doc = apply(good_offer(), change, value)
    found = {e.path: e.message for e in validate_offer(doc, strict=strict).errors}
    assert path in found, found
    assert word in found[path]
    assert "\n" not in found[path]


PASSING = [
    ("status", "approved"),
    ("representations.0.channel", "https://ns.adobe.com/xdm/channel-types/email"),
    (f"{C0}.language", ["en-us", "pt-BR", "zh-Hant-TW", "es-419", "de"]),
    ("selectionConstraint.endDate", "2025-02-01T00:00:00Z"),
    ("selectionConstraint.startDate", DELETE),
    ("selectionConstraint", {"profileConstraintType": "eligibilityRule", "eligibilityRule": "dps:eligibility-rule:1"}),
    ("selectionConstraint", {"profileConstraintType": "allSegments", "segmentIdentities": [{"_id": "s", "namespace": {"code": "ups"}}]}),
    ("rank.priority", 10),
    ("cappingConstraint", {"globalCap": 100, "profileCap": 2}),
    ("frequencyCappingConstraints", [good_offer()["frequencyCappingConstraints"][0]] * 10),
    ("frequencyCappingConstraints.0.endDate", "2027-01-01T00:00:00.000+00:00"),
    ("frequencyCappingConstraints.0.repeat.unit", "day"),
    ("tags", ["t"] * 20),
    ("characteristics", {"brand": "acme"}),
]


@pytest.mark.parametrize("change, value", PASSING, ids=[f"{c}={v!r}"[:60] for c, v in PASSING])
def test_each_rule_accepts_a_valid_value(change, value):
    report = validate_offer(apply(good_offer(), change, value))
    assert report.ok, report.errors


def two_reps(first: dict, second: dict) -> dict:
    doc = good_offer()
    doc["representations"] = [first, second]
    return doc


def comp(**kw) -> dict:
    return {"type": "html", "format": "text/html", "language": ["en-us"], "content": "x", **kw}


def test_two_representations_for_one_placement_are_rejected():
    rep = good_offer()["representations"][0]
    found = errors(two_reps(rep, copy.deepcopy(rep)))
    assert "already used by representations[0]" in found["representations[1].placement"]
    other = dict(copy.deepcopy(rep), placement="dps:offer-placement:2")
    assert validate_offer(two_reps(rep, other)).ok


def test_image_links_need_a_delivery_url_but_no_content():
    image = {"type": "imagelink", "format": "image/png", "language": ["en-us"]}
    doc = apply(good_offer(), "representations.0.components", [image])
    assert "deliveryURL" in errors(doc)["representations[0].components[0].deliveryURL"]
    ok = apply(doc, f"{C0}.deliveryURL", "https://cdn.example.com/a.png")
    assert validate_offer(ok).ok
    assert "image/" in errors(apply(ok, f"{C0}.format", "text/html"))["representations[0].components[0].format"]
    assert "URL" in errors(apply(ok, f"{C0}.linkURL", "not a url"))["representations[0].components[0].linkURL"]
    assert validate_offer(apply(ok, f"{C0}.linkURL", "https://example.com/buy")).ok


def test_json_content_must_parse():
    doc = apply(good_offer(), "representations.0.components", [comp(type="json", format="application/json", content='{"a": 1')])
    assert "not valid JSON" in errors(doc)["representations[0].components[0].content"]
    assert validate_offer(apply(doc, f"{C0}.content", '{"a": 1}')).ok


def test_text_and_unconfirmed_types_keep_any_media_type():
    doc = apply(good_offer(), "representations.0.components", [comp(type="component-text", format="text/template")])
    assert validate_offer(doc).ok


def test_capping_with_a_mobile_representation_warns_but_does_not_block():
    doc = apply(good_offer(), "representations.0.channel", MOBILE)
    report = validate_offer(doc)
    assert report.ok
    assert "mobile" in warnings(doc)["frequencyCappingConstraints"]
    doc["frequencyCappingConstraints"][0]["enabled"] = False
    assert not warnings(doc)


def test_an_offer_over_300_kb_warns():
    doc = apply(good_offer(), f"{C0}.content", "<p>" + "x" * 310_000 + "</p>")
    report = validate_offer(doc)
    assert report.ok and any("300 KB" in w.message for w in report.warnings)
    assert not validate_offer(good_offer()).warnings


def test_fallback_offers_have_no_eligibility_and_no_capping():
    doc = good_offer()
    assert "capped" in errors(doc, "fallback")["frequencyCappingConstraints"]
    del doc["frequencyCappingConstraints"], doc["cappingConstraint"]
    assert validate_offer(doc, "fallback").ok
    doc["selectionConstraint"].update(profileConstraintType="eligibilityRule", eligibilityRule="r")
    assert "none" in errors(doc, "fallback")["selectionConstraint.profileConstraintType"]


@pytest.mark.parametrize("junk", [None, [], "offer", 3, {"representations": "web"}, {"representations": [None, 1]}])
def test_junk_gets_errors_not_exceptions(junk):
    report = validate_offer(junk)
    assert not report.ok


def test_unknown_offer_type_is_an_error():
    assert "offer type" in validate_offer(good_offer(), "special").errors[0].message


def test_issue_str_is_path_colon_reason():
    issue = validate_offer(apply(good_offer(), "rank.priority", -1)).errors[0]
    assert str(issue) == "rank.priority: must be at least 0"


def test_validation_does_not_change_the_document():
    doc = good_offer()
    before = json.dumps(doc)
    validate_offer(doc)
    assert json.dumps(doc) == before


ADOBE_FALLBACK = Path(__file__).parent / "data" / "adobe_fallback_offer.json"


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "live"])
def test_adobes_documented_fallback_offer_is_valid_and_round_trips(strict):
    doc = json.loads(ADOBE_FALLBACK.read_text())
    report = validate_offer(doc, "fallback", strict=strict)
    assert report.ok, [str(e) for e in report.errors]
    from offer_tui.model.offer import FallbackOffer

    assert FallbackOffer.from_document(doc).to_document() == doc


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "live"])
def test_language_is_optional_and_an_empty_list_only_warns(strict):
    doc = good_offer()
    del doc["representations"][0]["components"][0]["language"]
    assert validate_offer(doc, strict=strict).ok
    doc["representations"][0]["components"][0]["language"] = []
    report = validate_offer(doc, strict=strict)
    assert report.ok
    assert [w.path for w in report.warnings] == ["representations[0].components[0].language"]


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "live"])
def test_end_dates_in_the_past_or_at_midnight_warn(strict):
    doc = good_offer()
    doc["selectionConstraint"]["startDate"] = "2024-01-01T00:00:00.000+00:00"
    doc["selectionConstraint"]["endDate"] = "2024-11-30T18:00:00.000+00:00"  # before NOW
    doc["frequencyCappingConstraints"][0]["endDate"] = "2025-03-01T00:00:00.000+01:00"
    report = validate_offer(doc, strict=strict)
    assert report.ok
    found = {(w.path, w.message.split(":")[0]) for w in report.warnings}
    assert ("selectionConstraint.endDate", "is in the past") in found
    assert ("frequencyCappingConstraints[0].endDate", "ends at 00") in found
    [midnight] = [w for w in report.warnings if w.message.startswith("ends at 00:00")]
    assert "leaves out 2025-03-01" in midnight.message and "2025-03-01T23:59:59.000+01:00" in midnight.message


def test_end_of_day_keeps_the_date_and_offset():
    from offer_tui.model.advice import end_of_day

    assert end_of_day("2025-08-31T00:00:00.000+02:00") == "2025-08-31T23:59:59.000+02:00"
    assert end_of_day("2025-08-31T00:00:00Z") == "2025-08-31T23:59:59.000+00:00"
    assert end_of_day("2025-08-31T00:00:01.000+00:00") is None
    assert end_of_day("nonsense") is None
