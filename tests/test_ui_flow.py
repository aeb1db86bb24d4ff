"""Pilot tests: the whole wizard against the demo API, asserting the JSON the API received."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input, Select, TextArea

from offer_tui.demo import DemoServer, demo_settings
from offer_tui.model import CHANNEL_PREFIX
from offer_tui.ui.screens.success import SuccessScreen
from offer_tui.ui.steps.capping import CappingStep
from offer_tui.ui.steps.constraints import ConstraintsStep
from offer_tui.ui.steps.representations import RepresentationsStep
from offer_tui.ui.widgets.choice import Choice
from offer_tui.ui.widgets.date_field import DateField
from test_ui_helpers import SIZE_WIDE, check, make_app, pick, press, settle, type_in, write_area

HERO = "dps:offer-placement:1a2b3c4d5e6f7081"  # web, html
EMAIL_IMAGE = "dps:offer-placement:1a2b3c4d5e6f7086"  # email, imagelink
GOLD_RULE = "dps:eligibility-rule:19af09a9ae45a8d3"


def created_bodies(server: DemoServer) -> list[tuple[str, dict]]:
    return [(o["offer_type"], o["body"]) for o in server.offers.values()]


def posts(server: DemoServer) -> list[dict]:
    return [r for r in server.received if r["method"] == "POST" and r["path"].endswith("/offers")]


async def test_fresh_start_focuses_the_name_and_titles_offer_tui(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        assert app.focused is app.wizard.query_one("#name", Input)
        assert "offer-tui" in app.title
        assert app.wizard.current == "basics"


async def test_personalized_offer_with_two_representations_rule_and_cap(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        # 1 Basics: typed key by key, like a user.
        await pilot.press(*"Summer sale")
        await type_in(pilot, wizard.query_one("#description", Input), "20% off for gold members")
        await pilot.press("f4")
        await settle(pilot)
        assert wizard.current == "representations"

        # 2 Representations: a web HTML one, then an email image link.
        reps = wizard.query_one(RepresentationsStep)
        first = reps.editors()[0]
        await pick(pilot, first.picker.select, HERO)
        comp = first.components()[0]
        await type_in(pilot, comp.query_one(".comp-language", Input), "en-us, fr-fr")
        await write_area(pilot, comp.query_one(".comp-content", TextArea), "<p>Hello, 20% off</p>")
        await press(pilot, reps.query_one("#add-representation", Button))
        second = reps.editors()[1]
        await pick(pilot, second.query_one(".rep-channel", Select), CHANNEL_PREFIX + "email")
        await settle(pilot)
        await pick(pilot, second.picker.select, EMAIL_IMAGE)
        await settle(pilot)
        image = second.components()[0]
        assert image.component_type == "imagelink"  # preset from componentType
        assert image.query_one(".comp-format", Input).value == "image/png"
        await type_in(pilot, image.query_one(".comp-deliveryURL", Input), "https://cdn.example.com/sale.png")
        await type_in(pilot, image.query_one(".comp-linkURL", Input), "https://shop.example.com/sale")
        await pilot.press("f4")
        await settle(pilot)

        # 3 Constraints: dates in the short forms, an eligibility rule, a priority.
        constraints = wizard.query_one(ConstraintsStep)
        assert wizard.current == "constraints"
        await type_in(pilot, constraints.query_one("#start-date", DateField).input, "2025-06-01")
        await type_in(pilot, constraints.query_one("#end-date", DateField).input, "2025-08-31 18:30")
        assert "2025-08-31T18:30:00.000+00:00" in str(
            constraints.query_one("#end-date").query_one(".date-sent").render()
        )
        await pick(pilot, constraints.query_one("#profile-type", Select), "eligibilityRule")
        await settle(pilot)
        await pick(pilot, constraints.query_one("#rule-picker").query_one(".rule-select", Select), GOLD_RULE)
        await type_in(pilot, constraints.query_one("#priority", Input), "5")
        await pilot.press("f4")
        await settle(pilot)

        # 4 Capping: one frequency cap that resets weekly.
        capping = wizard.query_one(CappingStep)
        await press(pilot, capping.query_one("#add-cap", Button))
        cap = capping.editors()[0]
        await type_in(pilot, cap.query_one(".cap-limit", Input), "3")
        await pick(pilot, cap.query_one(".cap-scope", Select), "profile")
        await check(pilot, cap.query_one(".cap-repeat-enabled", Checkbox), True)
        await pick(pilot, cap.query_one(".cap-unit", Select), "week")
        await pilot.press("f4")
        await settle(pilot)
        assert wizard.current == "review"
        assert wizard.report.ok, wizard.report.errors

        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)

    [(offer_type, body)] = created_bodies(server)
    assert offer_type == "personalized"
    assert body["name"] == "Summer sale"
    assert list(body)[:3] == ["name", "description", "status"]
    assert [r["placement"] for r in body["representations"]] == [HERO, EMAIL_IMAGE]
    assert body["representations"][0]["components"] == [
        {"type": "html", "format": "text/html", "language": ["en-us", "fr-fr"], "content": "<p>Hello, 20% off</p>"}
    ]
    assert body["representations"][1] == {
        "channel": CHANNEL_PREFIX + "email",
        "placement": EMAIL_IMAGE,
        "components": [{
            "type": "imagelink", "format": "image/png", "language": ["en-us"],
            "deliveryURL": "https://cdn.example.com/sale.png", "linkURL": "https://shop.example.com/sale",
        }],
    }
    assert body["selectionConstraint"] == {
        "startDate": "2025-06-01T00:00:00.000+00:00",
        "endDate": "2025-08-31T18:30:00.000+00:00",
        "profileConstraintType": "eligibilityRule",
        "eligibilityRule": GOLD_RULE,
    }
    assert body["rank"] == {"priority": 5}
    assert body["cappingConstraint"] == {}
    assert body["frequencyCappingConstraints"] == [{
        "enabled": True, "limit": 3, "scope": "profile", "entity": "offer",
        "repeat": {"enabled": True, "unit": "week", "unitCount": 1},
    }]
    # The draft is gone after a successful submit.
    assert list((tmp_path / "state" / "drafts").glob("*.json")) == []


async def test_fallback_offer_has_a_window_and_priority_but_no_eligibility_or_capping(server, tmp_path):
    app = make_app(demo_settings(server), tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        wizard = app.wizard
        await type_in(pilot, wizard.query_one("#name", Input), "Default banner")
        await pick(pilot, wizard.query_one("#offer-type", Choice), "fallback")
        await pick(pilot, wizard.query_one("#status", Choice), "approved")
        await pilot.press("f4")
        await settle(pilot)
        reps = wizard.query_one(RepresentationsStep)
        editor = reps.editors()[0]
        await pick(pilot, editor.picker.select, HERO)
        await write_area(pilot, editor.components()[0].query_one(".comp-content", TextArea), "<b>Welcome</b>")
        await pilot.press("f4")
        await settle(pilot)
        assert wizard.current == "constraints"  # dates and priority, like Adobe's documented fallback
        constraints = wizard.query_one(ConstraintsStep)
        assert not constraints.query_one(".profile-row").display  # a fallback has no eligibility
        await type_in(pilot, constraints.query_one("#start-date", DateField).input, "2022-06-10 00:30")
        await type_in(pilot, constraints.query_one("#end-date", DateField).input, "2032-06-06")
        await type_in(pilot, constraints.query_one("#priority", Input), "1")
        await pilot.press("f4")
        await settle(pilot)
        assert wizard.current == "review"  # capping skipped
        assert "Capping" not in str(wizard.query_one("#step-indicator").render())
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SuccessScreen)
    [(offer_type, body)] = created_bodies(server)
    assert offer_type == "fallback"
    assert posts(server)[0]["query"].get("offer-type") in ("fallback", ["fallback"])
    assert body == {
        "name": "Default banner",
        "status": "approved",
        "representations": [{
            "channel": CHANNEL_PREFIX + "web",
            "placement": HERO,
            "components": [{"type": "html", "format": "text/html", "language": ["en-us"], "content": "<b>Welcome</b>"}],
        }],
        "selectionConstraint": {"startDate": "2022-06-10T00:30:00.000+00:00",
                                "endDate": "2032-06-06T00:00:00.000+00:00", "profileConstraintType": "none"},
        "rank": {"priority": 1},
    }
