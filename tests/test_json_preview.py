"""JsonPreview: what the user sees, and that typing repaints only what changed."""

from __future__ import annotations

import json

from textual.app import App, ComposeResult
from textual.geometry import Region

from offer_tui.ui.widgets.json_preview import JsonPreview, json_line_paths

OFFER = {
    "name": "Spring sale",
    "status": "draft",
    "representations": [
        {
            "channel": "https://ns.adobe.com/xdm/channel-types/web",
            "placement": "xcore:offer-placement:1",
            "components": [
                {
                    "type": "https://ns.adobe.com/experience/offer-management/content-component-html",
                    "format": "text/html",
                    "language": ["en-us"],
                    "content": "<p>Hello</p>",
                }
            ],
        }
    ],
    "rank": {"priority": 3},
    "selectionConstraint": {"startDate": None, "enabled": True},
}

WIDTH, HEIGHT = 50, 12


def dumps(doc) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False)


class PreviewApp(App):
    CSS = f"JsonPreview {{ width: {WIDTH}; height: {HEIGHT}; }}"

    def compose(self) -> ComposeResult:
        yield JsonPreview(id="preview")


def shown_rows(preview: JsonPreview) -> list[str]:
    """The text of each row as painted (without the scrollbar column)."""
    region = Region(0, 0, preview.scrollable_content_region.width, preview.size.height)
    return [strip.text.rstrip() for strip in preview.render_lines(region)]


def segment_at(preview: JsonPreview, row: int, text: str):
    strip = preview.render_line(row)
    for segment in strip:
        if segment.text == text:
            return segment
    raise AssertionError(f"{text!r} not rendered on row {row}: {strip.text!r}")


async def test_shows_the_json_text_line_by_line():
    text = dumps(OFFER)
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(text)
        await pilot.pause()
        lines = text.split("\n")
        rows = shown_rows(preview)
        width = preview.scrollable_content_region.width
        short = [line for line in lines if len(line) <= width]
        assert [row for row in rows if row in short] == [line for line in lines[:HEIGHT] if line in short][:len(
            [row for row in rows if row in short])]
        # Joined back, the rows hold every character: long lines fold, nothing is clipped.
        assert "".join(row.strip() for row in rows) == "".join(line.strip() for line in lines)[:len(
            "".join(row.strip() for row in rows))]
        assert preview.text == text


async def test_keys_strings_numbers_and_literals_are_coloured_differently():
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps({"name": "Spring", "rank": 3, "on": True}))
        await pilot.pause()
        key = segment_at(preview, 1, '"name"')
        string = segment_at(preview, 1, '"Spring"')
        number = segment_at(preview, 2, "3")
        literal = segment_at(preview, 3, "true")
        colours = {s.style.color for s in (key, string, number, literal)}
        assert len(colours) == 4, colours
        # Highlighting sits on the widget's own background, not a default one.
        assert key.style.bgcolor == string.style.bgcolor == preview.rich_style.bgcolor


async def test_theme_change_recolours_the_preview():
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        pilot.app.theme = "textual-dark"
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps({"name": "Spring"}))
        await pilot.pause()
        before = segment_at(preview, 1, '"name"').style
        pilot.app.theme = "textual-light"
        await pilot.pause()
        after = segment_at(preview, 1, '"name"').style
        assert before != after


async def test_typing_one_character_repaints_only_that_row():
    doc = dict(OFFER)
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps(doc))
        await pilot.pause()

        refreshed: list[Region] = []
        painted: list[int] = []
        original_refresh, original_render_line = preview.refresh, preview.render_line

        def spy_refresh(*regions, **kwargs):
            refreshed.extend(regions)
            if not regions:
                refreshed.append(preview.size.region)  # a whole-widget refresh
            return original_refresh(*regions, **kwargs)

        def spy_render_line(y):
            painted.append(y)
            return original_render_line(y)

        preview.refresh = spy_refresh
        preview.render_line = spy_render_line

        doc["name"] = "Spring sale!"
        preview.update_json(dumps(doc))
        await pilot.pause()

        name_row = preview.line_for_key("name")
        assert [(r.y, r.height) for r in refreshed] == [(name_row, 1)]
        assert painted == [name_row]
        assert shown_rows(preview)[name_row] == '  "name": "Spring sale!",'


