"""The decision preview over loopback: the request as documented, the demo's evaluator, the service's
"why not the others", retries and errors (issue 16)."""

from __future__ import annotations

import json

import httpx
import pytest

from offer_tui.api import ApiError, OfferClient
from offer_tui.api.preview import (
    ACCEPT,
    CONTENT_TYPE,
    DecisionAnswer,
    Identity,
    Option,
    decisions_override,
    decisions_url,
    excerpt,
    request_body,
)
from offer_tui.credentials.profiles import Profile
from offer_tui.demo import demo_settings
from offer_tui.model.references import selects
from offer_tui.service.preview import PreviewInputError, preview_decision
from preview_support import (
    DECISION,
    DECISION_NAME,
    EXPECTED_WHY_NOT,
    FALLBACK,
    IDS,
    NOW,
    SIDE_RAIL,
    add_side_rail_decision,
    seeded_server,
)

pytestmark = pytest.mark.timeout(60)

JANE = "Email:jane@example.com"
MAX = "Email:max@example.com"
APP_HOME = "dps:offer-activity:4d5e6f7081920002"  # "App home launch": draft offers only
APP_CARD = "dps:offer-placement:1a2b3c4d5e6f7089"
ODS = "/data/core/ods/decisions"

# The documented example of offer-api.md ("Previewing a decision"), with its ids.
DOCUMENTED = {"xdm:propositionRequests": [{"xdm:activityId": "dps:offer-activity:15ded04b1786ea27",
                                           "xdm:placementId": "dps:offer-placement:15d9bc01d35e1238", "xdm:itemCount": 2}],
              "xdm:profiles": [{"xdm:identityMap": {"Email": [{"xdm:id": "example@adobe.com", "primary": True}]}}],
              "xdm:allowDuplicatePropositions": {"xdm:acrossActivities": True, "xdm:acrossPlacements": True},
              "xdm:responseFormat": {"xdm:includeContent": True,
                                     "xdm:includeMetadata": {"xdm:activity": ["name"], "xdm:option": ["name"],
                                                             "xdm:placement": ["name"]}}}


@pytest.fixture
def demo():
    with seeded_server() as server:
        yield server


def client_for(server, **options) -> OfferClient:
    return OfferClient.from_settings(demo_settings(server), backoff_base=0.01, **options)


async def preview(server, decision=DECISION, placement=SIDE_RAIL, identities=(JANE,), **kwargs):
    async with client_for(server) as client:
        return await preview_decision(client, decision, placement, list(identities), now=NOW, **kwargs)


def posts(server) -> list[dict]:
    return [r for r in server.received if r["method"] == "POST" and r["path"] == ODS]


