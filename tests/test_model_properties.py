"""Property tests: valid offers round-trip; arbitrary junk never crashes validation."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from offer_tui.model import PersonalizedOffer, to_json, validate_offer

CHANNELS = ["web", "email", "offline"]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
dates = st.sampled_from(
    ["2022-07-27T05:00:00.000+00:00", "2023-01-01T00:00:00Z", "2024-02-29T23:59:59.123456+05:30"]
)
extra = st.dictionaries(st.sampled_from(["x-a", "zzz", "_meta"]), st.integers() | st.booleans() | text, max_size=2)


@st.composite
def components(draw):
    kind = draw(st.sampled_from(["html", "json", "imagelink", "text"]))
    comp = {"type": kind, "language": draw(st.lists(st.sampled_from(["en-us", "fr", "pt-BR"]), min_size=1, max_size=2, unique=True))}
    if kind == "html":
        comp.update(format="text/html", content=draw(text).strip() or "x")
    elif kind == "json":
        comp.update(format="application/json", content=json.dumps({"k": draw(text)}))
    elif kind == "text":
        comp.update(format="text/plain", content=draw(text).strip() or "x")
    else:
        comp.update(format=draw(st.sampled_from(["image/png", "image/jpeg"])), deliveryURL="https://cdn.example.com/i.png")
    comp.update(draw(extra))
    keys = draw(st.permutations(list(comp)))
    return {k: comp[k] for k in keys}


@st.composite
def offers(draw):
    n = draw(st.integers(1, 3))
    reps = [
        {
            "channel": "https://ns.adobe.com/xdm/channel-types/" + draw(st.sampled_from(CHANNELS)),
            "placement": f"dps:offer-placement:{i}",
            "components": draw(st.lists(components(), min_size=1, max_size=2)),
        }
        for i in range(n)
    ]
    doc = {
        "name": draw(text).strip() or "offer",
        "status": draw(st.sampled_from(["draft", "approved"])),
        "representations": reps,
        "selectionConstraint": {"startDate": draw(dates), "profileConstraintType": "none"},
        "rank": {"priority": draw(st.integers(0, 10_000))},
        **draw(extra),
    }
    keys = draw(st.permutations(list(doc)))
    return {k: doc[k] for k in keys}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offers())
def test_valid_offers_round_trip_exactly(doc):
    assert validate_offer(doc).ok, validate_offer(doc).errors
    assert to_json(PersonalizedOffer.from_document(doc).to_document()) == to_json(doc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=25,
)
offer_keys = st.sampled_from(
    ["name", "status", "representations", "selectionConstraint", "rank", "cappingConstraint",
     "frequencyCappingConstraints", "tags", "characteristics", "channel", "components", "startDate"]
)
junk_offers = st.recursive(
    st.dictionaries(offer_keys, json_values, max_size=6),
    lambda inner: st.dictionaries(offer_keys, inner | st.lists(inner, max_size=3) | json_values, max_size=6),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values | junk_offers, st.sampled_from(["personalized", "fallback"]))
def test_junk_yields_validation_errors_never_exceptions(junk, offer_type):
    report = validate_offer(junk, offer_type)
    if not (isinstance(junk, dict) and {"name", "representations"} <= set(junk)):
        assert not report.ok
    for issue in report:
        assert isinstance(issue.path, str) and issue.message and "\n" not in issue.message


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk_offers | offers(), st.sampled_from(["personalized", "fallback"]))
@example(
    {"name": "a", "representations": [], "tags": [1] * 21,
     "frequencyCappingConstraints": [{"enabled": True, "limit": 0, "scope": "global", "entity": "offer"}] * 11},
    "personalized",
)
@example({"name": None, "representations": None, "selectionConstraint": None, "rank": {"priority": None}}, "fallback")
def test_the_live_checks_say_exactly_what_the_strict_models_say(doc, offer_type):
    """The shape rules (no pydantic) must say exactly what the strict models say: every check
    (the wizard's, submit's, `validate`'s) relies on it and runs the shape rules alone.
    """
    strict = validate_offer(doc, offer_type, strict=True)
    live = validate_offer(doc, offer_type, strict=False)
    assert [str(e) for e in live.errors] == [str(e) for e in strict.errors]
    assert [str(w) for w in live.warnings] == [str(w) for w in strict.warnings]