async def test_same_text_again_repaints_nothing():
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps(OFFER))
        await pilot.pause()
        painted: list[int] = []
        original = preview.render_line
        preview.render_line = lambda y: painted.append(y) or original(y)
        preview.update_json(dumps(OFFER))
        await pilot.pause()
        assert painted == []


async def test_growing_and_shrinking_updates_scroll_size_and_clears_old_rows():
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps({"a": 1}))
        await pilot.pause()
        assert preview.virtual_size.height == 3
        assert not preview.show_vertical_scrollbar

        preview.update_json(dumps({f"k{i}": i for i in range(30)}))
        await pilot.pause()
        assert preview.virtual_size.height == 32
        assert preview.show_vertical_scrollbar  # 32 lines do not fit in 12 rows

        preview.update_json(dumps({"b": 2}))
        await pilot.pause()
        assert preview.virtual_size.height == 3
        assert not preview.show_vertical_scrollbar
        assert shown_rows(preview) == ["{", '  "b": 2', "}"] + [""] * (HEIGHT - 3)


async def test_long_lines_fold_onto_indented_rows_and_nothing_is_clipped():
    long_value = "x" * 120
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps({"content": long_value, "after": 1}))
        await pilot.pause()
        width = preview.size.width - preview.styles.scrollbar_size_vertical  # room kept for a scrollbar
        rows = shown_rows(preview)
        assert all(len(row) <= width for row in rows)
        assert rows[1] == '  "content": "' + "x" * (width - len('  "content": "'))
        continued = rows[2:preview.row_count - 2]
        assert continued and all(row.startswith("    x") for row in continued)  # indented under the key
        assert "".join(row.strip() for row in rows[1:preview.row_count - 2]) == f'"content": "{long_value}",'
        assert rows[preview.row_count - 2] == '  "after": 1'
        assert preview.virtual_size.width == 0  # no horizontal scrolling needed
        assert preview.row_for_line(2) == preview.row_count - 2


async def test_too_narrow_to_fold_crops_and_scrolls_instead():
    class Narrow(App):
        CSS = "JsonPreview { width: 20; height: 6; }"

        def compose(self) -> ComposeResult:
            yield JsonPreview()

    async with Narrow().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps({"content": "x" * 60}))
        await pilot.pause()
        assert preview.row_count == preview.line_count
        preview.focus()
        await pilot.press("right")
        await pilot.pause()
        assert preview.scroll_offset.x == 1


async def test_focused_preview_scrolls_with_the_keyboard():
    text = dumps({f"key{i:02}": i for i in range(40)})
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(text)
        preview.focus()
        await pilot.pause()
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert preview.scroll_offset.y == 3
        assert shown_rows(preview)[0] == text.split("\n")[3]
        await pilot.press("end")
        await pilot.pause()
        assert shown_rows(preview)[-1] == "}"


async def test_typing_below_the_viewport_repaints_nothing_visible():
    doc = {f"key{i:02}": "v" for i in range(40)}
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps(doc))
        await pilot.pause()
        painted: list[int] = []
        original = preview.render_line
        preview.render_line = lambda y: painted.append(y) or original(y)
        doc["key39"] = "changed"
        preview.update_json(dumps(doc))
        await pilot.pause()
        assert painted == []
        preview.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert '  "key39": "changed"' in shown_rows(preview)


async def test_terminal_control_characters_are_shown_escaped():
    # json.dumps(ensure_ascii=False) leaves DEL and C1 controls raw; \x9b is a CSI to a terminal.
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps({"name": "a\x9b2Jb\x7f"}))
        await pilot.pause()
        assert shown_rows(preview)[1] == '  "name": "a\\u009b2Jb\\u007f"'


async def test_scroll_to_path_brings_a_field_into_view():
    doc = {f"pad{i:02}": i for i in range(30)}
    doc.update(OFFER)
    text = dumps(doc)
    async with PreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(text)
        await pilot.pause()
        assert preview.scroll_to_path("representations[0].components[0].format")
        await pilot.pause()
        assert '          "format": "text/html",' in shown_rows(preview)


