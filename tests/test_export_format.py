"""The file form of objects (pure): references by name, key order, server fields, file names."""

from __future__ import annotations

import json

import pytest

from offer_tui.sync.fileform import (
    dumps,
    file_stem,
    map_references,
    parse_ref,
    safe_stem,
    shape_problems,
    strip_server,
    to_file_form,
)
from offer_tui.sync.plan import CREATE, UNCHANGED, UPDATE, compute_plan
from offer_tui.sync.folder import FileObject, Folder


def test_server_fields_of_every_kind_are_dropped():
    body = {"name": "T", "id": "x", "etag": 3, "created": "c", "modified": "m", "createdBy": "a",
            "lastModifiedBy": "b", "schemas": [], "sandboxId": "s", "createdByClientId": "c1",
            "lastModifiedByClientId": "c2", "someOtherClientId": "c3", "_links": {}, "createdDate": "d",
            "lastModifiedDate": "e", "description": "kept"}
    assert strip_server(body) == {"name": "T", "description": "kept"}


def test_keys_come_in_a_stable_order_whatever_the_server_sends():
    a = {"z": 1, "status": "draft", "name": "N", "b": {"y": 1, "x": 2}, "description": "d"}
    b = {"b": {"x": 2, "y": 1}, "description": "d", "name": "N", "z": 1, "status": "draft"}
    assert dumps(a) == dumps(b)
    assert list(json.loads(dumps(a))) == ["name", "description", "status", "b", "z"]
    assert dumps(a).endswith(b"}\n") and b'\n  "name": "N",' in dumps(a)


def test_references_become_names_and_unknown_ids_are_kept_and_said():
    decision = {"name": "D", "id": "dps:offer-activity:1", "fallback": "fb1",
                "criteria": [{"placements": ["p1", "p2"], "optionSelection": {"filter": "c1"},
                              "profileConstraint": {"profileConstraintType": "eligibilityRule", "eligibilityRule": "r1"}}]}
    names = {("placements", "p1"): "Hero", ("collections", "c1"): "Winter", ("rules", "r1"): "Gold",
             ("fallbacks", "fb1"): "Default"}
    doc, notes = to_file_form("decisions", decision, lambda k, i: names.get((k, i)))
    c = doc["criteria"][0]
    assert c["placements"] == ["@placements/Hero", "p2"]
    assert c["optionSelection"]["filter"] == "@collections/Winter"
    assert c["profileConstraint"]["eligibilityRule"] == "@rules/Gold" and doc["fallback"] == "@fallbacks/Default"
    assert notes == ["criteria[0].placements[1]: placement p2 is not in the source sandbox; kept as an id"]
    assert "id" not in doc and decision["criteria"][0]["placements"] == ["p1", "p2"]  # the input is untouched


def test_a_collections_ids_follow_its_filter_type():
    seen = []
    map_references("collections", {"filterType": "offers", "ids": ["o1"]}, lambda k, v, p: seen.append(k))
    map_references("collections", {"filterType": "all-tags", "ids": ["t1"]}, lambda k, v, p: seen.append(k))
    map_references("collections", {"filterType": "???", "ids": ["t1"]}, lambda k, v, p: seen.append(k))
    assert seen == ["offers", "tags"]


@pytest.mark.parametrize("value, parsed", [
    ("@placements/Homepage banner", ("placements", "Homepage banner")),
    ("@collections/A/B", ("collections", "A/B")),
    ("@nonsense/X", None), ("@tags/", None), ("dps:offer-tag:1", None), (3, None),
])
def test_parse_ref(value, parsed):
    assert parse_ref(value) == parsed


@pytest.mark.parametrize("name, stem", [
    ("Winter sale 20% (web)", "Winter sale 20% (web)"),
    ("A/B", "A_B"), ("a\\b:c*d?e\"f<g>h|i", "a_b_c_d_e_f_g_h_i"), ("CON", "_CON"), ("nul.txt", "_nul.txt"),
    ("Trailing. ", "Trailing"), (".hidden", "_hidden"), ("", "_"), ("tab\there", "tab_here"),
    ("bidi\u202eevil", "bidi_evil"), ("x" * 300, "x" * 150),
])
def test_safe_stems_work_on_every_file_system(name, stem):
    assert safe_stem(name) == stem


def test_a_lossy_name_gets_a_hash_so_two_never_share_a_file():
    assert file_stem("Plain name") == "Plain name"
    assert file_stem("A/B") != file_stem("A:B") and file_stem("A/B").startswith("A_B~")
    assert file_stem("A/B") == file_stem("A/B")  # the same every time: re-exports find their file


def test_shape_problems_name_the_field():
    assert shape_problems("tags", []) == [("", "expected a JSON object")]
    assert ("name", "is required (names are what plan matches objects by)") in shape_problems("tags", {"name": " "})
    assert shape_problems("decisions", {"name": "D", "status": "on"})[0][0] == "status"
    assert {p for p, _ in shape_problems("collections", {"name": "C", "ids": "x"})} == {"filterType", "ids"}
    assert shape_problems("tags", {"name": "T", "id": "x"}) == [("id", "is a server field; remove it (plan matches by name)")]


def _folder(*objects):
    folder = Folder(root=None)  # type: ignore[arg-type]
    folder.objects = [FileObject(k, d["name"], f"{k}/{d['name']}.json", d) for k, d in objects]
    folder.kinds = {k: None for k, _ in objects}
    folder.index()
    return folder


def test_plan_creates_updates_and_leaves_alone_and_refs_to_new_objects_wait_for_their_id():
    folder = _folder(("tags", {"name": "Old"}), ("tags", {"name": "Changed", "description": "new"}),
                     ("tags", {"name": "New"}),
                     ("collections", {"name": "C", "filterType": "any-tags", "ids": ["@tags/Old", "@tags/New"]}))
    target = {"tags": [{"name": "Old", "id": "t1", "etag": 1}, {"name": "Changed", "id": "t2", "etag": 4,
                                                                "description": "old"}],
              "collections": []}
    plan = compute_plan(folder, target)
    assert plan.problems == []
    actions = {(a.kind, a.name): a for a in plan.actions}
    assert actions[("tags", "Old")].action == UNCHANGED and actions[("tags", "New")].action == CREATE
    changed = actions[("tags", "Changed")]
    assert changed.action == UPDATE and changed.etag == 4
    assert changed.patch == [{"op": "replace", "path": "/description", "value": "new"}]
    assert changed.lines == ['replace /description: "old" -> "new"']
    assert actions[("collections", "C")].body["ids"] == ["t1", "@tags/New"]


def test_plan_refuses_a_name_the_target_holds_twice():
    folder = _folder(("tags", {"name": "Twice"}))
    plan = compute_plan(folder, {"tags": [{"name": "Twice", "id": "a"}, {"name": "Twice", "id": "b"}]})
    assert plan.problems == ["tags/Twice.json: name: the target has 2 tags named 'Twice' (a, b): "
                             "rename or delete all but one there"]


def test_the_sync_package_never_imports_textual_or_the_ui():
    """Like model/, api/ and service/: export, plan and apply run without loading Textual."""
    from test_imports import graph

    edges = graph(lazy=True)
    bad = sorted((name, target) for name, targets in edges.items() if name.startswith("offer_tui.sync")
                 for target in targets if target.startswith(("textual", "offer_tui.ui")))
    assert bad == [] and any(name.startswith("offer_tui.sync.") for name in edges)
