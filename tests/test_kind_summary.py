"""Each kind's summary and table cells (service/kind_summary.py, service/kind_columns.py): pure,
the same function for `get` and the library's open pane."""

from __future__ import annotations

from datetime import datetime, timezone

from offer_tui.model.kinds import kind
from offer_tui.model.references import User
from offer_tui.service import kind_columns
from offer_tui.service.kind_summary import object_summary, used_by_lines

DECISION = {"id": "dps:offer-activity:1", "name": "Spring\x1b[2J", "status": "live",
            "startDate": "2026-03-01T00:00:00.000+00:00", "endDate": "2026-04-01T00:00:00.000+00:00",
            "fallback": "dps:fallback-offer:f",
            "criteria": [{"placements": ["dps:offer-placement:a", "dps:offer-placement:b"],
                          "rank": {"order": {"orderEvaluationType": "ranking-strategy", "rankingStrategy": "formula9"}},
                          "profileConstraint": {"profileConstraintType": "eligibilityRule", "eligibilityRule": "dps:eligibility-rule:r"},
                          "optionSelection": {"filter": "dps:offer-collection:c"}}]}
NAMES = {"placements": {"dps:offer-placement:a": "Hero"}, "fallbacks": {"dps:fallback-offer:f": "Default"},
         "rules": {"dps:eligibility-rule:r": "Gold"}, "collections": {"dps:offer-collection:c": "Spring picks"}}
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def test_a_decision_summary_names_every_reference_and_says_what_is_missing():
    summary = object_summary(kind("decisions"), DECISION, NAMES, now=NOW)
    text = "\n".join(summary.text_lines())
    assert summary.title == "Spring"  # terminal-safe: the escape sequence is stripped
    assert "Hero (dps:offer-placement:a)" in text
    assert "dps:offer-placement:b (not in this sandbox)" in text
    assert "Spring picks (dps:offer-collection:c)" in text and "rule Gold (dps:eligibility-rule:r)" in text
    assert "ranking formula formula9" in text and summary.get("fallback") == "Default (dps:fallback-offer:f)"
    assert summary.get("status") == "live (ended 2026-04-01)"


def test_without_names_the_ids_are_shown_bare():
    text = "\n".join(object_summary(kind("decisions"), DECISION, {}, now=NOW).text_lines())
    assert "dps:offer-placement:a" in text and "not in this sandbox" not in text


def test_a_collection_lists_its_tags_by_name_and_used_by_lines_read_like_refs():
    collection = {"id": "c", "name": "C", "filterType": "all-tags", "ids": ["t1", "t2"]}
    summary = object_summary(kind("collections"), collection, {"tags": {"t1": "Summer"}})
    assert summary.get("selects") == "all of these tags" and summary.get("tags") == "2"
    text = "\n".join(summary.text_lines())
    assert "Summer (t1)" in text and "t2 (not in this sandbox)" in text
    lines = used_by_lines([User("decisions", "dps:offer-activity:1", "Spring", ("criteria[0].optionSelection.filter",))])
    assert lines[0].value == "1" and "decision Spring (dps:offer-activity:1)" in lines[1].value
    assert used_by_lines([])[0].value == "nothing"


def test_each_kinds_columns():
    assert kind_columns.headers(kind("decisions")) == ("name", "status", "start-end", "placements", "fallback", "id")
    row = kind_columns.row(kind("decisions"), DECISION)
    assert row[:5] == ("Spring", "live", "2026-03-01..2026-04-01", "2", "dps:fallback-offer:f")
    named = kind_columns.Context(names={"placements": {"dps:offer-placement:a": "Hero", "dps:offer-placement:b": "Side"},
                                        "fallbacks": {"dps:fallback-offer:f": "Default"}})
    assert kind_columns.row(kind("decisions"), DECISION, named)[3:5] == ("Hero, Side", "Default")
    placement = {"name": "P", "channel": "https://ns.adobe.com/xdm/channel-types/email", "componentType": "html", "id": "p"}
    assert kind_columns.row(kind("placements"), placement) == ("P", "email", "html", "p")
    selects = kind_columns.Context(selects={"c": 7})
    assert kind_columns.row(kind("collections"), {"id": "c", "name": "C", "filterType": "any-tags"}, selects) == \
        ("C", "any-tags", "7", "c")
