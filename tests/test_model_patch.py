"""Edits as JSON Patch: the diff, its readable lines, conflicts, re-applying; plus a property test."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from offer_tui.demo.patch import apply_patch as demo_apply
from offer_tui.model import validate_offer
from offer_tui.model.patch import (
    MISSING,
    PatchApplyError,
    apply_edit,
    make_edit_patch,
    patch_lines,
    reapply,
    resolve,
    same,
    server_changes,
    short_value,
)

FETCHED = {
    "name": "Winter sale 20% (web)",
    "status": "draft",
    "representations": [
        {"channel": "https://ns.adobe.com/xdm/channel-types/web", "placement": "dps:offer-placement:1",
         "components": [{"type": "html", "format": "text/html", "language": ["en-us"], "content": "<p>20%</p>"}]},
    ],
    "selectionConstraint": {"startDate": "2024-12-01T00:00:00.000Z", "profileConstraintType": "none"},
    "rank": {"priority": 5},
    "tags": ["dps:offer-tag:a", "dps:offer-tag:b"],
    "id": "dps:personalized-offer:abc",
    "etag": 3,
    "modified": "2024-12-02T10:00:00.000Z",
    "schemas": ["https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"],
}


def canonical(doc) -> str:
    """JSON text with sorted keys: 1 and 1.0, true and 1, "a" and "a " all differ."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False)


def test_no_change_is_an_empty_patch_even_with_server_fields_on_one_side():
    body = {k: v for k, v in FETCHED.items() if k not in ("id", "etag", "modified", "schemas")}
    assert make_edit_patch(FETCHED, body) == []
    assert make_edit_patch(body, FETCHED) == []


def test_only_changed_fields_become_operations():
    edited = copy.deepcopy(FETCHED)
    edited["status"] = "approved"
    edited["rank"]["priority"] = 7
    edited["description"] = "New text"
    del edited["selectionConstraint"]["profileConstraintType"]
    edited["representations"][0]["components"][0]["content"] = "<p>25%</p>"
    ops = make_edit_patch(FETCHED, edited)
    assert ops == [
        {"op": "replace", "path": "/status", "value": "approved"},
        {"op": "replace", "path": "/representations/0/components/0/content", "value": "<p>25%</p>"},
        {"op": "remove", "path": "/selectionConstraint/profileConstraintType"},
        {"op": "replace", "path": "/rank/priority", "value": 7},
        {"op": "add", "path": "/description", "value": "New text"},
    ]
    assert same(apply_edit(FETCHED, ops), edited)


def test_an_array_whose_length_changed_is_replaced_whole():
    edited = copy.deepcopy(FETCHED)
    edited["tags"] = ["dps:offer-tag:b"]  # the first element removed: indices would shift
    assert make_edit_patch(FETCHED, edited) == [{"op": "replace", "path": "/tags", "value": ["dps:offer-tag:b"]}]
    edited["representations"][0]["components"][0]["language"] = ["en-us", "fr"]
    ops = make_edit_patch(FETCHED, edited)
    assert {"op": "replace", "path": "/representations/0/components/0/language", "value": ["en-us", "fr"]} in ops
    assert all(op["op"] in ("add", "replace", "remove") for op in ops)


def test_types_matter_int_float_bool_and_keys_are_escaped():
    before = {"name": "x", "a/b": 1, "t~": True, "n": 1}
    after = {"name": "x", "a/b": 1.0, "t~": 1, "n": 1}
    ops = make_edit_patch(before, after)
    assert ops == [{"op": "replace", "path": "/a~1b", "value": 1.0}, {"op": "replace", "path": "/t~0", "value": 1}]
    result = apply_edit(before, ops)
    assert canonical(result) == canonical(after)


def test_apply_leaves_the_input_alone_and_reports_ops_that_do_not_apply():
    doc = copy.deepcopy(FETCHED)
    apply_edit(doc, [{"op": "replace", "path": "/rank/priority", "value": 1}])
    assert doc == FETCHED
    try:
        apply_edit(doc, [{"op": "replace", "path": "/nope/deeper", "value": 1}])
    except PatchApplyError as exc:
        assert "nope" in str(exc) or str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected PatchApplyError")