def walk(value, path=""):
    """(path, leaf) for every leaf of a JSON value: a field-by-field comparison names the field."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")
    else:
        yield path, value


# -- the request ------------------------------------------------------------------------------------


def test_the_body_is_the_documented_example_field_by_field():
    body = request_body("dps:offer-activity:15ded04b1786ea27", "dps:offer-placement:15d9bc01d35e1238", 2,
                        [Identity("Email", "example@adobe.com")])
    assert dict(walk(body)) == dict(walk(DOCUMENTED))
    assert list(walk(body)) == list(walk(DOCUMENTED))  # the same order too


def test_dry_run_adds_only_xdm_dry_run_and_more_identities_are_not_primary():
    body = request_body("a", "p", 1, [Identity("Email", "x@y"), Identity("ECID", "123"), Identity("Email", "z@y")],
                        dry_run=True)
    assert body["xdm:dryRun"] is True
    assert {k: v for k, v in body.items() if k != "xdm:dryRun"}.keys() == DOCUMENTED.keys()
    assert body["xdm:profiles"][0]["xdm:identityMap"] == {
        "Email": [{"xdm:id": "x@y", "primary": True}, {"xdm:id": "z@y", "primary": False}],
        "ECID": [{"xdm:id": "123", "primary": False}]}


async def test_the_wire_request_has_the_documented_url_headers_and_body(demo):
    result = await preview(demo, count=2)
    [sent] = posts(demo)
    assert sent["headers"]["content-type"] == CONTENT_TYPE
    assert sent["headers"]["accept"] == ACCEPT
    assert CONTENT_TYPE == ('application/vnd.adobe.xdm+json; schema="https://ns.adobe.com/experience/'
                            'offer-management/decision-request;version=1.0"')
    assert ACCEPT == ('application/vnd.adobe.xdm+json; schema="https://ns.adobe.com/experience/'
                      'offer-management/decision-response;version=1.0"')
    for name in ("x-api-key", "x-gw-ims-org-id", "x-sandbox-name", "authorization"):
        assert sent["headers"][name]
    expected = json.loads(json.dumps(DOCUMENTED))
    expected["xdm:propositionRequests"][0].update({"xdm:activityId": DECISION, "xdm:placementId": SIDE_RAIL})
    expected["xdm:profiles"][0]["xdm:identityMap"] = {"Email": [{"xdm:id": "jane@example.com", "primary": True}]}
    assert list(walk(sent["json"])) == list(walk(expected))
    assert "xdm:dryRun" not in sent["json"]
    assert result.url == demo.url + ODS


async def test_the_count_defaults_to_the_placements_item_count(demo):
    result = await preview(demo)
    assert result.count == 3
    assert posts(demo)[0]["json"]["xdm:propositionRequests"][0]["xdm:itemCount"] == 3


def test_the_url_is_the_dps_bases_sibling_or_the_override(monkeypatch):
    assert decisions_url("https://platform.adobe.io/data/core/dps") == "https://platform.adobe.io/data/core/ods/decisions"
    assert decisions_url("https://platform.adobe.io/data/core/dps/") == "https://platform.adobe.io/data/core/ods/decisions"
    assert decisions_url("https://x/data/core/dps", "https://y/ods/decisions/") == "https://y/ods/decisions"
    with pytest.raises(ApiError, match="not a valid URL"):
        decisions_url("https://x/data/core/dps", "ftp://y")
    profile = Profile("dev", "id", "org", "sb", decisions_endpoint="https://eu.example/data/core/ods/decisions")
    assert decisions_override(profile, {}) == "https://eu.example/data/core/ods/decisions"
    assert decisions_override(profile, {"OFFER_TUI_DECISIONS_ENDPOINT": "https://env/x"}) == "https://env/x"
    assert decisions_override(Profile("dev", "id", "org", "sb"), {}) is None


def test_a_profile_keeps_its_decisions_endpoint_and_an_unset_one_is_not_written():
    profile = Profile("dev", "id", "org", "sb", decisions_endpoint="https://eu.example/ods/decisions")
    assert Profile.from_json("dev", profile.to_json()) == profile
    assert "decisions_endpoint" not in Profile("dev", "id", "org", "sb").to_json()


async def test_the_profiles_decisions_endpoint_is_where_the_preview_goes(demo, monkeypatch):
    from offer_tui.demo import DemoServer

    with DemoServer() as elsewhere:  # another server, which does not know our token
        profile = Profile("dev", "id", "org", "sb", decisions_endpoint=elsewhere.url + ODS)
        with pytest.raises(ApiError) as caught:
            await preview(demo, profile=profile)
        assert caught.value.status == 401  # its answer
        assert posts(demo) == [] and posts(elsewhere)
        monkeypatch.setenv("OFFER_TUI_DECISIONS_ENDPOINT", demo.url + ODS)  # the environment wins
        result = await preview(demo, profile=profile)
        assert result.url == demo.url + ODS and len(posts(demo)) == 1


# -- answers ----------------------------------------------------------------------------------------


async def test_top_offers_in_rank_order_with_scores_ties_by_name(demo):
    result = await preview(demo)
    assert [(o.rank, o.name, o.id, o.score) for o in result.offers] == [
        (1, "Alpha 70", IDS["Alpha 70"], 70.0), (2, "Beta 70", IDS["Beta 70"], 70.0),
        (3, "Gamma 60", IDS["Gamma 60"], 60.0)]
    assert result.fallback is None
    assert result.offers[0].excerpt == "Alpha 70: offer"  # tags dropped, one line
    assert result.offers[0].content == "<p>Alpha 70: <b>offer</b></p>"  # as sent


async def test_every_selected_but_not_returned_offer_has_its_reason(demo):
    result = await preview(demo)
    assert {w.name: w.reason for w in result.why_not} == EXPECTED_WHY_NOT
    # Exactly the offers the collection selects minus the ones returned, each once.
    collection = demo.state.get_object("offer-collections", "dps:offer-collection:5e6f708192a3b4c6")
    selected = {o["id"] for o in selects(collection, demo.state.list_offers("personalized"))}
    assert sorted(w.id for w in result.why_not) == sorted(selected - {o.id for o in result.offers})


async def test_a_rule_that_qualifies_the_identity_lets_its_offer_in(demo):
    result = await preview(demo, identities=(MAX,))
    assert [o.name for o in result.offers] == ["Platinum 99", "Alpha 70", "Beta 70"]
    why = {w.name: w.reason for w in result.why_not}
    assert why["Gamma 60"] == "ranked below (priority 60; count 3, lowest returned 70)"
    assert "Platinum 99" not in why


async def test_a_decision_with_nothing_eligible_returns_its_fallback(demo):
    result = await preview(demo, "App home launch", "App home card")
    assert result.offers == []
    assert (result.fallback.id, result.fallback.name) == ("dps:fallback-offer:1e9d5c0000000018", "Default app card")
    assert {w.name: w.reason for w in result.why_not} == {
        "Winter sale 20% (app)": "status draft", "App-only flash deal": "status draft",
        "Push: weekend bundle": "status draft"}


async def test_a_criterion_rule_nobody_meets_serves_the_fallback_and_says_which_rule(demo):
    result = await preview(demo, "Winter campaign: web and email", "Email body offer block",
                           identities=("Email:nobody@example.com",))
    assert result.fallback is not None and result.offers == []
    assert [(w.name, w.reason) for w in result.why_not] == [
        ("Winter sale 20% (email)", "not eligible (decided by the server: rule Email subscribers)")]
    ok = await preview(demo, "Winter campaign: web and email", "Email body offer block")
    assert [o.name for o in ok.offers] == ["Winter sale 20% (email)"] and ok.why_not == []


async def test_names_and_ids_both_resolve_and_reads_are_one_listing_per_kind(demo):
    await preview(demo, DECISION_NAME, "Product page side rail")
    gets = [r["rel"] for r in demo.received if r["method"] == "GET" and r["rel"] != "/ims/token/v3"]
    assert sorted(gets) == sorted(["/offer-decisions", "/placements", "/offer-collections", "/offers", "/offer-rules"])


async def test_an_ambiguous_decision_name_lists_the_matches_and_sends_nothing(demo):
    add_side_rail_decision(demo, decision_id="dps:offer-activity:5e6f708192a3b4ff")
    with pytest.raises(PreviewInputError) as caught:
        await preview(demo, DECISION_NAME)
    assert sorted(caught.value.matches) == sorted([(DECISION, DECISION_NAME),
                                                   ("dps:offer-activity:5e6f708192a3b4ff", DECISION_NAME)])
    assert posts(demo) == []


async def test_a_duplicated_placement_name_means_the_one_the_decision_uses_else_it_is_ambiguous(demo):
    twin = "dps:offer-placement:99999999999999a1"
    demo.state.add_object("placements", twin, {"name": "Product page side rail", "channel":
                          "https://ns.adobe.com/xdm/channel-types/web", "componentType": "html", "itemCount": 1},
                          created="2026-01-01T00:00:00.000Z", modified="2026-01-01T00:00:00.000Z")
    result = await preview(demo, placement="Product page side rail")
    assert result.placement_id == SIDE_RAIL
    decision = demo.state.raw_object("offer-decisions", DECISION)
    decision["criteria"][0]["placements"].append(twin)
    demo.state.replace_object("offer-decisions", DECISION, decision)
    with pytest.raises(PreviewInputError, match="2 placements are named 'Product page side rail'") as caught:
        await preview(demo, placement="Product page side rail")
    assert sorted(i for i, _ in caught.value.matches) == sorted([SIDE_RAIL, twin])


async def test_a_placement_the_decision_does_not_use_is_refused_before_sending(demo):
    with pytest.raises(PreviewInputError, match="does not use the placement") as caught:
        await preview(demo, placement="Homepage hero banner")
    assert "Product page side rail" in caught.value.hint
    assert posts(demo) == []


async def test_an_unknown_decision_says_so(demo):
    with pytest.raises(PreviewInputError, match="No decision has the id or the exact name 'Nope'"):
        await preview(demo, "Nope")


# -- retries and errors -----------------------------------------------------------------------------


async def test_429_is_retried_like_a_read(demo):
    demo.rate_limit_next(times=2, retry_after=0, path_prefix=ODS)
    result = await preview(demo)
    assert [o.name for o in result.offers] == ["Alpha 70", "Beta 70", "Gamma 60"]
    assert [r["status"] for r in posts(demo)] == [429, 429, 200]


async def test_a_500_is_a_refusal_not_an_unknown_outcome(demo):
    demo.fail_next(500, times=10, path_prefix=ODS)
    with pytest.raises(ApiError) as caught:
        await preview(demo)
    assert caught.value.status == 500 and not caught.value.outcome_unknown


@pytest.mark.parametrize("body, status, words", [
    ({"xdm:propositionRequests": []}, 400, "xdm:propositionRequests"),
    ({**DOCUMENTED, "xdm:profiles": []}, 400, "exactly one profile"),
    (DOCUMENTED, 404, "Decision 'dps:offer-activity:15ded04b1786ea27' not found"),
])
def test_the_demo_refuses_in_the_documented_shapes(demo, body, status, words):
    token = demo.issue_token()
    headers = {"Authorization": f"Bearer {token}", "x-api-key": "demo-client-id-0000",
               "x-gw-ims-org-id": "DEMO0000000000000000000@AdobeOrg", "x-sandbox-name": "demo-sandbox",
               "Content-Type": CONTENT_TYPE}
    answer = httpx.post(demo.url + ODS, json=body, headers=headers)
    assert answer.status_code == status
    assert words in answer.json()["detail"] and answer.json()["status"] == status


def test_the_demo_refuses_a_placement_the_decision_does_not_use_with_422_and_a_bad_content_type(demo):
    token = demo.issue_token()
    headers = {"Authorization": f"Bearer {token}", "x-api-key": "demo-client-id-0000",
               "x-gw-ims-org-id": "DEMO0000000000000000000@AdobeOrg", "x-sandbox-name": "demo-sandbox",
               "Content-Type": CONTENT_TYPE}
    body = request_body(DECISION, "dps:offer-placement:1a2b3c4d5e6f7081", 1, [Identity("Email", "x")])
    assert httpx.post(demo.url + ODS, json=body, headers=headers).status_code == 422
    body = request_body(DECISION, SIDE_RAIL, 1, [Identity("Email", "x")])
    plain = httpx.post(demo.url + ODS, json=body, headers={**headers, "Content-Type": "application/json"})
    assert plain.status_code == 400 and "content-type" in plain.json()["detail"]
    assert httpx.post(demo.url + ODS, json=body, headers={**headers, "Authorization": ""}).status_code == 403


def test_answers_parse_leniently_and_excerpts_are_terminal_safe():
    answer = DecisionAnswer.parse({"xdm:propositions": [
        {"xdm:activity": {"xdm:id": "a"}, "xdm:placement": {"xdm:id": "p"},
         "xdm:options": [{"xdm:id": "o1", "xdm:score": 45.65, "xdm:content": "<b>\x1b]52;c;aGk=\x07Hi\x1b[2J</b>"},
                         {"no": "id"}, "junk", {"xdm:id": "o2", "xdm:score": "high", "xdm:content": {"k": 1}}]},
        {"xdm:activity": {"xdm:id": "a"}, "xdm:placement": {"xdm:id": "q"},
         "xdm:fallback": {"xdm:id": "f", "xdm:name": "Fallback"}}, 7]})
    first = answer.for_request("a", "p")
    assert [o.id for o in first.options] == ["o1", "o2"]
    assert first.options[0].score == 45.65 and first.options[1].score is None
    assert excerpt(first.options[0]) == "Hi"
    assert first.options[1].content == '{"k": 1}'
    assert answer.for_request("a", "q").fallback == Option("f", name="Fallback")
    assert answer.for_request("x", "y") is None
    assert excerpt(Option("x", content="y" * 100), limit=10) == "y" * 9 + "…"
