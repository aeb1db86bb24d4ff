"""Hostile offer files (issue 7, items 4-8): bounded, never blocking, strict JSON numbers, bounded
depth, plain words for encodings, and a crash report that never renders the user's data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from offer_tui.cli import EXIT_INVALID, main
from offer_tui.model import (
    OfferFileError,
    load_offer_file,
    parse_offer_text,
    validate_offer,
)
from offer_tui.model.safejson import MAX_DEPTH, MAX_FILE_BYTES, json_problems, show_path
from offer_tui.ui.crash import MAX_LINES, crash_text

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "personalized-offer.json"


def write(tmp_path: Path, content: bytes | str, name: str = "offer.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def load_error(path: Path) -> str:
    with pytest.raises(OfferFileError) as exc:
        load_offer_file(path)
    message = str(exc.value)
    assert "\n" not in message and str(path) in message
    return message


def nested(depth: int) -> str:
    """An offer whose unknown field nests ``depth`` levels in all (the offer object is level 1)."""
    return '{"name": "deep", "x": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


# -- item 4: numbers that are not JSON ----------------------------------------------------------

@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_non_finite_numbers_are_refused_with_their_path(tmp_path, literal):
    path = write(tmp_path, '{"name": "n", "rank": {"priority": %s}}' % literal)
    message = load_error(path)
    assert f"rank.priority: is {literal}, which is not a JSON number" in message


def test_a_huge_integer_is_a_clear_error_with_its_path(tmp_path):
    path = write(tmp_path, '{"name": "n", "characteristics": {"big": %s}}' % ("7" * 5000))
    assert "characteristics.big: is an integer of 5,000 digits" in load_error(path)


def test_validate_reports_non_json_numbers_in_a_document_with_their_path():
    doc = json.loads(EXAMPLE.read_text())
    doc["rank"] = {"priority": float("nan")}
    errors = {issue.path: issue.message for issue in validate_offer(doc).errors}
    assert errors == {"rank.priority": "is nan, which is not a JSON number; use a finite number"}


def test_the_cli_says_where_the_nan_is_and_exits_1(tmp_path, capsys):
    path = write(tmp_path, '{"name": "n", "representations": [{"x": NaN}]}')
    assert main(["validate", str(path)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert f"error: {path}: representations[0].x: is NaN, which is not a JSON number" in err
    assert "Traceback" not in err


# -- item 5: bounded size -------------------------------------------------------------------------

def test_a_file_past_5_mb_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs nothing to make
    started = time.monotonic()
    message = load_error(path)
    assert "the limit is 5 MB, so it was not read" in message and "5,242,881 bytes" in message
    assert time.monotonic() - started < 1


def test_a_file_just_under_the_limit_is_read(tmp_path):
    text = '{"name": "big", "pad": "' + "a" * (MAX_FILE_BYTES - 40) + '"}'
    assert load_offer_file(write(tmp_path, text))["name"] == "big"


# -- item 6: anything that is not a regular file ---------------------------------------------------

@pytest.mark.parametrize("device, kind", [("/dev/zero", "a character device"), ("/dev/null", "a character device")])
def test_devices_are_refused_at_once(device, kind):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    with pytest.raises(OfferFileError, match=f"is {kind}, not a file"):
        load_offer_file(device)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(OfferFileError, match="is a directory, not a file"):
        load_offer_file(tmp_path)


def test_a_fifo_never_blocks_validate(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "offer_tui", "validate", str(fifo)], capture_output=True,
                            text=True, timeout=30, env=env, stdin=subprocess.DEVNULL)
    assert result.returncode == EXIT_INVALID
    assert f"{fifo}: is a FIFO (named pipe), not a file" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 20


def test_missing_file_and_bad_parent(tmp_path):
    with pytest.raises(OfferFileError, match="no such file"):
        load_offer_file(tmp_path / "nope.json")
    write(tmp_path, "{}", "plain")
    with pytest.raises(OfferFileError, match="not a directory"):
        load_offer_file(tmp_path / "plain" / "offer.json")


# -- item 7: nesting depth -----------------------------------------------------------------------

def test_64_levels_are_accepted_and_65_refused_with_the_path(tmp_path):
    assert load_offer_file(write(tmp_path, nested(MAX_DEPTH)))["name"] == "deep"
    message = load_error(write(tmp_path, nested(MAX_DEPTH + 1)))
    assert "is nested more than 64 levels deep" in message
    assert "x[0][0][0][0][0]...(56 more levels)...[0][0]" in message
    assert "malformed" not in message


@pytest.mark.parametrize("depth", [900, 5000, 200_000])
def test_very_deep_json_is_too_deep_not_malformed(tmp_path, depth):
    message = load_error(write(tmp_path, nested(depth)))
    if depth < 1000:  # parseable: the walk names the JSON path
        assert "offer.json: x[0][0][0][0][0]...(56 more levels)...[0][0]: " in message
    else:  # past the parser's own limit: line and column of the 65th level
        column = len('{"name": "deep", "x": ') + 64
        assert f"{tmp_path / 'offer.json'}:1:{column}: " in message
    assert "nested more than 64 levels deep" in message and "malformed" not in message


def test_validate_refuses_too_deep_documents_without_recursing():
    doc: dict = {"name": "d"}
    inner = doc
    for _ in range(5000):  # deeper than the recursion limit: a recursive check would crash
        inner["x"] = {}
        inner = inner["x"]
    (issue,) = validate_offer(doc).errors
    assert issue.message.startswith("is nested more than 64 levels deep")


def test_json_problems_is_bounded_and_show_path_quotes_odd_keys():
    doc = {"a": [float("inf")] * 100}
    assert len(json_problems(doc)) == 5
    assert show_path(["components", 0, "weird key\x1b[2J" + "z" * 60]) == (
        'components[0]["weird key\\u001b[2J' + "z" * 27 + '..."]'
    )


# -- item 8: clearer words -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "raw, words",
    [
        ('{"name": "x"}'.encode("utf-16"), "is UTF-16 text, not UTF-8; save it as UTF-8"),  # with a BOM
        ('{"name": "x"}'.encode("utf-16-le"), "is UTF-16 text, not UTF-8; save it as UTF-8"),
        ('{"name": "x"}'.encode("utf-16-be"), "is UTF-16 text, not UTF-8; save it as UTF-8"),
        ('{"name": "x"}'.encode("utf-32"), "is UTF-32 text, not UTF-8; save it as UTF-8"),
        ('{"name": "café"}'.encode("latin-1"), ":1:14: not UTF-8 text (byte 0xe9); save it as UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (a NUL byte at offset 8), not JSON text"),
    ],
)
def test_encodings_are_named_in_plain_words(tmp_path, raw, words):
    assert words in load_error(write(tmp_path, raw))


def test_a_lone_surrogate_names_its_field(tmp_path):
    path = write(tmp_path, '{"name": "ok", "representations": [{"components": [{"content": "a\\ud800b"}]}]}')
    assert "representations[0].components[0].content: holds a lone surrogate" in load_error(path)
    path = write(tmp_path, '{"name": "ok", "characteristics": {"\\udfff": "v"}}')
    assert "characteristics: has a field name with a lone surrogate" in load_error(path)


def test_parse_offer_text_uses_the_same_strict_rules():
    with pytest.raises(OfferFileError, match=r"^pasted: name: is NaN"):
        parse_offer_text('{"name": NaN}', "pasted")


# -- item 7: no exception handler renders user data ----------------------------------------------

def _crash_with_data():
    data: dict = {"marker": "CONFIDENTIAL-COPY " * 1000}
    inner = data
    for _ in range(900):
        inner["deeper"] = {"marker": "CONFIDENTIAL-COPY"}
        inner = inner["deeper"]
    raise KeyError("x" * 10_000)


def test_crash_text_is_short_and_holds_no_locals():
    try:
        _crash_with_data()
    except KeyError as error:
        text = crash_text(error)
    assert "CONFIDENTIAL" not in text
    assert len(text.splitlines()) <= MAX_LINES + 2
    assert max(len(line) for line in text.splitlines()) <= 210
    assert "KeyError" in text and "this is a bug" in text


def test_the_app_uses_the_safe_crash_report():
    from textual.app import App

    from offer_tui.ui.app import OfferTuiApp
    from offer_tui.ui.crash import SafeCrashReport

    assert OfferTuiApp._fatal_error is SafeCrashReport._fatal_error
    assert OfferTuiApp._fatal_error is not App._fatal_error


async def test_a_crashing_app_reports_without_rendering_its_data(capsys):
    from textual.app import App

    from offer_tui.ui.crash import SafeCrashReport

    class Crashing(SafeCrashReport, App):
        def on_mount(self) -> None:
            _crash_with_data()

    app = Crashing()
    started = time.monotonic()
    with pytest.raises(KeyError):
        async with app.run_test() as pilot:
            await pilot.pause()
    assert time.monotonic() - started < 10
    captured = capsys.readouterr()
    rendered = captured.out + captured.err
    assert "this is a bug" in rendered and "KeyError" in rendered
    assert "CONFIDENTIAL" not in rendered


# -- --from: hostile files never reach the wizard --------------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "deep", "nan"])
async def test_from_a_hostile_file_starts_clean_with_a_message(server, tmp_path, kind):
    from test_ui_helpers import SIZE_NARROW, make_app, settle
    from textual.widgets import Input

    from offer_tui.demo import demo_settings

    path = tmp_path / "hostile.json"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_text(nested(2000) if kind == "deep" else '{"name": "n", "rank": {"priority": NaN}}')
    app = make_app(demo_settings(server), tmp_path, from_file=str(path))
    started = time.monotonic()
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        expected = {"fifo": "is a FIFO (named pipe)", "deep": "nested more than 64 levels", "nan": "is NaN"}[kind]
        assert any(expected in m and "Starting with an empty offer" in m for m in messages), messages
        assert app.wizard.query_one("#name", Input).value == ""
    assert time.monotonic() - started < 15


def test_a_name_used_twice_in_one_object_is_refused_with_its_path(tmp_path):
    path = write(tmp_path, '{"name": "n", "rank": {"priority": 1, "priority": 2}}')
    assert ("rank.priority: appears more than once in the same object; keep one (only the last would be used)"
            in load_error(path))