def test_readable_lines_show_op_path_old_and_new_safely():
    edited = copy.deepcopy(FETCHED)
    edited["status"] = "approved"
    edited["description"] = "\x1b]52;c;aGk=\x07evil" + "x" * 200
    del edited["rank"]
    lines = patch_lines(make_edit_patch(FETCHED, edited), FETCHED)
    assert 'replace /status: "draft" -> "approved"' in lines
    assert 'remove /rank: {"priority": 5} -> (none)' in lines
    added = next(line for line in lines if line.startswith("add /description"))
    # JSON escapes show the control characters as text; none reaches the terminal raw.
    assert added.startswith('add /description: (none) -> "\\u001b]52;c;aGk=\\u0007evil') and added.endswith("...")
    assert "\x1b" not in added and "\x07" not in added and len(added) < 100


def test_short_value_and_resolve():
    assert short_value(MISSING) == "(none)"
    assert short_value("a\nb") == '"a\\nb"'
    assert resolve(FETCHED, "/representations/0/components/0/language/0") == "en-us"
    assert resolve(FETCHED, "/representations/5") is MISSING
    assert resolve(FETCHED, "nope") is MISSING


def test_server_changes_say_what_someone_else_did():
    fresh = copy.deepcopy(FETCHED)
    fresh.update(etag=4, status="approved", modified="2024-12-03T00:00:00.000Z")
    changes = server_changes(FETCHED, fresh)
    assert changes.changed and (changes.opened_etag, changes.server_etag) == (3, 4)
    assert changes.lines == ['replace /status: "draft" -> "approved"']
    assert "etag 3 -> 4" in changes.summary
    unchanged = server_changes(FETCHED, copy.deepcopy(FETCHED))
    assert not unchanged.changed and unchanged.lines == []
    # Same content, new etag: still a change the user must hear about.
    assert server_changes(FETCHED, dict(FETCHED, etag=9)).changed
    # The etag the user opened can be given on its own (the opened copy may be a body).
    assert server_changes({k: v for k, v in FETCHED.items() if k != "etag"}, FETCHED, opened_etag=2).changed


def test_reapply_keeps_the_servers_change_and_applies_the_users_elsewhere():
    mine = copy.deepcopy(FETCHED)
    mine["rank"]["priority"] = 9
    mine["status"] = "archived"
    user_ops = make_edit_patch(FETCHED, mine)
    fresh = copy.deepcopy(FETCHED)
    fresh.update(etag=4, status="approved", description="added by a colleague")
    result = reapply(user_ops, FETCHED, fresh)
    assert result.doc["rank"]["priority"] == 9
    assert result.doc["status"] == "approved"  # theirs kept: never overwritten silently
    assert result.doc["description"] == "added by a colleague"
    assert [op["path"] for op, _ in result.skipped] == ["/status"]
    assert 'the server changed it too (now "approved")' in result.lines[0]
    assert result.ops == [{"op": "replace", "path": "/rank/priority", "value": 9}]


def test_reapply_reports_ops_whose_path_is_gone():
    mine = copy.deepcopy(FETCHED)
    mine["representations"][0]["components"][0]["content"] = "<p>30%</p>"
    user_ops = make_edit_patch(FETCHED, mine)
    fresh = copy.deepcopy(FETCHED)
    fresh["representations"] = []
    result = reapply(user_ops, FETCHED, fresh)
    assert result.ops == [] and len(result.skipped) == 1
    assert result.doc["representations"] == []


def test_reapply_reports_an_op_that_cannot_apply_even_where_nobody_else_changed_it():
    result = reapply([{"op": "remove", "path": "/nothing-here"}], FETCHED, FETCHED)
    assert result.ops == [] and "no longer applies" in result.lines[0]


# -- the property --------------------------------------------------------------

CHANNELS = ["web", "email", "mobile"]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8)
dates = st.sampled_from(["2022-07-27T05:00:00.000+00:00", "2023-01-01T00:00:00Z", "2024-02-29T23:59:59.123456+05:30",
                         "2023-01-01T00:00:00.000Z", "2023-01-01T00:00:00+00:00"])
