"""Reading bulk files: dotted paths, how a CSV cell becomes a value, streaming, the first pass."""

from __future__ import annotations

import pytest
from bulk_support import TEMPLATE, write_csv, write_template

from offer_tui.bulk import InputError, RowSource, scan
from offer_tui.bulk.cells import PathError, cell_value, deep_merge, parse_path, set_path


def errors_of(source):
    found = []
    result = scan(source, lambda row, path, reason: found.append((row, path, reason)))
    return result, found


def test_parse_path_accepts_dotted_paths_with_indexes_and_refuses_the_rest():
    assert parse_path("representations[0].components[1].content") == ["representations", 0, "components", 1, "content"]
    assert parse_path(" name ") == ["name"]
    for bad in ("", "a..b", "[0]", "a[x]", "a.", "a[0]b", ".a"):
        with pytest.raises(PathError):
            parse_path(bad)


def test_set_path_creates_objects_and_lists_but_no_gaps():
    doc: dict = {}
    set_path(doc, parse_path("representations[0].components[0].content"), "x")
    assert doc == {"representations": [{"components": [{"content": "x"}]}]}
    with pytest.raises(PathError, match="gap"):
        set_path(doc, parse_path("representations[2].channel"), "web")


@pytest.mark.parametrize("cell, current, found, expected", [
    ("Summer sale", "template", True, "Summer sale"),     # strings stay strings
    ("42", "template", True, "42"),                        # even digits, where the template has a string
    ("7", 0, True, 7),                                     # the template has a number
    ("2.5", 1.0, True, 2.5),
    ("true", False, True, True),
    ("en-us|fr-fr", ["en-us"], True, ["en-us", "fr-fr"]),  # list: | separated
    ('["a","b"]', ["x"], True, ["a", "b"]),               # list: a JSON array
    ('{"k": "v"}', {}, True, {"k": "v"}),                  # object: JSON
    ("json:5", None, False, 5),                            # json: prefix anywhere
    ('json:["en-us"]', "x", True, ["en-us"]),
    ("json:null", "x", True, None),
    ("plain", None, False, "plain"),                       # a path the template lacks
])
def test_cell_values(cell, current, found, expected):
    assert cell_value(cell, current, found) == expected


@pytest.mark.parametrize("cell, current", [("abc", 0), ("yes", True), ("[1,", ["a"]), ("x", {}), ("json:{", "x"), ("nan", 1)])
def test_cell_values_that_do_not_fit_the_template_are_errors(cell, current):
    with pytest.raises(PathError):
        cell_value(cell, current, True)


def test_deep_merge_merges_objects_and_replaces_the_rest():
    assert deep_merge({"a": {"b": 1, "c": 2}, "l": [1]}, {"a": {"b": 3}, "l": [2]}) == {"a": {"b": 3, "c": 2}, "l": [2]}


def test_csv_rows_fill_the_template_and_an_empty_cell_keeps_its_value(tmp_path):
    template = write_template(tmp_path)
    path = tmp_path / "r.csv"
    path.write_text("name,rank.priority,representations[0].components[0].language\nA,3,en-us|fr-fr\nB,,\n")
    rows = list(RowSource(path, template=template).rows())
    assert [r.number for r in rows] == [1, 2] and all(r.ok for r in rows)
    a, b = rows[0].doc, rows[1].doc
    assert a["name"] == "A" and a["rank"]["priority"] == 3
    assert a["representations"][0]["components"][0]["language"] == ["en-us", "fr-fr"]
    assert b["rank"]["priority"] == TEMPLATE["rank"]["priority"]
    assert b["representations"][0]["components"][0]["language"] == ["en-us"]
    assert b["representations"][0]["placement"] == TEMPLATE["representations"][0]["placement"]