def test_line_for_path_follows_issue_paths():
    lines = dumps(OFFER).split("\n")
    preview = JsonPreview()
    preview._lines = lines  # pure lookup: no app needed
    fmt = preview.line_for_path("representations[0].components[0].format")
    assert lines[fmt].strip() == '"format": "text/html",'
    assert lines[preview.line_for_path("rank.priority")].strip() == '"priority": 3'
    assert lines[preview.line_for_path("representations[0].components[0].language[0]")].strip() == '"en-us"'
    # A missing field points at its parent, where "required" errors belong.
    missing = preview.line_for_path("selectionConstraint.endDate")
    assert lines[missing].strip() == '"selectionConstraint": {'
    assert preview.line_for_path("selectionConstraint.endDate", nearest=False) is None
    assert preview.line_for_path("") == 0


def test_json_line_paths_covers_every_value_line():
    lines = dumps({"a": [1, {"b": []}], "c": {}}).split("\n")
    assert dict(json_line_paths(lines)) == {0: "", 1: "a", 2: "a[0]", 3: "a[1]", 4: "a[1].b", 7: "c"}


class FormAndPreviewApp(App):
    """The wizard's shape: a form field beside a preview too big for its box."""

    CSS = "Input { width: 40; } JsonPreview { width: 40; height: 10; }"

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal
        from textual.widgets import Input

        with Horizontal():
            yield Input(id="name")
            yield JsonPreview()


async def test_typing_in_the_form_does_not_resend_the_preview_scrollbars():
    # Each Input keystroke lays out the screen; Textual's ScrollView would repaint its
    # scrollbars every time (about 1.5 KB per key over SSH for a horizontal bar).
    doc = {f"key{i:02}": "https://ns.adobe.com/xdm/channel-types/web" for i in range(30)}
    async with FormAndPreviewApp().run_test(size=(80, 24)) as pilot:
        preview = pilot.app.query_one(JsonPreview)
        preview.update_json(dumps(doc))
        pilot.app.query_one("#name").focus()
        await pilot.pause()
        assert preview.show_vertical_scrollbar

        repainted: list[str] = []
        for bar in (preview.vertical_scrollbar,):
            original = bar.render_line
            bar.render_line = lambda y, _o=original, _b=bar: repainted.append(type(_b).__name__) or _o(y)
            original_refresh = bar.refresh
            bar.refresh = lambda *a, _o=original_refresh, **k: repainted.append("refresh") or _o(*a, **k)
        await pilot.press("a", "b", "c")
        await pilot.pause()
        assert pilot.app.query_one("#name").value == "abc"
        assert repainted == []

        # The scrollbars still follow real changes.
        preview.update_json(dumps({"short": 1}))
        await pilot.pause()
        assert not preview.show_vertical_scrollbar


def test_the_private_textual_hook_the_preview_overrides_is_still_there():
    """`_size_updated` is private Textual API (see JsonPreview._size_updated): if Textual renames
    or reshapes it, this fails instead of the override silently doing nothing."""
    import inspect

    from textual.scroll_view import ScrollView
    from textual.widget import Widget

    for cls in (ScrollView, Widget):
        assert list(inspect.signature(cls._size_updated).parameters) == [
            "self", "size", "virtual_size", "container_size", "layout"]
    assert "_size_updated" in ScrollView.__dict__  # ScrollView's own: the one that refreshes the bars


def test_the_line_tokenizer_covers_every_character():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from offer_tui.ui.widgets.json_preview import _TOKENS

    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3),
        max_leaves=8,
    )

    @settings(max_examples=200, deadline=None)
    @given(values)
    def check(value):
        for line in json.dumps(value, indent=2, ensure_ascii=False).split("\n"):
            assert "".join(m.group() for m in _TOKENS.finditer(line)) == line
            for match in _TOKENS.finditer(line):
                if match.lastgroup == "key":
                    assert line[match.end():].lstrip().startswith(":")

    check()