end_dates = st.sampled_from(["2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000Z", "2031-06-30T12:00:00.5+02:00"])
# Values that are equal in Python but not in JSON (1, 1.0, True) are the likeliest diff bug.
extra_values = st.sampled_from([0, 1, 1.0, 0.0, True, False, "1", None, -0.0]) | st.integers(-5, 5) | text
twins = st.sampled_from([0, 1, True, False, 1.0, 0.0, "1"])
extra = st.dictionaries(st.sampled_from(["x-a", "a/b", "t~0", "_meta"]), extra_values, max_size=2)


@st.composite
def components(draw):
    kind = draw(st.sampled_from(["html", "json", "text"]))
    comp = {"type": kind, "language": draw(st.lists(st.sampled_from(["en-us", "fr", "pt-BR"]), min_size=1, max_size=3, unique=True))}
    if kind == "html":
        comp.update(format="text/html", content=draw(text).strip() or "x")
    elif kind == "json":
        comp.update(format="application/json", content=json.dumps({"k": draw(text)}))
    else:
        comp.update(format="text/plain", content=draw(text).strip() or "x")
    comp.update(draw(extra))
    return comp


@st.composite
def offers(draw):
    reps = [
        {"channel": "https://ns.adobe.com/xdm/channel-types/" + draw(st.sampled_from(CHANNELS)),
         "placement": f"dps:offer-placement:{i}",
         "components": draw(st.lists(components(), min_size=1, max_size=2))}
        for i in range(draw(st.integers(1, 3)))
    ]
    constraint = {"startDate": draw(dates), "profileConstraintType": "none"}
    if draw(st.booleans()):
        constraint["endDate"] = draw(end_dates)
    doc = {"name": draw(text).strip() or "offer", "representations": reps, "selectionConstraint": constraint}
    optional = {
        "status": st.sampled_from(["draft", "approved", "archived"]),
        "description": text,
        "rank": st.builds(lambda p: {"priority": p}, st.integers(0, 10_000)),
        "tags": st.lists(st.sampled_from([f"dps:offer-tag:{i}" for i in range(5)]), max_size=4, unique=True),
        "characteristics": st.dictionaries(st.sampled_from(["a", "b", "c/d"]), text, max_size=3),
        "cappingConstraint": st.builds(lambda g: {"globalCap": g}, st.integers(1, 100)),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            doc[key] = draw(strategy)
    doc.update(draw(extra))
    keys = draw(st.permutations(list(doc)))
    return {k: doc[k] for k in keys}


@st.composite
def offer_pairs(draw):
    first = draw(offers())
    other = draw(offers())
    if draw(st.booleans()):
        return first, other  # unrelated offers
    # An edit: each top-level field kept, taken from another offer, or dropped (if optional).
    second = {}
    for key in dict.fromkeys([*first, *other]):
        choice = draw(st.sampled_from(["first", "other", "drop"]))
        if key in ("name", "representations", "selectionConstraint") and choice == "drop":
            choice = "first"
        source = first if choice == "first" else other if choice == "other" else {}
        if key in source:
            second[key] = copy.deepcopy(source[key])
        elif key in first and choice != "drop":
            second[key] = copy.deepcopy(first[key])
    # Values equal in Python but not in JSON, at the top and deep inside an array.
    first["x-twin"], second["x-twin"] = draw(twins), draw(twins)
    if same(first["representations"], second["representations"]):
        first["representations"][0]["components"][0]["x-twin"] = draw(twins)
        second["representations"][0]["components"][0]["x-twin"] = draw(twins)
    return first, second


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(offer_pairs())
def test_applying_the_patch_gives_the_edited_offer_exactly(pair):
    first, second = pair
    assume(validate_offer(first).ok and validate_offer(second).ok)
    ops = make_edit_patch(first, second)
    assert all(op["op"] in ("add", "replace", "remove") for op in ops)
    for op in ops:  # no index path into an array whose length changed
        tokens = op["path"].split("/")[1:]
        for depth in range(len(tokens) - 1):
            parent = "/" + "/".join(tokens[: depth + 1])
            a, b = resolve(first, parent), resolve(second, parent)
            if isinstance(a, list) or isinstance(b, list):
                assert isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
    with_library = apply_edit(first, ops)
    with_demo = demo_apply(first, ops) if ops else copy.deepcopy(first)
    assert canonical(with_library) == canonical(second)
    assert canonical(with_demo) == canonical(second)
    assert same(with_library, second) and same(with_demo, second)
    assert (ops == []) == same(first, second)