def test_jsonl_lines_are_bodies_laid_over_the_template_without_server_fields(tmp_path):
    template = write_template(tmp_path)
    path = tmp_path / "r.jsonl"
    path.write_text('{"name": "A", "id": "dps:x", "etag": 3}\n\n{"name": "B", "rank": {"priority": 2}}\n')
    rows = list(RowSource(path, template=template).rows())
    assert [r.number for r in rows] == [1, 3]  # row N is line N; a blank line is not a row
    assert rows[0].doc["name"] == "A" and "id" not in rows[0].doc and "etag" not in rows[0].doc
    assert rows[1].doc["rank"] == {"priority": 2} and rows[1].doc["status"] == "draft"
    assert all(r.ok for r in rows)


def test_a_bad_row_in_the_middle_is_named_with_its_path(tmp_path):
    path = write_csv(tmp_path, 9, bad={5: "high"})
    result, found = errors_of(RowSource(path, template=write_template(tmp_path)))
    assert result.total == 9 and result.invalid == {5}
    assert found == [(5, "rank.priority", "expected a number (the template has one here), got 'high'")]


def test_rules_of_validate_apply_to_every_row(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("name,representations[0].components[0].format\nA,text/html\nB,text/plain\n")
    result, found = errors_of(RowSource(path, template=write_template(tmp_path)))
    assert result.invalid == {2}
    assert any(row == 2 and path.startswith("representations[0].components[0]") for row, path, _ in found)


def test_duplicate_names_are_refused_naming_the_first_row(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"name": "A"}\n{"name": "B"}\n{"name": "A"}\n')
    result, found = errors_of(RowSource(path, template=write_template(tmp_path)))
    assert result.invalid == {3}
    assert [(row, path) for row, path, _ in found] == [(3, "name")] and "the same name as row 1" in found[0][2]


@pytest.mark.parametrize("content, message", [
    (b"name,a..b\nx,y\n", "bad header"),
    (b"name,name\nx,y\n", "appears twice"),
    (b"", "empty"),
    (b"name\n\x00\x01", "binary"),
    ("name,rank.priority\nA,1\n".encode("utf-16"), "UTF-16 text, not UTF-8; save it as UTF-8"),
])
def test_file_level_problems_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        errors_of(RowSource(path, template=write_template(tmp_path)))


@pytest.mark.parametrize("content", [b'{\n  "name": "A"\n}\n', b'\xef\xbb\xbf  [\n  {"name": "A"}\n]\n'])
def test_a_pretty_printed_document_is_one_clear_error_not_a_row_error_per_line(tmp_path, content):
    path = tmp_path / "offer.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match="one pretty-printed JSON document, not JSON Lines"):
        RowSource(path)


def test_wrong_cell_count_and_bad_json_lines_are_row_errors(tmp_path):
    csv_path = tmp_path / "r.csv"
    csv_path.write_text("name,description\nA,x,extra\n")
    assert errors_of(RowSource(csv_path))[1] == [(1, "(row)", "3 cells, but the header has 2 columns")]
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_bytes(b'{"name": \n[1]\n\xff\n')
    rows = [(row, reason.split(" ")[0]) for row, _path, reason in errors_of(RowSource(jsonl))[1]]
    assert rows == [(1, "malformed"), (2, "expected"), (3, "not")]


def test_missing_file_and_template_problems(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        RowSource(tmp_path / "nope.csv")
    (tmp_path / "r.csv").write_text("name\nA\n")
    (tmp_path / "t.json").write_text("[1]")
    with pytest.raises(InputError, match="template"):
        RowSource(tmp_path / "r.csv", template=tmp_path / "t.json")


def test_fingerprint_changes_with_the_file_the_template_and_the_type(tmp_path):
    path = write_csv(tmp_path, 3)
    template = write_template(tmp_path)
    first = RowSource(path, template=template).fingerprint()
    assert RowSource(path, template=template).fingerprint() == first
    assert RowSource(path, template=template, offer_type="fallback").fingerprint() != first
    write_template(tmp_path, dict(TEMPLATE, status="approved"))
    assert RowSource(path, template=template).fingerprint() != first
    write_template(tmp_path)
    path.write_text(path.read_text().replace("row 2", "row two"))
    assert RowSource(path, template=template).fingerprint() != first
