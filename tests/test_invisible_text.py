"""Invisible characters are shown, not passed to the terminal (issue 13, 3.4): two offers whose
names print alike ("Sale" and "Sa\\u200ble") can be told apart in every output, --json included."""

from __future__ import annotations

import io
import json
import sys

import pytest

from offer_tui.cli import main
from offer_tui.commands.common import json_text
from offer_tui.exit_codes import EXIT_OK
from offer_tui.safe_text import terminal_safe
from hostile_http import HostileServer, offer

pytestmark = pytest.mark.timeout(60)

ZWSP = "\u200b"
INVISIBLES = ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u00a0", "\u3000", "\u2028", "\u202e",
              "\u3164", "\U000e0041"]


@pytest.mark.parametrize("char", INVISIBLES)
@pytest.mark.parametrize("one_line", [False, True])
def test_terminal_safe_shows_each_invisible_character(char, one_line):
    shown = terminal_safe(f"Sa{char}le", one_line=one_line)
    assert char not in shown
    assert shown in (f"Sa\\u{ord(char):04x}le", f"Sa\\U{ord(char):08x}le")
    assert shown != terminal_safe("Sale", one_line=one_line)


@pytest.mark.parametrize("char", INVISIBLES + ["\ud800"])
def test_json_text_escapes_invisibles_and_keeps_the_data(char):
    data = {"name": f"Sa{char}le"}
    text = json_text(data, indent=None)
    assert char not in text and "\\u" in text
    assert json.loads(text) == data


def test_ordinary_text_is_untouched():
    text = "Crème brûlée 20% — 日本語 😀 tab\tend"
    assert terminal_safe(text) == text


def _answer(path):
    twins = [dict(offer(1), name="Sale"), dict(offer(2), name=f"Sa{ZWSP}le")]
    if "/offers/" in path:
        return 200, twins[1]
    return 200, {"results": twins, "count": 2, "total": 2, "_links": {}}


@pytest.mark.parametrize("argv", [["list"], ["list", "--json"], ["get", "dps:personalized-offer:0000000000000002"],
                                  ["get", "--json", "dps:personalized-offer:0000000000000002"]])
def test_cli_output_never_carries_a_zero_width_space(capsys, monkeypatch, argv):
    with HostileServer(_answer) as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = main(argv)
    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    assert ZWSP not in captured.out + captured.err
    assert "Sa\\u200ble" in captured.out


async def test_the_library_table_and_the_open_pane_show_the_escape(tmp_path):
    from library_support import wait_for_screen, wait_until
    from offer_tui.ui.screens.library import LibraryScreen
    from offer_tui.ui.screens.offer_detail import OfferDetailScreen
    from test_ui_helpers import SIZE_WIDE, make_app

    def answer(path):
        if "/offers" not in path:
            return 200, {"results": [], "count": 0, "total": 0, "_links": {}}
        status, body = _answer(path)
        if "/offers/" not in path:
            body["results"] = body["results"][1:]  # the invisible twin alone: it is the first row
        return status, body

    with HostileServer(answer) as server:
        app = make_app(server.settings(), tmp_path, start="library")
        async with app.run_test(size=SIZE_WIDE) as pilot:
            screen = await wait_for_screen(pilot, LibraryScreen)
            await wait_until(pilot, lambda: screen.table.row_count > 0 or screen.error is not None)
            row = next(iter(screen.table.offers.values()))
            assert row.name == "Sa\\u200ble"
            cells = [str(c) for c in screen.table.get_row_at(0)]
            assert any("Sa\\u200ble" in c for c in cells) and not any(ZWSP in c for c in cells)
            await pilot.press("enter")
            detail = await wait_for_screen(pilot, OfferDetailScreen)
            await wait_until(pilot, lambda: detail.offer is not None)
            summary = str(detail.query_one("#detail-text").render())
            assert "Sa\\u200ble" in summary and ZWSP not in summary
            json_pane = detail.query_one("#detail-json").text
            assert "Sa\\u200ble" in json_pane and ZWSP not in json_pane
